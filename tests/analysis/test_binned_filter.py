"""Two parties, many rows: the binning pass (``dominance.binned_candidates``) that runs
before the exact sweep changes no answer: dominance masks (at every tolerance),
frontiers (points, order, representatives, tie counts, utilities) and the additive
programme are those of brute force and of the sweep alone (the binning switched off).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tratado.analysis import dominance
from tratado.analysis.frontier import additive_frontier, frontier_from_points
from tratado.analysis.ties import UTILITY_GRID

from .test_frontier import assert_same, brute_frontier

KINDS = ["coarse", "grid", "continuous", "constant", "steep", "tiny", "zeros"]


def points(seed: int, m: int, kind: str) -> np.ndarray:
    """``m`` two-party utility vectors of one kind: many exact ties (coarse), values a
    grid step apart or less (grid), spread out, one party constant, nearly opposed,
    a spread too small to cut, signed zeros."""
    rng = np.random.default_rng(seed)
    if kind == "coarse":
        return rng.integers(0, 9, size=(m, 2)) / 8.0
    if kind == "grid":
        steps = rng.integers(-3, 4, size=(m, 2)) * (UTILITY_GRID / 2)
        return rng.integers(0, 6, size=(m, 2)) / 5.0 + steps
    if kind == "continuous":
        return rng.random((m, 2)) ** 0.5
    if kind == "constant":
        return np.column_stack([np.full(m, 0.5), rng.random(m)])
    if kind == "steep":  # near a line of slope -1: a large frontier
        x = rng.random(m)
        return np.column_stack([x, 1.0 - x + rng.random(m) * 1e-3])
    if kind == "tiny":
        return rng.integers(0, 3, size=(m, 2)) * 5e-324
    signs = rng.choice([-0.0, 0.0, 1.0], size=(m, 2))
    return signs * rng.integers(0, 2, size=(m, 2))


def brute_keep(u: np.ndarray, tol: float) -> np.ndarray:
    """Rows no row tol-dominates (``>=`` on both parties, beaten by more than ``tol``
    on one), by comparing every pair, a block of rows at a time."""
    keep = np.ones(len(u), dtype=np.bool_)
    for lo in range(0, len(u), 256):
        x = u[lo:lo + 256, None, :]
        covered = np.all(u[None, :, :] >= x, axis=2)
        with np.errstate(invalid="ignore", over="ignore"):
            beaten = np.any(u[None, :, :] - x > tol, axis=2)
        keep[lo:lo + 256] = ~np.any(covered & beaten, axis=1)
    return keep


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1024, 1500), st.sampled_from(KINDS),
       st.sampled_from([0.0, UTILITY_GRID, 1e-3]))
def test_two_party_masks_match_brute_force(seed: int, m: int, kind: str, tol: float) -> None:
    u = points(seed, m, kind)
    np.testing.assert_array_equal(dominance.keep_mask(u, tol), brute_keep(u, tol))


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1024, 1400),
       st.sampled_from(["coarse", "grid", "continuous", "constant", "steep", "zeros"]))
def test_two_party_frontiers_match_brute_force(seed: int, m: int, kind: str) -> None:
    u = points(seed, m, kind)
    place = np.random.default_rng(seed + 1).permutation(m)  # distinct outcomes, shuffled
    outcomes = np.column_stack([place // 7, place % 7])
    assert_same(frontier_from_points(u, outcomes), brute_frontier(u, outcomes))


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(["coarse", "grid", "continuous"]))
def test_large_frontiers_are_those_of_the_sweep_alone(seed: int, kind: str) -> None:
    """15,000 points, too many for brute force: the same frontier as with the binning
    off (the exact sweep of every row, as before the binning existed)."""
    u = points(seed, 15_000, kind)
    place = np.random.default_rng(seed).permutation(15_000)
    outcomes = np.column_stack([place // 100, place % 100 // 10, place % 10])
    found = frontier_from_points(u, outcomes)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dominance, "_BINNED_FROM", 1 << 62)
        assert_same(found, frontier_from_points(u, outcomes))


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans())
def test_additive_programme_is_that_of_the_sweep_alone(seed: int, coarse: bool) -> None:
    """Two parties, 6 issues of 5 options: its stages hold thousands of candidates, so
    the binning runs at tolerances above 0 too."""
    rng = np.random.default_rng(seed)
    contributions = [(rng.integers(0, 5, size=(5, 2)) / 20.0 if coarse else rng.random((5, 2)) / 6)
                     for _ in range(6)]
    found = additive_frontier(contributions)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dominance, "_BINNED_FROM", 1 << 62)
        assert_same(found, additive_frontier(contributions))


def test_spreads_too_small_or_too_wide_to_cut_are_not_binned() -> None:
    rng = np.random.default_rng(0)
    other = rng.random(2000)
    for lead in (np.full(2000, 0.25), rng.integers(0, 2, 2000) * 5e-324,
                 rng.choice([-1.7e308, 1.7e308], 2000)):
        assert dominance.binned_candidates(np.column_stack([lead, other]), 0.0) is None
    assert dominance.binned_candidates(rng.random((2000, 2)), 0.0) is not None
    assert dominance.binned_candidates(rng.random((1000, 2)), 0.0) is None
    assert dominance.binned_candidates(rng.random((2000, 3)), 0.0) is None
