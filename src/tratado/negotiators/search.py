"""Offer finders: "a package worth about this much to me, and, among those, the one my
model of the others likes best" — answered the same way whatever the size of the space.

Every built-in negotiator asks its :class:`OfferFinder` (``Negotiator.finder``):

* :meth:`~OfferFinder.at_least` ``(target)`` — the package worth the least to me that is
  still worth at least ``target`` (my best when nothing is);
* :meth:`~OfferFinder.liked_most` ``(target, scores, candidates)`` — among packages
  worth at least ``target`` and close to it, the one whose additive ``scores`` (an
  opponent model: per issue, what each option is worth to the others) are highest;
* :meth:`~OfferFinder.random_at_least` ``(level, rng)`` — a random package worth at
  least ``level``;
* ``best``, ``best_outcome``, ``worst`` and ``utility(outcome)``.

Two finders answer them:

:class:`TableFinder` — spaces of up to :data:`NEGOTIATOR_ENUMERATION_LIMIT` packages:
every package sorted by my utility once (:mod:`tratado.negotiators._tables`); a bisect
answers ``at_least`` exactly, ``liked_most`` scores the ``candidates`` packages at or
just above the target, ``random_at_least`` draws uniformly among those worth ``level``.

:class:`SearchFinder` — larger spaces, preferences made of option values and package
rules (linear-additive, constraints, GENIUS non-linear); nothing is listed:

* ``best`` and ``worst`` are exact: the best option of each issue (additive) or one
  mixed-integer programme each (:mod:`tratado.negotiators.programme`, SciPy);
* ``at_least`` is **exact** for additive preferences whose issues split into two halves
  of at most :data:`HALF_LIMIT` combinations each (meet in the middle: every sum of a
  first-half and a second-half utility, searched by bisection) — a 10 x 10 agenda of
  10^10 packages is two halves of 10^5; otherwise a **bounded local search**: a pool of
  packages spread over my utility range is built once (greedy descents from my best to
  :data:`LADDER` levels, and :data:`CLIMBS` hill-climbs from packages drawn from a fixed
  seed, every package met kept); then from each of the :data:`STARTS` pool packages
  nearest at or above the target it takes single-issue changes that land lowest at or
  above the target (at most twice the number of issues of them), and keeps the lowest
  package reached. It is always worth at least the target (when the target is reachable
  at all) and never more than my best, but it may sit above the closest one (measured on
  ANAC-2014-shaped domains: the closest one for 35% of targets at 10 issues and 65% at
  40, median excess 0.4% and 0% of the utility range, at most 11% and 4.4%);
* ``liked_most`` starts there and climbs the scores by single-issue changes that keep my
  utility between the target and the target plus :data:`BAND` of my utility range (at
  most ``candidates`` changes) — the best a local search finds, not a proven best;
* ``random_at_least`` draws uniform packages from the seed and keeps the first worth at
  least ``level`` (else the package ``at_least`` finds for a level drawn uniformly
  between ``level`` and my best).

Each search step evaluates a package's every single-issue change at once
(:class:`~tratado.negotiators.landscape.Landscape`), so a step costs issues x options x
rules booleans whatever the size of the space. Finders are built once per preferences
object and kept (weakly): a tournament or a replay on the same scenario reuses them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from weakref import WeakKeyDictionary

import numpy as np

from tratado.agenda import Agenda
from tratado.errors import OutcomeSpaceTooLarge
from tratado.negotiators._tables import NEGOTIATOR_ENUMERATION_LIMIT, OwnTable, own_table
from tratado.negotiators.landscape import (
    TOLERANCE,
    Landscape,
    climb_path,
    descend,
    favour,
    padded,
)
from tratado.negotiators.programme import extreme_package
from tratado.preferences import LinearAdditive, Preferences
from tratado.protocols.events import Outcome

#: Largest half of an additive agenda the exact meet-in-the-middle search lists.
HALF_LIMIT = 1 << 18
#: Levels of the descents from the best package that fill a local search's pool.
LADDER = 128
#: Climbs from seeded random packages that fill it too.
CLIMBS = 64
#: Packages of the pool, nearest at or above the target, each refined by a descent.
STARTS = 4
#: Width of the band ``liked_most`` searches above the target, as a share of my range.
BAND = 0.02
#: Packages whose utility a search finder remembers (then it forgets them all).
REMEMBERED = 100_000

AT_OR_ABOVE = ("searched: at or above its target (the closest, on additive agendas of two"
               " listable halves; else by a bounded local search)")
"""What negotiators that propose at or above a target do on spaces too large to list."""


class OfferFinder:
    """What every built-in negotiator asks of its own preferences (see the module doc)."""

    table: OwnTable | None = None
    best: float
    worst: float
    best_outcome: Outcome
    lookup: Mapping[Outcome, float]

    def utility(self, outcome: Outcome) -> float:
        """My utility of ``outcome``."""
        raise NotImplementedError

    def at_least(self, target: float) -> Outcome:
        """The package worth the least to me among those worth at least ``target``."""
        raise NotImplementedError

    def liked_most(self, target: float, scores: Sequence[np.ndarray], candidates: int) -> Outcome:
        """Among packages worth at least ``target`` (and close to it), the one whose
        per-issue ``scores`` sum highest; ties go to the package worth more to me."""
        raise NotImplementedError

    def random_at_least(self, level: float, rng: np.random.Generator) -> Outcome:
        """A random package worth at least ``level`` (my best when none is)."""
        raise NotImplementedError


class TableFinder(OfferFinder):
    """Answers from the full sorted table (small spaces; exact)."""

    def __init__(self, table: OwnTable) -> None:
        self.table = table
        self.lookup = table.lookup
        self._utils = table.utilities
        self._outcomes = table.outcomes
        self._last = len(self._utils) - 1
        self.best, self.worst = table.best, table.worst
        self.best_outcome = self._outcomes[-1]

    def utility(self, outcome: Outcome) -> float:
        return self.lookup[outcome]

    def at_least(self, target: float) -> Outcome:
        i = bisect_left(self._utils, target)
        return self._outcomes[i if i <= self._last else self._last]

    def liked_most(self, target: float, scores: Sequence[np.ndarray], candidates: int) -> Outcome:
        size = self._last + 1
        low = min(bisect_left(self._utils, target), size - 1)
        high = min(low + candidates, size)
        block = self.table.rows[low:high]  # type: ignore[union-attr]
        total = np.zeros(high - low)
        for issue, score in enumerate(scores):
            total += score[block[:, issue]]
        # Ties go to the package better for me (later in the ascending order).
        best = high - low - 1 - int(np.argmax(total[::-1]))
        return self._outcomes[low + best]

    def random_at_least(self, level: float, rng: np.random.Generator) -> Outcome:
        low = min(bisect_left(self._utils, level), self._last)
        return self._outcomes[low + int(rng.integers(self._last + 1 - low))]


class SearchFinder(OfferFinder):
    """Answers by search on the preferences' structure (spaces too large to list)."""

    def __init__(self, agenda: Agenda, preferences: Preferences) -> None:
        self.preferences = preferences
        self.shape = agenda.shape
        self.land = Landscape(preferences, self.shape)
        self._memo: dict[Outcome, float] = {}
        self.lookup = self._memo
        self._best_row = extreme_package(preferences, self.shape)
        self._worst_row = extreme_package(preferences, self.shape, lowest=True)
        self.best_outcome = tuple(int(v) for v in self._best_row)
        self.best = self.utility(self.best_outcome)
        self.worst = self.utility(tuple(int(v) for v in self._worst_row))
        self._halves = _Halves.of(preferences, self.shape)
        self._ladder: tuple[list[float], list[np.ndarray]] | None = None
        self._steps = 2 * len(self.shape)

    def utility(self, outcome: Outcome) -> float:
        memo = self._memo
        value = memo.get(outcome)
        if value is None:
            if len(memo) >= REMEMBERED:
                memo.clear()
            # the landscape's sum (to within 1e-15 of the preferences' own, much faster)
            value = memo[outcome] = self.land.value(np.asarray(outcome, dtype=np.int64))
        return value

    def _pool(self) -> tuple[list[float], list[np.ndarray]]:
        """Packages spread over my utility range, sorted by utility (built on first use):
        every package met on greedy descents from my best to :data:`LADDER` levels down
        to my worst, and on :data:`CLIMBS` best-improvement climbs from packages drawn
        from a fixed seed (the pool belongs to the preferences, not to a session)."""
        if self._ladder is None:
            land, steps = self.land, self._steps
            found: dict[float, np.ndarray] = {}
            row = self._best_row
            found[land.value(row)] = row
            for level in np.linspace(self.best, self.worst, LADDER)[1:]:
                row, value = descend(land, row, float(level), steps)
                found.setdefault(value, row)
            starts = np.random.default_rng(0).integers(0, np.array(self.shape),
                                                       size=(CLIMBS, len(self.shape)))
            for start in starts:
                for row, value in climb_path(land, start, steps):
                    found.setdefault(value, row)
            ordered = sorted(found.items(), key=lambda item: item[0])
            self._ladder = ([v for v, _ in ordered], [r for _, r in ordered])
        return self._ladder

    def _at_least_row(self, target: float) -> np.ndarray:
        if target >= self.best - TOLERANCE:
            return self._best_row
        if self._halves is not None:
            return self._halves.at_least(target)
        values, rows = self._pool()
        k = min(bisect_left(values, target - TOLERANCE), len(rows) - 1)
        best_row, best_value = rows[k], np.inf
        for start in rows[k:k + STARTS]:  # the nearest few at or above, each refined
            row, value = descend(self.land, start, target, self._steps)
            if value < best_value - TOLERANCE:
                best_row, best_value = row, value
        return best_row

    def at_least(self, target: float) -> Outcome:
        return tuple(int(v) for v in self._at_least_row(target))

    def liked_most(self, target: float, scores: Sequence[np.ndarray], candidates: int) -> Outcome:
        start = self._at_least_row(target)
        own = self.land.value(start)
        low = min(target, own)
        high = max(target, own) + BAND * max(self.best - self.worst, 0.0)
        row = favour(self.land, start, padded(scores, self.shape), low, high, candidates)
        return tuple(int(v) for v in row)

    def random_at_least(self, level: float, rng: np.random.Generator) -> Outcome:
        high = np.array(self.shape)
        for _ in range(8):
            rows = rng.integers(0, high, size=(256, len(high)))
            hits = np.flatnonzero(self.land.values(rows) >= level)
            if hits.size:
                return tuple(int(v) for v in rows[int(hits[0])])
        top = max(self.best, level)
        return self.at_least(level + float(rng.random()) * (top - level))


