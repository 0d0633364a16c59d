"""One negotiation: a protocol, one negotiator per party (and a mediator where the
protocol has one), a seed, and the event log.

    result = Session(scenario, "alternating", ["boulware", "conceder"], seed=7).run()
    result.agreement          # {issue: option} or None
    result.to_json()          # the whole record, one JSON document

How a session runs: it asks the protocol whose turn it is, asks that participant for
its move (``participant.act(state)``), steps the protocol, and appends the event to
the log. When several participants are asked at once (a vote), all answer on the same
public record before any answer is stepped. A participant that raises, answers
something that is not a valid event for itself, answers an event the protocol refuses,
or (with ``move_budget``) takes longer than its budget, is *failed*: the protocol's
``failure_event`` stands for its move (alternating offers: walking away), the event
carries ``note="failure: ..."``, the result lists it by negotiator name, and the
reason becomes ``error``. With the protocol's ``deadline_seconds`` the session sends
the clock's ``time-up`` event once the wall clock passes it.

Randomness: only the seed. Participant ``k`` (parties in order, then the mediator)
draws from ``default_rng(SeedSequence(seed, spawn_key=(k,)))``. A ``None`` seed is
replaced by fresh entropy, which the result records, so every session can be re-run.

The record: :meth:`SessionResult.to_dict` gives ``scenario``, ``protocol`` (name and
options), ``parties``, ``negotiators``, ``seed``, ``agreement``, ``result`` (reason,
round, turns, utilities, gains over reservation, welfare, failures, and the metric
hooks ``distance_to_pareto`` / ``distance_to_nash`` that analysis fills in), ``log`` —
one entry per event: ``turn``, ``round``, ``time`` (relative, by rounds), ``kind``,
``party``, ``outcome`` as ``{issue: option}`` with every party's ``utilities`` when
the event concerns a package, and ``note`` / ``prefers`` when present — and
``timing`` (wall-clock seconds). Everything but ``timing`` is deterministic: the same
scenario, negotiators and seed give the same bytes from ``to_json(timing=False)``
(failures by time budget are the exception, as they depend on the clock).
:func:`replay` re-runs a record's events through the protocol and checks that it
reproduces the log and the result.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np

from tratado.negotiators._tables import cached_table
from tratado.negotiators.base import (
    Mediator,
    MediatorView,
    Negotiator,
    NegotiatorView,
    Participant,
    PublicScenario,
    Record,
)
from tratado.negotiators.registry import make
from tratado.protocols import Event, EventRefused, Protocol, event_from_entry, protocol_class
from tratado.protocols.events import Outcome
from tratado.protocols.log import render_log
from tratado.scenario import Scenario

FAILURE = "failure: "
_PUBLIC: WeakKeyDictionary[Scenario, PublicScenario] = WeakKeyDictionary()


def public_scenario(scenario: Scenario) -> PublicScenario:
    """The (cached) public part of ``scenario``."""
    public = _PUBLIC.get(scenario)
    if public is None:
        public = _PUBLIC[scenario] = PublicScenario.of(scenario)
    return public


def participant_name(participant: Participant) -> str:
    """The registry name of a participant, else its class name."""
    return type(participant).__dict__.get("name") or type(participant).__name__


@dataclass
class SessionResult:
    """The outcome of one session; ``to_dict()`` / ``to_json()`` give the record."""

    scenario: Scenario = field(repr=False)
    protocol: Protocol[Any] = field(repr=False)
    negotiators: dict[str, str]
    seed: int
    events: tuple[Event, ...] = field(repr=False)
    agreement: dict[str, Any] | None
    outcome: tuple[int, ...] | None
    reason: str
    round: int
    turns: int
    ended_by: str | None
    utilities: dict[str, float]
    gains: dict[str, float]
    welfare: float
    failures: list[dict[str, str]]
    elapsed: float
    distance_to_pareto: float | None = None
    distance_to_nash: float | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    _log: list[dict[str, Any]] | None = field(default=None, repr=False)

    @property
    def log(self) -> list[dict[str, Any]]:
        """The event log as JSON-able entries (built on first use)."""
        if self._log is None:
            self._log = session_log(self.scenario, self.protocol, self.events)
        return self._log

    def to_dict(self, timing: bool = True) -> dict[str, Any]:
        """The whole record; ``timing=False`` leaves out the wall-clock part."""
        record: dict[str, Any] = {
            "scenario": self.scenario.name,
            "protocol": {"name": self.protocol.name, **self.protocol.params()},
            "parties": list(self.scenario.party_ids),
            "negotiators": dict(self.negotiators),
            "seed": self.seed,
            "agreement": self.agreement,
            "result": {
                "reason": self.reason,
                "round": self.round,
                "turns": self.turns,
                "ended_by": self.ended_by,
                "utilities": dict(self.utilities),
                "gains": dict(self.gains),
                "welfare": self.welfare,
                "failures": list(self.failures),
                "distance_to_pareto": self.distance_to_pareto,
                "distance_to_nash": self.distance_to_nash,
                **self.metrics,
            },
            "log": self.log,
        }
        if timing:
            record["timing"] = {"elapsed_seconds": self.elapsed}
        return record

    def to_json(self, timing: bool = True, indent: int | None = None) -> str:
        """:meth:`to_dict` as JSON (deterministic bytes when ``timing=False``)."""
        return json.dumps(self.to_dict(timing), ensure_ascii=False, indent=indent)


class Session:
    """Runs ``protocol`` on ``scenario`` with one negotiator per party.

    ``protocol``: a :class:`Protocol` or a protocol name (built with the scenario's
    rules and ``protocol_options``). ``negotiators``: one per party in party order, or
    a mapping ``{party id: negotiator}``; each a :class:`Negotiator` or a name /
    ``module:Class``. ``mediator``: required when the protocol has a mediator id.
    ``move_budget``: seconds one move may take before it counts as a failure.
    """

    def __init__(
        self,
        scenario: Scenario,
        protocol: Protocol[Any] | str,
        negotiators: Sequence[Negotiator | str] | Mapping[str, Negotiator | str],
        seed: int | None = None,
        *,
        mediator: Mediator | None = None,
        move_budget: float | None = None,
        protocol_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.scenario = scenario
        self._ids = ids = scenario.party_ids
        if isinstance(protocol, str):
            protocol = protocol_class(protocol).for_scenario(scenario, **(protocol_options or {}))
        self.protocol = protocol
        if protocol.parties != ids:
            raise ValueError("the protocol's parties are not the scenario's parties, in order")
        if isinstance(negotiators, Mapping):
            missing = set(ids) - set(negotiators)
            if missing:
                raise ValueError(f"no negotiator for {', '.join(sorted(missing))}")
            negotiators = [negotiators[p] for p in ids]
        if len(negotiators) != scenario.n_parties:
            raise ValueError(
                f"{len(negotiators)} negotiators for {scenario.n_parties} parties:"
                " give one per party, in party order"
            )
        self.negotiators: list[Negotiator] = [
            make(n) if isinstance(n, str) else n for n in negotiators
        ]
        if len({id(n) for n in self.negotiators}) != len(self.negotiators):
            raise ValueError("each party needs its own negotiator object")
        if protocol.mediator and mediator is None:
            raise ValueError(f"the '{protocol.name}' protocol needs a mediator")
        self.mediator = mediator
        self.move_budget = move_budget
        self.seed = int(np.random.SeedSequence().entropy if seed is None else seed)  # type: ignore[arg-type]

    def _begin(self, record: Record) -> dict[str, Participant]:
        self._broken: dict[str, Exception] = {}
        public = public_scenario(self.scenario)
        actors: dict[str, Participant] = {}
        for k, (party, negotiator) in enumerate(
            zip(self.scenario.parties, self.negotiators, strict=True)
        ):
            negotiator.seed(self.seed, k)
            view = NegotiatorView(party.id, party.preferences, public, self.protocol, record)
            actors[party.id] = negotiator
            try:
                negotiator.begin(view)
            except Exception as error:  # noqa: BLE001 - fails on its first turn instead
                self._broken[party.id] = error
        if self.protocol.mediator and self.mediator is not None:
            secrets = (
                {p.id: p.preferences for p in self.scenario.parties}
                if self.protocol.mediator_sees_preferences else {}
            )
            self.mediator.seed(self.seed, len(self.negotiators))
            actors[self.protocol.mediator] = self.mediator
            try:
                self.mediator.begin(MediatorView(self.protocol.mediator, public, self.protocol,
                                                 record, secrets))
            except Exception as error:  # noqa: BLE001
                self._broken[self.protocol.mediator] = error
        return actors

    def run(self) -> SessionResult:
        """Run the talks to their end and return the result (repeatable: same seed,
        same result)."""
        protocol = self.protocol
        events: list[Event] = []
        public: list[Event] = []
        actors = self._begin(Record(public))
        failures: list[dict[str, str]] = []
        step = protocol.step
        whose_turn = protocol.whose_turn
        record = events.append
        publish = public.append
        movers = {party: _failed_start(self._broken[party]) if party in self._broken
                  else actor.mover() for party, actor in actors.items()}
        state = protocol.initial_state()
        seconds = protocol.deadline_seconds
        simple = seconds is None and self.move_budget is None
        started = perf_counter()
        while turn := whose_turn(state):
            if simple and len(turn) == 1:
                party = turn[0]
                try:
                    event = movers[party](state)
                    if event.party != party:
                        raise EventRefused(f"it answered as '{event.party}'")
                    state = step(state, event)
                except Exception as error:  # noqa: BLE001 - any failure is the negotiator's
                    state, event = self._fail(party, state, error, failures)
                record(event)
                publish(event)
                continue
            if seconds is not None and perf_counter() - started > seconds:
                event = protocol.time_up_event()
                state = step(state, event)
                record(event)
                publish(event)
                continue
            answers = [(party, self._timed_act(movers[party], state)) for party in turn]
            for party, answer in answers:
                state, event = self._apply(party, state, answer, failures)
                record(event)
                publish(event)
        return self._result(state, tuple(events), failures, perf_counter() - started)

    def _timed_act(self, move: Callable[[Any], Event], state: Any) -> object:
        """The participant's answer, or the exception that stands for its failure."""
        start = perf_counter()
        try:
            answer = move(state)
        except Exception as error:  # noqa: BLE001 - any failure is the participant's
            return error
        spent = perf_counter() - start
        if self.move_budget is not None and spent > self.move_budget:
            return TimeoutError(f"its move took {spent:.3g} s, over {self.move_budget} s")
        return answer

    def _apply(
        self, party: str, state: Any, answer: object, failures: list[dict[str, str]]
    ) -> tuple[Any, Event]:
        if isinstance(answer, Event) and answer.party == party:
            try:
                return self.protocol.step(state, answer), answer
            except Exception as error:  # noqa: BLE001
                problem: Exception = error
        elif isinstance(answer, Exception):
            problem = answer
        else:
            problem = EventRefused("it did not answer with an event of its own")
        return self._fail(party, state, problem, failures)

    def _fail(
        self, party: str, state: Any, error: Exception, failures: list[dict[str, str]]
    ) -> tuple[Any, Event]:
        if isinstance(error, EventRefused):
            message = f"refused: {error.reason}"
        else:
            message = f"{type(error).__name__}: {error}"
        event = self.protocol.failure_event(party, state, FAILURE + message)
        failures.append({"party": party, "negotiator": self._name_of(party), "error": message})
        return self.protocol.step(state, event), event

    def _name_of(self, party: str) -> str:
        if party in self._ids:
            return participant_name(self.negotiators[self._ids.index(party)])
        return participant_name(self.mediator) if self.mediator is not None else party

    def _result(
        self, state: Any, events: tuple[Event, ...], failures: list[dict[str, str]],
        elapsed: float,
    ) -> SessionResult:
        names = {p: participant_name(n) for p, n in zip(self._ids, self.negotiators, strict=True)}
        if self.mediator is not None and self.protocol.mediator:
            names[self.protocol.mediator] = participant_name(self.mediator)
        return build_result(self.scenario, self.protocol, state, events, names, self.seed,
                            failures, elapsed)


