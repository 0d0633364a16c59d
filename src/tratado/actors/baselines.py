"""The baselines of forecasting collective decisions: the weighted mean and the weighted
median of the actors' positions, each actor weighted by capability times salience.

Thomson, Stokman, Achen and König (eds.), *The European Union Decides* (Cambridge UP,
2006) found these simple models as accurate as most elaborate ones on the EU's
legislative decisions: the weighted mean is their "compromise model" (Achen 2006,
ch. 4), the weighted median the position of the pivotal ("median") voter when every
actor votes with weight capability x salience (Black 1948).

Both are invariant to the units of capability (multiply every capability by the same
positive number and nothing changes) and move with the scale of positions
(``f(a + b x) = a + b f(x)`` for ``b > 0``).
"""

from __future__ import annotations

import numpy as np

from tratado.actors.table import IssueTable

_HALF_TOLERANCE = 1e-12
"""Relative slack in "at least half the weight": exactly half must count as half
whatever the rounding of the running sums."""


def weighted_mean(table: IssueTable) -> float:
    """``sum(w x) / sum(w)`` with ``w`` = capability x salience (kept within the positions'
    range, which rounding could otherwise leave by one unit in the last place)."""
    w, x = table.weights, table.position
    return float(np.clip(np.dot(w, x) / w.sum(), x.min(), x.max()))


def weighted_median(table: IssueTable) -> float:
    """The position with at least half the weight at or below it and at least half at
    or above it (weights: capability x salience).

    When exactly half the weight lies on each side of a gap between two positions,
    every point of the gap is a median and the midpoint is returned — so with equal
    weights this is the usual statistical median. Actors of zero weight do not count.
    """
    return _median(table.position, table.weights)


def _median(position: np.ndarray, weights: np.ndarray) -> float:
    keep = weights > 0
    x, w = position[keep], weights[keep]
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    half = w.sum() / 2 * (1 - _HALF_TOLERANCE)
    lower = x[int(np.argmax(np.cumsum(w) >= half))]
    upper = x[::-1][int(np.argmax(np.cumsum(w[::-1]) >= half))]
    return float((lower + upper) / 2)