class _Halves:
    """Meet in the middle for additive preferences: every utility of the first issues'
    options and, sorted, of the last issues'; a package is one of each."""

    def __init__(self, parts: list[np.ndarray], split: int) -> None:
        left = [parts[i] for i in range(split)]
        right = [parts[i] for i in range(split, len(parts))]
        self.left_rows, self.left = _combinations(left)
        rows, values = _combinations(right)
        order = np.argsort(values, kind="stable")
        self.right_rows, self.right = rows[order], values[order]

    @classmethod
    def of(cls, preferences: Preferences, shape: Sequence[int]) -> _Halves | None:
        if not isinstance(preferences, LinearAdditive) or len(shape) < 2:
            return None
        sizes = np.cumprod([float(k) for k in shape])
        total = sizes[-1]
        split = int(np.argmin([max(sizes[k], total / sizes[k]) for k in range(len(shape) - 1)])) + 1
        if max(sizes[split - 1], total / sizes[split - 1]) > HALF_LIMIT:
            return None
        return cls(preferences.contributions(), split)

    def at_least(self, target: float) -> np.ndarray:
        """The package of least utility at or above ``target`` (exact; ties: first half's
        lowest index). The caller handles targets above the best."""
        right, size = self.right, self.right.size
        idx = np.searchsorted(right, target - self.left - TOLERANCE, side="left")
        best_value, best = np.inf, (0, size - 1)
        for shift in (0, 1):
            at = np.minimum(idx + shift, size - 1)
            total = self.left + right[at]
            ok = (idx + shift < size) & (total >= target - TOLERANCE)
            if ok.any():
                masked = np.where(ok, total, np.inf)
                i = int(np.argmin(masked))
                if masked[i] < best_value:
                    best_value, best = float(masked[i]), (i, int(at[i]))
        i, j = best
        return np.concatenate([self.left_rows[i], self.right_rows[j]])


