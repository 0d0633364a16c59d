"""Per-preferences lookup tables that negotiators precompute once (not per step).

A :class:`OwnTable` holds, for one party's own preferences on one agenda, every
outcome sorted by that party's utility (ascending) and a lookup from outcome to
utility (:class:`UtilityLookup`: one dict per agenda shape from outcome to its place in
the enumeration, shared by every table of that shape, and the utilities in that
order), so the hot loop does a bisect and two dict/list lookups instead of numpy
calls, and a new table costs a sort, not a dict of every outcome.
Tables are cached per preferences object (weakly), so a tournament that runs the
same scenario thousands of times builds each table once; the outcomes of the last few
agenda shapes, as tuples, are kept too, so a forecast that runs thousands of sampled
preferences over one agenda only sorts them again (and takes the utilities the exact
frontier of the sample evaluated: :func:`tratado.analysis.space.listed_utilities`).
The sort is NumPy's fast unstable one made stable
(:func:`tratado.analysis.ordering.stable_argsort`). A table is derived from
one party's preferences only and is handed only to that party's negotiator.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np

from tratado.agenda import Agenda
from tratado.analysis.ordering import stable_argsort
from tratado.analysis.space import listed_utilities
from tratado.preferences import Preferences, column_major
from tratado.protocols.events import Outcome

#: Largest outcome space the built-in negotiators enumerate.
NEGOTIATOR_ENUMERATION_LIMIT = 2_000_000

TOO_LARGE_FIX = (
    "use a negotiator that does not list the space (every built-in one: on spaces this"
    " large they search their preferences instead), or fewer options or a coarser step;"
    " a negotiator of your own (module:Class) that asks its `finder` rather than its"
    " `table` can say so with lists_outcomes = False.")
"""What to do when a space is too large for a negotiator that lists every package (no
option raises the limit: there is none to suggest)."""


class UtilityLookup(Mapping[Outcome, float]):
    """Own utility by outcome: ``lookup[outcome]`` (``KeyError`` for an outcome not on
    the agenda), ``outcome in lookup``, ``lookup.get(outcome)``."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[Outcome, int], values: np.ndarray) -> None:
        self._index = index
        self._values = values

    def __getitem__(self, outcome: Outcome) -> float:
        return float(self._values[self._index[outcome]])

    def __contains__(self, outcome: object) -> bool:
        return outcome in self._index

    def get(self, outcome: Outcome, default: Any = None) -> Any:
        found = self._index.get(outcome)
        return default if found is None else float(self._values[found])

    def __iter__(self) -> Iterator[Outcome]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


class OwnTable:
    """Outcomes in ascending order of own utility (ties: in enumeration order), with a
    lookup.

    The order is found from the top down, as far as it is asked for: a negotiator
    concedes from its best package and reads only the packages worth at least its
    current target (in a forecast, the top 10-30% of the space), so only those are
    sorted; the first request below them sorts a larger top part (at least twice as deep
    in utility), and ``rows``, ``outcomes``, ``utilities`` and ``sorted_utilities`` sort
    everything. The top part of a stable sort is the stable sort of the top part, so the
    answers are those of one full sort.
    """

    def __init__(self, every: np.ndarray, utilities: np.ndarray, lookup: UtilityLookup) -> None:
        self.every = every
        self.lookup = lookup
        self._utilities = utilities
        self.size = len(utilities)
        self.best = float(utilities.max())
        self.worst = float(utilities.min())
        # (utility from which on the order is known, its first place, order, utilities)
        self._known: tuple[float, int, np.ndarray, np.ndarray] = (
            np.inf, self.size, np.empty(0, dtype=np.int64), np.empty(0))

    def _down_to(self, target: float) -> tuple[float, int, np.ndarray, np.ndarray]:
        """The known top part, extended (if need be) to every outcome worth >= target."""
        known = self._known
        if target >= known[0] or known[1] == 0:
            return known
        gap = max(2.0 * (self.best - min(target, known[0])), (self.best - self.worst) / 8)
        level = self.best - gap
        u = self._utilities
        if level <= self.worst:
            order = stable_argsort(u)
            level = -np.inf
        else:
            top = np.flatnonzero(u >= level)
            order = top[stable_argsort(u[top])]
        order.setflags(write=False)
        values = u[order]
        values.setflags(write=False)
        self._known = known = (level, self.size - len(order), order, values)
        return known

    def first_at_least(self, target: float) -> int:
        """The place in the ascending order of the first outcome worth at least
        ``target`` (``size`` if none is): bisect_left."""
        _, first, _, values = self._down_to(target)
        return first + int(values.searchsorted(target))

    def outcome(self, k: int) -> Outcome:
        """The ``k``-th outcome in ascending order of utility, as a tuple."""
        _, first, order, _ = self._known
        if k < first:
            _, first, order, _ = self._down_to(-np.inf)
        return tuple(self.every[order[k - first]].tolist())

    def rows_between(self, low: int, high: int) -> np.ndarray:
        """Rows ``low`` to ``high`` (excluded) of the ascending order."""
        _, first, order, _ = self._known
        if low < first:
            _, first, order, _ = self._down_to(-np.inf)
        block: np.ndarray = self.every[order[low - first:high - first]]
        return block

    @property
    def order(self) -> np.ndarray:
        """Every outcome's place in the enumeration, in ascending order of utility."""
        return self._down_to(-np.inf)[2]

    @property
    def sorted_utilities(self) -> np.ndarray:
        """Every utility, ascending."""
        return self._down_to(-np.inf)[3]

    @cached_property
    def rows(self) -> np.ndarray:
        """Every outcome's option indices in ascending order of utility (read-only)."""
        rows: np.ndarray = self.every[self.order]
        rows.setflags(write=False)
        return rows

    @cached_property
    def outcomes(self) -> list[Outcome]:
        """Every outcome in ascending order of utility (built on first use)."""
        return [tuple(r) for r in self.rows.tolist()]

    @cached_property
    def utilities(self) -> list[float]:
        """The utilities in ascending order (built on first use)."""
        return list(self.sorted_utilities.tolist())


