"""Exact Pareto frontiers of spaces too large to enumerate, by mixed-integer programming.

For preferences built from options and package rules -- linear-additive, hyper-rectangle
(:class:`~tratado.preferences.Constraints`, GENIUS non-linear spaces) and mixed ones --
each party's utility is ``offset + sum of option contributions + sum of rule bonuses``.
That is linear in binary variables:

* one binary ``x[i, j]`` per option ``j`` of issue ``i``, with ``sum_j x[i, j] = 1``;
* one binary ``y[p, k]`` per rule ``k`` of party ``p``, linked to the options so that the
  model's utility never exceeds the package's true utility and equals it for the best
  choice of ``y``: for a bonus, ``y <= sum of the allowed x`` of each issue the rule
  constrains (it may be 0 when the rule holds, never 1 when it does not); for a penalty,
  ``y >= (sum over the constrained issues of their allowed x) - (issues - 1)`` (it must be
  1 when the rule holds).

**Two parties: an ε-constraint walk.**  Starting from the level ``L = -inf``: maximise
party 0's utility subject to ``u_1 >= L``, giving ``a``; then maximise ``u_1`` subject to
``u_0 >= a`` and ``u_1 >= L``, giving ``b`` and a witness package (with integer units
both are one solve: maximise ``(span_1 + 1) * u_0 + u_1``, where ``span_1`` bounds the
range of ``u_1``, so that one unit of ``u_0`` outweighs any gain in ``u_1``).  ``(a, b)`` is a frontier
point (nothing beats ``a`` for party 0 among packages with ``u_1 >= L``, and nothing
beats ``b`` for party 1 among those with ``u_0 >= a``); the next level is ``b`` plus one
utility step.  Every frontier point ``(a', b')`` with ``b' >= L`` has ``a' <= a``, and
``a' = a`` forces ``b' = b``, so the walk finds every point, one solve pair each, in order
of party 0's utility, descending (the order :class:`~tratado.analysis.frontier.Frontier`
uses).

**Why the result is exact.**  Each party's utilities are rescaled to integers when
every coefficient is a fraction with a denominator of at most 10^6 (a GENIUS file's
integer bonuses divided by their span; decimals; weights divided by their sum): the
multiplier is the least common multiple of the denominators, so "one utility step" is exactly 1 and every
objective value is an integer.  HiGHS is run with a relative gap of 0, so it proves
each optimum to within its absolute gap (``1e-6``), far below the step of 1 between
integer objective values: the proven optimum is the exact one.  The witness of every
point is then evaluated by the scenario itself (the same function enumeration uses)
and checked against the solver's values; a disagreement stops the analysis with an
error rather than report a point that is not exact.  Utilities that cannot be
rescaled to integers of at most 10^9 are walked with a step of ``1e-6`` of the
[0, 1] scale instead, and frontier points closer than that for party 1 may be missed
(:attr:`MilpFrontier.exact` is then False).

**Three or more parties** are not walked this way (the levels would form a grid of
``k - 1`` dimensions): :func:`milp_frontier` searches the zones of the utility space
where frontier points may still lie instead (:mod:`tratado.analysis.milp_zones`), on
the same model and with the same proof of exactness.

SciPy (``pip install 'tratado[huge]'``) provides HiGHS through ``scipy.optimize.milp``;
the rest of tratado works without it.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from tratado.analysis.frontier import Frontier
from tratado.analysis.milp_zones import SolverDisagrees
from tratado.errors import TratadoError
from tratado.preferences import Constraints, LinearAdditive, Preferences
from tratado.scenario import Scenario

__all__ = ["MilpFrontier", "Structure", "milp_frontier", "solvable", "structure"]

#: Largest integer utility (after rescaling) the walk uses as exact units.
_MAX_UNITS = 1e9
#: Largest weighted objective solved as one lexicographic programme (else two solves).
_COMBINED_UP_TO = 1e9
#: Step of the walk on the [0, 1] scale when utilities cannot be made integers.
_FALLBACK_STEP = 1e-6


class MilpUnavailable(TratadoError):
    """The mixed-integer path needs SciPy (the ``huge`` extra)."""


@dataclass(frozen=True)
class Structure:
    """One party's utility as ``offset + sum_i options[i][x_i] + sum of rule bonuses``."""

    offset: float
    options: tuple[np.ndarray, ...]
    rules: tuple[tuple[dict[int, np.ndarray], float], ...]