def _failed_start(error: Exception) -> Callable[[Any], Event]:
    """The mover of a negotiator whose ``begin`` raised: it fails on its first turn."""

    def move(state: Any) -> Event:
        raise error

    return move


def _discounts(scenario: Scenario, protocol: Protocol[Any]) -> list[float]:
    if not protocol.discounting:
        return [1.0] * scenario.n_parties
    return [p.preferences.discount or 1.0 for p in scenario.parties]


def session_log(
    scenario: Scenario, protocol: Protocol[Any], events: Sequence[Event]
) -> list[dict[str, Any]]:
    """The JSON-able log of ``events``, with every party's (discounted) utilities."""

    def utilities(outcomes: list[Outcome]) -> list[list[float]]:
        if not outcomes:
            return []
        values: list[list[float]] = scenario.utilities(np.array(outcomes, dtype=np.int64)).tolist()
        return values

    return render_log(scenario.agenda, protocol, events, utilities, _discounts(scenario, protocol))


def _utilities_of(scenario: Scenario, outcome: tuple[int, ...]) -> list[float]:
    """Every party's utility of one outcome (from the negotiators' cached tables when
    they exist, else one vectorised evaluation)."""
    agenda = scenario.agenda
    values = []
    for party in scenario.parties:
        table = cached_table(agenda, party.preferences)
        if table is None or outcome not in table.lookup:
            row = np.array([outcome], dtype=np.int64)
            return [float(u) for u in scenario.utilities(row)[0]]
        values.append(table.lookup[outcome])
    return values