_CACHE: WeakKeyDictionary[Preferences, tuple[Agenda, OwnTable]] = WeakKeyDictionary()
_OUTCOMES: dict[tuple[int, ...], tuple[np.ndarray, list[Outcome], dict[Outcome, int]]] = {}
_SHAPES_KEPT = 4


def _outcomes(agenda: Agenda) -> tuple[np.ndarray, list[Outcome], dict[Outcome, int]]:
    """Every outcome of ``agenda`` as rows and as tuples, in enumeration order, and each
    tuple's place in it (the enumeration depends on the shape only; the last
    :data:`_SHAPES_KEPT` shapes kept)."""
    shape = agenda.shape
    cached = _OUTCOMES.pop(shape, None)
    if cached is None:
        rows = column_major(agenda.outcomes())
        tuples = [tuple(r) for r in rows.tolist()]
        cached = (rows, tuples, {outcome: k for k, outcome in enumerate(tuples)})
        while len(_OUTCOMES) >= _SHAPES_KEPT:
            del _OUTCOMES[next(iter(_OUTCOMES))]
    _OUTCOMES[shape] = cached  # the most recent last
    return cached


def check_space(agenda: Agenda) -> None:
    """Refuse (:class:`~tratado.errors.OutcomeSpaceTooLarge`) a space too large for the
    negotiators that list every package (``Negotiator.lists_outcomes``)."""
    agenda.check_enumerable(NEGOTIATOR_ENUMERATION_LIMIT, "negotiators that list every package",
                            fix=TOO_LARGE_FIX)


def outcome_rows(agenda: Agenda) -> np.ndarray:
    """Every outcome of ``agenda`` as rows of option indices, read-only (cached by shape:
    see :func:`_outcomes`)."""
    return _outcomes(agenda)[0]


def own_table(agenda: Agenda, preferences: Preferences) -> OwnTable:
    """The (cached) table of ``preferences`` over ``agenda``."""
    cached = _CACHE.get(preferences)
    if cached is not None and cached[0] is agenda:
        return cached[1]
    check_space(agenda)
    every, _, index = _outcomes(agenda)
    utilities = listed_utilities(agenda, preferences)  # shared with the exact frontier
    if utilities is None:
        utilities = preferences.utility(every)
        utilities.setflags(write=False)
    table = OwnTable(every, utilities, UtilityLookup(index, utilities))
    _CACHE[preferences] = (agenda, table)
    return table


def cached_table(agenda: Agenda, preferences: Preferences) -> OwnTable | None:
    """The table of ``preferences`` if one was already built for ``agenda``."""
    cached = _CACHE.get(preferences)
    return cached[1] if cached is not None and cached[0] is agenda else None


def table_utility(agenda: Agenda, preferences: Preferences, outcome: Outcome) -> float | None:
    """``outcome``'s utility from the table of ``preferences`` when the negotiators have
    already built one for ``agenda`` (a dict lookup), else None (evaluate it instead)."""
    table = cached_table(agenda, preferences)
    return None if table is None else table.lookup.get(outcome)
