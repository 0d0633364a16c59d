"""Aspiration: lowers its aspiration over time, never below the best it was offered.

The aspiration at relative time ``t`` is ``floor + (best - floor) * (1 - t ** beta)``,
where ``floor`` is the larger of the reservation value and the best own utility among
the packages the other parties have proposed so far. So it never asks for less than it
has already been offered, and ends by asking for the best of those offers. It proposes
the package its :class:`~tratado.negotiators.search.OfferFinder` finds at or just above
the aspiration (by search on spaces too large to list: see that module).
"""

from __future__ import annotations

from tratado.negotiators.acceptance import AcceptanceRule
from tratado.negotiators.base import Negotiator
from tratado.negotiators.search import AT_OR_ABOVE
from tratado.protocols.events import Outcome


class Aspiration(Negotiator):
    """Aspiration decaying as ``1 - t ** beta`` toward the best offer received."""

    name = "aspiration"
    description = "lowers its aspiration over time, never below the best offer received"
    time_based = True
    lists_outcomes = False
    large_spaces = AT_OR_ABOVE

    def __init__(self, beta: float = 2.0, acceptance: AcceptanceRule | None = None) -> None:
        super().__init__(acceptance)
        if not beta > 0:
            raise ValueError("beta must be positive")
        self.beta = float(beta)

    def start(self) -> None:
        self._top = self.finder.best
        self._floor = max(self.reservation_value, self.finder.worst)

    def _read_record(self) -> None:
        for _, outcome in self.new_offers():
            u = self.utility(outcome)
            if u > self._floor:
                self._floor = min(u, self._top)

    def threshold(self, t: float) -> float:
        """In mediated protocols: accept what reaches the aspiration at ``t``."""
        self._read_record()
        return float(self._floor + (self._top - self._floor) * (1.0 - t**self.beta))

    def vote(self, draft: Outcome, change: Outcome, t: float) -> bool:
        """Single text: the conceding vote (a worse change passes once it reaches the
        aspiration at ``t``)."""
        return self.conceding_vote(draft, change, t)

    def propose(self, t: float) -> Outcome:
        self._read_record()
        target = self._floor + (self._top - self._floor) * (1.0 - t**self.beta)
        return self.finder.at_least(target)
