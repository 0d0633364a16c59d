"""The statistics of a forecast, as pure numpy functions (docs/forecast-theory.md).

* :func:`wilson` — the Wilson score interval of a proportion (Wilson 1927), which keeps
  its coverage near the nominal level for small samples and proportions near 0 or 1,
  where the textbook ``p ± z·sqrt(p(1-p)/n)`` does not (Brown, Cai & DasGupta 2001).
* :func:`mean_interval` — a mean with its normal-approximation interval
  ``m ± z·s/sqrt(n)`` (the central limit theorem; ``s`` the sample standard deviation).
* :func:`first_order_index` — the first-order (main-effect) sensitivity index of one
  input, ``S_i = Var(E[Y | X_i]) / Var(Y)`` (Sobol' 1993, 2001), estimated from the
  forecast's own samples by binning ``X_i`` into equal-count bins (the correlation
  ratio; Saltelli et al. 2008, §5.2; Plischke 2010): no extra sessions are needed.
* :func:`spearman` — Spearman's rank correlation (Spearman 1904), average ranks for
  ties: the direction in which an input moves the outcome.
* :func:`swing` — the tornado plot's bar: the mean outcome over the samples in which
  the input is in its lowest, and in its highest, fifth.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

Z95 = 1.959963984540054
"""The two-sided 95% quantile of the standard normal distribution."""

FloatArray = npt.NDArray[np.float64]


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of ``successes`` out of ``n`` (``(0, 1)`` for ``n = 0``)::

        centre = (p + z²/2n) / (1 + z²/n)
        half   = z / (1 + z²/n) · sqrt(p(1-p)/n + z²/4n²)
    """
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    factor = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / factor
    half = z / factor * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def mean_interval(values: npt.ArrayLike, z: float = Z95) -> tuple[float, float, float]:
    """``(mean, low, high)``: the mean and its interval ``m ± z·s/sqrt(n)`` (the mean
    itself at both ends for fewer than two values)."""
    x = np.asarray(values, dtype=np.float64)
    if x.size == 0:
        return math.nan, math.nan, math.nan
    mean = float(x.mean())
    if x.size < 2:
        return mean, mean, mean
    half = z * float(x.std(ddof=1)) / math.sqrt(x.size)
    return mean, mean - half, mean + half


def bins_for(n: int) -> int:
    """How many bins :func:`first_order_index` uses for ``n`` samples: about
    ``sqrt(n) / 2``, between 2 and 50 (each bin holds at least about 2·sqrt(n))."""
    return int(min(50, max(2, round(math.sqrt(n) / 2))))


def _equal_count_bins(x: FloatArray, bins: int) -> list[npt.NDArray[np.intp]]:
    """The sample indices in each of ``bins`` bins of (nearly) equal count, by the rank of
    ``x`` (ties broken by sample order, so the split is deterministic)."""
    order = np.argsort(x, kind="stable")
    return list(np.array_split(order, bins))


def first_order_index(x: npt.ArrayLike, y: npt.ArrayLike, bins: int | None = None) -> float:
    """The first-order sensitivity index of ``y`` to ``x``, estimated by binning::

        S = sum_b n_b (mean_b(y) - mean(y))² / sum_j (y_j - mean(y))²

    0 when ``y`` or ``x`` does not vary — ``y`` spread over less than 1e-12 of its size
    counts as not varying: a constant's computed mean can be off by an ulp, and the ratio
    of two rounding errors would otherwise read as an index near 1. Independent ``x``
    and ``y`` give about ``(bins - 1) / (n - 1)`` (:func:`noise_level`), not 0."""
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    if ys.size < 2 or float(np.ptp(xs)) == 0.0 or (
            float(np.ptp(ys)) <= 1e-12 * max(1.0, float(np.max(np.abs(ys))))):
        return 0.0
    total = float(np.sum((ys - ys.mean()) ** 2))
    if total <= 0.0:
        return 0.0
    mean = float(ys.mean())
    between = 0.0
    for members in _equal_count_bins(xs, bins or bins_for(ys.size)):
        if members.size:
            between += members.size * (float(ys[members].mean()) - mean) ** 2
    return min(1.0, between / total)


def noise_level(n: int, bins: int | None = None) -> float:
    """The first-order index an input that does not matter gets on average,
    ``(bins - 1) / (n - 1)``: indices near it are noise."""
    if n < 2:
        return 0.0
    return ((bins or bins_for(n)) - 1) / (n - 1)


def ranks(x: npt.ArrayLike) -> FloatArray:
    """Ranks from 1, ties given their average rank."""
    xs = np.asarray(x, dtype=np.float64)
    order = np.argsort(xs, kind="stable")
    sorted_x = xs[order]
    starts = np.flatnonzero(np.r_[True, sorted_x[1:] != sorted_x[:-1]])
    ends = np.r_[starts[1:], xs.size]
    average = (starts + ends + 1) / 2.0  # mean of ranks start+1 .. end
    result = np.empty(xs.size)
    result[order] = np.repeat(average, ends - starts)
    return result


def spearman(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    """Spearman's rank correlation of ``x`` and ``y`` (0 when either does not vary)."""
    rx, ry = ranks(x), ranks(y)
    if rx.size < 2:
        return 0.0
    rx -= rx.mean()
    ry -= ry.mean()
    scale = math.sqrt(float(np.dot(rx, rx)) * float(np.dot(ry, ry)))
    return 0.0 if scale == 0.0 else float(np.dot(rx, ry)) / scale


def swing(x: npt.ArrayLike, y: npt.ArrayLike, fraction: float = 0.2) -> tuple[float, float]:
    """The mean of ``y`` over the samples whose ``x`` is in its lowest ``fraction``, and
    over those in its highest (by rank, ties by sample order)."""
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    if ys.size == 0:
        return math.nan, math.nan
    take = max(1, int(round(fraction * ys.size)))
    order = np.argsort(xs, kind="stable")
    return float(ys[order[:take]].mean()), float(ys[order[-take:]].mean())