def build_result(
    scenario: Scenario,
    protocol: Protocol[Any],
    state: Any,
    events: tuple[Event, ...],
    negotiators: dict[str, str],
    seed: int,
    failures: list[dict[str, str]],
    elapsed: float,
) -> SessionResult:
    """The :class:`SessionResult` of a finished state."""
    ended = protocol.result(state)
    reason = ended.reason or "deadline"
    if failures and events and events[-1].note.startswith(FAILURE) and reason != "agreement":
        reason = "error"
    ids = protocol.parties
    if ended.agreement is not None:
        raw = _utilities_of(scenario, ended.agreement)
        discounts = _discounts(scenario, protocol)
        values = [u * d**ended.round for u, d in zip(raw, discounts, strict=True)]
        agreement: dict[str, Any] | None = scenario.agenda.describe(ended.agreement)
    else:
        values = [p.preferences.reservation_value for p in scenario.parties]
        agreement = None
    utilities = dict(zip(ids, values, strict=True))
    gains = {
        p.id: u - p.preferences.reservation_value
        for p, u in zip(scenario.parties, values, strict=True)
    }
    return SessionResult(
        scenario, protocol, negotiators, seed, events, agreement, ended.agreement, reason,
        ended.round, ended.turns, ended.ended_by, utilities, gains, float(sum(values)),
        failures, elapsed,
    )