def _combinations(parts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Every combination of options of ``parts``' issues and its summed contribution."""
    shape = [len(p) for p in parts]
    rows = np.indices(shape).reshape(len(shape), -1).T.astype(np.int64)
    values = np.zeros(rows.shape[0])
    for i, part in enumerate(parts):
        values += part[rows[:, i]]
    return rows, values


_FINDERS: WeakKeyDictionary[Preferences, tuple[Agenda, OfferFinder]] = WeakKeyDictionary()


def offer_finder(agenda: Agenda, preferences: Preferences) -> OfferFinder:
    """The (cached) offer finder of ``preferences`` over ``agenda``: a table for spaces of
    up to :data:`NEGOTIATOR_ENUMERATION_LIMIT` packages, a search beyond."""
    cached = _FINDERS.get(preferences)
    if cached is not None and cached[0] is agenda:
        return cached[1]
    finder: OfferFinder
    if agenda.size <= NEGOTIATOR_ENUMERATION_LIMIT:
        finder = TableFinder(own_table(agenda, preferences))
    else:
        check_searchable(agenda, preferences)
        finder = SearchFinder(agenda, preferences)
    _FINDERS[preferences] = (agenda, finder)
    return finder


def check_searchable(agenda: Agenda, preferences: Preferences, who: str = "a party",
                     field: str | None = None) -> None:
    """Refuse (a :class:`~tratado.errors.TratadoError`, with the fix) preferences the
    built-in negotiators cannot negotiate with over ``agenda``: a space too large to list
    with preferences that have no option structure (a table; ``field`` names them), or
    non-linear preferences there without SciPy. ``who`` names the party."""
    if agenda.size <= NEGOTIATOR_ENUMERATION_LIMIT:
        return
    if not Landscape.supports(preferences):
        raise OutcomeSpaceTooLarge(
            f"the preferences of {who} are a table of packages, and the space has"
            f" {agenda.size:,} packages, more than the {NEGOTIATOR_ENUMERATION_LIMIT:,} the"
            " built-in negotiators list; larger spaces are searched, which needs preferences"
            " made of option values and package rules.", field=field,
            fix="give linear-additive or constraints preferences, or use fewer options.")
    if not isinstance(preferences, LinearAdditive):
        from tratado.negotiators.programme import NEEDS_SCIPY_FIX, has_solver

        if not has_solver():
            from tratado.analysis.milp import MilpUnavailable

            raise MilpUnavailable(
                f"the space has {agenda.size:,} packages, too many to list, and negotiating"
                f" there on the non-linear preferences of {who} searches them with"
                " mixed-integer programmes, which need SciPy.", fix=NEEDS_SCIPY_FIX)
