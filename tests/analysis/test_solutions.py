"""Bargaining solutions checked against brute-force maximisation over all outcomes."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tratado.analysis.frontier import Frontier, additive_frontier
from tratado.analysis.solutions import (
    egalitarian_solution,
    kalai_smorodinsky_solution,
    nash_solution,
    utilitarian_solution,
)
from tratado.analysis.ties import RATIONAL_TOLERANCE, objective_tolerance, snap

from .test_frontier import Domain, domains, enumerate_space

Solution = Callable[[Frontier, np.ndarray], "int | None"]
FAST = settings(max_examples=60, deadline=None)


def total(u: np.ndarray) -> np.ndarray:
    """Totals on the utility grid (exact)."""
    g = snap(u)
    out = np.zeros(u.shape[0])
    for j in range(u.shape[1]):
        out = out + g[:, j]
    return out


def gains(u: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Gains from the reservation values, on the grid, never negative (solutions.py)."""
    out: np.ndarray = np.maximum(snap(u) - snap(r), 0.0)
    return out


def is_rational(u: np.ndarray, r: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.all(snap(u) >= snap(r - RATIONAL_TOLERANCE), axis=1)
    return out


def nash_objective(u: np.ndarray, r: np.ndarray, rational_u: np.ndarray) -> np.ndarray:
    g = gains(u, r)
    out = np.ones(u.shape[0])
    for j in range(u.shape[1]):
        out = out * g[:, j]
    return out


def ks_objective(u: np.ndarray, r: np.ndarray, rational_u: np.ndarray) -> np.ndarray:
    span = gains(rational_u, r).max(axis=0)  # ideal - r over all rational outcomes
    active = span > 0
    if not active.any():
        return np.zeros(u.shape[0])
    ratios: np.ndarray = np.min(gains(u, r)[:, active] / span[active], axis=1)
    return ratios


def egalitarian_objective(u: np.ndarray, r: np.ndarray, rational_u: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.min(gains(u, r), axis=1)
    return out


def utilitarian_objective(u: np.ndarray, r: np.ndarray, rational_u: np.ndarray) -> np.ndarray:
    return total(u)


CASES = [
    (nash_solution, nash_objective),
    (kalai_smorodinsky_solution, ks_objective),
    (egalitarian_solution, egalitarian_objective),
    (utilitarian_solution, utilitarian_objective),
]
IDS = ["nash", "kalai_smorodinsky", "egalitarian", "utilitarian"]


@st.composite
def problems(draw: st.DrawFn) -> tuple[Domain, np.ndarray]:
    domain = draw(domains())
    level = st.sampled_from([0.0, 0.25, 0.5]) | st.floats(0.0, 1.0)
    reservation = np.array(draw(st.lists(level, min_size=domain.k, max_size=domain.k)))
    return domain, reservation


@pytest.mark.parametrize(("solve", "objective"), CASES, ids=IDS)
@FAST
@given(problem=problems())
def test_solution_matches_brute_force(
    solve: Solution, objective: Callable[..., np.ndarray], problem: tuple[Domain, np.ndarray]
) -> None:
    domain, r = problem
    u, _ = enumerate_space(domain.contributions)
    f = additive_frontier(domain.contributions)
    rational = is_rational(u, r)
    index = solve(f, r)
    if not rational.any():
        assert index is None
        return
    assert index is not None
    point = f.utilities[index]
    assert is_rational(point[None, :], r)[0]  # rational, and on the frontier by construction
    scores = objective(u, r, u[rational])
    best = scores[rational].max()
    tol = objective_tolerance(domain.k)
    if solve is kalai_smorodinsky_solution:
        span = gains(u[rational], r).max(axis=0)
        tol /= span[span > 0].min() if (span > 0).any() else 1.0
    tied = scores >= best - tol
    assert tied[np.flatnonzero(np.all(u == point, axis=1))].all()
    # Tie rule: highest total among maximisers, then smallest representative outcome.
    maximisers = rational & tied
    top = total(u[maximisers]).max()
    assert total(point[None, :])[0] >= top - objective_tolerance(domain.k)
    front_scores = objective(f.utilities, r, u[rational])
    on_front = is_rational(f.utilities, r) & (front_scores >= best - tol)
    on_front &= total(f.utilities) >= top - objective_tolerance(domain.k)
    candidates = [tuple(row) for row in f.outcomes[on_front].tolist()]
    assert tuple(f.outcomes[index].tolist()) == min(candidates)


@FAST
@given(problems(), st.integers(-3, 3), st.integers(0, 3))
def test_nash_is_invariant_under_rescaling(
    problem: tuple[Domain, np.ndarray], exponent: int, party: int
) -> None:
    domain, r = problem
    party %= domain.k
    f = additive_frontier(domain.contributions)
    rational = is_rational(f.utilities, r)
    index = nash_solution(f, r)
    scale = np.ones(domain.k)
    scale[party] = 2.0**exponent  # exact rescaling of utilities and reservation values
    scaled = Frontier(f.utilities * scale, f.outcomes, f.ties)
    scaled_index = nash_solution(scaled, r * scale)
    if index is None:
        assert scaled_index is None
        return
    assert scaled_index is not None
    # The same maximal product, up to the utility grid (an absolute 2**-32, so rescaling
    # moves values by less than a grid step); the same point unless the maximum is tied
    # (the total-utility tie-break is measured in the parties' own units).
    products = nash_objective(f.utilities, r, f.utilities[rational])
    slack = 2.0**-30 * max(1.0, 2.0**-exponent) * domain.k
    assert products[scaled_index] >= products[index] - slack


def frontier(points: list[list[float]], outcomes: list[list[int]]) -> Frontier:
    return Frontier(np.array(points), np.array(outcomes), np.ones(len(points), dtype=np.int64))


def test_known_values() -> None:
    f = frontier([[1.0, 0.0], [0.75, 0.5], [0.5, 0.625], [0.0, 1.0]], [[0], [1], [2], [3]])
    r = np.zeros(2)
    assert nash_solution(f, r) == 1  # 0.375 vs 0.3125
    assert utilitarian_solution(f, r) == 1  # 1.25 vs 1.125
    assert egalitarian_solution(f, r) == 1  # 0.5 twice: the higher total wins
    assert kalai_smorodinsky_solution(f, r) == 1  # ideal (1, 1): same as egalitarian
    assert nash_solution(f, np.array([0.6, 0.7])) is None
    assert nash_solution(f, np.array([0.4, 0.6])) == 2


def test_tie_rule() -> None:
    # Equal utilitarian totals: highest total is equal too, so the smallest outcome wins.
    f = frontier([[0.75, 0.25], [0.5, 0.5], [0.25, 0.75]], [[2, 0], [1, 5], [1, 4]])
    assert utilitarian_solution(f, np.zeros(2)) == 2
    # Egalitarian ties on the minimum gain: the higher total wins.
    g = frontier([[0.9, 0.3], [0.4, 0.3]], [[0], [1]])
    assert egalitarian_solution(g, np.zeros(2)) == 0


def test_degenerate_ideal_point() -> None:
    # Every rational point gives party 1 exactly its reservation value.
    f = frontier([[0.9, 0.2], [0.6, 0.2]], [[1], [0]])
    assert kalai_smorodinsky_solution(f, np.array([0.0, 0.2])) == 0
    # No party can gain at all: all objectives tie and the tie rule decides.
    g = frontier([[0.5, 0.5]], [[3]])
    for solve, _ in CASES:
        assert solve(g, np.array([0.5, 0.5])) == 0


def test_empty_frontier_and_bad_reservation() -> None:
    empty = Frontier(np.zeros((0, 2)), np.zeros((0, 1), dtype=np.int64), np.zeros(0, np.int64))
    for solve, _ in CASES:
        assert solve(empty, np.zeros(2)) is None
    f = frontier([[0.5, 0.5]], [[0]])
    with pytest.raises(ValueError):
        nash_solution(f, np.zeros(3))
    with pytest.raises(ValueError):
        nash_solution(f, np.array([np.nan, 0.0]))
