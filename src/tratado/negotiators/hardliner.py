"""The hard-liner: always proposes its best package and accepts only that much."""

from __future__ import annotations

from tratado.negotiators.base import Negotiator
from tratado.protocols.events import Outcome


class HardLiner(Negotiator):
    """Never concedes: proposes its best outcome, accepts only offers worth as much."""

    name = "hardliner"
    description = "never concedes: proposes its best package every time"
    lists_outcomes = False
    large_spaces = "exact: its best package (per issue, or one mixed-integer programme)"

    def propose(self, t: float) -> Outcome:
        return self.finder.best_outcome

    def threshold(self, t: float) -> float:
        """In mediated protocols: accepts only packages worth its best."""
        return self.best_utility
