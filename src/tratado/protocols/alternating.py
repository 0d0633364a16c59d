"""Alternating offers: bilateral (Rubinstein 1982) and multilateral stacked alternating
offers (Aydoğan et al. 2017).

The parties take turns in scenario order. On its turn a party either accepts the
offer on the table or proposes a new package (which replaces it); any party may walk
away at any time. There is an agreement when every party other than the proposer has
accepted that exact package, one after the other, with no new proposal in between —
for two parties this is Rubinstein's protocol. A plain ``reject`` is not a move here:
a party rejects by making a counter-offer.

Deadline: ``deadline`` rounds (one round = every party has had one turn); the state
after the last turn of the last round is over, with reason ``deadline``. With
``deadline_seconds`` the session sends a ``time-up`` event when the wall clock passes
it. With ``discounting`` the session reports each party's utility of an agreement
reached in round ``r`` as ``u * discount ** r`` (the party's own ``discount``), and of
no agreement by then as ``reservation_value * discount ** r`` (GENIUS semantics).

A negotiator that fails (raises, answers an invalid or refused event, or runs past
its time budget) counts as walking away: the talks end without agreement, and the
session reports the reason ``error`` with the negotiator's name.

Agenda: ``agreement="package"`` (default from the scenario's rules) or
``"item-by-item"``, which the session runs as one alternating-offers sub-negotiation
per issue (see :mod:`tratado.session.items`).

Negotiators take part through one hook, ``take_turn(offer, t) -> Event`` (``offer``:
the package on the table or ``None``; ``t``: relative time in [0, 1)).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from tratado.protocols.base import EndsByReason, checked_deadline
from tratado.protocols.events import (
    Accept,
    Event,
    EventRefused,
    Outcome,
    Propose,
    TimeUp,
    WalkAway,
)

if TYPE_CHECKING:
    from tratado.negotiators.base import Negotiator
    from tratado.scenario import Scenario


class AlternatingState(NamedTuple):
    """``turn``: moves made; ``offer``: the package on the table; ``proposer``: index of
    the party that made it; ``accepts``: acceptances of it since; ``reason``: why the
    talks ended (None while they go on); ``ended_by``: who ended them."""

    turn: int = 0
    offer: Outcome | None = None
    proposer: int = -1
    accepts: int = 0
    reason: str | None = None
    ended_by: str | None = None


PAUSED = object()
"""What :meth:`AlternatingOffers.play` answers when it pauses (see its ``pause``)."""

_new = tuple.__new__  # builds a state without the namedtuple's Python-level __new__
_ON_TURN_WITH_OFFER: tuple[type[Event], ...] = (Accept, Propose, WalkAway)
_ON_TURN_FIRST: tuple[type[Event], ...] = (Propose, WalkAway)


class AlternatingOffers(EndsByReason[AlternatingState]):
    """Alternating offers for two or more parties (see the module docstring)."""

    name = "alternating"
    agendas = ("package", "item-by-item")

    def __init__(
        self,
        parties: Sequence[str],
        shape: Sequence[int],
        deadline: int = 100,
        deadline_seconds: float | None = None,
        discounting: bool = False,
        agreement: str = "package",
    ) -> None:
        super().__init__(parties, shape)
        self.agreement = self.check_agreement_mode(agreement)
        self.deadline = checked_deadline(deadline)
        self.deadline_seconds = deadline_seconds
        self.discounting = bool(discounting)
        self._n = len(self.parties)
        self._total = self.deadline * self._n
        self._inv_total = 1.0 / self._total
        self._turn_of = tuple((p,) for p in self.parties)

    @classmethod
    def for_scenario(cls, scenario: Scenario, **options: Any) -> AlternatingOffers:
        """``deadline`` (rounds), ``deadline_seconds`` and ``agreement`` default to the
        scenario's rules."""
        options = dict(options)
        agreement = cls.agreement_option(scenario, options)
        deadline = options.pop("deadline", None)
        seconds = options.pop("deadline_seconds", scenario.rules.deadline_seconds)
        return cls(
            scenario.party_ids,
            scenario.agenda.shape,
            deadline=scenario.rules.deadline if deadline is None else deadline,
            deadline_seconds=seconds,
            agreement=agreement,
            **options,
        )

    def params(self) -> dict[str, Any]:
        return {
            "deadline": self.deadline,
            "deadline_seconds": self.deadline_seconds,
            "discounting": self.discounting,
            "agreement": self.agreement,
        }

    @property
    def turns(self) -> int:
        """The number of turns before the deadline (rounds x parties)."""
        return self._total

    # -- the state machine ----------------------------------------------------------
    def initial_state(self) -> AlternatingState:
        return AlternatingState()

    def step(self, state: AlternatingState, event: Event) -> AlternatingState:
        if state.reason is not None:
            raise EventRefused(f"the talks are over ({state.reason})")
        cls = type(event)
        turn = state.turn
        actor = turn % self._n
        if (cls is Propose or cls is Accept) and event.party == self.parties[actor]:
            nxt = turn + 1
            if cls is Propose:
                outcome = event.outcome  # type: ignore[attr-defined]
                try:
                    valid = outcome in self._valid
                except TypeError:
                    valid = False
                if not valid:
                    outcome = self.check_outcome(outcome)
                if nxt >= self._total:
                    return _new(AlternatingState, (nxt, outcome, actor, 0, "deadline", None))
                return _new(AlternatingState, (nxt, outcome, actor, 0, None, None))
            if state.offer is None:
                raise EventRefused("there is no offer on the table to accept")
            accepts = state.accepts + 1
            if accepts >= self._n - 1:
                return _new(AlternatingState, (nxt, state.offer, state.proposer, accepts,
                                               "agreement", event.party))
            if nxt >= self._total:
                return _new(AlternatingState, (nxt, state.offer, state.proposer, accepts,
                                               "deadline", None))
            return _new(AlternatingState, (nxt, state.offer, state.proposer, accepts, None, None))
        if cls is WalkAway:
            self.party_index(event.party)
            return state._replace(reason="walk-away", ended_by=event.party)
        if cls is TimeUp:
            if self.deadline_seconds is None:
                raise EventRefused("these talks have no deadline in seconds")
            return state._replace(reason="deadline", ended_by=None)
        if cls is Propose or cls is Accept:
            self.party_index(event.party)
            raise EventRefused(f"it is {self.parties[actor]}'s turn, not {event.party}'s")
        raise EventRefused(
            f"'{event.kind}' is not a move in alternating offers: accept the offer on the"
            " table, propose another package, or walk away"
        )

    def whose_turn(self, state: AlternatingState) -> tuple[str, ...]:
        if state.reason is not None:
            return ()
        return self._turn_of[state.turn % self._n]

    def expected(self, state: AlternatingState) -> dict[str, tuple[type[Event], ...]]:
        if state.reason is not None:
            return {}
        kinds = _ON_TURN_FIRST if state.offer is None else _ON_TURN_WITH_OFFER
        return {self.parties[state.turn % self._n]: kinds}

    def agreed_package(self, state: AlternatingState) -> Outcome | None:
        return state.offer

    def round(self, state: AlternatingState) -> int:
        """The round of the last move once over, else of the next move."""
        turn = state.turn - 1 if state.reason is not None and state.turn else state.turn
        return min(turn // self._n, self.deadline - 1)

    def time(self, state: AlternatingState) -> float:
        return min(state.turn * self._inv_total, 1.0)

    def subject(self, state: AlternatingState) -> Outcome | None:
        return state.offer

    def ask(self, negotiator: Negotiator, state: AlternatingState) -> Event:
        return negotiator.take_turn(state.offer, state.turn * self._inv_total)

    # -- the session's fast path ----------------------------------------------------------
    def play(
        self,
        state: AlternatingState,
        take_turns: Sequence[Callable[[Outcome | None, float], Event]],
        log: list[Event],
        pause: int | None = None,
    ) -> tuple[AlternatingState, object, BaseException | None]:
        """Play the plain moves from ``state``: what ``step`` would do for each, fused.

        ``take_turns[k]`` is party ``k``'s ``take_turn`` hook, called exactly as
        :meth:`ask` calls it; each move played is appended to ``log`` (the session's
        record, which the negotiators read through a read-only view) before the next is
        asked for. A move is played here only when it is a
        ``Propose`` of a valid package or an ``Accept`` of the offer on the table, by the
        party whose turn it is, and gives the very state :meth:`step` would (checking a
        new package with :meth:`check_outcome`, as :meth:`step` does). Stops when the
        talks are over or at the first other answer, returned unplayed for the caller to
        judge through :meth:`step` (with its failure handling): ``(state, answer, None)``,
        or ``(state, None, error)`` when the hook raised ``error`` (any exception,
        ``SystemExit`` included). With ``pause``, also stops (``(state, PAUSED, None)``,
        talks not over) once ``pause`` moves are played, so that the caller can tidy its log.
        """
        if state.reason is not None:
            return state, None, None
        n, total, inv_total = self._n, self._total, self._inv_total
        parties, valid, append = self.parties, self._valid, log.append
        turn, offer, proposer, accepts = state.turn, state.offer, state.proposer, state.accepts
        actor = turn % n
        stop = total if pause is None else min(total, turn + pause)
        answer: object = None
        failure: BaseException | None = None
        while True:
            try:
                event = take_turns[actor](offer, turn * inv_total)
            except BaseException as error:  # noqa: BLE001 - the caller records the failure
                failure = error
                break
            cls = type(event)
            if cls is Propose and event.party == parties[actor]:
                outcome = event.outcome  # type: ignore[attr-defined]
                try:
                    known = outcome in valid
                except TypeError:
                    known = False
                if not known:
                    try:
                        self.check_outcome(outcome)  # as step does: remembers it, or refuses it
                    except Exception:  # noqa: BLE001 - step refuses it again, for the caller
                        answer = event
                        break
                turn += 1
                offer, proposer, accepts = outcome, actor, 0
                append(event)
                if turn >= stop:
                    if turn < total:
                        answer = PAUSED
                        break
                    return _new(AlternatingState, (turn, offer, proposer, 0, "deadline", None)), None, None
            elif cls is Accept and offer is not None and event.party == parties[actor]:
                turn += 1
                accepts += 1
                append(event)
                if accepts >= n - 1:
                    return (_new(AlternatingState, (turn, offer, proposer, accepts, "agreement",
                                                    event.party)), None, None)
                if turn >= stop:
                    if turn < total:
                        answer = PAUSED
                        break
                    return (_new(AlternatingState, (turn, offer, proposer, accepts, "deadline",
                                                    None)), None, None)
            else:
                answer = event
                break
            actor = actor + 1 if actor + 1 < n else 0
        return _new(AlternatingState, (turn, offer, proposer, accepts, None, None)), answer, failure

    # -- the log's fast fold --------------------------------------------------------------
    def fold_log(
        self, state: AlternatingState, events: Sequence[Event]
    ) -> tuple[list[tuple[int, float, Event, Outcome | None]], AlternatingState]:
        """For each of ``events`` in turn, ``(round, time, event, package it concerns)``
        before it, and the state after them all: what folding :meth:`step` gives (and
        :meth:`round`, :meth:`time`, :meth:`subject` before each event), fused for the
        plain moves; any other event goes through :meth:`step` (which may refuse it).
        The session's log (:mod:`tratado.session.log_view`) reads long logs with it;
        ``tests/test_driver.py`` checks it against the generic fold."""
        steps: list[tuple[int, float, Event, Outcome | None]] = []
        add = steps.append
        n, total, inv_total, last = self._n, self._total, self._inv_total, self.deadline - 1
        parties, valid = self.parties, self._valid
        turn, offer, proposer, accepts, reason, ended_by = state
        for event in events:
            cls = type(event)
            if (reason is None and event.party == parties[turn % n]
                    and (cls is Propose or (cls is Accept and offer is not None))):
                now = turn // n
                if cls is Propose:
                    outcome = event.outcome  # type: ignore[attr-defined]
                    try:
                        known = outcome in valid
                    except TypeError:
                        known = False
                    if not known:
                        self.check_outcome(outcome)  # as step does: remembers it, or refuses it
                    add((now if now < last else last, turn * inv_total, event, outcome))
                    offer, proposer, accepts = outcome, turn % n, 0
                    turn += 1
                else:
                    add((now if now < last else last, turn * inv_total, event, offer))
                    turn += 1
                    accepts += 1
                    if accepts >= n - 1:
                        reason, ended_by = "agreement", event.party
                        continue
                if turn >= total:
                    reason, ended_by = "deadline", None
                continue
            current = _new(AlternatingState, (turn, offer, proposer, accepts, reason, ended_by))
            concerned = getattr(event, "outcome", None)
            if concerned is None and event.kind in ("accept", "reject", "vote"):
                concerned = offer
            add((self.round(current), self.time(current), event, concerned))
            turn, offer, proposer, accepts, reason, ended_by = self.step(current, event)
        return steps, _new(AlternatingState, (turn, offer, proposer, accepts, reason, ended_by))
