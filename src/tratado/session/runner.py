"""One negotiation: a protocol, one negotiator per party (and a mediator where the
protocol has one), a seed, and the event log.

    result = Session(scenario, "alternating", ["boulware", "conceder"], seed=7).run()
    result.agreement          # {issue: option} or None
    result.to_json()          # the whole record, one JSON document

How a session runs: it asks its :class:`~tratado.session.driver.Driver` whose turn it
is, asks that participant for its move (``participant.act(state)``) and submits it to
the driver, which checks it against the protocol and records it in the compact
:class:`~tratado.session.eventlog.EventLog`. Participants read that log through a
:class:`~tratado.negotiators.base.Record`, which offers no way to change it; each is handed
copies of the rules, the public scenario and its own preferences (see
:mod:`tratado.negotiators.base`), is told the move budget and the deadline
(``Participant.clock``) before it begins, and ``end()`` once the talks are over.
(Alternating offers between in-process negotiators take a fused loop,
:meth:`~tratado.protocols.alternating.AlternatingOffers.play`, that makes the same calls
and produces the same events and states; see :attr:`Session.fast_path`.) When several
participants are asked at once (a vote), all answer on the same public record before any
answer is submitted. If an answer ends the talks (a walk-away), the answers gathered
after it are not submitted and stay out of the log. A participant that raises, answers
something that is not a valid event for itself, answers an event the protocol refuses,
or (with ``move_budget``) takes longer than its budget, is *failed* — any exception
counts, ``SystemExit`` included; only the user's own Ctrl-C stops the run
(:mod:`tratado.session.guard`): the protocol's ``failure_event`` stands for its move
(alternating offers: walking away), the event carries ``note="failure: ..."``, the
result lists it by negotiator name, and the reason becomes ``error``; the last lines of
its traceback are kept in :attr:`Session.tracebacks` (for ``--debug``; never in the
record). With the protocol's ``deadline_seconds`` the session sends the clock's
``time-up`` event once the wall clock passes it (the fused loop looks at the clock every
:data:`CLOCK_EVERY` moves); a process-isolated participant's move still running then is
stopped, and the clock's event stands for it.

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

from tratado.negotiators import check_space
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
from tratado.negotiators.mediators import default_mediator
from tratado.negotiators.plugins import create, failure_traceback
from tratado.negotiators.search import check_searchable
from tratado.protocols import Event, EventRefused, Outcome, Protocol, protocol_class
from tratado.protocols.alternating import PAUSED, AlternatingOffers
from tratado.records import negotiator_entry
from tratado.scenario import Scenario
from tratado.session import items
from tratado.session.driver import Driver
from tratado.session.eventlog import SETTLE_EVERY, EventLog
from tratado.session.guard import interrupts, is_real_interrupt, watching_interrupts
from tratado.session.result import (
    FAILURE,
    SessionResult,
    build_result,
    participant_name,
    public_scenario,
)

CLOCK_EVERY = 256
"""Moves the fused loop plays between two looks at the clock (``deadline_seconds``): the
talks may run that many moves past the deadline in seconds (well under a millisecond)."""


class Session:
    """Runs ``protocol`` on ``scenario`` with one negotiator per party.

    ``protocol``: a :class:`Protocol` or a protocol name (built with the scenario's
    rules and ``protocol_options``). ``negotiators``: one per party in party order, or
    a mapping ``{party id: negotiator}``; each a :class:`Negotiator` or a name /
    ``module:Class``. ``mediator``: required when the protocol has a mediator id.
    ``move_budget``: seconds one move may take before it counts as a failure.
    A mediated protocol without a given ``mediator`` gets its default one
    (:func:`tratado.negotiators.mediators.default_mediator`).
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
        if protocol.agreement == "package" and any(n.lists_outcomes for n in self.negotiators):
            # such negotiators list the space: refuse now, not at their first move
            check_space(scenario.agenda)
        # the others search a space too large to list (and so does item by item, for each
        # party's best completions): refuse now what cannot be searched
        for k, (party, negotiator) in enumerate(zip(scenario.parties, self.negotiators,
                                                    strict=True)):
            searches = not negotiator.lists_outcomes and not getattr(negotiator, "isolated", False)
            if protocol.agreement != "package" or searches:
                check_searchable(scenario.agenda, party.preferences, f"party '{party.id}'",
                                 field=f"parties[{k}].preferences")
        if protocol.mediator and mediator is None:
            mediator = default_mediator(protocol)
            if mediator is None:
                raise ValueError(f"the '{protocol.name}' protocol needs a mediator")
        self.mediator = mediator
        self.move_budget = move_budget
        self.seed = int(np.random.SeedSequence().entropy if seed is None else seed)  # type: ignore[arg-type]
        self.tracebacks = {}

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
            return self.run_items()
        return self.run_package()

    def run_items(self) -> SessionResult:
        """Run the talks item by item (:mod:`tratado.session.items`): one sub-session per
        issue, in agenda order, each on its sub-scenario with its share of the rounds and
        its own seed, until all are agreed or one fails."""
        scenario, protocol = self.scenario, self.protocol
        total = int(protocol.params().get("deadline", scenario.rules.deadline))
        n = len(scenario.agenda)
        agreed: list[int] = []
        parts: list[SessionResult] = []
        used = 0
        started = perf_counter()
        for k in range(n):
            rounds = items.item_deadline(total, used, k, n)
            sub = items.item_scenario(scenario, agreed, rounds)
            item = Session(sub, items.item_protocol(protocol, sub, rounds), self.negotiators,
                           items.item_seed(self.seed, k), mediator=self.mediator,
                           move_budget=self.move_budget)
            part = item.run_package()
            self.tracebacks.update(item.tracebacks)
            parts.append(part)
            used += part.round + 1
            if part.outcome is None:
                break
            agreed.append(part.outcome[0])
        return items.combine_items(scenario, protocol, self.seed, parts,
                                   perf_counter() - started, self.move_budget)

    def run_package(self) -> SessionResult:
        """Run the protocol on the whole agenda at once (``run`` for package talks): ask
        the participants whose turn it is for their moves and submit them to a
        :class:`~tratado.session.driver.Driver`."""
        participants: list[Participant] = [*self.negotiators]
        if self.mediator is not None:
            participants.append(self.mediator)
        # plug-ins may raise KeyboardInterrupt themselves: tell it from the user's Ctrl-C
        self._watch = any(not type(p).__module__.startswith("tratado.") for p in participants)
        driver = Driver(self.protocol)
        with watching_interrupts() if self._watch else nullcontext():
            # the log, and (read-only) the public record negotiators read: compact, settled
            # every few thousand events (memory stays small however long the talks)
            actors = self._begin(Record(driver.events))
            try:
                return self._run_package(driver, actors)
            finally:
                for actor in actors.values():
                    actor.end()

    def _run_package(self, driver: Driver[Any], actors: dict[str, Participant]) -> SessionResult:
        protocol = self.protocol
        pending = driver.events.pending
        failures: list[dict[str, str]] = []
        fast = self._fast_turns(actors)
        movers = {} if fast is not None else {
            party: _failed_start(self._broken[party]) if party in self._broken
            else actor.mover() for party, actor in actors.items()}
        seconds = protocol.deadline_seconds
        simple = seconds is None and self.move_budget is None
        # with a clock, the fused loop pauses every CLOCK_EVERY moves to look at it
        pause = SETTLE_EVERY if seconds is None else CLOCK_EVERY
        started = perf_counter()
        while turn := driver.whose_turn():
            if fast is not None:
                if seconds is not None and perf_counter() - started > seconds:
                    driver.submit(protocol.time_up_event())
                    continue
                # plain moves fused (AlternatingOffers.play); any other answer is judged below
                state, answer, error = protocol.play(  # type: ignore[attr-defined]
                    driver.state, fast, pending, pause)
                driver.adopt(state)
                if answer is PAUSED or protocol.is_over(state):
                    continue
                party = protocol.whose_turn(state)[0]
                if error is not None:
                    self._fail(driver, party, error, failures)
                else:
                    self._judge(driver, party, answer, failures)
                continue
            if simple and len(turn) == 1:
                party = turn[0]
                try:
                    answer = movers[party](driver.state)
                except BaseException as error:  # noqa: BLE001 - any failure is the negotiator's
                    self._fail(driver, party, error, failures)
                else:
                    self._judge(driver, party, answer, failures)
                continue
            if seconds is not None and perf_counter() - started > seconds:
                driver.submit(protocol.time_up_event())
                continue
            state = driver.state
            answers = [(party, self._timed_act(movers[party], state)) for party in turn]
            for party, answer in answers:
                self._apply(driver, party, answer, failures)
                if driver.is_over:
                    break
        return self._result(driver.state, driver.finish(), failures, perf_counter() - started)

    def _fast_turns(
        self, actors: dict[str, Participant]
    ) -> list[Callable[[Outcome | None, float], Event]] | None:
        """The parties' ``take_turn`` hooks, in party order, when the fused loop
        :meth:`AlternatingOffers.play` may stand for stepping the protocol move by move:
        plain alternating offers (not a subclass), no move budget, and every party an
        in-process :class:`Negotiator` that started and whose move is the protocol's
        ``ask`` (``act`` and ``mover`` not overridden). Else None. With a clock
        (``deadline_seconds``) the loop looks at it every :data:`CLOCK_EVERY` moves
        instead of before every move."""
        protocol = self.protocol
        if not (self.fast_path and type(protocol) is AlternatingOffers and not self._broken
                and self.move_budget is None):
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
        self, driver: Driver[Any], party: str, answer: Any, failures: list[dict[str, str]]
    ) -> None:
        """Submit ``party``'s ``answer``; anything else than an event of its own the
        protocol accepts is its failure."""
        try:
            if not isinstance(answer, Event):
                raise EventRefused("it answered something that is not an event")
            if answer.party != party:
                raise EventRefused(f"it answered as '{answer.party}'")
            driver.submit(answer)
        except BaseException as error:  # noqa: BLE001 - any failure is the negotiator's
            self._fail(driver, party, error, failures)

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
        self, driver: Driver[Any], party: str, answer: object, failures: list[dict[str, str]]
    ) -> None:
        if isinstance(answer, DeadlineReached):  # an isolated move outlived the talks' clock
            driver.submit(self.protocol.time_up_event())
            return
        if isinstance(answer, Event) and answer.party == party:
            try:
                driver.submit(answer)
                return
            except Exception as error:  # noqa: BLE001
                problem: BaseException = error
        elif isinstance(answer, BaseException):
            problem = answer
        else:
            problem = EventRefused("it did not answer with an event of its own")
        self._fail(driver, party, problem, failures)

    def _escape(self, error: BaseException) -> None:
        """Re-raise the user's Ctrl-C (see :mod:`tratado.session.guard`); any other
        exception is the participant's failure."""
        if is_real_interrupt(error, self._interrupts):
            raise error

    def _fail(
        self, driver: Driver[Any], party: str, error: BaseException,
        failures: list[dict[str, str]],
    ) -> None:
        """Submit the protocol's ``failure_event`` for ``party``'s move."""
        self._escape(error)
        if isinstance(error, EventRefused):
            message = f"refused: {error.reason}"
        else:
            name = getattr(error, "kind", type(error).__name__)
            message = f"{name}: {error}" if str(error) else str(name)
        self.tracebacks[party] = failure_traceback(error)
        failures.append({"party": party, "negotiator": self._name_of(party), "error": message})
        driver.submit(self.protocol.failure_event(party, driver.state, FAILURE + message))

    def _name_of(self, party: str) -> str:
        if party in self._ids:
            return participant_name(self.negotiators[self._ids.index(party)])
        return participant_name(self.mediator) if self.mediator is not None else party

    def _result(
        self, state: Any, events: EventLog, failures: list[dict[str, str]],
        elapsed: float,
    ) -> SessionResult:
        names = {p: negotiator_entry(n) for p, n in zip(self._ids, self.negotiators, strict=True)}
        if self.mediator is not None and self.protocol.mediator:
            names[self.protocol.mediator] = negotiator_entry(self.mediator)
        result = build_result(self.scenario, self.protocol, state, events, names, self.seed,
                              failures, elapsed)
        result.move_budget = self.move_budget
        return result


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
