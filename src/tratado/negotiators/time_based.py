"""Time-based concession: Boulware, Linear, Conceder (Faratin, Sierra & Jennings 1998).

The target utility at relative time ``t`` is::

    target(t) = best - (best - floor) * t ** (1 / e)

where ``floor`` is the larger of the reservation value and the worst outcome. With
``e < 1`` the negotiator holds firm until late (Boulware); ``e = 1`` concedes linearly;
``e > 1`` concedes early (Conceder). It proposes the outcome whose own utility is the
lowest at or above the target, and by default accepts an offer worth at least its own
next proposal (``AcceptNext``).
"""

from __future__ import annotations

from bisect import bisect_left
from typing import ClassVar

from tratado.negotiators.acceptance import AcceptanceRule
from tratado.negotiators.base import Negotiator
from tratado.protocols.events import Outcome


class TimeBased(Negotiator):
    """Concedes along ``best - (best - floor) * t ** (1/e)``; ``e`` is the exponent."""

    name = "time-based"
    description = "concedes by a fixed curve over time; the exponent e sets its shape"
    time_based = True
    default_e: ClassVar[float] = 1.0

    def __init__(self, e: float | None = None, acceptance: AcceptanceRule | None = None) -> None:
        super().__init__(acceptance)
        self.e = float(self.default_e if e is None else e)
        if not self.e > 0:
            raise ValueError("the concession exponent e must be positive")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(e={self.e})"

    def start(self) -> None:
        utilities = self.table.utilities
        self._utils = utilities
        self._outcomes = self.table.outcomes
        self._last = len(utilities) - 1
        self._top = utilities[-1]
        floor = max(self.reservation_value, utilities[0])
        self._span = max(self._top - floor, 0.0)
        self._inv_e = 1.0 / self.e

    def target(self, t: float) -> float:
        """The own utility aimed at, at relative time ``t``."""
        return float(self._top - self._span * t**self._inv_e)

    def threshold(self, t: float) -> float:
        """In mediated protocols: accept what reaches the curve at ``t`` (its aspiration)."""
        return max(self.target(t), self.reservation_value)

    def propose(self, t: float) -> Outcome:
        i = bisect_left(self._utils, self._top - self._span * t**self._inv_e)
        return self._outcomes[i if i <= self._last else self._last]


class Boulware(TimeBased):
    """Holds firm and concedes late (``e = 0.2``)."""

    name = "boulware"
    description = "holds firm, concedes late (e = 0.2)"
    default_e = 0.2


class Linear(TimeBased):
    """Concedes at a constant pace (``e = 1``)."""

    name = "linear"
    description = "concedes at a constant pace (e = 1)"
    default_e = 1.0


class Conceder(TimeBased):
    """Concedes early (``e = 5``)."""

    name = "conceder"
    description = "concedes early (e = 5)"
    default_e = 5.0
