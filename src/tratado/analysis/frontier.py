"""Exact Pareto frontiers of finite outcome spaces.

An *outcome* picks one option per issue and is stored as a row of option indices (issue 0
first).  Its *utility vector* holds one float64 per party.

Semantics
---------
* Utilities are compared on the grid of :mod:`tratado.analysis.ties`: each is rounded to
  the nearest multiple of ``2**-32`` (exactly, monotonically) before any comparison, so
  that float noise (two sums equal in exact arithmetic, one ulp apart in float64) never
  decides dominance or splits a tie, for any number of parties.  Below, "equal", ``>=``
  and ``>`` compare these rounded values exactly.
* ``y`` strictly dominates ``x`` when ``y >= x`` for every party and ``y > x`` for at least
  one.
* The *frontier* is the set of distinct (rounded) utility vectors that no outcome strictly
  dominates.  Each frontier point carries a *representative* outcome -- the
  lexicographically smallest option-index row (issue 0 most significant) among the outcomes
  with that vector --, the representative's own float utilities, and ``ties``, the number
  of outcomes with that vector.
* Frontier points are ordered lexicographically descending on their rounded utility
  vectors (party 0 descending, then party 1 descending, ...).
* For additive utilities the utility of outcome ``x`` for party ``p`` is
  ``((0.0 + c_0[x_0, p]) + c_1[x_1, p]) + ...``: summed in issue order starting at 0.0, where
  ``c_i`` is the ``(n_options_i, n_parties)`` array of per-option contributions.

Algorithms
----------
:func:`pareto_mask` (in :mod:`tratado.analysis.dominance`) finds the non-dominated rows of
an explicit set; :func:`frontier_from_points` and :class:`FrontierBuilder` build on it.

:func:`additive_frontier` never enumerates the space.  It runs a dynamic programme over
issues using ``Pareto(A + B) ⊆ Pareto(A) + Pareto(B)``: the states after issue ``i`` are the
non-dominated partial sums, each with a tie count and a back-pointer to its representative.
See its docstring for why float rounding does not break exactness.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from tratado.analysis.dominance import as_utilities, binned_candidates, keep_mask, pareto_mask
from tratado.analysis.ties import UTILITY_GRID, snap

if TYPE_CHECKING:
    from tratado.analysis.budget import WorkBudget

__all__ = [
    "Frontier",
    "FrontierBuilder",
    "additive_frontier",
    "frontier_from_points",
    "pareto_mask",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_INT64_MAX = int(np.iinfo(np.int64).max)


def _readonly(array: npt.NDArray[np.generic]) -> npt.NDArray[np.generic]:
    """Return a read-only view of ``array`` (the caller's array keeps its own flags)."""
    view = array.view()
    view.flags.writeable = False
    return view


@dataclass(frozen=True, eq=False)
class Frontier:
    """The Pareto frontier of a set of outcomes.

    Attributes:
        utilities: ``(f, k)`` float64 distinct non-dominated utility vectors, sorted
            lexicographically descending.
        outcomes: ``(f, n_issues)`` int64 representative outcome of each point (the
            lexicographically smallest outcome with exactly that utility vector).
        ties: ``(f,)`` int64 number of outcomes with exactly that utility vector.

    The arrays are exposed as read-only views.
    """

    utilities: FloatArray
    outcomes: IntArray
    ties: IntArray

    def __post_init__(self) -> None:
        utilities = np.asarray(self.utilities, dtype=np.float64)
        outcomes = np.asarray(self.outcomes, dtype=np.int64)
        ties = np.asarray(self.ties, dtype=np.int64)
        if utilities.ndim != 2 or outcomes.ndim != 2 or ties.ndim != 1:
            raise ValueError("utilities and outcomes must be 2-D and ties 1-D")
        if not len(utilities) == len(outcomes) == len(ties):
            raise ValueError("utilities, outcomes and ties must have the same length")
        object.__setattr__(self, "utilities", _readonly(utilities))
        object.__setattr__(self, "outcomes", _readonly(outcomes))
        object.__setattr__(self, "ties", _readonly(ties))

    def __len__(self) -> int:
        return int(self.utilities.shape[0])

    def rational(self, reservation: npt.ArrayLike) -> Frontier:
        """Return the points whose utility is ``>= reservation`` for every party (compared
        on the utility grid, like every comparison here).

        This is exactly the frontier of the rational outcomes (those ``>= reservation``):
        a rational point undominated among all outcomes is undominated among the rational
        ones, and if ``y`` dominates a rational ``x`` then ``y >= x >= reservation`` is
        rational too, so a dominated rational point is also dominated within the rational
        set.  Representatives and tie counts carry over because every outcome sharing a
        rational vector is itself rational.  Order is preserved.
        """
        r = _reservation(reservation, self.utilities.shape[1])
        keep = np.all(snap(self.utilities) >= snap(r), axis=1)
        return Frontier(self.utilities[keep], self.outcomes[keep], self.ties[keep])


def _reservation(reservation: npt.ArrayLike, n_parties: int) -> FloatArray:
    """Validate a reservation vector: shape ``(n_parties,)``, finite float64."""
    r = np.asarray(reservation, dtype=np.float64)
    if r.shape != (n_parties,):
        raise ValueError(f"reservation must have shape ({n_parties},), got {r.shape}")
    if not np.all(np.isfinite(r)):
        raise ValueError("reservation must be finite")
    return r


# --------------------------------------------------------------------------------------
# Frontiers from explicit points
# --------------------------------------------------------------------------------------


def _desc_keys(u: FloatArray) -> list[FloatArray]:
    """``np.lexsort`` keys (least significant first) for lexicographic descent on ``u``."""
    return [-u[:, j] for j in reversed(range(u.shape[1]))]


def _group_starts(u: FloatArray) -> IntArray:
    """Start indices of runs of identical rows in ``u`` (already sorted)."""
    new = np.ones(u.shape[0], dtype=np.bool_)
    if u.shape[0] > 1:
        new[1:] = np.any(u[1:] != u[:-1], axis=1)
    return np.flatnonzero(new)


def _grid_survivors(utilities: FloatArray,
                    budget: WorkBudget | None = None) -> tuple[IntArray, FloatArray]:
    """Indices of the rows not strictly dominated on the utility grid, and their grid
    utilities.

    A cheap first pass drops, on the raw floats, rows beaten by more than one grid step on
    some party and ``>=`` on all: rounding is monotone, so they are strictly dominated on
    the grid too (and that relation is transitive, so any chain of them ends at a kept
    row).  Only the survivors are rounded and filtered exactly.

    Two parties and many rows are binned instead (:func:`binned_candidates`, on the same
    relation); so few rows are left that they are all rounded and filtered exactly: the
    rows the first pass would drop among them are strictly dominated on the grid by a
    row it keeps, so the exact filter drops them, and they dominate no row it keeps.
    """
    index = binned_candidates(utilities, UTILITY_GRID)
    if index is not None:
        rounded = snap(utilities[index])
        keep = keep_mask(rounded, 0.0, budget)
        return index[keep], rounded[keep]
    index = np.flatnonzero(keep_mask(utilities, UTILITY_GRID, budget)).astype(np.int64)
    rounded = snap(utilities[index])
    keep = keep_mask(rounded, 0.0, budget)
    return index[keep], rounded[keep]


def _reduce(utilities: FloatArray, outcomes: IntArray, weights: IntArray | None,
            budget: WorkBudget | None = None) -> Frontier:
    """Frontier of weighted points (weight = how many outcomes a row stands for; None:
    one each)."""
    index, s = _grid_survivors(utilities, budget)
    u, o = utilities[index], outcomes[index]
    w = np.ones(index.size, dtype=np.int64) if weights is None else weights[index]
    order = np.lexsort([o[:, i] for i in reversed(range(o.shape[1]))] + _desc_keys(s))
    u, s, o, w = u[order], s[order], o[order], w[order]
    starts = _group_starts(s)
    ties = np.add.reduceat(w, starts) if starts.size else np.zeros(0, dtype=np.int64)
    return Frontier(u[starts], o[starts], ties)


def _as_outcomes(outcomes: npt.ArrayLike, m: int, n_issues: int | None = None) -> IntArray:
    o = np.asarray(outcomes)
    if o.ndim != 2 or o.shape[0] != m:
        raise ValueError(f"outcomes must have shape ({m}, n_issues), got {o.shape}")
    if n_issues is not None and o.shape[1] != n_issues:
        raise ValueError(f"outcomes must have {n_issues} columns, got {o.shape[1]}")
    if o.size and not np.issubdtype(o.dtype, np.integer):
        raise ValueError("outcomes must hold integer option indices")
    return o.astype(np.int64, copy=False)


def frontier_from_points(utilities: npt.ArrayLike, outcomes: npt.ArrayLike) -> Frontier:
    """Frontier of an explicit set of outcomes.

    Args:
        utilities: ``(m, k)`` utility vector of each outcome.
        outcomes: ``(m, n_issues)`` option indices of each outcome.

    Equal vectors (on the utility grid) are merged: the representative is the
    lexicographically smallest outcome among them and ``ties`` counts them.
    """
    u = as_utilities(utilities)
    o = _as_outcomes(outcomes, u.shape[0])
    return _reduce(u, o, None)


class FrontierBuilder:
    """Streaming frontier for outcome spaces enumerated in chunks.

    Only the running frontier is kept between chunks.  Tie counts stay exact: a vector
    dropped once is strictly dominated by a kept vector (or by one that dominates it), so it
    can never reach the final frontier, while every copy of a final frontier vector is kept
    and counted when it arrives.
    """

    def __init__(self, n_parties: int, n_issues: int, budget: WorkBudget | None = None) -> None:
        if n_parties < 1 or n_issues < 0:
            raise ValueError("need n_parties >= 1 and n_issues >= 0")
        self._budget = budget
        self._n_parties = n_parties
        self._n_issues = n_issues
        self._frontier = Frontier(
            np.zeros((0, n_parties)), np.zeros((0, n_issues), np.int64), np.zeros(0, np.int64)
        )

    def add(self, utilities: npt.ArrayLike, outcomes: npt.ArrayLike) -> None:
        """Merge one chunk of outcomes (``(m, k)`` utilities, ``(m, n_issues)`` indices)."""
        u = as_utilities(utilities)
        if u.shape[1] != self._n_parties:
            raise ValueError(f"utilities must have {self._n_parties} columns, got {u.shape[1]}")
        o = _as_outcomes(outcomes, u.shape[0], self._n_issues)
        f = self._frontier
        if not len(f):  # the first chunk (often the only one): no copy of it
            self._frontier = _reduce(u, o, None, self._budget)
            return
        self._frontier = _reduce(
            np.concatenate([f.utilities, u]),
            np.concatenate([f.outcomes, o]),
            np.concatenate([f.ties, np.ones(u.shape[0], dtype=np.int64)]),
            self._budget,
        )

    def result(self) -> Frontier:
        """The frontier of everything added so far."""
        return self._frontier


# --------------------------------------------------------------------------------------
# Additive utilities
# --------------------------------------------------------------------------------------


def additive_frontier(contributions: Sequence[npt.ArrayLike],
                      budget: WorkBudget | None = None) -> Frontier:
    """Exact frontier of an additive outcome space, without enumerating it.

    Args:
        contributions: one ``(n_options_i, k)`` array per issue, in issue order;
            ``c_i[o, p]`` is what option ``o`` of issue ``i`` adds to party ``p``.
        budget: stops the computation when it takes more work than allowed
            (:mod:`tratado.analysis.budget`); None for no limit.

    Dynamic programme: ``F_0 = {0}`` and ``F_{i+1}`` keeps the sums ``f + c_i[o]``
    (``f`` in ``F_i``) that survive a dominance filter.  Identical sums merge: their
    multiplicities add, and the representative is the smallest ``(rank of the parent's
    representative, o)``, which is the lexicographically smallest outcome because issue 0
    is the most significant and parent ranks order parent representatives.

    Exactness under float rounding.  Round-to-nearest addition is monotone
    (``a >= b`` implies ``fl(a + c) >= fl(b + c)``), so a dominating prefix stays at least as
    good after any suffix and the set of frontier *vectors* is exact with a plain Pareto
    filter.  But a strict gap can be absorbed by rounding (``1e-20 + 0.5 == 0 + 0.5``), so
    an outcome through a strictly dominated prefix can *tie* a frontier vector; dropping it
    would miscount ``ties`` and could pick the wrong representative.  So an intermediate
    state is dropped only when some state is ``>=`` everywhere and larger by more than
    ``r * B * 2**-50`` somewhere, where ``r`` is the number of additions still to come and
    ``B`` bounds every partial sum: each later addition moves a gap by at most
    ``B * 2**-52``, so such a state stays strictly dominated whatever follows; the margin
    also adds one grid step (``2**-32``), so the state stays strictly dominated after the
    final sums are rounded to the utility grid.  The last issue rounds the sums to the
    grid and uses the exact filter on them.  On real-valued data the extra kept states are
    rare.
    """
    cs = [np.asarray(c, dtype=np.float64) for c in contributions]
    if not cs:
        raise ValueError("need at least one issue")
    k = cs[0].shape[1] if cs[0].ndim == 2 else 0
    for c in cs:
        if c.ndim != 2 or c.shape[0] < 1 or c.shape[1] != k or k < 1:
            raise ValueError("each contribution must be an (n_options >= 1, k >= 1) array")
        if not np.all(np.isfinite(c)):
            raise ValueError("contributions must be finite")
    bound = float(sum(float(np.abs(c).max()) for c in cs)) * (1.0 + 1e-9)
    if not np.isfinite(bound):
        raise ValueError("contributions are too large: partial sums would overflow")

    values = np.zeros((1, k))
    ties: npt.NDArray[np.int64] | npt.NDArray[np.object_] = np.ones(1, dtype=np.int64)
    ranks = np.zeros(1, dtype=np.int64)
    parents: list[IntArray] = []
    options: list[IntArray] = []
    space = 1  # outcomes in the prefix space; beyond int64, count ties as Python ints
    for i, c in enumerate(cs):
        n_opt = c.shape[0]
        space *= n_opt
        if space > _INT64_MAX and ties.dtype != object:
            ties = ties.astype(object)
        cand = (values[:, None, :] + c[None, :, :]).reshape(-1, k)
        parent = np.repeat(np.arange(values.shape[0], dtype=np.int64), n_opt)
        option = np.tile(np.arange(n_opt, dtype=np.int64), values.shape[0])
        remaining = len(cs) - 1 - i
        if remaining:  # raw partial sums, dropped only when dominated beyond any rounding
            keep = keep_mask(cand, remaining * bound * 2.0**-50 + UTILITY_GRID, budget)
            cand, parent, option = cand[keep], parent[keep], option[keep]
            key = cand
        else:  # final sums: compared on the utility grid
            index, key = _grid_survivors(cand, budget)
            cand, parent, option = cand[index], parent[index], option[index]
        rep_key = ranks[parent] * n_opt + option
        order = np.lexsort([rep_key, *_desc_keys(key)])
        cand, key = cand[order], key[order]
        parent, option, rep_key = parent[order], option[order], rep_key[order]
        starts = _group_starts(key)
        ties = np.add.reduceat(ties[parent], starts)
        values = cand[starts]
        parents.append(parent[starts])
        options.append(option[starts])
        ranks = np.empty(starts.size, dtype=np.int64)
        ranks[np.argsort(rep_key[starts])] = np.arange(starts.size)

    state = np.arange(values.shape[0], dtype=np.int64)
    outcomes = np.empty((values.shape[0], len(cs)), dtype=np.int64)
    for i in reversed(range(len(cs))):
        outcomes[:, i] = options[i][state]
        state = parents[i][state]
    if ties.dtype == object:
        if max(ties, default=0) > _INT64_MAX:
            raise OverflowError("a tie count does not fit in int64")
        ties = ties.astype(np.int64)
    return Frontier(values, outcomes, ties.astype(np.int64))