def check_replay(scenario: Scenario, record: Mapping[str, Any] | str | bytes) -> str | None:
    """Re-run the events of a session record (a ``to_dict()`` mapping or its JSON)
    through its protocol: ``None`` if it reproduces the log and the result, else
    what differs first."""
    if isinstance(record, str | bytes):
        record = json.loads(record)
    assert isinstance(record, Mapping)
    options = dict(record["protocol"])
    cls = protocol_class(options.pop("name"))
    protocol = cls.from_params(scenario.party_ids, scenario.agenda.shape, options)
    events = []
    state = protocol.initial_state()
    for k, entry in enumerate(record["log"]):
        try:
            event = event_from_entry(entry, scenario.agenda)
            state = protocol.step(state, event)
        except (EventRefused, ValueError, KeyError) as error:
            return f"event {k} ({entry.get('kind')}) does not replay: {error}"
        events.append(event)
    if not protocol.is_over(state):
        return "the logged events do not end the talks"
    failures = [
        {"party": e.party, "negotiator": record["negotiators"].get(e.party, e.party),
         "error": e.note[len(FAILURE):]}
        for e in events if e.note.startswith(FAILURE)
    ]
    again = build_result(scenario, protocol, state, tuple(events), dict(record["negotiators"]),
                         int(record["seed"]), failures, 0.0).to_dict(timing=False)
    for key in ("agreement", "log"):
        if _canonical(again[key]) != _canonical(record[key]):
            return f"the replayed {key} differs from the record"
    for key in ("reason", "round", "turns", "utilities", "failures"):
        if _canonical(again["result"][key]) != _canonical(record["result"].get(key)):
            return f"the replayed result's {key} differs from the record"
    return None


def replay(scenario: Scenario, record: Mapping[str, Any] | str | bytes) -> bool:
    """True when the record's events, re-run through its protocol, reproduce it."""
    return check_replay(scenario, record) is None


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def run_session(
    scenario: Scenario,
    negotiators: Sequence[Negotiator | str] | Mapping[str, Negotiator | str] | None = None,
    protocol: Protocol[Any] | str = "alternating",
    seed: int | None = None,
    **protocol_options: Any,
) -> SessionResult:
    """Run one session (default: the ``frequency`` negotiator for every party)."""
    if negotiators is None:
        negotiators = ["frequency"] * scenario.n_parties
    return Session(scenario, protocol, negotiators, seed,
                   protocol_options=protocol_options).run()
