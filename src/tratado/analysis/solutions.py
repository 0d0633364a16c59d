"""Bargaining solutions on an exact Pareto frontier.

Each solution takes a :class:`~tratado.analysis.frontier.Frontier` and the reservation
values ``r`` (one finite float64 per party) and returns the index of the chosen point in
that frontier, or ``None`` when no frontier point is *rational*.

A point is rational when ``u_i >= r_i - RATIONAL_TOLERANCE`` for every party, compared on
the utility grid of :mod:`tratado.analysis.ties`.  Gains are measured from ``r`` itself, on the utility grid
of :mod:`tratado.analysis.ties`: ``g_i = max(snap(u_i) - snap(r_i), 0)``, so a package
worth exactly the no-deal value gains exactly 0 whatever the float noise, and a point
admitted by the rationality tolerance gains 0 rather than a negative amount.

Objectives, over the rational frontier points:

* Nash: maximise ``prod_i g_i``, multiplied in party order.
* Kalai-Smorodinsky: with ``span_i = max g_i`` over the rational points (the ideal point's
  gain), maximise ``min_i g_i / span_i`` over the parties with ``span_i > 0`` (a party
  that cannot gain is ignored; if every party is ignored the objective is the same for
  every point and the tie rule decides).  This is the discrete form of "equal
  proportional gains towards the ideal point".
* Egalitarian: maximise ``min_i g_i``.
* Utilitarian: maximise ``sum_i snap(u_i)``, summed in party order.

Tie rule (the same for all four): the rational points whose objective is within
``objective_tolerance(k)`` (``k * 2**-32`` for ``k`` parties; for Kalai-Smorodinsky
ratios, divided by the smallest ideal gain) of the best one are tied -- the most that
rounding the parties' utilities to the grid can move an objective, so objectives equal in
exact arithmetic always tie.  Among tied points, take the highest total utility (totals
within the same tolerance of the highest tie), then the lexicographically smallest
representative outcome.  The total-utility tie-break is in the parties' own units, so it
is not invariant under rescaling one party's utility.

Restricting to the frontier loses nothing: every objective is non-decreasing in each
``u_i``, and any rational outcome is dominated by or equal to a frontier point, which is
then rational too (it is ``>=`` the outcome) and scores at least as well.  So the maximum
over all rational outcomes is attained on the frontier (and the ideal point of the rational
frontier equals that of all rational outcomes).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from tratado.analysis.frontier import Frontier
from tratado.analysis.ties import RATIONAL_TOLERANCE, objective_tolerance, snap

__all__ = [
    "egalitarian_solution",
    "kalai_smorodinsky_solution",
    "nash_solution",
    "utilitarian_solution",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _rational(frontier: Frontier, reservation: npt.ArrayLike) -> tuple[IntArray, FloatArray]:
    """Indices of the rational points and their gains ``max(snap(u) - snap(r), 0)``."""
    k = frontier.utilities.shape[1]
    r = np.asarray(reservation, dtype=np.float64)
    if r.shape != (k,):
        raise ValueError(f"reservation must have shape ({k},), got {r.shape}")
    if not np.all(np.isfinite(r)):
        raise ValueError("reservation must be finite")
    grid = snap(frontier.utilities)
    index = np.flatnonzero(np.all(grid >= snap(r - RATIONAL_TOLERANCE), axis=1))
    gains = np.maximum(grid[index] - snap(r), 0.0)
    return index.astype(np.int64), gains


def _row_sums(u: FloatArray) -> FloatArray:
    total = np.zeros(u.shape[0])
    for j in range(u.shape[1]):
        total += u[:, j]
    return total


def _pick(frontier: Frontier, index: IntArray, objective: FloatArray, scale: float = 1.0) -> int | None:
    """Apply the tie rule to the rational points ``index`` scored by ``objective``
    (``scale``: what one grid step of utility becomes in the objective's units)."""
    if index.size == 0:
        return None
    tol = objective_tolerance(frontier.utilities.shape[1])
    best = index[objective >= float(objective.max()) - tol * scale]
    total = _row_sums(snap(frontier.utilities[best]))
    best = best[total >= float(total.max()) - tol]
    outcomes = frontier.outcomes[best]
    order = np.lexsort([outcomes[:, i] for i in reversed(range(outcomes.shape[1]))])
    return int(best[order[0]])


def nash_solution(frontier: Frontier, reservation: npt.ArrayLike) -> int | None:
    """Index of the point maximising ``prod_i g_i``; None if none is rational."""
    index, gain = _rational(frontier, reservation)
    product = np.ones(index.size)
    for j in range(gain.shape[1]):
        product *= gain[:, j]
    return _pick(frontier, index, product)


def kalai_smorodinsky_solution(frontier: Frontier, reservation: npt.ArrayLike) -> int | None:
    """Index of the point maximising the smallest normalised gain towards the ideal point.

    None if no point is rational.
    """
    index, gain = _rational(frontier, reservation)
    if index.size == 0:
        return None
    span = gain.max(axis=0)  # ideal_i - r_i
    active = span > 0.0
    if not active.any():
        return _pick(frontier, index, np.zeros(index.size))
    ratios = np.min(gain[:, active] / span[active], axis=1)
    return _pick(frontier, index, ratios, 1.0 / float(span[active].min()))


def egalitarian_solution(frontier: Frontier, reservation: npt.ArrayLike) -> int | None:
    """Index of the point maximising ``min_i g_i``; None if none is rational."""
    index, gain = _rational(frontier, reservation)
    return _pick(frontier, index, np.min(gain, axis=1, initial=np.inf))


def utilitarian_solution(frontier: Frontier, reservation: npt.ArrayLike) -> int | None:
    """Index of the point maximising ``sum_i u_i``; None if none is rational."""
    index, _ = _rational(frontier, reservation)
    return _pick(frontier, index, _row_sums(snap(frontier.utilities[index])))
