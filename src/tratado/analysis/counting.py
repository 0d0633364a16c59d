"""Counting the rational packages of a linear-additive scenario without enumerating them.

A package is *rational* when, for every party ``p``, its utility rounded to the grid of
:mod:`tratado.analysis.ties` is at least ``snap(r_p - RATIONAL_TOLERANCE)``; equivalently
``u_p > b_p`` with ``b_p = snap(r_p - RATIONAL_TOLERANCE) - 2**-33`` (the midpoint below),
up to the rounding of a value exactly on ``b_p``.

Meet in the middle.  Split the agenda into a left half (the first issues) and a right
half, enumerate the partial sums ``L`` of each half (about ``sqrt(N)`` each for ``N``
packages) and pair them: a package is a pair ``(l, r)`` and its utility is ``L_l + R_r``
up to rounding.  The float utility that the scenario evaluates (summed in issue order)
and the float ``L_l + R_r`` (as the comparisons below compute it) both lie within
``(n + 1) B 2**-53`` of the exact real sum (``n`` issues, ``B`` bounding every partial
sum and threshold), so they differ by less than ``delta = (n + 4) B 2**-52``.  Each pair
is therefore

* surely rational when ``R_r,p >= (b_p + 2 delta) - L_l,p`` for every party,
* surely not when ``R_r,p < (b_p - 2 delta) - L_l,p`` for some party,
* otherwise *in the band*: those few pairs (utilities within ``2 delta``, about
  ``1e-15``, of a threshold) are evaluated exactly, as the scenario evaluates them.

The count is exact: every pair is in exactly one of the three classes, and the first two
are decided correctly by the margins.

Counting the sure pairs:

* one party: a sort and a binary search per left sum, ``O(sqrt(N) log N)``;
* two parties: a two-sided dominance count -- the right sums sorted by party 0 and cut
  into blocks, each block's party-1 values sorted, so a left sum costs one binary search
  per block, ``O(N / S log S + sqrt(N) S)`` for blocks of ``S``: about ``N^(3/4)``;
* three or more parties: no sub-quadratic method is used; the pairs are compared block by
  block, vectorised (``O(N k)``, still no per-package rows or utility evaluation), and
  :func:`count_rational_additive` declines (returns None) above its ``enumerate_limit``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from tratado.analysis.ties import UTILITY_GRID, snap

__all__ = ["count_rational_additive", "split_point"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Evaluate = Callable[[IntArray], FloatArray]

#: Pairs compared per vectorised block (memory: about 8 bytes x parties x this).
_PAIRS = 1 << 20
#: Most pairs in the band that are evaluated exactly before counting declines.
_BAND_LIMIT = 5_000_000
#: Most left (or right) partial sums a meet-in-the-middle count builds: about 10^10
#: packages, counted in well under a second for two parties.
_HALF_LIMIT = 1 << 17


def split_point(shape: Sequence[int]) -> int:
    """The number of leading issues whose product is closest to ``sqrt(prod(shape))``."""
    total = math.prod(shape)
    best, best_gap, left = 0, math.inf, 1
    for h in range(len(shape) + 1):
        gap = abs(math.log(max(left, 1)) - math.log(max(total, 1)) / 2)
        if gap < best_gap:
            best, best_gap = h, gap
        if h < len(shape):
            left *= shape[h]
    return best


def _partial_sums(contributions: Sequence[FloatArray], k: int) -> FloatArray:
    """All partial sums of the given issues, in issue order from 0.0, lexicographic order
    of the option rows (the first issue most significant)."""
    sums = np.zeros((1, k))
    for c in contributions:
        sums = (sums[:, None, :] + c[None, :, :]).reshape(-1, k)
    return sums


def _count_one(right: FloatArray, q: FloatArray) -> int:
    """Pairs ``(l, r)`` with ``right[r] >= q[l]``."""
    ordered = np.sort(right)
    return int((right.size - np.searchsorted(ordered, q, side="left")).sum())


def _count_two(r0: FloatArray, r1: FloatArray, q0: FloatArray, q1: FloatArray) -> int:
    """Pairs ``(l, r)`` with ``r0[r] >= q0[l]`` and ``r1[r] >= q1[l]``."""
    order = np.argsort(-r0, kind="stable")
    r0s, r1s = r0[order], r1[order]
    covered = np.searchsorted(-r0s, -q0, side="right")  # rights with r0 >= q0[l] form a prefix
    size = max(16, int(math.sqrt(r0.size * max(1.0, math.log2(max(r0.size, 2))))))
    total = 0
    for start in range(0, r0.size, size):
        end = min(start + size, r0.size)
        block = np.sort(r1s[start:end])
        full = covered >= end
        total += int((block.size - np.searchsorted(block, q1[full], side="left")).sum())
        part = np.flatnonzero((covered > start) & (covered < end))
        step = max(1, _PAIRS // size)
        for lo in range(0, part.size, step):
            ls = part[lo : lo + step]
            inside = np.arange(start, end)[None, :] < covered[ls, None]
            total += int(np.count_nonzero(inside & (r1s[None, start:end] >= q1[ls, None])))
    return total


def _band_pairs(right: FloatArray, lo: FloatArray, hi: FloatArray) -> tuple[IntArray, IntArray]:
    """All pairs with ``lo[l] <= right[r] < hi[l]``, as (left index, right index)."""
    order = np.argsort(right, kind="stable")
    ordered = right[order]
    first = np.searchsorted(ordered, lo, side="left")
    last = np.searchsorted(ordered, hi, side="left")
    counts = np.maximum(last - first, 0)
    n = int(counts.sum())
    if n > _BAND_LIMIT:
        raise _TooMany
    lefts = np.repeat(np.arange(lo.size, dtype=np.int64), counts)
    offsets = np.arange(n, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    rights = order[np.repeat(first, counts) + offsets].astype(np.int64)
    return lefts, rights


class _TooMany(Exception):
    """More pairs in the band than are worth evaluating one by one."""


def count_rational_additive(
    contributions: Sequence[npt.ArrayLike],
    thresholds: npt.ArrayLike,
    evaluate: Evaluate,
    enumerate_limit: int,
) -> int | None:
    """Exact number of packages whose grid utility is ``>= thresholds`` for every party.

    Args:
        contributions: one ``(n_options_i, k)`` array per issue (see
            :func:`~tratado.analysis.frontier.additive_frontier`).
        thresholds: ``(k,)`` values on the utility grid (``snap(r - RATIONAL_TOLERANCE)``).
        evaluate: the scenario's own utilities of ``(m, n_issues)`` option rows (used only
            for the few packages within rounding of a threshold).
        enumerate_limit: for three or more parties (compared pair by pair), the largest
            space counted.

    Returns None when the space is beyond what is counted (three or more parties above
    ``enumerate_limit``, halves larger than 131,072 partial sums -- about 10^10 packages
    when the agenda splits evenly --, or more than five million packages within rounding
    of a threshold).
    """
    cs = [np.asarray(c, dtype=np.float64) for c in contributions]
    shape = [c.shape[0] for c in cs]
    k = cs[0].shape[1]
    size = math.prod(shape)
    if k >= 3 and size > enumerate_limit:
        return None
    h = split_point(shape)
    if math.prod(shape[:h]) > _HALF_LIMIT or math.prod(shape[h:]) > _HALF_LIMIT:
        return None
    left = _partial_sums(cs[:h], k)
    right = _partial_sums(cs[h:], k)
    t = np.asarray(thresholds, dtype=np.float64)
    # Every value compared (partial sums, thresholds and their differences) is at most
    # ``scale`` in magnitude, so each rounding moves it by at most scale * 2**-53.
    scale = max(float(sum(float(np.abs(c).max()) for c in cs)), float(np.abs(t).max()) + 1.0)
    delta = (len(cs) + 4) * scale * 2.0**-52
    edge = t - UTILITY_GRID / 2
    hi = (edge + 2 * delta)[None, :] - left  # (L, k): sure in when right >= hi
    lo = (edge - 2 * delta)[None, :] - left  # sure out when right < lo
    try:
        if k == 1:
            sure = _count_one(right[:, 0], hi[:, 0])
        elif k == 2:
            sure = _count_two(right[:, 0], right[:, 1], hi[:, 0], hi[:, 1])
        else:
            sure = _count_many(right, hi)
        band = _resolve_band(right, lo, hi, shape, h, thresholds, evaluate)
    except _TooMany:
        return None
    return sure + band


def _count_many(right: FloatArray, hi: FloatArray) -> int:
    """Pairs with ``right[r] >= hi[l]`` in every column, block by block."""
    total = 0
    step = max(1, _PAIRS // max(1, right.shape[0]))
    for lo in range(0, hi.shape[0], step):
        ok = np.ones((min(step, hi.shape[0] - lo), right.shape[0]), dtype=np.bool_)
        for p in range(right.shape[1]):
            ok &= right[None, :, p] >= hi[lo : lo + step, p, None]
        total += int(np.count_nonzero(ok))
    return total


def _resolve_band(right: FloatArray, lo: FloatArray, hi: FloatArray, shape: Sequence[int],
                  h: int, thresholds: npt.ArrayLike, evaluate: Evaluate) -> int:
    """Evaluate exactly the pairs in the band of some party and below no party's band."""
    k = right.shape[1]
    found_l: list[IntArray] = []
    found_r: list[IntArray] = []
    n = 0
    for p in range(k):
        ls, rs = _band_pairs(right[:, p], lo[:, p], hi[:, p])
        keep = np.ones(ls.size, dtype=np.bool_)
        for q in range(k):
            value = right[rs, q]
            keep &= value >= lo[ls, q]  # below some party's band: surely not rational
            if q < p:  # counted with the first party whose band it is in
                keep &= value >= hi[ls, q]
        found_l.append(ls[keep])
        found_r.append(rs[keep])
        n += int(np.count_nonzero(keep))
        if n > _BAND_LIMIT:
            raise _TooMany
    if n == 0:
        return 0
    lefts = np.concatenate(found_l)
    rights = np.concatenate(found_r)
    rows = np.empty((n, len(shape)), dtype=np.int64)
    if h:
        rows[:, :h] = np.column_stack(np.unravel_index(lefts, tuple(shape[:h])))
    if h < len(shape):
        rows[:, h:] = np.column_stack(np.unravel_index(rights, tuple(shape[h:])))
    t = np.asarray(thresholds, dtype=np.float64)
    return int(np.count_nonzero(np.all(snap(evaluate(rows)) >= t, axis=1)))
