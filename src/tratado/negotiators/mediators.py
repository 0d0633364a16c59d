"""The built-in mediators: a single-text mediator that sees only votes, and a trusted
neutral that sees every party's preferences (only in the ``mediated`` protocol).

:class:`SingleTextMediator` (Raiffa 1982; Klein et al. 2003) — opens with the middle
option of every issue (``opening="middle"``, the default) or a draft drawn uniformly
from the session seed (``opening="random"``), unless the protocol has a ``start``; then
proposes changes to the draft: every package that differs from it in 1 to
``max_changes`` issues (enumerated for spaces up to :data:`NEIGHBOURHOOD_LIMIT`
outcomes, else single-issue changes), in an order shuffled from the seed: one *pass*
over them. When a pass ends with every change turned down it starts another — the
changes most parties favoured last time first, ties in a new shuffled order — because
voters who concede over time may now accept what they turned down. It closes the search
(proposes the draft itself) once a whole pass got exactly the votes of the pass before
it — nobody is moving — or, with ``repeat=False``, after the first pass. Under
``search="annealing"`` it adopts a change the vote turned down with probability
``exp(-against / T)``, ``against`` the number of parties that did not prefer it and
``T = temperature * (1 - t)`` (Kirkpatrick et al. 1983's acceptance rule, over votes
instead of utilities: it never sees a utility).

:class:`Neutral` (confidential-preference mediation; Raiffa 1985 for post-settlement)
— computes the exact Pareto frontier from every party's preferences
(:func:`tratado.analysis.pareto_frontier`), keeps its rational part, and proposes its
packages only: the one maximising the protocol's ``rule`` (``egalitarian``: the
smallest gain over reservation; ``nash``: the product of gains) among those that give
each party at least the gain it is believed to demand. A party's demand starts at 0;
when it rejects a package, its true threshold must lie above that package's value for
it, so its demand rises to just above that gain; rejected packages are not proposed
again. When no package left meets every demand, it proposes — again and again, rejected
or not — the package with the smallest largest shortfall from the demands (ties: the
rule): the fairest compromise under what it has learned, which parties whose
thresholds fall over time (time-based ones) come to accept. Post-settlement: among frontier packages every
party likes at least as much as the settlement, and one party strictly more, it
proposes the one whose smallest gain over the settlement is largest (ties: the larger
total); if there is none, the settlement itself.

On spaces too large to list, the exact frontier comes from the additive dynamic
programme or (two parties, non-linear, at most 16 issues) the mixed-integer walk; beyond
that the neutral works from an approximate frontier found by search
(:mod:`tratado.negotiators.search_frontier`), so what it proposes is the best it found,
not proven Pareto-optimal. The single-text mediator never lists the space: on spaces of
more than :data:`NEIGHBOURHOOD_LIMIT` packages it proposes single-issue changes.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from tratado.agenda import DEFAULT_ENUMERATION_LIMIT
from tratado.analysis.space import pareto_frontier, rational_threshold
from tratado.negotiators._tables import outcome_rows, table_utility
from tratado.negotiators.base import Mediator
from tratado.negotiators.search_frontier import needs_search, search_frontier
from tratado.parties import Party
from tratado.protocols.base import Protocol
from tratado.protocols.events import Accept, Event, MediatorProposal, Outcome, Reject
from tratado.scenario import Scenario

#: Largest space whose whole neighbourhood of a draft the single-text mediator lists.
NEIGHBOURHOOD_LIMIT = 200_000


class SingleTextMediator(Mediator):
    """Proposes shuffled neighbouring changes to the single text (see the module doc)."""

    name = "single-text-mediator"
    description = "proposes changes to one draft, by hill-climbing or annealing over votes"
    stochastic = True

    OPENINGS = ("middle", "random")

    def __init__(self, opening: str = "middle", repeat: bool = True) -> None:
        """``opening``: the first draft — ``"middle"`` (the middle option of every issue:
        agenda options are listed in order, so the mediator splits the difference, as in
        Raiffa's single negotiating text) or ``"random"`` (uniform from the seed, as in
        Klein et al. 2003). ``repeat``: try the turned-down changes again while the votes
        on them move (see the module docstring)."""
        super().__init__()
        if opening not in self.OPENINGS:
            raise ValueError(f"opening is one of {self.OPENINGS}")
        self.opening = opening
        self.repeat = bool(repeat)

    def start(self) -> None:
        protocol: Any = self.view.protocol
        self._agenda = self.view.scenario.agenda
        self._max_changes = int(getattr(protocol, "max_changes", 1))
        self._temperature = float(getattr(protocol, "temperature", 1.0))
        self._draft: Outcome | None = None
        self._queue: list[Outcome] = []
        self._asked: Outcome | None = None  # the change last put to the vote
        self._tally: dict[Outcome, int] = {}  # this pass: change -> parties in favour
        self._before: dict[Outcome, int] | None = None  # the same, for the pass before
        self._all = (
            outcome_rows(self._agenda) if self._agenda.size <= NEIGHBOURHOOD_LIMIT else None
        )

    def neighbours(self, draft: Outcome) -> list[Outcome]:
        """The changes this mediator may propose to ``draft`` (in a fixed order)."""
        if self._all is not None and self._max_changes > 1:
            changed = (self._all != np.asarray(draft)[None, :]).sum(axis=1)
            rows = self._all[(changed >= 1) & (changed <= self._max_changes)]
            return [tuple(r) for r in rows.tolist()]
        found = []
        for issue, n in enumerate(self._agenda.shape):
            for option in range(n):
                if option != draft[issue]:
                    found.append(draft[:issue] + (option,) + draft[issue + 1:])
        return found

    def act(self, state: Any) -> Event:
        me = self.view.party
        if state.phase == "open":
            shape = self._agenda.shape
            if self.opening == "middle":
                return MediatorProposal(me, tuple(n // 2 for n in shape))
            return MediatorProposal(me, tuple(int(self.rng.integers(n)) for n in shape))
        if state.phase == "decide":
            against = sum(1 for a in state.answers if not a)
            heat = self._temperature * (1.0 - self.view.protocol.time(state))
            adopt = heat > 0 and self.rng.random() < math.exp(-against / heat)
            return Accept(me) if adopt else Reject(me)
        draft: Outcome = state.draft
        if draft != self._draft:  # the opening, or a change adopted: a new neighbourhood
            self._draft, self._tally, self._before = draft, {}, None
            self._queue = self._shuffled(draft)
        elif self._asked is not None and state.answers and None not in state.answers:
            self._tally[self._asked] = sum(1 for a in state.answers if a)
        if not self._queue:
            if not self.repeat or self._tally == self._before:
                return MediatorProposal(me, draft)  # nobody is moving: close the search
            self._before, self._tally = self._tally, {}
            # closest to passing first: most parties in favour last time (ties: shuffled)
            before = self._before
            self._queue = sorted(self._shuffled(draft), key=lambda c: before.get(c, 0))
        self._asked = self._queue.pop()
        return MediatorProposal(me, self._asked)

    def _shuffled(self, draft: Outcome) -> list[Outcome]:
        options = self.neighbours(draft)
        order = self.rng.permutation(len(options))
        return [options[int(k)] for k in order]


class Neutral(Mediator):
    """The trusted neutral of confidential-preference mediation (see the module doc)."""

    name = "neutral"
    description = "trusted neutral: proposes rational Pareto packages, learns from rejections"

    def start(self) -> None:
        view = self.view
        public = view.scenario
        if set(view.preferences) != set(public.party_ids):
            raise ValueError("the neutral needs every party's preferences (only the 'mediated'"
                             " protocol entrusts them to it)")
        parties = tuple(Party(p.id, view.preferences[p.id]) for p in public.parties)
        self._scenario = scenario = Scenario(public.name, public.agenda, parties)
        self._ids = public.party_ids
        self._reservation = scenario.reservation_values
        self._full = (search_frontier(scenario)
                      if needs_search(scenario, DEFAULT_ENUMERATION_LIMIT)
                      else pareto_frontier(scenario))
        rational = self._full.rational(rational_threshold(scenario))
        frontier = rational if len(rational) else self._full
        self._utilities = frontier.utilities
        self._gains = frontier.utilities - self._reservation
        self._outcomes = [tuple(r) for r in frontier.outcomes.tolist()]
        self._position = {o: k for k, o in enumerate(self._outcomes)}
        rule = getattr(view.protocol, "rule", "egalitarian")
        positive = np.clip(self._gains, 0.0, None)
        self._score = (np.prod(positive, axis=1) if rule == "nash"
                       else np.min(self._gains, axis=1))
        self._demands = np.zeros(len(self._ids))
        self._rejected = np.zeros(len(self._outcomes), dtype=bool)
        self._seen = 0
        self._current: Outcome | None = None

    def utilities(self, outcome: Outcome) -> np.ndarray:
        """Every party's utility of ``outcome`` (party order): from the parties' own
        tables when their negotiators built them (the same numbers: every preferences
        form evaluates each outcome on its own), else evaluated."""
        agenda = self._scenario.agenda
        found = [table_utility(agenda, party.preferences, outcome)
                 for party in self._scenario.parties]
        if None not in found:
            return np.array(found, dtype=float)
        row: np.ndarray = self._scenario.utilities(np.array([outcome], dtype=np.int64))[0]
        return row

    def _learn(self) -> None:
        events = self.view.record.since(self._seen)
        self._seen += len(events)
        for event in events:
            if isinstance(event, MediatorProposal) and event.party == self.view.party:
                self._current = event.outcome
            elif isinstance(event, Reject) and event.party in self._ids and self._current:
                k = self._position.get(self._current)
                if k is not None:
                    self._rejected[k] = True
                j = self._ids.index(event.party)
                gain = self.utilities(self._current)[j] - self._reservation[j]
                self._demands[j] = max(self._demands[j], gain + 1e-9)

    def select(self) -> Outcome:
        """The next package to propose, under what has been learned."""
        meets = ~self._rejected & np.all(self._gains >= self._demands - 1e-12, axis=1)
        if meets.any():
            return self._outcomes[int(np.argmax(np.where(meets, self._score, -np.inf)))]
        shortfall = np.max(self._demands - self._gains, axis=1)
        close = shortfall <= shortfall.min() + 1e-12
        return self._outcomes[int(np.argmax(np.where(close, self._score, -np.inf)))]

    def improvement(self, settlement: Outcome) -> Outcome:
        """The frontier package that shares the gains over ``settlement`` most evenly
        among those no party likes less (``settlement`` itself when there is none)."""
        base = self.utilities(settlement)
        u = self._full.utilities
        better = np.all(u >= base, axis=1) & np.any(u > base + 1e-12, axis=1)
        if not better.any():
            return settlement
        gain = u - base
        score = np.where(better, np.min(gain, axis=1), -np.inf)
        top = better & (score >= score.max() - 1e-12)
        total = np.where(top, gain.sum(axis=1), -np.inf)
        return tuple(int(i) for i in self._full.outcomes[int(np.argmax(total))])

    def act(self, state: Any) -> Event:
        me = self.view.party
        if state.phase == "improve":
            return MediatorProposal(me, self.improvement(state.settlement))
        self._learn()
        return MediatorProposal(me, self.select())


DEFAULT_MEDIATORS: dict[str, type[Mediator]] = {
    "single-text": SingleTextMediator,
    "mediated": Neutral,
}
"""The mediator a session uses, by protocol name, when it is given none (protocols do
not import mediators: the session wires them)."""


def default_mediator(protocol: Protocol[Any]) -> Mediator | None:
    """A fresh default mediator for ``protocol``: :data:`DEFAULT_MEDIATORS` by its name,
    else the protocol's own ``default_mediator()`` hook (plug-in protocols), else None."""
    cls = DEFAULT_MEDIATORS.get(protocol.name)
    return cls() if cls is not None else protocol.default_mediator()
