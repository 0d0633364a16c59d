"""The Nash bargaining solution over the actors' positions on one issue.

The formulation (see docs/actors-models.md for why this one):

* actor ``i`` values an outcome ``y`` by a quadratic loss around its position,
  ``u_i(y) = -(y - x_i)^2``;
* its bargaining power is ``w_i`` = capability x salience (Kalai 1977's asymmetric
  solution; actors of zero weight have no say and are left out);
* the disagreement point is the issue's status quo ``q`` when the table gives one —
  then only outcomes every actor likes at least as well as ``q`` are feasible — and
  otherwise each actor's worst point of the scale ``[low, high]``;
* the solution maximises ``sum_i w_i log(u_i(y) - u_i(d))`` over the feasible outcomes.

The objective is strictly concave where every gain is positive, so the maximiser is
unique and is the root of its derivative, which falls monotonically; bisection finds it
to the last bit, deterministically. When the status quo leaves no outcome that every
actor prefers (actors on both sides of it, or one sitting on it), the solution is the
status quo itself: unanimity keeps it.

The status quo often decides the answer on its own: an actor at ``x`` prefers nothing
farther than ``2x - q`` from it to ``q`` (the quadratic loss is symmetric), so the actor
nearest the status quo caps how far any agreement can move — however many actors sit
beyond. :func:`veto_range` says which actor, and the report prints it.

With a disagreement point far from every position the gains are nearly equal and the
first-order condition becomes ``sum_i w_i (y - x_i) = 0``: the weighted mean, which is
how Achen (2006) reads the compromise model as a bargaining outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tratado.actors.table import IssueTable

_STEPS = 200  # enough halvings to reach adjacent doubles on any finite interval


def nash_bargaining(table: IssueTable) -> float:
    """The asymmetric Nash bargaining solution described in the module docstring."""
    keep = table.weights > 0
    x, w = table.position[keep], table.weights[keep]
    if np.ptp(x) == 0:
        return float(x[0])
    if table.status_quo is not None:
        q = table.status_quo
        ends = np.stack([np.full_like(x, q), 2 * x - q])
        low, high = float(ends.min(axis=0).max()), float(ends.max(axis=0).min())
        if not low < high:
            return float(q)
        loss = (q - x) ** 2
    else:
        low, high = table.low, table.high
        loss = np.maximum((low - x) ** 2, (high - x) ** 2)
    low, high = max(low, float(x.min())), min(high, float(x.max()))
    return _bisect(x, w, loss, low, high)


@dataclass(frozen=True)
class VetoRange:
    """The outcomes every actor with weight prefers to the status quo: ``low`` to ``high``
    (empty when ``low >= high``; the solution is then the status quo). ``low_actor`` and
    ``high_actor`` name the actors whose veto sets an end (None for an end that is the
    status quo itself)."""

    low: float
    high: float
    low_actor: str | None
    high_actor: str | None


def veto_range(table: IssueTable) -> VetoRange | None:
    """Where the Nash bargaining solution can lie under unanimity from the status quo
    (None without a status quo): actor ``i`` at ``x_i`` accepts only the outcomes between
    ``q`` and ``2 x_i - q``, and the range is what every actor with weight accepts."""
    if table.status_quo is None:
        return None
    q = float(table.status_quo)
    keep = np.flatnonzero(table.weights > 0)
    x = table.position[keep]
    lows, highs = np.minimum(q, 2 * x - q), np.maximum(q, 2 * x - q)
    at_low, at_high = int(np.argmax(lows)), int(np.argmin(highs))
    low, high = float(lows[at_low]), float(highs[at_high])
    return VetoRange(low, high,
                     None if low == q else table.actors[int(keep[at_low])],
                     None if high == q else table.actors[int(keep[at_high])])


def _bisect(x: np.ndarray, w: np.ndarray, loss: np.ndarray, low: float, high: float) -> float:
    """The root in (low, high) of the falling derivative ``sum w (x - y) / gain(y)``."""
    for _ in range(_STEPS):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        gain = loss - (middle - x) ** 2
        if (gain <= 0).any():  # an end where some actor gains nothing: move inwards
            slope = float(np.sum(np.where(gain <= 0, w * (x - middle), 0.0)))
        else:
            slope = float(np.sum(w * (x - middle) / gain))
        if slope > 0:
            low = middle
        else:
            high = middle
    return (low + high) / 2
