"""Pareto dominance for four or more parties: orthant queries on a packed tree of boxes.

For every row ``x`` of a ``(m, k)`` utility matrix, is some row ``y`` at least as good for
every party and better by more than ``tol`` for one (``y`` *tol-dominates* ``x``)?  That
is a question about the *orthant* above ``x``: is it empty of other rows?  The block-wise
filter of :mod:`tratado.analysis.dominance` answers it by comparing each row with every
frontier row found so far, which costs ``m x frontier x k``; with near constant-sum
utilities nearly every row is on the frontier, so the cost is quadratic in ``m``.

Here the rows are put, once, into a static tree of bounding boxes (a packed R-tree in the
manner of Kamel and Faloutsos, 1993): sorted along a Z-order (Morton) curve of their
per-party ranks, cut into leaves of :data:`_LEAF` consecutive rows, and grouped
:data:`_FANOUT` leaves to a node, level by level.  Every node keeps the smallest and the
largest utility of its rows for each party.  Queries then descend the tree, pruning with
three facts about a node with box ``[lo, hi]`` and a query ``x``:

* if ``hi_p < x_p`` for some party, no row of the node is ``>= x``: prune;
* if ``hi_p - x_p <= tol`` for every party, no row beats ``x`` by more than ``tol``: prune;
* if ``lo >= x`` for every party and ``hi_p - x_p > tol`` for some ``p``, the row that
  reaches ``hi_p`` is ``>= x`` everywhere and beats it by more than ``tol`` on ``p``: ``x``
  is dominated, and its search stops.

Rows of the leaves that survive are compared with ``x`` exactly, as in the block-wise
filter.  The answer does not depend on how the tree is shaped (boxes are computed from the
rows they hold, and every test above is exact on floats: subtraction is monotone), only
the speed does.  Queries run in batches of rows consecutive on the curve, so a whole batch
first descends to the leaves that could hold a dominator of any of its rows (box tests
against the batch's own smallest corner), and only those leaves are tested row by row.

When the utilities are near constant-sum, a dominator ``y`` of ``x`` has
``0 <= y_p - x_p <= total(y) - total(x)`` for every party, so it lies in a small box just
above ``x``; the tree finds the few leaves near that box and the work per row stays
small, whatever the size of the frontier.  With independent random utilities most rows
are dominated by a box high in the tree and stop early.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from tratado.analysis.budget import WorkBudget

__all__ = ["tree_keep_mask"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_LEAF = 16  # rows per leaf
_FANOUT = 8  # children per node
_BATCH = 64  # query rows that descend the tree together
_PAIRS = 1 << 20  # (row, box) or (row, row) comparisons evaluated at once: bounded memory


def _morton_order(u: FloatArray) -> IntArray:
    """Rows sorted along a Z-order curve of their per-party ranks."""
    m, k = u.shape
    bits = max(1, min(21, 63 // k))
    key = np.zeros(m, dtype=np.uint64)
    levels = np.uint64(1 << bits)
    codes = []
    for p in range(k):
        rank = np.empty(m, dtype=np.int64)
        rank[np.argsort(u[:, p], kind="stable")] = np.arange(m, dtype=np.int64)
        codes.append((rank * int(levels) // max(m, 1)).astype(np.uint64))
    for b in reversed(range(bits)):
        for p in range(k):
            key = (key << np.uint64(1)) | ((codes[p] >> np.uint64(b)) & np.uint64(1))
    order: IntArray = np.argsort(key, kind="stable").astype(np.int64)
    return order


class _Tree:
    """Levels of boxes over rows sorted along the curve; level 0 holds the leaves."""

    def __init__(self, rows: FloatArray) -> None:
        self.rows = rows
        m = rows.shape[0]
        starts = np.arange(0, m, _LEAF)
        self.lo = [np.minimum.reduceat(rows, starts, axis=0)]
        self.hi = [np.maximum.reduceat(rows, starts, axis=0)]
        while self.lo[-1].shape[0] > _FANOUT:
            starts = np.arange(0, self.lo[-1].shape[0], _FANOUT)
            self.lo.append(np.minimum.reduceat(self.lo[-1], starts, axis=0))
            self.hi.append(np.maximum.reduceat(self.hi[-1], starts, axis=0))
        self.lo_cols = [np.ascontiguousarray(self.lo[0][:, p]) for p in range(rows.shape[1])]
        self.hi_cols = [np.ascontiguousarray(self.hi[0][:, p]) for p in range(rows.shape[1])]

    def leaves_for(self, corner: FloatArray, tol: float) -> IntArray:
        """Leaves whose box could hold a row ``>=`` some query whose smallest corner (over
        the batch) is ``corner`` and better than it by more than ``tol`` somewhere."""
        top = len(self.lo) - 1
        nodes: IntArray = np.arange(self.lo[top].shape[0], dtype=np.int64)
        for level in range(top, -1, -1):
            hi = self.hi[level][nodes]
            ok = np.all(hi >= corner, axis=1) & np.any(hi - corner > tol, axis=1)
            nodes = nodes[ok]
            if level == 0 or not nodes.size:
                return nodes
            count = self.lo[level - 1].shape[0]
            children: IntArray = (nodes[:, None] * _FANOUT
                                  + np.arange(_FANOUT, dtype=np.int64)[None, :]).reshape(-1)
            nodes = children[children < count]
        return nodes


def _pairs_dominated(cols: list[FloatArray], qi: IntArray, yi: IntArray, tol: float) -> BoolArray:
    """Pairwise: does row ``yi[j]`` tol-dominate row ``qi[j]``? (party by party, on the
    columns, which is faster than reducing small rows)"""
    ge = np.ones(qi.size, dtype=np.bool_)
    beat = np.zeros(qi.size, dtype=np.bool_)
    for c in cols:
        x, y = c[qi], c[yi]
        ge &= y >= x
        beat |= (y > x) if tol == 0.0 else (y - x > tol)
    out: BoolArray = ge & beat
    return out


def _search_leaves(cols: list[FloatArray], tree: _Tree, q: IntArray, leaves: IntArray,
                   tol: float, dead: BoolArray, budget: WorkBudget | None) -> None:
    """Mark in ``dead`` the queries ``q`` that a row of ``leaves`` tol-dominates."""
    k = len(cols)
    m = dead.size
    # (query, leaf) pairs: leaf boxes against each query's own row.
    qi = np.repeat(q, leaves.size)
    li = np.tile(leaves, q.size)
    reach = np.ones(qi.size, dtype=np.bool_)
    beat = np.zeros(qi.size, dtype=np.bool_)
    above = np.ones(qi.size, dtype=np.bool_)
    for p in range(k):
        x, hi, lo = cols[p][qi], tree.hi_cols[p][li], tree.lo_cols[p][li]
        reach &= hi >= x
        beat |= hi - x > tol
        above &= lo >= x
    reach &= beat
    dead[qi[reach & above]] = True
    keep = reach & ~dead[qi]
    if budget is not None:
        budget.spend(int(keep.size) * k)
    qi, li = qi[keep], li[keep]
    if not qi.size:
        return
    # (query, row) pairs, in slices of bounded size.
    per = max(1, min(_PAIRS // _LEAF, qi.size))
    for s in range(0, qi.size, per):
        sq, sl = qi[s:s + per], li[s:s + per]
        live = ~dead[sq]
        sq, sl = sq[live], sl[live]
        if not sq.size:
            continue
        rq = np.repeat(sq, _LEAF)
        ry = (sl[:, None] * _LEAF + np.arange(_LEAF)[None, :]).reshape(-1)
        valid = ry < m
        rq, ry = rq[valid], ry[valid]
        if budget is not None:
            budget.spend(int(rq.size) * k)
        hit = _pairs_dominated(cols, rq, ry, tol)
        dead[rq[hit]] = True


def tree_keep_mask(u: FloatArray, tol: float, budget: WorkBudget | None = None) -> BoolArray:
    """Rows of ``u`` (``(m, k)``, finite) that no row tol-dominates; exact for any ``k``.

    ``budget`` is charged ``k`` units per box or row comparison.
    """
    m, k = u.shape
    if m == 0:
        return np.zeros(0, dtype=np.bool_)
    order = _morton_order(u)
    rows = np.ascontiguousarray(u[order])
    cols = [np.ascontiguousarray(rows[:, p]) for p in range(k)]
    tree = _Tree(rows)
    dead = np.zeros(m, dtype=np.bool_)
    for b_lo in range(0, m, _BATCH):
        q = np.arange(b_lo, min(b_lo + _BATCH, m), dtype=np.int64)
        x = rows[q]
        leaves = tree.leaves_for(x.min(axis=0), tol)
        if budget is not None:
            budget.spend(sum(level.shape[0] for level in tree.lo[1:]) * k // 4 + leaves.size * k)
        if not leaves.size:
            continue
        # Leaves in slices, so that no stage holds more than about _PAIRS pairs.
        step = max(1, _PAIRS // (q.size * _LEAF))
        for l_lo in range(0, leaves.size, step):
            live_q = q[~dead[q]]
            if not live_q.size:
                break
            _search_leaves(cols, tree, live_q, leaves[l_lo:l_lo + step], tol, dead, budget)
    keep_sorted = ~dead
    mask = np.zeros(m, dtype=np.bool_)
    mask[order[keep_sorted]] = True
    return mask