def structure(prefs: Preferences, shape: Sequence[int]) -> Structure | None:
    """The linear structure of ``prefs``, or None when it has none (tables)."""
    if isinstance(prefs, LinearAdditive):
        return Structure(0.0, tuple(prefs.contributions()), ())
    if isinstance(prefs, Constraints):
        options = tuple(np.zeros(n) for n in shape)
        if prefs.base is not None and prefs.base_weight:
            options = tuple(prefs.base_weight * c for c in prefs.base.contributions())
        rules = tuple((dict(r.allowed), float(r.bonus)) for r in prefs.rules if r.bonus)
        return Structure(float(prefs.offset), options, rules)
    return None


def solvable(scenario: Scenario) -> bool:
    """True when every party's preferences have a linear structure (options and rules)."""
    shape = scenario.agenda.shape
    return scenario.n_parties >= 2 and all(
        structure(p.preferences, shape) is not None for p in scenario.parties)


def _integer_scale(s: Structure) -> float | None:
    """The smallest multiplier making every coefficient of ``s`` an integer, when each is a
    fraction with a denominator of at most 10^6 (to float precision) and the scaled
    utilities stay below 10^9; None otherwise."""
    coefficients = np.concatenate([[s.offset], *s.options, [b for _, b in s.rules]])
    total = float(np.abs(coefficients).sum()) or 1.0
    m = 1
    for c in coefficients.tolist():
        f = Fraction(c).limit_denominator(10**6)
        if abs(float(f) - c) > 1e-12 * max(1.0, abs(c)):
            return None
        m = math.lcm(m, f.denominator)
        if m * total > _MAX_UNITS:
            return None
    return float(m)


@contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Silence the solver's own prints: some HiGHS versions write diagnostics straight to
    file descriptor 1, which would corrupt a ``--json`` document on standard output."""
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):  # no real stdout (captured): nothing to protect
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)



@dataclass(frozen=True)
class MilpFrontier:
    """What :func:`milp_frontier` found: the frontier and how it was obtained."""

    frontier: Frontier
    exact: bool  # every party's utilities were walked in exact integer units
    solves: int  # mixed-integer programmes solved


class _Model:
    """The shared constraints and each party's utility row over the binary variables."""

    def __init__(self, shape: Sequence[int], parts: list[Structure], scales: list[float]) -> None:
        from scipy.sparse import lil_matrix

        self.starts = np.concatenate([[0], np.cumsum(shape)]).astype(int)
        n_x = int(self.starts[-1])
        rule_counts = [len(p.rules) for p in parts]
        n = n_x + sum(rule_counts)
        self.n, self.n_x = n, n_x
        self.utility = np.zeros((len(parts), n))
        self.offset = np.zeros(len(parts))
        rows: list[tuple[dict[int, float], float, float]] = []  # coefficients, lower, upper
        for i in range(len(shape)):
            rows.append(({int(self.starts[i]) + j: 1.0 for j in range(shape[i])}, 1.0, 1.0))
        column = n_x
        for p, (part, m) in enumerate(zip(parts, scales, strict=True)):
            self.offset[p] = part.offset * m
            for i, values in enumerate(part.options):
                self.utility[p, self.starts[i]:self.starts[i + 1]] = np.asarray(values) * m
            for allowed, bonus in part.rules:
                constrained = {i: mask for i, mask in allowed.items() if not np.all(mask)}
                never = any(not np.any(mask) for mask in constrained.values())
                self.utility[p, column] = bonus * m
                if never:  # the rule can never hold
                    rows.append(({column: 1.0}, 0.0, 0.0))
                elif not constrained:  # it always holds
                    rows.append(({column: 1.0}, 1.0, 1.0))
                elif bonus > 0:  # y <= allowed options of each constrained issue
                    for i, mask in constrained.items():
                        row = {column: 1.0}
                        for j in np.flatnonzero(mask):
                            row[int(self.starts[i]) + int(j)] = -1.0
                        rows.append((row, -np.inf, 0.0))
                else:  # y >= sum of allowed - (issues - 1)
                    row = {column: 1.0}
                    for i, mask in constrained.items():
                        for j in np.flatnonzero(mask):
                            row[int(self.starts[i]) + int(j)] = -1.0
                    rows.append((row, 1.0 - len(constrained), np.inf))
                column += 1
        a = lil_matrix((len(rows), n))
        for r, (coefficients, _, _) in enumerate(rows):
            for c, v in coefficients.items():
                a[r, c] = v
        self.a = a.tocsr()
        self.lower = np.array([lo for _, lo, _ in rows])
        self.upper = np.array([hi for _, _, hi in rows])

    def span(self, party: int) -> float:
        """An upper bound on the range of ``party``'s (scaled) utility."""
        return float(np.abs(self.utility[party]).sum())

    def maximise(self, weights: Sequence[float], floors: dict[int, float],
                 ceilings: dict[int, float] | None = None) -> np.ndarray | None:
        """The binary vector maximising ``sum_p weights[p] * u_p`` with each utility between
        its floor and its ceiling; None when no package meets them."""
        from scipy.optimize import Bounds, LinearConstraint, milp

        constraints = [LinearConstraint(self.a, self.lower, self.upper)]
        ceilings = ceilings or {}
        for p in sorted(set(floors) | set(ceilings)):
            constraints.append(LinearConstraint(
                self.utility[p][None, :], floors.get(p, -np.inf) - self.offset[p],
                ceilings.get(p, np.inf) - self.offset[p]))
        objective = sum(w * self.utility[p] for p, w in enumerate(weights) if w)
        with _quiet_stdout():
            result = milp(-np.asarray(objective), integrality=np.ones(self.n),
                          bounds=Bounds(0, 1), constraints=constraints,
                          options={"mip_rel_gap": 0.0, "presolve": True})
        if result.status == 2:  # infeasible
            return None
        if result.status != 0 or result.x is None:
            raise TratadoError(f"the mixed-integer solver stopped without a proven optimum "
                               f"({result.message}).",
                               fix="report this scenario; meanwhile analyse a smaller agenda.")
        return np.asarray(result.x)

    def package(self, z: np.ndarray) -> np.ndarray:
        """The option index of each issue chosen in ``z``."""
        return np.array([int(np.argmax(z[self.starts[i]:self.starts[i + 1]]))
                         for i in range(len(self.starts) - 1)], dtype=np.int64)


