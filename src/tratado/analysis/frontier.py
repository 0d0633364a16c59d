"""Exact Pareto frontiers of finite outcome spaces.

An *outcome* picks one option per issue and is stored as a row of option indices (issue 0
first).  Its *utility vector* holds one float64 per party.

Semantics
---------
* ``y`` strictly dominates ``x`` when ``y >= x`` for every party and ``y > x`` for at least
  one.  All comparisons are exact comparisons of float64 values (no tolerance), so two
  vectors are "equal" only when every component compares equal.
* The *frontier* is the set of distinct utility vectors that no outcome strictly dominates.
  Each frontier point carries its utility vector, a *representative* outcome -- the
  lexicographically smallest option-index row (issue 0 most significant) among the outcomes
  with exactly that vector -- and ``ties``, the number of outcomes with exactly that vector.
* Frontier points are ordered lexicographically descending on their utility vectors
  (party 0 descending, then party 1 descending, ...).
* For additive utilities the utility of outcome ``x`` for party ``p`` is
  ``((0.0 + c_0[x_0, p]) + c_1[x_1, p]) + ...``: summed in issue order starting at 0.0, where
  ``c_i`` is the ``(n_options_i, n_parties)`` array of per-option contributions.

Algorithms
----------
:func:`pareto_mask` first discards points strictly dominated by a few strong "killer" points
(maximisers of positively weighted sums), a cheap vectorised pass.  Two parties are then
finished by a sort and sweep in ``O(m log m)``.  Three or more parties next run a grid
filter (a cell lying strictly below some point in every party is dropped wholesale), then sort
the few survivors by total utility descending (ties lexicographically descending), so every
dominator of a point precedes it, and check blocks of candidates, vectorised, against the
growing frontier (strongest points first).  That last step costs ``O(survivors x frontier)``,
so many-party sets whose frontier holds most of the points (near constant-sum utilities) are
the slow case.

:func:`additive_frontier` never enumerates the space.  It runs a dynamic programme over
issues using ``Pareto(A + B) ⊆ Pareto(A) + Pareto(B)``: the states after issue ``i`` are the
non-dominated partial sums, each with a tie count and a back-pointer to its representative.
See its docstring for why float rounding does not break exactness.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

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

_BLOCK = 512  # candidates checked together by the many-party algorithm
_CHUNK = 2048  # frontier points compared against one block at a time
_GRID_CELLS = 1 << 15  # cells of the grid prefilter (per round)
_GRID_MIN = 4096  # rows below which the grid prefilter is not worth it
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
        """Return the points whose utility is ``>= reservation`` for every party.

        This is exactly the frontier of the rational outcomes (those ``>= reservation``):
        a rational point undominated among all outcomes is undominated among the rational
        ones, and if ``y`` dominates a rational ``x`` then ``y >= x >= reservation`` is
        rational too, so a dominated rational point is also dominated within the rational
        set.  Representatives and tie counts carry over because every outcome sharing a
        rational vector is itself rational.  Order is preserved.
        """
        r = _reservation(reservation, self.utilities.shape[1])
        keep = np.all(self.utilities >= r, axis=1)
        return Frontier(self.utilities[keep], self.outcomes[keep], self.ties[keep])


def _reservation(reservation: npt.ArrayLike, n_parties: int) -> FloatArray:
    """Validate a reservation vector: shape ``(n_parties,)``, finite float64."""
    r = np.asarray(reservation, dtype=np.float64)
    if r.shape != (n_parties,):
        raise ValueError(f"reservation must have shape ({n_parties},), got {r.shape}")
    if not np.all(np.isfinite(r)):
        raise ValueError("reservation must be finite")
    return r


def _as_utilities(utilities: npt.ArrayLike) -> FloatArray:
    """Validate a ``(m, k)`` finite float64 utility matrix with ``k >= 1``."""
    u = np.asarray(utilities, dtype=np.float64)
    if u.ndim != 2 or u.shape[1] < 1:
        raise ValueError(f"utilities must have shape (m, k) with k >= 1, got {u.shape}")
    if not np.all(np.isfinite(u)):
        raise ValueError("utilities must be finite")
    return u


# --------------------------------------------------------------------------------------
# Dominance masks.  ``tol`` generalises strict dominance: ``y`` tol-dominates ``x`` when
# ``y >= x`` everywhere and ``y - x > tol`` somewhere.  ``tol == 0`` is strict dominance.
# The relation is transitive (float subtraction is monotone), so any tol-dominator, even a
# dominated one, is a valid witness.  :func:`additive_frontier` needs ``tol > 0``.
# --------------------------------------------------------------------------------------


def _row_sums(u: FloatArray) -> FloatArray:
    """Sum each row in party order (deterministic, monotone in every column)."""
    total = u[:, 0].copy()
    for j in range(1, u.shape[1]):
        total += u[:, j]
    return total


def _killer_filter(cols: list[FloatArray], total: FloatArray, tol: float) -> IntArray:
    """Indices of rows not tol-dominated by a few strong rows.

    The killers maximise the total and ``total + u_p`` for each party ``p``.
    """
    killers = {int(np.argmax(total))}
    killers.update(int(np.argmax(total + c)) for c in cols)
    dead = np.zeros(total.size, dtype=np.bool_)
    for i in killers:
        covered = np.ones(total.size, dtype=np.bool_)
        beaten = np.zeros(total.size, dtype=np.bool_)
        for x in cols:
            covered &= x <= x[i]
            beaten |= (x < x[i]) if tol == 0.0 else (x[i] - x > tol)
        dead |= covered & beaten
    return np.flatnonzero(~dead)


def _bin(x: FloatArray, lo: float, step: float, size: int) -> IntArray:
    """Bin ``c`` of each ``x`` on the axis cut at ``e(t) = lo + t * step``, ``0 < t < size``.

    Exact: ``e(c) <= x`` unless ``c == 0`` and ``x < e(c + 1)`` unless ``c == size - 1``
    (the float division only gives a first guess, corrected by stepping).
    """
    c = np.clip(np.floor((x - lo) / step), 0, size - 1).astype(np.int64)
    while True:
        down = (c > 0) & (x < lo + c * step)
        up = (c < size - 1) & (x >= lo + (c + 1) * step)
        if not (down.any() or up.any()):
            return c
        c -= down
        c += up


def _grid_filter(cols: list[FloatArray], alive: IntArray, tol: float) -> IntArray:
    """Drop rows whose grid cell lies strictly below another row in every party.

    Each party's axis is cut into equal bins spanning the surviving rows.  A row ``y``
    covers every cell whose upper edges ``e`` satisfy ``fl(y_p - e_p) > tol`` for all ``p``;
    all rows of a covered cell are tol-dominated by ``y`` (their ``x_p < e_p``).  Coverage is
    closed downwards, so a cumulative OR along each axis marks all covered cells at once.
    Rounds repeat on the survivors (with finer bins) while they shrink well.
    """
    k = len(cols)
    size = max(2, int(round(_GRID_CELLS ** (1.0 / k))))
    while alive.size > _GRID_MIN:
        cell = np.zeros(alive.size, dtype=np.int64)
        cover = np.zeros(alive.size, dtype=np.int64)
        covers = np.ones(alive.size, dtype=np.bool_)
        shape: list[int] = []
        for c in cols:
            x = c[alive]
            lo, hi = float(x.min()), float(x.max())
            step = (hi - lo) / size
            if hi == lo:  # constant axis: every row ties on it, so it can be left out
                continue
            if not step > 0.0:  # a spread too small to cut: no cell can be covered
                covers[:] = False
                continue
            b = _bin(x, lo, step, size)
            cell = cell * size + b
            # Largest edge index t >= 1 with fl(x - e(t)) > tol; it covers bins < t.
            t = b.copy()
            while True:
                bad = np.flatnonzero(t >= 1)
                bad = bad[~(x[bad] - (lo + t[bad] * step) > tol)]
                if not bad.size:
                    break
                t[bad] -= 1
            covers &= t >= 1
            cover = cover * size + np.maximum(t - 1, 0)
            shape.append(size)
        if not shape:  # all rows are equal
            break
        grid = np.zeros(shape, dtype=np.bool_)
        grid.reshape(-1)[cover[covers]] = True
        for axis in range(len(shape)):
            grid = np.flip(np.logical_or.accumulate(np.flip(grid, axis), axis=axis), axis)
        killed = grid.reshape(-1)[cell]
        n_killed = int(np.count_nonzero(killed))
        alive = alive[~killed]
        if n_killed * 4 < alive.size:
            break
    return alive


def _mask_1d(values: FloatArray, tol: float) -> BoolArray:
    """One party: the rows within ``tol`` of the best value (exactly the best for 0)."""
    best = float(values.max())
    mask: BoolArray = values == best if tol == 0.0 else best - values <= tol
    return mask


def _mask_2d(u: FloatArray, tol: float) -> BoolArray:
    """Two parties: prefilter, then sort by party 0 descending and sweep."""
    m = u.shape[0]
    cols = [np.ascontiguousarray(u[:, 0]), np.ascontiguousarray(u[:, 1])]
    alive = _killer_filter(cols, cols[0] + cols[1], tol)
    a = cols[0][alive]
    b = cols[1][alive]
    order = np.argsort(-a, kind="stable")
    a, b = a[order], b[order]
    # Groups of equal party-0 utility; a point is undominated iff it has the group's best
    # party-1 utility and beats every party-1 utility of points with larger party-0 utility.
    start = np.empty(a.size, dtype=np.bool_)
    start[:1] = True
    np.not_equal(a[1:], a[:-1], out=start[1:])
    starts = np.flatnonzero(start)
    group_best = np.maximum.reduceat(b, starts)
    before = np.empty_like(group_best)
    before[:1] = -np.inf
    np.maximum.accumulate(group_best[:-1], out=before[1:])
    group = np.cumsum(start) - 1
    exact = (b == group_best[group]) & (b > before[group])
    keep = exact
    if tol > 0.0:
        # Distinct frontier vectors: party 0 strictly decreasing, party 1 strictly increasing.
        on = group_best > before
        f0, f1 = a[starts[on]], group_best[on]
        w0, w1 = a[~exact], b[~exact]
        hi = np.searchsorted(-f0, -w0, side="right") - 1  # last with f0 >= w0
        lo = np.searchsorted(f1, w1, side="left")  # first with f1 >= w1
        hi_c = np.clip(hi, 0, f0.size - 1)
        lo_c = np.clip(lo, 0, f0.size - 1)
        killed = (lo <= hi) & ((f0[lo_c] - w0 > tol) | (f1[hi_c] - w1 > tol))
        keep = exact.copy()
        keep[~exact] = ~killed
    mask = np.zeros(m, dtype=np.bool_)
    mask[alive[order[keep]]] = True
    return mask


def _dominated_by(x: FloatArray, y: FloatArray, tol: float) -> BoolArray:
    """For each row of ``x``: is it tol-dominated by some row of ``y``?"""
    covered = np.ones((x.shape[0], y.shape[0]), dtype=np.bool_)
    beaten = np.zeros_like(covered)
    for j in range(x.shape[1]):
        xj = x[:, j, None]
        yj = y[None, :, j]
        covered &= yj >= xj
        beaten |= (yj > xj) if tol == 0.0 else (yj - xj > tol)
    hit: BoolArray = np.any(covered & beaten, axis=1)
    return hit


def _mask_nd(u: FloatArray, tol: float) -> BoolArray:
    """Three or more parties: prefilters, sort by total descending, block-wise sweep."""
    m, k = u.shape
    cols = [np.ascontiguousarray(u[:, j]) for j in range(k)]
    total = _row_sums(u)
    alive = _grid_filter(cols, _killer_filter(cols, total, tol), tol)
    # Total descending, then lexicographically descending: a dominator has a total at least
    # as large (float addition is monotone) and, on equal totals, is lexicographically
    # larger, so it always comes first.
    keys = [-c[alive] for c in reversed(cols)] + [-total[alive]]
    alive = alive[np.lexsort(keys)]
    cand = u[alive]
    front = np.empty_like(cand)
    n_front = 0
    keep = np.zeros(alive.size, dtype=np.bool_)
    for lo in range(0, alive.size, _BLOCK):
        idx = np.arange(lo, min(lo + _BLOCK, alive.size))
        block = cand[idx]
        for f_lo in range(0, n_front, _CHUNK):
            hit = _dominated_by(block, front[f_lo : min(f_lo + _CHUNK, n_front)], tol)
            idx, block = idx[~hit], block[~hit]
            if not idx.size:
                break
        if idx.size:
            hit = _dominated_by(block, block, tol)
            idx, block = idx[~hit], block[~hit]
            keep[idx] = True
            front[n_front : n_front + idx.size] = block
            n_front += idx.size
    mask = np.zeros(m, dtype=np.bool_)
    mask[alive[keep]] = True
    return mask


def _keep_mask(u: FloatArray, tol: float) -> BoolArray:
    """Rows not tol-dominated by any row (validated input, ``tol >= 0``)."""
    if u.shape[0] == 0:
        return np.zeros(0, dtype=np.bool_)
    if u.shape[1] == 1:
        return _mask_1d(u[:, 0], tol)
    if u.shape[1] == 2:
        return _mask_2d(u, tol)
    return _mask_nd(u, tol)


def pareto_mask(utilities: npt.ArrayLike) -> BoolArray:
    """Return a ``(m,)`` mask, True where the row is strictly dominated by no row.

    Equal rows are all True or all False.  Works for any number of parties ``k >= 1``;
    two parties take ``O(m log m)``.  Utilities must be finite.
    """
    return _keep_mask(_as_utilities(utilities), 0.0)


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


def _reduce(utilities: FloatArray, outcomes: IntArray, weights: IntArray) -> Frontier:
    """Frontier of weighted points (weight = how many outcomes a row stands for)."""
    keep = _keep_mask(utilities, 0.0)
    u, o, w = utilities[keep], outcomes[keep], weights[keep]
    order = np.lexsort([o[:, i] for i in reversed(range(o.shape[1]))] + _desc_keys(u))
    u, o, w = u[order], o[order], w[order]
    starts = _group_starts(u)
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

    Identical vectors are merged: the representative is the lexicographically smallest
    outcome among them and ``ties`` counts them.
    """
    u = _as_utilities(utilities)
    o = _as_outcomes(outcomes, u.shape[0])
    return _reduce(u, o, np.ones(u.shape[0], dtype=np.int64))


