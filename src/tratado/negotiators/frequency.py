"""The default negotiator: a frequency model of the others, and offers they like most.

It concedes along a time curve (``best - (best - floor) * t ** (1/e)``, Boulware-like
by default), and among the packages good enough for itself (own utility at or above
that target, the ``candidates`` closest to it) proposes the one the model of the other
parties likes most.

The opponent model (frequency analysis, as in HardHeaded, van Krimpen et al. 2013):
for each other party and issue it counts how often each option appears in that
party's offers and how often the party kept the issue unchanged from one offer to
the next. An option's estimated value is ``(count + 1) / (max count + 1)``; an issue's
estimated weight is proportional to ``1 + unchanged`` (a party holds firm on what it
cares about). The estimated utilities of all other parties are summed.

Accepts an offer worth at least its own next proposal, or, after ``t = 0.98``, any
offer it prefers to no deal.

On a space too large to list the candidates cannot be the next packages in a sorted
list. It starts instead from the package its finder finds at or just above the target
and climbs the model's scores by single-issue changes that keep its own utility between
the target and the target plus 2% of its utility range, at most ``candidates`` changes
(:mod:`tratado.negotiators.search`): the best near-target package the search reaches,
which may not be the best the model would pick among all of them.
"""

from __future__ import annotations

import numpy as np

from tratado.negotiators.acceptance import (
    AcceptAboveReservation,
    AcceptAfter,
    AcceptanceRule,
    AcceptNext,
)
from tratado.negotiators.base import Negotiator
from tratado.protocols.events import Outcome


class FrequencyNegotiator(Negotiator):
    """Time-based target + frequency opponent model (the recommended default)."""

    name = "frequency"
    description = "default: concedes slowly, offers what a frequency model says others like"
    uses_opponent_model = True
    time_based = True
    lists_outcomes = False
    large_spaces = ("approximate: its model's favourite near the target, by a bounded"
                    " hill-climb")

    def __init__(
        self, e: float = 0.3, candidates: int = 64, acceptance: AcceptanceRule | None = None
    ) -> None:
        super().__init__(acceptance)
        if not e > 0 or candidates < 1:
            raise ValueError("e must be positive and candidates at least 1")
        self.e = float(e)
        self.candidates = int(candidates)

    def default_acceptance(self) -> AcceptanceRule:
        return AcceptNext() | (AcceptAfter(0.98) & AcceptAboveReservation())

    def start(self) -> None:
        self._top = self.finder.best
        self._span = max(self._top - max(self.reservation_value, self.finder.worst), 0.0)
        self._shape = self.view.scenario.agenda.shape
        self._counts: dict[str, list[np.ndarray]] = {}
        self._unchanged: dict[str, np.ndarray] = {}
        self._previous: dict[str, Outcome] = {}
        self._scores: list[np.ndarray] | None = None

    def _read_record(self) -> None:
        for party, outcome in self.new_offers():
            self._observe(party, outcome)

    def _observe(self, party: str, outcome: Outcome) -> None:
        counts = self._counts.get(party)
        if counts is None:
            counts = self._counts[party] = [np.zeros(n) for n in self._shape]
            self._unchanged[party] = np.zeros(len(self._shape))
        for issue, option in enumerate(outcome):
            counts[issue][option] += 1
        previous = self._previous.get(party)
        if previous is not None:
            self._unchanged[party] += np.equal(previous, outcome)
        self._previous[party] = outcome
        self._scores = None

    def opponent_scores(self) -> list[np.ndarray]:
        """Per issue, the modelled value of each option to the others (weights included)."""
        if self._scores is None:
            scores = [np.zeros(n) for n in self._shape]
            for party, counts in self._counts.items():
                weights = 1.0 + self._unchanged[party]
                weights /= weights.sum()
                for issue, count in enumerate(counts):
                    scores[issue] += weights[issue] * (count + 1.0) / (count.max() + 1.0)
            self._scores = scores
        return self._scores

    def target(self, t: float) -> float:
        """The own utility aimed at, at relative time ``t``."""
        return float(self._top - self._span * t ** (1.0 / self.e))

    def vote(self, draft: Outcome, change: Outcome, t: float) -> bool:
        """Single text: the conceding vote (a worse change passes once it reaches the
        curve at ``t``)."""
        return self.conceding_vote(draft, change, t)

    def threshold(self, t: float) -> float:
        """In mediated protocols: accept what reaches the target curve at ``t``."""
        return max(self.target(t), self.reservation_value)

    def propose(self, t: float) -> Outcome:
        self._read_record()
        if not self._counts:
            return self.finder.best_outcome
        return self.finder.liked_most(self.target(t), self.opponent_scores(), self.candidates)
