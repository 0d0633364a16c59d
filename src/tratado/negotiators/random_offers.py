"""The random baseline: proposes a random package it prefers to no deal, and accepts
any offer it prefers to no deal with probability ``p_accept``.

On a space too large to list the package is drawn uniformly from the seed until one is
worth at least the reservation value (a few thousand draws at most), else found by search
above a level drawn between the reservation value and its best
(:meth:`~tratado.negotiators.search.OfferFinder.random_at_least`): not exactly uniform
over the packages it prefers to no deal.
"""

from __future__ import annotations

from tratado.negotiators.base import Negotiator
from tratado.protocols.events import Outcome


class RandomNegotiator(Negotiator):
    """Random offers above the reservation value; random acceptance above it."""

    name = "random"
    description = "baseline: random packages it prefers to no deal"
    stochastic = True
    lists_outcomes = False
    large_spaces = "approximate: random packages worth its no-deal value, not exactly uniform"

    def __init__(self, p_accept: float = 0.5) -> None:
        super().__init__()
        if not 0.0 <= p_accept <= 1.0:
            raise ValueError("p_accept must be between 0 and 1")
        self.p_accept = float(p_accept)

    def propose(self, t: float) -> Outcome:
        return self.finder.random_at_least(self.reservation_value, self.rng)

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
