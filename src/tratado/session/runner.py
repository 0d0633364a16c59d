"""One negotiation: a protocol, one negotiator per party (and a mediator where the
protocol has one), a seed, and the event log.

    result = Session(scenario, "alternating", ["boulware", "conceder"], seed=7).run()
    result.agreement          # {issue: option} or None
    result.to_json()          # the whole record, one JSON document

How a session runs: it asks the protocol whose turn it is, asks that participant for
its move (``participant.act(state)``), steps the protocol, and appends the event to
the log — its own list — and to the public record participants read (a mirror: a
participant that writes into its record changes nothing the session keeps). Each
participant is handed copies (see :mod:`tratado.negotiators.base`), is told the move
budget and the deadline (``Participant.clock``) before it begins, and ``end()`` once
the talks are over. (Alternating offers between in-process negotiators take a fused loop,
:meth:`~tratado.protocols.alternating.AlternatingOffers.play`, that makes the same calls
and produces the same events and states; see :attr:`Session.fast_path`.) When several
participants are asked at once (a vote), all answer on the same
public record before any answer is stepped. If an answer ends the
talks (a walk-away), the answers gathered after it are not stepped and stay out of
the log. A participant that raises, answers
something that is not a valid event for itself, answers an event the protocol refuses,
or (with ``move_budget``) takes longer than its budget, is *failed* — any exception
counts, ``SystemExit`` included; only the user's own Ctrl-C stops the run
(:mod:`tratado.session.guard`) — : the protocol's
``failure_event`` stands for its move (alternating offers: walking away), the event
carries ``note="failure: ..."``, the result lists it by negotiator name, and the
reason becomes ``error``; the last lines of its traceback are kept in
:attr:`Session.tracebacks` (for ``--debug``; never in the record). With the protocol's
``deadline_seconds`` the session sends the clock's ``time-up`` event once the wall clock
passes it; a process-isolated participant's move still running then is stopped, and
the clock's event stands for it.

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

from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from time import perf_counter
from typing import Any, ClassVar

import numpy as np

from tratado.negotiators.base import (
    Mediator,
    MediatorView,
    Negotiator,
    NegotiatorView,
    Participant,
    Record,
    own_copy,
)
from tratado.negotiators.isolated import DeadlineReached
from tratado.negotiators.plugins import create, failure_traceback
from tratado.protocols import Event, EventRefused, Outcome, Protocol, protocol_class
from tratado.protocols.alternating import AlternatingOffers
from tratado.scenario import Scenario
from tratado.session.guard import interrupts, is_real_interrupt, watching_interrupts
from tratado.session.result import (
    FAILURE,
    SessionResult,
    build_result,
    participant_name,
    public_scenario,
)


class Session:
    """Runs ``protocol`` on ``scenario`` with one negotiator per party.

    ``protocol``: a :class:`Protocol` or a protocol name (built with the scenario's
    rules and ``protocol_options``). ``negotiators``: one per party in party order, or
    a mapping ``{party id: negotiator}``; each a :class:`Negotiator` or a name /
    ``module:Class``. ``mediator``: required when the protocol has a mediator id.
    ``move_budget``: seconds one move may take before it counts as a failure.
    A mediated protocol without a given ``mediator`` gets its ``default_mediator()``.
    With ``agreement="item-by-item"`` (a protocol option, or the scenario's rule for
    protocols that support it) :meth:`run` negotiates the issues one at a time
    (:mod:`tratado.session.items`).

    ``fast_path`` (class attribute, on by default): play alternating offers between
    in-process negotiators through the fused loop :meth:`AlternatingOffers.play`
    (same events, same states, same record; ``tests/test_fast_path.py`` checks it).

    ``tracebacks`` (after a run): for each participant that failed, the last lines of
    its traceback (for ``--debug``; never part of the record). Item-by-item talks keep
    them in each item's own session.
    """

    fast_path: ClassVar[bool] = True
    _watch: bool = False
    tracebacks: dict[str, str]

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
            create(n) if isinstance(n, str) else n for n in negotiators
        ]
        if len({id(n) for n in self.negotiators}) != len(self.negotiators):
            raise ValueError("each party needs its own negotiator object")
        if protocol.mediator and mediator is None:
            mediator = protocol.default_mediator()
            if mediator is None:
                raise ValueError(f"the '{protocol.name}' protocol needs a mediator")
        self.mediator = mediator
        self.move_budget = move_budget
        self.seed = int(np.random.SeedSequence().entropy if seed is None else seed)  # type: ignore[arg-type]

    def _begin(self, record: Record) -> dict[str, Participant]:
        self._broken: dict[str, BaseException] = {}
        self._interrupts: int | None = interrupts() if self._watch else None
        self.tracebacks = {}
        seconds = self.protocol.deadline_seconds
        deadline = None if seconds is None else perf_counter() + seconds
        public = public_scenario(self.scenario)
        actors: dict[str, Participant] = {}
        for k, (party, negotiator) in enumerate(
            zip(self.scenario.parties, self.negotiators, strict=True)
        ):
            negotiator.seed(self.seed, k)
            view = NegotiatorView(party.id, own_copy(party.preferences), public,
                                  self.protocol.public_copy(), record)
            actors[party.id] = negotiator
            negotiator.clock(self.move_budget, deadline)
            try:
                negotiator.begin(view)
            except BaseException as error:  # noqa: BLE001 - fails on its first turn instead
                self._escape(error)
                self._broken[party.id] = error
        if self.protocol.mediator and self.mediator is not None:
            secrets = (
                {p.id: own_copy(p.preferences) for p in self.scenario.parties}
                if self.protocol.mediator_sees_preferences else {}
            )
            self.mediator.seed(self.seed, len(self.negotiators))
            actors[self.protocol.mediator] = self.mediator
            self.mediator.clock(self.move_budget, deadline)
            try:
                self.mediator.begin(MediatorView(self.protocol.mediator, public,
                                                 self.protocol.public_copy(), record, secrets))
            except BaseException as error:  # noqa: BLE001
                self._escape(error)
                self._broken[self.protocol.mediator] = error
        return actors

    def run(self) -> SessionResult:
        """Run the talks to their end and return the result (repeatable: same seed,
        same result)."""
        if self.protocol.agreement == "item-by-item":
            from tratado.session.items import run_item_by_item

            return run_item_by_item(self)
        return self.run_package()

    def run_package(self) -> SessionResult:
        """Run the protocol on the whole agenda at once (``run`` for package talks)."""
        participants: list[Participant] = [*self.negotiators]
        if self.mediator is not None:
            participants.append(self.mediator)
        # plug-ins may raise KeyboardInterrupt themselves: tell it from the user's Ctrl-C
        self._watch = any(not type(p).__module__.startswith("tratado.") for p in participants)
        shown: list[Event] = []  # the mirror of the log: the public record participants read
        with watching_interrupts() if self._watch else nullcontext():
            actors = self._begin(Record(shown))
            try:
                return self._run_package(actors, shown)
            finally:
                for actor in actors.values():
                    actor.end()

    def _run_package(self, actors: dict[str, Participant], shown: list[Event]) -> SessionResult:
        protocol = self.protocol
        events: list[Event] = []  # the log: the session's own, out of participants' reach
        failures: list[dict[str, str]] = []
        step = protocol.step
        whose_turn = protocol.whose_turn
        log, show = events.append, shown.append

        def record(event: Event) -> None:
            log(event)
            show(event)

        fast = self._fast_turns(actors)
        movers = {} if fast is not None else {
            party: _failed_start(self._broken[party]) if party in self._broken
            else actor.mover() for party, actor in actors.items()}
        state = protocol.initial_state()
        seconds = protocol.deadline_seconds
        simple = seconds is None and self.move_budget is None
        started = perf_counter()
        while turn := whose_turn(state):
            if fast is not None:
                # plain moves fused (AlternatingOffers.play); any other answer is judged below
                state, answer, error = protocol.play(state, fast, events, shown)  # type: ignore[attr-defined]
                if protocol.is_over(state):
                    break
                party = whose_turn(state)[0]
                if error is not None:
                    state, event = self._fail(party, state, error, failures)
                else:
                    state, event = self._judge(party, state, answer, failures)
                record(event)
                continue
            if simple and len(turn) == 1:
                party = turn[0]
                try:
                    answer = movers[party](state)
                except BaseException as error:  # noqa: BLE001 - any failure is the negotiator's
                    state, event = self._fail(party, state, error, failures)
                else:
                    state, event = self._judge(party, state, answer, failures)
                record(event)
                continue
            if seconds is not None and perf_counter() - started > seconds:
                event = protocol.time_up_event()
                state = step(state, event)
                record(event)
                continue
            answers = [(party, self._timed_act(movers[party], state)) for party in turn]
            for party, answer in answers:
                state, event = self._apply(party, state, answer, failures)
                record(event)
                if protocol.is_over(state):
                    break
        return self._result(state, tuple(events), failures, perf_counter() - started)

    def _fast_turns(
        self, actors: dict[str, Participant]
    ) -> list[Callable[[Outcome | None, float], Event]] | None:
        """The parties' ``take_turn`` hooks, in party order, when the fused loop
        :meth:`AlternatingOffers.play` may stand for stepping the protocol move by move:
        plain alternating offers (not a subclass), no clock (``deadline_seconds``), no move
        budget, and every party an in-process :class:`Negotiator` that started and whose
        move is the protocol's ``ask`` (``act`` and ``mover`` not overridden). Else None."""
        protocol = self.protocol
        if not (self.fast_path and type(protocol) is AlternatingOffers and not self._broken
                and self.move_budget is None and protocol.deadline_seconds is None):
            return None
        hooks: list[Callable[[Outcome | None, float], Event]] = []
        for party in protocol.parties:
            actor = actors[party]
            cls = type(actor)
            if (not isinstance(actor, Negotiator) or cls.act is not Negotiator.act
                    or cls.mover is not Negotiator.mover):
                return None
            hooks.append(actor.take_turn)
        return hooks

    def _judge(
        self, party: str, state: Any, answer: Any, failures: list[dict[str, str]]
    ) -> tuple[Any, Event]:
        """Step ``party``'s ``answer``; anything else than an event of its own the protocol
        accepts is its failure."""
        try:
            if answer.party != party:
                raise EventRefused(f"it answered as '{answer.party}'")
            return self.protocol.step(state, answer), answer
        except BaseException as error:  # noqa: BLE001 - any failure is the negotiator's
            return self._fail(party, state, error, failures)

    def _timed_act(self, move: Callable[[Any], Event], state: Any) -> object:
        """The participant's answer, or the exception that stands for its failure."""
        start = perf_counter()
        try:
            answer = move(state)
        except BaseException as error:  # noqa: BLE001 - any failure is the participant's
            return error
        spent = perf_counter() - start
        if self.move_budget is not None and spent > self.move_budget:
            return TimeoutError(f"its move took {spent:.3g} s, over {self.move_budget} s")
        return answer

    def _apply(
        self, party: str, state: Any, answer: object, failures: list[dict[str, str]]
    ) -> tuple[Any, Event]:
        if isinstance(answer, DeadlineReached):  # an isolated move outlived the talks' clock
            event = self.protocol.time_up_event()
            return self.protocol.step(state, event), event
        if isinstance(answer, Event) and answer.party == party:
            try:
                return self.protocol.step(state, answer), answer
            except Exception as error:  # noqa: BLE001
                problem: BaseException = error
        elif isinstance(answer, BaseException):
            problem = answer
        else:
            problem = EventRefused("it did not answer with an event of its own")
        return self._fail(party, state, problem, failures)

    def _escape(self, error: BaseException) -> None:
        """Re-raise the user's Ctrl-C (see :mod:`tratado.session.guard`); any other
        exception is the participant's failure."""
        if is_real_interrupt(error, self._interrupts):
            raise error

    def _fail(
        self, party: str, state: Any, error: BaseException, failures: list[dict[str, str]]
    ) -> tuple[Any, Event]:
        self._escape(error)
        if isinstance(error, EventRefused):
            message = f"refused: {error.reason}"
        else:
            name = getattr(error, "kind", type(error).__name__)
            message = f"{name}: {error}" if str(error) else str(name)
        self.tracebacks[party] = failure_traceback(error)
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


def _failed_start(error: BaseException) -> Callable[[Any], Event]:
    """The mover of a negotiator whose ``begin`` raised: it fails on its first turn."""

    def move(state: Any) -> Event:
        raise error

    return move


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
