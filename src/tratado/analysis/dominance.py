"""Pareto dominance among utility vectors: which rows no other row strictly dominates.

``y`` strictly dominates ``x`` when ``y >= x`` for every party and ``y > x`` for at least
one; comparisons are exact on float64 values. Two parties and many rows are first binned
on party 0 (:func:`binned_candidates`, ``O(m)``: a row beaten on party 1 by a row of a
higher bin goes), which leaves a few dozen rows of a spread-out space. :func:`pareto_mask`
then discards rows strictly dominated by a few strong "killer" rows (maximisers of
positively weighted sums), a cheap vectorised pass. Two parties are then finished by a
sort and sweep in ``O(m log m)``. Three or more parties next run a grid filter (a cell
lying strictly below some row in every party is dropped wholesale). Three parties then
finish with an exact staircase sweep per party (``O(m log m)`` whatever the frontier's
size). Four or more sort the survivors by total utility descending, so every dominator
of a row precedes it, and check blocks of candidates, vectorised, against the growing
frontier, which costs ``O(survivors x frontier)``; once that frontier holds
:data:`TREE_FROM` rows (near constant-sum utilities put most rows on it), the remaining
candidates go, with the frontier so far, to the orthant queries of
:mod:`tratado.analysis.dominance_tree`.

The internal masks take a tolerance ``tol`` (see below) that the additive dynamic
programme in :mod:`tratado.analysis.frontier` needs; :func:`pareto_mask` uses ``tol = 0``.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from tratado.analysis.dominance_tree import tree_keep_mask

if TYPE_CHECKING:
    from tratado.analysis.budget import WorkBudget

__all__ = ["pareto_mask"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_BLOCK = 512  # candidates checked together by the many-party algorithm
_CHUNK = 2048  # frontier points compared against one block at a time
_GRID_CELLS = 1 << 15  # cells of the grid prefilter (per round)
_GRID_MIN = 4096  # rows below which the grid prefilter is not worth it
_BINNED_FROM = 1024  # rows from which two parties are binned first (binned_candidates)
#: Four or more parties: once the block-wise filter's frontier holds this many rows and
#: at least as many candidates remain, the rest go to the tree of boxes
#: (:mod:`tratado.analysis.dominance_tree`).
TREE_FROM = 1024


def as_utilities(utilities: npt.ArrayLike) -> FloatArray:
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
    if size**k > 4 * _GRID_CELLS:  # too many parties for a grid (numpy allows 64 axes)
        return alive
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


def binned_candidates(u: FloatArray, tol: float) -> IntArray | None:
    """Two parties, many rows: the indices (ascending) of the rows that binning does not
    find tol-dominated, in ``O(m)``; None when it does not apply (other than two
    parties, fewer than :data:`_BINNED_FROM` rows, or a spread it cannot cut).

    Party 0's axis is cut into about ``2 sqrt(m)`` equal bins (a row's bin never falls
    as its utility rises, so a row in a higher bin has a strictly larger party-0
    utility). A row is dropped when some row of a higher bin beats it on party 1 by more
    than ``tol``: that row tol-dominates it. So only dominated rows are dropped, and
    never one that no row dominates (tol-dominance is transitive: a dominated row has an
    undominated dominator); an exact filter run on the rows kept marks each of them as
    it would among all rows. On spread-out utilities a few dozen rows of 15,360 are
    kept, in a dozen vectorised passes instead of a sort of them all.
    """
    m = u.shape[0]
    if u.shape[1] != 2 or m < _BINNED_FROM:
        return None
    lead, other = u[:, 0], u[:, 1]
    lo, hi = float(lead.min()), float(lead.max())
    bins = int(2 * np.sqrt(m))
    scale = bins / (hi - lo) if hi > lo else 0.0
    if not 0.0 < scale < np.inf:  # no spread to cut (or one too small or too wide)
        return None
    at = ((lead - lo) * scale).astype(np.int64)  # 0 to bins (the top may land on bins)
    best = np.full(bins + 1, -np.inf)  # best party-1 utility in each bin
    np.maximum.at(best, at, other)
    above = np.full(bins + 1, -np.inf)  # best party-1 utility in the bins above each bin
    above[:-1] = np.maximum.accumulate(best[:0:-1])[::-1]
    kept: IntArray = np.flatnonzero(above[at] - other <= tol).astype(np.int64)  # no NaN here
    return kept


def _mask_2d(u: FloatArray, tol: float) -> BoolArray:
    """Two parties: prefilters, then sort by party 0 descending and sweep."""
    m = u.shape[0]
    rows = binned_candidates(u, tol)
    if rows is None:
        rows = np.arange(m, dtype=np.int64)
    cols = [u[rows, 0], u[rows, 1]]
    alive = rows[_killer_filter(cols, cols[0] + cols[1], tol)]
    a = u[alive, 0]
    b = u[alive, 1]
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


def _staircase_sweep(lead: list[float], a: list[float], b: list[float], tol: float) -> list[bool]:
    """For rows sorted by ``lead`` descending: is each row beaten on ``lead`` by more than
    ``tol`` by some row that is also ``>=`` it on ``a`` and ``b``?

    Rows with ``fl(lead_y - lead_x) > tol`` form a prefix of the order that only grows as
    ``lead_x`` falls, so they enter a 2-D staircase (the maximal ``(a, b)`` pairs: ``a``
    ascending, ``b`` strictly descending) just in time; the query is one bisection.
    """
    stair_a: list[float] = []
    stair_nb: list[float] = []  # -b, ascending
    beaten = [False] * len(lead)
    j = 0
    for i, x in enumerate(lead):
        while j < len(lead) and lead[j] - x > tol:
            ya, yb = a[j], b[j]
            at = bisect_left(stair_a, ya)
            if not (at < len(stair_a) and -stair_nb[at] >= yb):  # not already covered
                end = at + 1 if at < len(stair_a) and stair_a[at] == ya else at
                start = bisect_left(stair_nb, -yb, 0, at)  # first with b <= yb
                del stair_a[start:end], stair_nb[start:end]
                stair_a.insert(start, ya)
                stair_nb.insert(start, -yb)
            j += 1
        at = bisect_left(stair_a, a[i])
        beaten[i] = at < len(stair_a) and -stair_nb[at] >= b[i]
    return beaten


def _mask_3d(cand: FloatArray, tol: float) -> BoolArray:
    """Three parties, exact: ``y`` tol-dominates ``x`` iff for some party ``p`` it beats
    ``x`` on ``p`` by more than ``tol`` and is ``>=`` on the other two — one staircase
    sweep per party, ``O(n log n)`` each, whatever the size of the frontier."""
    dead = np.zeros(cand.shape[0], dtype=np.bool_)
    for p in range(3):
        q, r = [j for j in range(3) if j != p]
        order = np.argsort(-cand[:, p], kind="stable")
        rows = cand[order]
        beaten = _staircase_sweep(rows[:, p].tolist(), rows[:, q].tolist(), rows[:, r].tolist(),
                                  tol)
        dead[order[np.array(beaten, dtype=np.bool_)]] = True
    keep: BoolArray = ~dead
    return keep


def _mask_nd(u: FloatArray, tol: float, budget: WorkBudget | None = None) -> BoolArray:
    """Three or more parties: prefilters, then an exact staircase sweep (three parties) or a
    block-wise sweep in order of total utility (four or more)."""
    m, k = u.shape
    cols = [np.ascontiguousarray(u[:, j]) for j in range(k)]
    total = _row_sums(u)
    alive = _grid_filter(cols, _killer_filter(cols, total, tol), tol)
    if k == 3:
        mask = np.zeros(m, dtype=np.bool_)
        mask[alive[_mask_3d(u[alive], tol)]] = True
        return mask
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
        if n_front > TREE_FROM and alive.size - lo > TREE_FROM:
            # A large frontier: the rest goes to the tree of boxes, with the frontier
            # found so far (every earlier row is on it or dominated by a row on it).
            rest = np.concatenate([front[:n_front], cand[lo:]])
            keep[lo:] = tree_keep_mask(rest, tol, budget)[n_front:]
            break
        idx = np.arange(lo, min(lo + _BLOCK, alive.size))
        block = cand[idx]
        for f_lo in range(0, n_front, _CHUNK):
            if budget is not None:
                budget.spend(idx.size * (min(f_lo + _CHUNK, n_front) - f_lo) * k)
            hit = _dominated_by(block, front[f_lo : min(f_lo + _CHUNK, n_front)], tol)
            idx, block = idx[~hit], block[~hit]
            if not idx.size:
                break
        if idx.size:
            if budget is not None:
                budget.spend(idx.size * idx.size * k)
            hit = _dominated_by(block, block, tol)
            idx, block = idx[~hit], block[~hit]
            keep[idx] = True
            front[n_front : n_front + idx.size] = block
            n_front += idx.size
    mask = np.zeros(m, dtype=np.bool_)
    mask[alive[keep]] = True
    return mask


def keep_mask(u: FloatArray, tol: float, budget: WorkBudget | None = None) -> BoolArray:
    """Rows not tol-dominated by any row (validated input, ``tol >= 0``).

    ``budget`` counts the party comparisons of the many-party filter and stops it when
    its limit is passed (see :mod:`tratado.analysis.budget`).
    """
    if u.shape[0] == 0:
        return np.zeros(0, dtype=np.bool_)
    if u.shape[1] == 1:
        return _mask_1d(u[:, 0], tol)
    if u.shape[1] == 2:
        return _mask_2d(u, tol)
    return _mask_nd(u, tol, budget)


def pareto_mask(utilities: npt.ArrayLike) -> BoolArray:
    """Return a ``(m,)`` mask, True where the row is strictly dominated by no row.

    Equal rows are all True or all False.  Works for any number of parties ``k >= 1``;
    two parties take ``O(m log m)``.  Utilities must be finite.  Comparisons are exact on
    the given floats: the frontier functions round utilities to the grid of
    :mod:`tratado.analysis.ties` first, so that float noise cannot decide dominance.
    """
    return keep_mask(as_utilities(utilities), 0.0)
