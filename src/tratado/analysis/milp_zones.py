"""Exact Pareto frontiers of three or more parties without enumeration: search zones.

The two-party walk of :mod:`tratado.analysis.milp` steps along one utility level at a
time.  With ``k`` parties the frontier points still to find do not lie beyond one level
but in a region of the utility space, described here, as by Klamroth, Lacour and
Vanderpooten (2015) and Dächert and Klamroth (2015), as a union of *search zones*
``Z(l) = {z : z_p > l_p for every party p}`` given by their *lower bounds* ``l``.

* Start with one zone, ``l = (-inf, ..., -inf)``: every package.
* Take a zone and solve, over the mixed-integer model of :mod:`tratado.analysis.milp`,
  *maximise the sum of the parties' utilities subject to* ``u_p >= l_p + 1`` (utilities in
  exact integer units, so ``> l_p`` is ``>= l_p + 1``).  If no package qualifies the zone
  is empty: drop it.  Otherwise the optimum ``z`` is a frontier point: a package
  dominating it would be in the zone too (it is ``>= z``) with a larger sum.  Its
  package is the witness.
* No frontier point still to find is ``<= z`` (it would be dominated by ``z`` or equal
  to it), so ``z``'s lower cone is cut out of every zone that meets it, i.e. every zone
  with ``l < z`` in every party: ``Z(l) \\ {y <= z}`` is the union over ``j`` of the zones
  whose bound is ``l`` with ``l_j`` raised to ``z_j`` (``y`` escapes the cone only by
  beating ``z`` somewhere).  Zones whose bound is ``>=`` another's lie inside it and are
  dropped.
* Stop when no zone is left.  Every frontier point lies in the union of the zones at
  every step (only cones of found points are cut out), each solve either finds a new
  point (never one found before: found points lie in no zone) or removes a zone, and
  there are finitely many of both, so the walk ends with every frontier point found.

Exactness rests on the same argument as the two-party walk: utilities rescaled to
integers, HiGHS run with a relative gap of 0 (its absolute gap, ``1e-6``, is far below
the step of 1 between integer sums), and every witness evaluated by the scenario itself
and checked: its utilities must be integers in the zone and sum to the proven optimum.
When utilities cannot be rescaled to integers the step is ``1e-6`` and the frontier is
not proven exact (:attr:`~tratado.analysis.milp.MilpFrontier.exact` is False).

The number of solves is the number of frontier points plus the number of zones found
empty: about three times the frontier for three parties (at most ``2f + 1`` zones for
``f`` points in general position), and growing faster with more parties (the zones can
grow like ``f ** (k // 2)``).  The ``milp_solves`` limit
(:mod:`tratado.limits`) stops a walk that would take too long, with a message that says so.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tratado.analysis.frontier import Frontier
from tratado.analysis.ties import snap
from tratado.errors import TratadoError
from tratado.limits import env_name, limit

__all__ = ["SolverDisagrees", "TooManySolves", "zone_frontier"]

FloatArray = np.ndarray


class SolverDisagrees(TratadoError):
    """A package the mixed-integer solver found does not have the utilities it reported
    (two parties or more: the frontier would not be exact, so nothing is reported)."""

    def __init__(self) -> None:
        super().__init__("a package found by the mixed-integer solver does not have the"
                         " utilities the solver reported; the frontier would not be exact,"
                         " so nothing is reported.", fix="report this scenario.")


class TooManySolves(TratadoError):
    """The search-zone walk needs more mixed-integer programmes than allowed."""


def _cut(zones: list[FloatArray], point: FloatArray) -> list[FloatArray]:
    """The zones after cutting out the cone below ``point``, without redundant zones."""
    out: list[FloatArray] = []
    for bound in zones:
        if np.all(bound < point):
            for j in range(point.size):
                child = bound.copy()
                child[j] = point[j]
                out.append(child)
        else:
            out.append(bound)
    unique = np.unique(np.array(out), axis=0)
    # A zone whose bound is >= another's (everywhere) lies inside it.
    keep = [i for i in range(len(unique))
            if not np.any(np.all(unique <= unique[i], axis=1)
                          & np.any(unique < unique[i], axis=1))]
    return [unique[i] for i in keep]


def zone_frontier(name: str, k: int, solve: Callable[[dict[int, float]], np.ndarray | None],
                  evaluate: Callable[[np.ndarray], tuple[np.ndarray, FloatArray, float]],
                  scales: FloatArray, exact: bool, n_issues: int) -> tuple[Frontier, int]:
    """Walk the search zones of a ``k``-party scenario.

    ``solve(floors)`` maximises the sum of the parties' scaled utilities with
    ``u_p >= floors[p]`` and returns the model's binary vector (None when infeasible);
    ``evaluate(z)`` returns the package chosen in ``z``, its utilities as the scenario
    evaluates them and the model's objective value.  Returns the frontier (each point
    with a witness package, ``ties`` 0) and the number of programmes solved.
    """
    allowed = limit("milp_solves")
    zones: list[FloatArray] = [np.full(k, -np.inf)]
    points: list[FloatArray] = []
    rows: list[np.ndarray] = []
    solves = 0
    slack = 1e-3 if exact else 0.5
    while zones:
        if solves >= allowed:
            raise TooManySolves(
                f"the exact frontier of '{name}' ({k} parties, too many packages to list) needs"
                f" more than {allowed:,} mixed-integer programmes (the 'milp_solves' limit):"
                f" {len(points):,} frontier points found, {len(zones):,} regions still to"
                " search; nothing is reported rather than part of the frontier.",
                fix=f"allow more with {env_name('milp_solves')}=N, or analyse fewer parties or"
                " a smaller agenda.")
        bound = zones[-1]
        floors = {p: float(bound[p]) + 0.5 for p in range(k) if np.isfinite(bound[p])}
        z = solve(floors)
        solves += 1
        if z is None:
            zones.pop()
            continue
        row, true, objective = evaluate(z)
        units = true * scales
        level = np.rint(units) if exact else units
        if (np.any(units < bound + 1 - slack)
                or abs(float(units.sum()) - objective) > slack * k
                or (exact and np.any(np.abs(units - level) > slack))):
            raise SolverDisagrees
        points.append(true)
        rows.append(row)
        zones = _cut(zones, level)
    utilities = np.array(points, dtype=np.float64).reshape(-1, k)
    outcomes = np.array(rows, dtype=np.int64).reshape(-1, n_issues)
    grid = snap(utilities)
    order = np.lexsort([-grid[:, j] for j in reversed(range(k))])
    frontier = Frontier(utilities[order], outcomes[order], np.zeros(len(points), dtype=np.int64))
    return frontier, solves
