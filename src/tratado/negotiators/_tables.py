"""Per-preferences lookup tables that negotiators precompute once (not per step).

A :class:`OwnTable` holds, for one party's own preferences on one agenda, every
outcome sorted by that party's utility (ascending) and a dict from outcome to
utility, so the hot loop does a bisect and a dict lookup instead of numpy calls.
Tables are cached per preferences object (weakly), so a tournament that runs the
same scenario thousands of times builds each table once. A table is derived from
one party's preferences only and is handed only to that party's negotiator.
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True, eq=False)
class OwnTable:
    """Outcomes sorted by own utility (ascending), with a lookup dict."""

    outcomes: list[Outcome]
    utilities: list[float]
    rows: np.ndarray
    lookup: dict[Outcome, float]

    @property
    def best(self) -> float:
        return self.utilities[-1]

    @property
    def worst(self) -> float:
        return self.utilities[0]


_CACHE: WeakKeyDictionary[Preferences, tuple[Agenda, OwnTable]] = WeakKeyDictionary()


def check_space(agenda: Agenda) -> None:
    """Refuse (:class:`~tratado.errors.OutcomeSpaceTooLarge`) a space too large for the
    negotiators that list every package (``Negotiator.lists_outcomes``)."""
    agenda.check_enumerable(NEGOTIATOR_ENUMERATION_LIMIT, "negotiators that list every package",
                            fix=TOO_LARGE_FIX)


def own_table(agenda: Agenda, preferences: Preferences) -> OwnTable:
    """The (cached) table of ``preferences`` over ``agenda``."""
    cached = _CACHE.get(preferences)
    if cached is not None and cached[0] is agenda:
        return cached[1]
    check_space(agenda)
    rows = agenda.outcomes()
    utilities = preferences.utility(rows)
    order = np.argsort(utilities, kind="stable")
    rows = rows[order]
    rows.setflags(write=False)
    outcomes = [tuple(r) for r in rows.tolist()]
    values = utilities[order].tolist()
    table = OwnTable(outcomes, values, rows, dict(zip(outcomes, values, strict=True)))
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