class FrontierBuilder:
    """Streaming frontier for outcome spaces enumerated in chunks.

    Only the running frontier is kept between chunks.  Tie counts stay exact: a vector
    dropped once is strictly dominated by a kept vector (or by one that dominates it), so it
    can never reach the final frontier, while every copy of a final frontier vector is kept
    and counted when it arrives.
    """

    def __init__(self, n_parties: int, n_issues: int) -> None:
        if n_parties < 1 or n_issues < 0:
            raise ValueError("need n_parties >= 1 and n_issues >= 0")
        self._n_parties = n_parties
        self._n_issues = n_issues
        self._frontier = Frontier(
            np.zeros((0, n_parties)), np.zeros((0, n_issues), np.int64), np.zeros(0, np.int64)
        )

    def add(self, utilities: npt.ArrayLike, outcomes: npt.ArrayLike) -> None:
        """Merge one chunk of outcomes (``(m, k)`` utilities, ``(m, n_issues)`` indices)."""
        u = _as_utilities(utilities)
        if u.shape[1] != self._n_parties:
            raise ValueError(f"utilities must have {self._n_parties} columns, got {u.shape[1]}")
        o = _as_outcomes(outcomes, u.shape[0], self._n_issues)
        f = self._frontier
        self._frontier = _reduce(
            np.concatenate([f.utilities, u]),
            np.concatenate([f.outcomes, o]),
            np.concatenate([f.ties, np.ones(u.shape[0], dtype=np.int64)]),
        )

    def result(self) -> Frontier:
        """The frontier of everything added so far."""
        return self._frontier


# --------------------------------------------------------------------------------------
# Additive utilities
# --------------------------------------------------------------------------------------


def additive_frontier(contributions: Sequence[npt.ArrayLike]) -> Frontier:
    """Exact frontier of an additive outcome space, without enumerating it.

    Args:
        contributions: one ``(n_options_i, k)`` array per issue, in issue order;
            ``c_i[o, p]`` is what option ``o`` of issue ``i`` adds to party ``p``.

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
    ``B * 2**-52``, so such a state stays strictly dominated whatever follows.  The last
    issue uses the exact filter.  On real-valued data the extra kept states are rare.
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
        keep = _keep_mask(cand, remaining * bound * 2.0**-50)
        cand, parent, option = cand[keep], parent[keep], option[keep]
        rep_key = ranks[parent] * n_opt + option
        order = np.lexsort([rep_key, *_desc_keys(cand)])
        cand, parent, option, rep_key = cand[order], parent[order], option[order], rep_key[order]
        starts = _group_starts(cand)
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