def _zones(scenario: Scenario, model: _Model, scales: list[float], exact: bool) -> MilpFrontier:
    """Three or more parties: the search-zone walk of :mod:`tratado.analysis.milp_zones`."""
    from tratado.analysis.milp_zones import zone_frontier

    k = scenario.n_parties
    ones = (1.0,) * k

    def solve(floors: dict[int, float]) -> np.ndarray | None:
        return model.maximise(ones, floors)

    def evaluate(z: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        row = model.package(z)
        objective = float((model.utility @ z).sum() + model.offset.sum())
        return row, scenario.utilities(row[None, :])[0], objective

    frontier, solves = zone_frontier(scenario.name, k, solve, evaluate, np.array(scales), exact,
                                     len(scenario.agenda))
    return MilpFrontier(frontier, exact, solves)


def milp_frontier(scenario: Scenario) -> MilpFrontier:
    """The exact Pareto frontier of a scenario without enumerating it: the two-party walk
    below, or for three or more parties the search zones of
    :mod:`tratado.analysis.milp_zones`.

    Each point carries a witness package (not necessarily the lexicographically smallest
    one) and ``ties`` 0: the number of packages sharing the point is not counted.
    """
    try:
        import scipy.optimize  # noqa: F401
    except ImportError:
        raise MilpUnavailable(
            f"'{scenario.name}' has {scenario.agenda.size:,} packages, too many to list, and its"
            " exact frontier is found by mixed-integer programming, which needs SciPy.",
            fix="install the optional extra: pip install 'tratado[huge]'.") from None
    shape = scenario.agenda.shape
    parts = [structure(p.preferences, shape) for p in scenario.parties]
    if any(part is None for part in parts):
        raise TratadoError(
            "the exact frontier without enumeration needs preferences made of option values "
            "and package rules (linear-additive or constraints); a table has no such structure.",
            fix="analyse a smaller agenda, which can be enumerated.")
    structures = [part for part in parts if part is not None]
    found = [_integer_scale(part) for part in structures]
    exact = all(m is not None for m in found)
    scales = [m if m is not None else 1.0 / _FALLBACK_STEP for m in found]
    model = _Model(scenario.agenda.shape, structures, scales)
    if scenario.n_parties > 2:
        return _zones(scenario, model, scales, exact)
    points: list[np.ndarray] = []
    rows: list[np.ndarray] = []
    level = -math.inf
    solves = 0
    # With integer utilities whose weighted sum stays small, one solve of
    # (span_1 + 1) * u_0 + u_1 is the lexicographic pair (u_0 first, then u_1).
    weight = model.span(1) + 1.0
    combined = exact and weight * (model.span(0) + 1.0) <= _COMBINED_UP_TO
    ceiling: dict[int, float] = {}
    while True:
        floors = {} if level == -math.inf else {1: level}
        # Every point still to find has u_0 below the last one's (or it would dominate
        # it): the ceiling is valid, and it bounds the search tightly.
        z = model.maximise((weight, 1.0) if combined else (1.0, 0.0), floors, ceiling)
        solves += 1
        if z is None:
            break
        value0 = float(model.utility[0] @ z + model.offset[0])
        best0 = float(np.rint(value0)) if exact else value0
        if not combined:
            z = model.maximise((0.0, 1.0), {0: best0 - 0.5, **floors})
            solves += 1
            if z is None:  # cannot happen: the first solve's package is feasible
                raise TratadoError("the mixed-integer solver lost a feasible package.",
                                   fix="report this scenario.")
        row = model.package(z)
        true = scenario.utilities(row[None, :])[0]
        units = true * np.array(scales)
        # Exact units are integers: the package's own utilities must be those integers
        # (float evaluation is off by far less than 1e-3 of a unit); otherwise half a step.
        slack = 1e-3 if exact else 0.5
        if abs(units[0] - best0) > slack or (level != -math.inf and units[1] < level - slack) or (
                exact and np.any(np.abs(units - np.rint(units)) > slack)):
            raise SolverDisagrees
        points.append(true)
        rows.append(row)
        level = float(np.rint(units[1])) + 0.5 if exact else units[1] + 0.5
        ceiling = {0: best0 - 0.5}
    utilities = np.array(points, dtype=np.float64).reshape(-1, 2)
    outcomes = np.array(rows, dtype=np.int64).reshape(-1, len(shape))
    return MilpFrontier(Frontier(utilities, outcomes, np.zeros(len(points), dtype=np.int64)),
                        exact, solves)


def best_package(part: Structure, shape: Sequence[int], scale: float = 1e4) -> np.ndarray:
    """The package (option indices) with the highest utility for one party's structure
    ``part``: one mixed-integer programme on the same model as the frontier walk (ties:
    whichever the solver proves first). Utilities are in [0, 1]; scaled by ``scale`` the
    solver's absolute gap (1e-6) is 1e-10 of them."""
    model = _Model(shape, [part], [scale])
    z = model.maximise((1.0,), {})
    if z is None:  # one party, no floors: cannot happen, but say so rather than guess
        raise TratadoError("the mixed-integer solver found no package at all.",
                           fix="report this scenario.")
    return model.package(z)
