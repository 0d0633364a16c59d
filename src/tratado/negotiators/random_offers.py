"""The random baseline: proposes a random package it prefers to no deal, and accepts
any offer it prefers to no deal with probability ``p_accept``."""

from __future__ import annotations

from bisect import bisect_left

from tratado.negotiators.base import Negotiator
from tratado.protocols.events import Outcome


class RandomNegotiator(Negotiator):
    """Random offers above the reservation value; random acceptance above it."""

    name = "random"
    description = "baseline: random packages it prefers to no deal"
    stochastic = True

    def __init__(self, p_accept: float = 0.5) -> None:
        super().__init__()
        if not 0.0 <= p_accept <= 1.0:
            raise ValueError("p_accept must be between 0 and 1")
        self.p_accept = float(p_accept)

    def start(self) -> None:
        utilities = self.table.utilities
        self._low = min(bisect_left(utilities, self.reservation_value), len(utilities) - 1)
        self._count = len(utilities) - self._low

    def propose(self, t: float) -> Outcome:
        return self.table.outcomes[self._low + int(self.rng.integers(self._count))]

    def accept(self, offer: Outcome, t: float, mine: Outcome) -> bool:
        if self.utility(offer) < self.reservation_value:
            return False
        return bool(self.rng.random() < self.p_accept)

    def vote(self, draft: Outcome, change: Outcome, t: float) -> bool:
        """Single text: yes to a change worth more to it; yes with probability
        ``p_accept`` to a worse one it still prefers to no deal."""
        new, old = self.utility(change), self.utility(draft)
        if new > old:
            return True
        return new >= self.reservation_value and bool(self.rng.random() < self.p_accept)
