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
preferences over one agenda only sorts them again. A table is derived from
one party's preferences only and is handed only to that party's negotiator.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np

from tratado.agenda import Agenda
from tratado.preferences import Preferences
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

    def __init__(self, index: dict[Outcome, int], values: list[float]) -> None:
        self._index = index
        self._values = values

    def __getitem__(self, outcome: Outcome) -> float:
        return self._values[self._index[outcome]]

    def __contains__(self, outcome: object) -> bool:
        return outcome in self._index

    def get(self, outcome: Outcome, default: Any = None) -> Any:
        found = self._index.get(outcome)
        return default if found is None else self._values[found]

    def __iter__(self) -> Iterator[Outcome]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


@dataclass(frozen=True, eq=False)
class OwnTable:
    """Outcomes sorted by own utility (ascending), with a lookup."""

    outcomes: list[Outcome]
    utilities: list[float]
    rows: np.ndarray
    lookup: UtilityLookup

    @property
    def best(self) -> float:
        return self.utilities[-1]

    @property
    def worst(self) -> float:
        return self.utilities[0]


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
        rows = agenda.outcomes()
        rows.setflags(write=False)
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
    every, tuples, index = _outcomes(agenda)
    utilities = preferences.utility(every)
    order = np.argsort(utilities, kind="stable")
    rows = every[order]
    rows.setflags(write=False)
    outcomes = list(itemgetter(*order.tolist())(tuples)) if len(tuples) > 1 else list(tuples)
    values = utilities[order].tolist()
    table = OwnTable(outcomes, values, rows, UtilityLookup(index, utilities.tolist()))
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
