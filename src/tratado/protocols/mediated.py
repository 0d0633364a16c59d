"""Confidential-preference mediation, with post-settlement (Raiffa 1982, 1985;
Thiessen & McMahon 2000 on Smartsettle-style negotiation support).

Each party gives its preferences to a trusted neutral — the only protocol in tratado
whose mediator sees them (``mediator_sees_preferences``). The protocol itself, like
every protocol, sees no preferences: it checks the moves.

1. *Proposals.* Each round the neutral puts one package forward
   (``mediator-proposal``); every party answers at once, ``accept`` or ``reject``
   (simultaneously: all answer on the same public record). If all accept, that package
   is the *settlement*; otherwise the next round begins. After ``deadline`` rejected
   proposals the talks end without agreement (reason ``deadline``). The default neutral
   (:class:`~tratado.negotiators.mediators.Neutral`) proposes only packages of the
   rational Pareto frontier: the one maximising the ``rule`` — ``"egalitarian"``
   (max-min gain over reservation values) or ``"nash"`` (product of gains) — among
   those that meet what it has learned of each party's demands.
2. *Post-settlement* (Raiffa 1985), when ``post_settlement`` is on: the neutral
   proposes a package every party likes at least as much as the settlement (or the
   settlement itself: none exists). Every party answers at once; the improvement
   replaces the settlement only if every party accepts. The settlement is binding: a
   rejection, a walk-away, a failure or the clock during this step keeps it.

Default party answers: accept a proposal iff its utility reaches the party's
acceptance threshold (``Negotiator.threshold(t)``: the reservation value, or the
current aspiration of time-based negotiators); accept an improvement iff it is worth
at least the settlement. A participant that fails before the settlement counts as
walking away (reason ``error``); during post-settlement as rejecting the improvement.

The result's ``details``: ``settlement`` (the package first agreed) and ``improved``
(whether post-settlement replaced it). With ``agreement="item-by-item"`` the session
runs one mediated sub-negotiation per issue (see :mod:`tratado.session.items`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from tratado.protocols.base import EndsByReason, checked_deadline
from tratado.protocols.events import (
    Accept,
    Event,
    EventRefused,
    MediatorProposal,
    Outcome,
    Reject,
    TimeUp,
    WalkAway,
)

if TYPE_CHECKING:
    from tratado.negotiators.base import Negotiator
    from tratado.scenario import Scenario

RULES = ("egalitarian", "nash")
NEUTRAL = "neutral"


class MediatedState(NamedTuple):
    """``phase``: ``propose`` | ``respond`` | ``improve`` | ``respond-improvement`` |
    ``over``; ``proposal`` on the table; ``answers`` (per party, ``None`` until it
    answers); ``rounds`` proposals rejected; ``settlement``; ``final`` (the agreement
    once over); ``turn`` events accepted; ``reason``; ``ended_by``."""

    phase: str = "propose"
    proposal: Outcome | None = None
    answers: tuple[bool | None, ...] = ()
    rounds: int = 0
    settlement: Outcome | None = None
    final: Outcome | None = None
    turn: int = 0
    reason: str | None = None
    ended_by: str | None = None


class Mediated(EndsByReason[MediatedState]):
    """A trusted neutral proposes packages; post-settlement improves the deal."""

    name = "mediated"
    mediator_sees_preferences = True
    agendas = ("package", "item-by-item")

    def __init__(
        self,
        parties: Sequence[str],
        shape: Sequence[int],
        deadline: int = 100,
        rule: str = "egalitarian",
        post_settlement: bool = True,
        deadline_seconds: float | None = None,
        agreement: str = "package",
    ) -> None:
        super().__init__(parties, shape)
        deadline = checked_deadline(deadline, "proposals")
        if rule not in RULES:
            raise ValueError(f"rule is one of {RULES}")
        self.deadline = int(deadline)
        self.rule = rule
        self.post_settlement = bool(post_settlement)
        self.deadline_seconds = deadline_seconds
        self.agreement = self.check_agreement_mode(agreement)
        self.mediator = NEUTRAL
        self._none: tuple[bool | None, ...] = (None,) * len(self.parties)

    @classmethod
    def for_scenario(cls, scenario: Scenario, **options: Any) -> Mediated:
        """``deadline`` (proposals), ``deadline_seconds`` and ``agreement`` default to the
        scenario's rules."""
        options = dict(options)
        options["agreement"] = cls.agreement_option(scenario, options)
        options.setdefault("deadline", scenario.rules.deadline)
        options.setdefault("deadline_seconds", scenario.rules.deadline_seconds)
        return cls(scenario.party_ids, scenario.agenda.shape, **options)

    def params(self) -> dict[str, Any]:
        return {"deadline": self.deadline, "rule": self.rule,
                "post_settlement": self.post_settlement,
                "deadline_seconds": self.deadline_seconds, "agreement": self.agreement}

    # -- the state machine ----------------------------------------------------------
    def initial_state(self) -> MediatedState:
        return MediatedState()

    def _settled(self, state: MediatedState) -> bool:
        return state.phase in ("improve", "respond-improvement")

    def step(self, state: MediatedState, event: Event) -> MediatedState:
        if state.reason is not None:
            raise EventRefused(f"the talks are over ({state.reason})")
        turn = state.turn + 1
        if isinstance(event, WalkAway | TimeUp):
            if isinstance(event, WalkAway) and event.party != self.mediator:
                self.party_index(event.party)
            if isinstance(event, TimeUp) and self.deadline_seconds is None:
                raise EventRefused("these talks have no deadline in seconds")
            if self._settled(state):  # the settlement is binding
                return self._end(state, state.settlement, turn, event.party or None)
            reason = "walk-away" if isinstance(event, WalkAway) else "deadline"
            return state._replace(phase="over", turn=turn, reason=reason,
                                  ended_by=event.party or None)
        phase = state.phase
        if phase in ("propose", "improve"):
            if not isinstance(event, MediatorProposal) or event.party != self.mediator:
                raise EventRefused("the neutral proposes now")
            outcome = self.check_outcome(event.outcome)
            if phase == "improve" and outcome == state.settlement:
                return self._end(state, outcome, turn, event.party)
            nxt = "respond" if phase == "propose" else "respond-improvement"
            return state._replace(phase=nxt, proposal=outcome, answers=self._none, turn=turn)
        if not isinstance(event, Accept | Reject):
            raise EventRefused("the parties answer with accept or reject")
        index = self.party_index(event.party)
        if state.answers[index] is not None:
            raise EventRefused(f"{event.party} has already answered")
        answers = state.answers[:index] + (isinstance(event, Accept),) + state.answers[index + 1:]
        if None in answers:
            return state._replace(answers=answers, turn=turn)
        state = state._replace(answers=answers)
        if phase == "respond-improvement":
            chosen = state.proposal if all(answers) else state.settlement
            return self._end(state, chosen, turn, event.party)
        if all(answers):
            if self.post_settlement:
                return state._replace(phase="improve", settlement=state.proposal, turn=turn)
            state = state._replace(settlement=state.proposal)
            return self._end(state, state.proposal, turn, event.party)
        rounds = state.rounds + 1
        if rounds >= self.deadline:
            return state._replace(phase="over", rounds=rounds, turn=turn, reason="deadline")
        return state._replace(phase="propose", rounds=rounds, turn=turn)

    def _end(self, state: MediatedState, final: Outcome | None, turn: int,
             by: str | None) -> MediatedState:
        return state._replace(phase="over", final=final, turn=turn, reason="agreement",
                              ended_by=by)

    def whose_turn(self, state: MediatedState) -> tuple[str, ...]:
        if state.reason is not None:
            return ()
        if state.phase in ("propose", "improve"):
            return (NEUTRAL,)
        return self.awaiting(state.answers)

    def expected(self, state: MediatedState) -> dict[str, tuple[type[Event], ...]]:
        kinds: tuple[type[Event], ...] = (
            (MediatorProposal, WalkAway) if state.phase in ("propose", "improve")
            else (Accept, Reject, WalkAway)
        )
        return {p: kinds for p in self.whose_turn(state)}

    def agreed_package(self, state: MediatedState) -> Outcome | None:
        return state.final

    def round(self, state: MediatedState) -> int:
        """The proposal under way (the settling one once settled)."""
        return min(state.rounds, self.deadline - 1)

    def time(self, state: MediatedState) -> float:
        return min(state.rounds / self.deadline, 1.0)

    def subject(self, state: MediatedState) -> Outcome | None:
        return state.proposal

    def details(self, state: MediatedState) -> dict[str, Outcome | bool | None]:
        improved = (state.reason == "agreement" and state.settlement is not None
                    and state.final != state.settlement)
        return {"settlement": state.settlement, "improved": improved}

    def failure_event(self, party: str, state: MediatedState, note: str) -> Event:
        if self._settled(state) and party != self.mediator:
            return Reject(party, note=note)
        return WalkAway(party, note=note)

    def ask(self, negotiator: Negotiator, state: MediatedState) -> Event:
        party = negotiator.party
        t = self.time(state)
        assert state.proposal is not None
        if state.phase == "respond-improvement":
            assert state.settlement is not None
            yes = negotiator.accept_improvement(state.settlement, state.proposal, t)
        else:
            yes = negotiator.respond(state.proposal, t)
        return Accept(party) if yes else Reject(party)
