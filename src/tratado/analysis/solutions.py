"""Bargaining solutions on an exact Pareto frontier.

Each solution takes a :class:`~tratado.analysis.frontier.Frontier` and a reservation vector
``r`` (one finite float64 per party) and returns the index of the chosen point in that
frontier, or ``None`` when no frontier point is *rational* (``u >= r`` for every party).

Objectives, over the rational frontier points:

* Nash: maximise ``prod_i (u_i - r_i)``, multiplied in party order.
* Kalai-Smorodinsky: with ``ideal_i = max u_i`` over the rational points, maximise
  ``min_i (u_i - r_i) / (ideal_i - r_i)`` over the parties with ``ideal_i > r_i`` (a party
  with ``ideal_i == r_i`` cannot gain and is ignored; if every party is ignored the
  objective is the same for every point and the tie rule decides).  This is the discrete
  form of "equal proportional gains towards the ideal point".
* Egalitarian: maximise ``min_i (u_i - r_i)``.
* Utilitarian: maximise ``sum_i u_i``, summed in party order.

Tie rule (the same for all four): among the rational points with exactly the maximal
objective value, take the highest total utility (summed in party order), then the
lexicographically smallest representative outcome.  The total-utility tie-break is in the
parties' own units, so it is not invariant under rescaling one party's utility.

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

__all__ = [
    "egalitarian_solution",
    "kalai_smorodinsky_solution",
    "nash_solution",
    "utilitarian_solution",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _rational(frontier: Frontier, reservation: npt.ArrayLike) -> tuple[IntArray, FloatArray]:
    """Indices of the rational points and their gains ``u - r``."""
    k = frontier.utilities.shape[1]
    r = np.asarray(reservation, dtype=np.float64)
    if r.shape != (k,):
        raise ValueError(f"reservation must have shape ({k},), got {r.shape}")
    if not np.all(np.isfinite(r)):
        raise ValueError("reservation must be finite")
    index = np.flatnonzero(np.all(frontier.utilities >= r, axis=1)).astype(np.int64)
    return index, frontier.utilities[index] - r


def _row_sums(u: FloatArray) -> FloatArray:
    total = np.zeros(u.shape[0])
    for j in range(u.shape[1]):
        total += u[:, j]
    return total


def _pick(frontier: Frontier, index: IntArray, objective: FloatArray) -> int | None:
    """Apply the tie rule to the rational points ``index`` scored by ``objective``."""
    if index.size == 0:
        return None
    best = index[objective == objective.max()]
    total = _row_sums(frontier.utilities[best])
    best = best[total == total.max()]
    outcomes = frontier.outcomes[best]
    order = np.lexsort([outcomes[:, i] for i in reversed(range(outcomes.shape[1]))])
    return int(best[order[0]])


def nash_solution(frontier: Frontier, reservation: npt.ArrayLike) -> int | None:
    """Index of the point maximising ``prod_i (u_i - r_i)``; None if none is rational."""
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
    return _pick(frontier, index, np.min(gain[:, active] / span[active], axis=1))


def egalitarian_solution(frontier: Frontier, reservation: npt.ArrayLike) -> int | None:
    """Index of the point maximising ``min_i (u_i - r_i)``; None if none is rational."""
    index, gain = _rational(frontier, reservation)
    return _pick(frontier, index, np.min(gain, axis=1, initial=np.inf))


def utilitarian_solution(frontier: Frontier, reservation: npt.ArrayLike) -> int | None:
    """Index of the point maximising ``sum_i u_i``; None if none is rational."""
    index, _ = _rational(frontier, reservation)
    return _pick(frontier, index, _row_sums(frontier.utilities[index]))
