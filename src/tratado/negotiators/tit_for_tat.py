"""Tit-for-tat: concede as much as the others have conceded (Faratin et al. 1998).

Concession is measured in the negotiator's own utility. For each other party, the
fraction of the way it has come toward my best package::

    conceded = (u(its latest offer) - u(its first offer)) / (best - u(its first offer))

(clipped to [0, 1]); the mean over the other parties is mirrored: I offer at
``best - (best - floor) * conceded``. So facing a hard-liner it never moves, and facing
a party that concedes half-way it concedes half of its own room.

* :class:`TitForTat` (``tit-for-tat``) — relative mirroring; retracts if the others do.
* :class:`NiceTitForTat` (``nice-tit-for-tat``) — never retracts a concession, and
  concedes by itself as well as in return: its own concession at relative time ``t`` is
  at least ``min(1, t / CLOSE) ** (1 / kindness)`` of its room (``CLOSE = 0.8``), so it
  reaches its no-deal level by 80% of the talks. Two nice negotiators therefore meet
  whenever a package is worth more than no deal to both (a zone of possible agreement),
  with time left for every party to accept it; ``kindness`` in (0, 1] sets how early it
  concedes by itself (0.1: hardly before half-way; 1: linearly). Near the deadline it
  accepts anything it prefers to no deal.

On a space too large to list, the package at or just above the mirrored target is found
by search (:mod:`tratado.negotiators.search`).

Why the plain mirror deadlocks against itself: each waits for the other to move first,
and a concession is measured in the receiver's own utility, where a small step by one
may not register at all; so mirroring alone can stay at the opening offers to the end.
"""

from __future__ import annotations

from tratado.negotiators.acceptance import (
    AcceptAboveReservation,
    AcceptAfter,
    AcceptanceRule,
    AcceptNext,
)
from tratado.negotiators.base import Negotiator
from tratado.negotiators.search import AT_OR_ABOVE
from tratado.protocols.events import Outcome


class TitForTat(Negotiator):
    """Mirrors the other parties' relative concession (see the module docstring)."""

    name = "tit-for-tat"
    description = "mirrors the other parties' concession, relative to the room each had"
    lists_outcomes = False
    large_spaces = AT_OR_ABOVE

    def start(self) -> None:
        self._top = self.finder.best
        self._span = max(self._top - max(self.reservation_value, self.finder.worst), 0.0)
        self._first: dict[str, float] = {}
        self._latest: dict[str, float] = {}

    def _read_record(self) -> None:
        for party, outcome in self.new_offers():
            u = self.utility(outcome)
            self._first.setdefault(party, u)
            self._latest[party] = u

    def conceded(self) -> float:
        """Mean fraction of its room that each other party has conceded, in [0, 1]."""
        if not self._first:
            return 0.0
        total = 0.0
        for party, first in self._first.items():
            room = self._top - first
            if room > 1e-12:
                total += min(max((self._latest[party] - first) / room, 0.0), 1.0)
        return total / len(self._first)

    def target(self, t: float) -> float:
        """The own utility aimed at now."""
        return self._top - self._span * self.conceded()

    def propose(self, t: float) -> Outcome:
        self._read_record()
        return self.finder.at_least(self.target(t))


class NiceTitForTat(TitForTat):
    """Tit-for-tat that never retracts, concedes a little first, and closes near the end."""

    name = "nice-tit-for-tat"
    description = "tit-for-tat that never retracts and concedes a little first"

    #: Relative time by which the concession it makes by itself reaches its no-deal level.
    CLOSE = 0.8

    def __init__(self, kindness: float = 0.1, acceptance: AcceptanceRule | None = None) -> None:
        super().__init__(acceptance)
        self.kindness = float(kindness)
        if not 0.0 < self.kindness <= 1.0:
            raise ValueError("kindness is a number in (0, 1]")

    def __repr__(self) -> str:
        return f"NiceTitForTat(kindness={self.kindness})"

    def default_acceptance(self) -> AcceptanceRule:
        return AcceptNext() | (AcceptAfter(0.98) & AcceptAboveReservation())

    def start(self) -> None:
        super().start()
        self._lowest = self._top

    def target(self, t: float) -> float:
        own = min(1.0, t / self.CLOSE) ** (1.0 / self.kindness)
        wanted = self._top - self._span * max(self.conceded(), own)
        self._lowest = min(self._lowest, wanted)
        return self._lowest
