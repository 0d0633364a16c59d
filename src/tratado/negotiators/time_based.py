"""Time-based concession: Boulware, Linear, Conceder (Faratin, Sierra & Jennings 1998).

The target utility at relative time ``t`` is::

    target(t) = best - (best - floor) * t ** (1 / e)

where ``floor`` is the larger of the reservation value and the worst outcome. With
``e < 1`` the negotiator holds firm until late (Boulware); ``e = 1`` concedes linearly;
``e > 1`` concedes early (Conceder). It proposes the outcome whose own utility is the
lowest at or above the target, and by default accepts an offer worth at least its own
next proposal (``AcceptNext``). Its alternating-offers moves are memoised per
preferences table, curve and party (``TimeBased.memoize``): the same moves, computed once.

On a space too large to list, "the lowest at or above the target" is found by search
(:mod:`tratado.negotiators.search`): exact for additive agendas that split into two halves
of at most 2^18 combinations, otherwise a package at or above the target found by a
bounded local search (not always the closest one).
"""

from __future__ import annotations

from typing import ClassVar
from weakref import WeakKeyDictionary

from tratado.negotiators._tables import OwnTable
from tratado.negotiators.acceptance import AcceptanceRule
from tratado.negotiators.base import Negotiator, NegotiatorView
from tratado.negotiators.search import AT_OR_ABOVE
from tratado.protocols.events import Event, Outcome, Propose


class TimeBased(Negotiator):
    """Concedes along ``best - (best - floor) * t ** (1/e)``; ``e`` is the exponent."""

    name = "time-based"
    description = "concedes by a fixed curve over time; the exponent e sets its shape"
    time_based = True
    lists_outcomes = False
    large_spaces = AT_OR_ABOVE
    default_e: ClassVar[float] = 1.0
    #: Memoise the moves (see :meth:`take_turn`); the same moves, faster.
    memoize: ClassVar[bool] = True

    def __init__(self, e: float | None = None, acceptance: AcceptanceRule | None = None) -> None:
        super().__init__(acceptance)
        self.e = float(self.default_e if e is None else e)
        if not self.e > 0:
            raise ValueError("the concession exponent e must be positive")

    def start(self) -> None:
        finder = self.finder
        self._at_least = finder.at_least
        self._top = finder.best
        floor = max(self.reservation_value, finder.worst)
        self._span = max(self._top - floor, 0.0)
        self._inv_e = 1.0 / self.e

    def begin(self, view: NegotiatorView) -> None:
        super().begin(view)
        # The memo: only for the curve as defined here, with the plain acceptance rule.
        cls = type(self)
        table = self.finder.table
        plain = (self.memoize and self._accept_next and table is not None
                 and cls.start is TimeBased.start
                 and cls.propose is TimeBased.propose and cls.take_turn is TimeBased.take_turn)
        self._memo = (_memo(table, (self._inv_e, self._top, self._span, self.party))
                      if plain and table is not None else None)

    def target(self, t: float) -> float:
        """The own utility aimed at, at relative time ``t``."""
        return float(self._top - self._span * t**self._inv_e)

    def threshold(self, t: float) -> float:
        """In mediated protocols: accept what reaches the curve at ``t`` (its aspiration)."""
        return max(self.target(t), self.reservation_value)

    def vote(self, draft: Outcome, change: Outcome, t: float) -> bool:
        """Single text: the conceding vote (a worse change passes once it reaches the
        curve at ``t``)."""
        return self.conceding_vote(draft, change, t)

    def propose(self, t: float) -> Outcome:
        return self._at_least(self._top - self._span * t**self._inv_e)

    def take_turn(self, offer: Outcome | None, t: float) -> Event:
        """:meth:`Negotiator.take_turn`, memoised: at time ``t`` it proposes the same
        package (the event and its own utility are kept in a memo shared by every session
        on the same table, curve and party) and accepts what is worth at least that."""
        memo = self._memo
        if memo is None:
            return super().take_turn(offer, t)
        mine = memo.get(t)
        if mine is None:
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            outcome = self.propose(t)
            mine = memo[t] = (Propose(self.party, outcome), self._lookup[outcome])
        if offer is not None:
            value = self._lookup.get(offer)
            if value is not None and value >= mine[1]:
                return self._accept_event
        return mine[0]


_MEMO_LIMIT = 50_000
_Curve = tuple[float, float, float, str]
_MEMOS: WeakKeyDictionary[OwnTable, dict[_Curve, dict[float, tuple[Propose, float]]]] = (
    WeakKeyDictionary()
)


def _memo(table: OwnTable, curve: _Curve) -> dict[float, tuple[Propose, float]]:
    """The memo ``{t: (proposal, its own utility)}`` of one curve ``(1/e, best, span,
    party)`` on ``table``: nothing else decides the move at ``t``, so every session on
    the same preferences reuses it (the alternating-offers times ``turn / turns`` recur)."""
    memos = _MEMOS.get(table)
    if memos is None:
        memos = _MEMOS[table] = {}
    memo = memos.get(curve)
    if memo is None:
        if len(memos) >= 64:
            memos.clear()
        memo = memos[curve] = {}
    return memo


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
