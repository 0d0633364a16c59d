"""Mediated single negotiating text (Raiffa 1982, ch. 14; Klein, Faratin, Sayama &
Bar-Yam 2003, "Negotiating complex contracts").

A mediator holds one draft and improves it step by step; the parties never state a
utility, they only say whether they prefer a proposed change to the current draft.

1. *Opening.* The draft starts at ``start`` when given; otherwise the mediator's first
   ``mediator-proposal`` is the opening draft (the default mediator proposes the middle
   option of every issue — splitting the difference, as a mediator drafting a first text
   would; ``SingleTextMediator(opening="random")`` draws it from the seed instead).
2. *Search.* Each round the mediator proposes a change: a package that differs from the
   draft in 1 to ``max_changes`` issues. Every party votes at once (``vote``,
   ``prefers``: does it prefer the change to the draft, by its own utility only). The
   change replaces the draft when the ``rule`` holds: ``"unanimity"`` (default: every
   party prefers it) or ``"majority"`` (more than half do). With
   ``search="annealing"`` a change the rule turned down goes back to the mediator,
   which may still adopt it (``accept``) or drop it (``reject``) — simulated annealing
   over votes: the default mediator adopts it with probability ``exp(-against / T)``,
   ``T = temperature * (1 - t)`` falling to 0 at the deadline. With
   ``search="hill-climbing"`` only the rule decides.
3. *End of the search.* After ``deadline`` proposals (one round = one proposal), after
   ``patience`` proposals in a row without a change adopted (when set), or when the
   mediator proposes the draft itself (the default mediator does so once a whole pass
   over the draft's neighbouring changes got the same votes as the pass before), or
   when the clock's ``time-up`` arrives.
4. *Final text.* The draft is put to every party at once; each accepts or rejects it
   with ``respond(draft, t=1)`` — the last word, judged as at the deadline (by default:
   accepts iff it is worth at least its reservation value). There is an
   agreement only if every party accepts; otherwise the talks end in ``rejection``.

Anyone may walk away at any time. A participant that fails counts as walking away
(talks end without agreement, reason ``error``): a vote cannot be taken without it.

Why unanimity hill-climbing ends well (with truthful voters; time-based negotiators also
vote for a worse change that meets their aspiration): a change is adopted only if every
party strictly prefers it, so each adopted draft Pareto-dominates the last; when the mediator closes
the search after every single-issue change of the final draft was turned down, no
single-issue change is unanimously preferred to it (truthful voters), and on
one-issue-at-a-time neighbourhoods of additive preferences that makes it locally
Pareto-optimal. Hooks: ``vote(draft, change, t)`` and ``respond(proposal, t)``.
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
    Vote,
    WalkAway,
)

if TYPE_CHECKING:
    from tratado.negotiators.base import Negotiator
    from tratado.scenario import Scenario

RULES = ("unanimity", "majority")
SEARCHES = ("hill-climbing", "annealing")
MEDIATOR = "mediator"


class SingleTextState(NamedTuple):
    """``phase``: ``open`` | ``propose`` | ``vote`` | ``decide`` | ``final`` | ``over``;
    ``draft``; ``change`` (under vote or decision); ``answers`` (per party, ``None``
    until it answers); ``proposals`` made; ``stale`` proposals since the last adoption;
    ``adopted`` changes; ``turn`` events accepted; ``reason``; ``ended_by``."""

    phase: str = "open"
    draft: Outcome | None = None
    change: Outcome | None = None
    answers: tuple[bool | None, ...] = ()
    proposals: int = 0
    stale: int = 0
    adopted: int = 0
    turn: int = 0
    reason: str | None = None
    ended_by: str | None = None


class SingleText(EndsByReason[SingleTextState]):
    """The mediator's single negotiating text (see the module docstring)."""

    name = "single-text"

    def __init__(
        self,
        parties: Sequence[str],
        shape: Sequence[int],
        deadline: int = 100,
        rule: str = "unanimity",
        search: str = "hill-climbing",
        temperature: float = 1.0,
        max_changes: int = 1,
        patience: int | None = None,
        start: Sequence[int] | None = None,
        deadline_seconds: float | None = None,
    ) -> None:
        super().__init__(parties, shape)
        deadline = checked_deadline(deadline, "proposals")
        if rule not in RULES or search not in SEARCHES:
            raise ValueError(f"rule is one of {RULES} and search one of {SEARCHES}")
        if int(max_changes) < 1 or (patience is not None and int(patience) < 1):
            raise ValueError("max_changes and patience must be at least 1")
        self.deadline = int(deadline)
        self.rule = rule
        self.search = search
        self.temperature = float(temperature)
        self.max_changes = int(max_changes)
        self.patience = None if patience is None else int(patience)
        self.start = None if start is None else self.check_outcome(tuple(int(i) for i in start))
        self.deadline_seconds = deadline_seconds
        self.mediator = MEDIATOR
        self._none: tuple[bool | None, ...] = (None,) * len(self.parties)

    @classmethod
    def for_scenario(cls, scenario: Scenario, **options: Any) -> SingleText:
        """``deadline`` (proposals) and ``deadline_seconds`` default to the scenario's rules;
        ``agreement`` may only be ``"package"`` (a single text is one package)."""
        options = dict(options)
        cls.agreement_option(scenario, options)
        options.setdefault("deadline", scenario.rules.deadline)
        options.setdefault("deadline_seconds", scenario.rules.deadline_seconds)
        return cls(scenario.party_ids, scenario.agenda.shape, **options)

    def params(self) -> dict[str, Any]:
        return {
            "deadline": self.deadline, "rule": self.rule, "search": self.search,
            "temperature": self.temperature, "max_changes": self.max_changes,
            "patience": self.patience, "start": None if self.start is None else list(self.start),
            "deadline_seconds": self.deadline_seconds,
        }

    # -- the state machine ----------------------------------------------------------
    def initial_state(self) -> SingleTextState:
        if self.start is not None:
            return SingleTextState(phase="propose", draft=self.start)
        return SingleTextState()

    def step(self, state: SingleTextState, event: Event) -> SingleTextState:
        if state.reason is not None:
            raise EventRefused(f"the talks are over ({state.reason})")
        turn = state.turn + 1
        if isinstance(event, WalkAway):
            if event.party != self.mediator:
                self.party_index(event.party)
            return state._replace(phase="over", turn=turn, reason="walk-away",
                                  ended_by=event.party)
        if isinstance(event, TimeUp):
            if self.deadline_seconds is None:
                raise EventRefused("these talks have no deadline in seconds")
            if state.phase == "final" or state.draft is None:
                return state._replace(phase="over", turn=turn, reason="deadline")
            return state._replace(phase="final", change=None, answers=self._none, turn=turn)
        phase = state.phase
        if phase in ("open", "propose"):
            if not isinstance(event, MediatorProposal) or event.party != self.mediator:
                raise EventRefused("the mediator proposes now")
            outcome = self.check_outcome(event.outcome)
            if phase == "open":
                return state._replace(phase="propose", draft=outcome, turn=turn)
            if outcome == state.draft:  # the mediator closes the search
                return state._replace(phase="final", answers=self._none, turn=turn)
            assert state.draft is not None
            changed = sum(a != b for a, b in zip(outcome, state.draft, strict=True))
            if changed > self.max_changes:
                raise EventRefused(f"a change may alter at most {self.max_changes} issue(s)")
            return state._replace(phase="vote", change=outcome, answers=self._none, turn=turn)
        if phase == "decide":
            if event.party != self.mediator or not isinstance(event, Accept | Reject):
                raise EventRefused("the mediator decides whether to adopt the change")
            return self._after_tally(state, isinstance(event, Accept), turn)
        kinds = (Vote,) if phase == "vote" else (Accept, Reject)
        if not isinstance(event, kinds):
            raise EventRefused(f"the parties answer with {' or '.join(k.kind for k in kinds)}")
        index = self.party_index(event.party)
        if state.answers[index] is not None:
            raise EventRefused(f"{event.party} has already answered")
        answer = event.prefers if isinstance(event, Vote) else isinstance(event, Accept)
        answers = state.answers[:index] + (answer,) + state.answers[index + 1:]
        if None in answers:
            return state._replace(answers=answers, turn=turn)
        if phase == "final":
            reason = "agreement" if all(answers) else "rejection"
            return state._replace(phase="over", answers=answers, turn=turn, reason=reason,
                                  ended_by=event.party)
        yes = sum(1 for a in answers if a)
        passes = yes == len(answers) if self.rule == "unanimity" else 2 * yes > len(answers)
        if not passes and self.search == "annealing":
            return state._replace(phase="decide", answers=answers, turn=turn)
        return self._after_tally(state._replace(answers=answers), passes, turn)

    def _after_tally(self, state: SingleTextState, adopt: bool, turn: int) -> SingleTextState:
        proposals = state.proposals + 1
        if adopt:
            state = state._replace(draft=state.change, stale=0, adopted=state.adopted + 1)
        else:
            state = state._replace(stale=state.stale + 1)
        done = proposals >= self.deadline or (
            self.patience is not None and state.stale >= self.patience
        )
        return state._replace(phase="final" if done else "propose", proposals=proposals,
                              answers=self._none if done else state.answers, turn=turn)

    def whose_turn(self, state: SingleTextState) -> tuple[str, ...]:
        if state.reason is not None:
            return ()
        if state.phase in ("open", "propose", "decide"):
            return (MEDIATOR,)
        return self.awaiting(state.answers)

    def expected(self, state: SingleTextState) -> dict[str, tuple[type[Event], ...]]:
        phase = state.phase
        kinds: tuple[type[Event], ...] = (
            (MediatorProposal, WalkAway) if phase in ("open", "propose")
            else (Accept, Reject, WalkAway) if phase in ("decide", "final")
            else (Vote, WalkAway)
        )
        return {p: kinds for p in self.whose_turn(state)}

    def agreed_package(self, state: SingleTextState) -> Outcome | None:
        return state.draft

    def round(self, state: SingleTextState) -> int:
        """The proposal under way (the last one once the search is over)."""
        return min(state.proposals, self.deadline - 1)

    def time(self, state: SingleTextState) -> float:
        return min(state.proposals / self.deadline, 1.0)

    def subject(self, state: SingleTextState) -> Outcome | None:
        return state.change if state.phase in ("vote", "decide") else state.draft

    def details(self, state: SingleTextState) -> dict[str, Outcome | bool | None]:
        return {"final_text": state.draft if state.phase in ("final", "over") else None}

    def ask(self, negotiator: Negotiator, state: SingleTextState) -> Event:
        party = negotiator.party
        t = self.time(state)
        assert state.draft is not None
        if state.phase == "vote":
            assert state.change is not None
            return Vote(party, bool(negotiator.vote(state.draft, state.change, t)))
        # The final text is the last word: the talks end whatever the answer, so each
        # party judges it as at the deadline (t = 1), where aspirations reach no deal.
        if negotiator.respond(state.draft, 1.0):
            return Accept(party)
        return Reject(party)
