"""The many-party dominance filter (tree of boxes) against brute force, 3 to 10 parties.

Near constant-sum utilities (nearly every row on the frontier: the case the tree is
for), random ones, exact ties and near-ties on the 2**-32 utility grid, and tolerances
(the additive programme's ``tol > 0``).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tratado.analysis import dominance, dominance_tree
from tratado.analysis.frontier import additive_frontier, frontier_from_points
from tratado.analysis.ties import UTILITY_GRID, snap

FAST = settings(max_examples=60, deadline=None)


def brute_keep(u: np.ndarray, tol: float = 0.0) -> np.ndarray:
    """O(m^2): rows no row tol-dominates (>= everywhere, better by more than tol once)."""
    ge = np.all(u[None, :, :] >= u[:, None, :], axis=2)
    beat = np.any(u[None, :, :] - u[:, None, :] > tol, axis=2)
    dominated: np.ndarray = np.any(ge & beat, axis=1)
    return ~dominated


def near_constant_sum(rng: np.random.Generator, m: int, k: int, spread: float = 0.01) -> np.ndarray:
    u: np.ndarray = rng.dirichlet(np.ones(k), size=m) * (1.0 + spread * rng.random((m, 1)))
    return u


@pytest.fixture
def small_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tiny leaves, nodes and batches, and the switch to the tree almost at once, so that
    small inputs go through every level and every code path."""
    monkeypatch.setattr(dominance_tree, "_LEAF", 3)
    monkeypatch.setattr(dominance_tree, "_FANOUT", 2)
    monkeypatch.setattr(dominance_tree, "_BATCH", 5)
    monkeypatch.setattr(dominance_tree, "_PAIRS", 64)
    monkeypatch.setattr(dominance, "TREE_FROM", 2)
    monkeypatch.setattr(dominance, "_BLOCK", 3)


@pytest.mark.parametrize("k", [3, 4, 5, 6, 8, 10])
@pytest.mark.parametrize("kind", ["near constant-sum", "random", "rounded"])
@pytest.mark.parametrize("tol", [0.0, 1e-3])
def test_tree_matches_brute_force(k: int, kind: str, tol: float) -> None:
    rng = np.random.default_rng(k * 7 + len(kind))
    m = 1000
    u = rng.random((m, k)) if kind == "random" else near_constant_sum(rng, m, k)
    if kind == "rounded":  # exact ties and near-ties
        u = np.round(u, 2)
    expected = brute_keep(u, tol)
    np.testing.assert_array_equal(dominance_tree.tree_keep_mask(u, tol), expected)
    np.testing.assert_array_equal(dominance.keep_mask(u, tol), expected)


@pytest.mark.usefixtures("small_tree")
@pytest.mark.parametrize("k", [3, 4, 5, 7, 10])
def test_every_level_of_a_small_tree(k: int) -> None:
    rng = np.random.default_rng(k)
    for u in (near_constant_sum(rng, 200, k), np.round(rng.random((200, k)), 1)):
        np.testing.assert_array_equal(dominance.keep_mask(u, 0.0), brute_keep(u))
        np.testing.assert_array_equal(dominance_tree.tree_keep_mask(u, 0.05), brute_keep(u, 0.05))


@st.composite
def utility_sets(draw: st.DrawFn) -> np.ndarray:
    """3-10 parties, values from a small set (many exact ties) or floats."""
    k = draw(st.integers(3, 10))
    m = draw(st.integers(1, 60))
    if draw(st.booleans()):
        elements = st.sampled_from([0.0, 0.25, 0.5, 0.75])
    else:
        elements = st.floats(-1.0, 1.0, allow_nan=False, allow_infinity=False)
    u: np.ndarray = draw(hnp.arrays(np.float64, (m, k), elements=elements))
    return u


@FAST
@given(utility_sets(), st.sampled_from([0.0, 0.1]))
def test_tree_property(u: np.ndarray, tol: float) -> None:
    """Every kept row is undominated and every undominated row is kept."""
    kept = dominance_tree.tree_keep_mask(u, tol)
    np.testing.assert_array_equal(kept, brute_keep(u, tol))


@pytest.mark.usefixtures("small_tree")
@FAST
@given(utility_sets())
def test_small_tree_property(u: np.ndarray) -> None:
    np.testing.assert_array_equal(dominance.keep_mask(u, 0.0), brute_keep(u))


@pytest.mark.usefixtures("small_tree")
def test_ties_on_the_utility_grid() -> None:
    """Rows a fraction of a grid step apart are one point; rows a step apart are two."""
    rng = np.random.default_rng(3)
    base = np.round(near_constant_sum(rng, 300, 5), 6)
    noise = rng.integers(0, 2, size=base.shape) * (0.25 * UTILITY_GRID)
    step = rng.integers(0, 2, size=(300, 1)) * np.eye(5)[rng.integers(0, 5, size=300)] * UTILITY_GRID
    u = np.vstack([base, base + noise, base + step])
    outcomes = np.arange(len(u))[:, None]
    f = frontier_from_points(u, outcomes)
    expected = {tuple(r) for r in snap(u)[brute_keep(snap(u))].tolist()}
    assert {tuple(r) for r in snap(f.utilities).tolist()} == expected
    grid = snap(u)
    for point, ties in zip(snap(f.utilities), f.ties, strict=True):
        assert ties == int(np.count_nonzero(np.all(grid == point, axis=1)))


@pytest.mark.usefixtures("small_tree")
@pytest.mark.parametrize("k", [4, 5, 6])
def test_additive_near_constant_sum_matches_enumeration(k: int) -> None:
    """The dynamic programme over issues (tol > 0 between issues) with the tree: the same
    frontier, representatives and tie counts as enumerating every package."""
    rng = np.random.default_rng(k)
    contributions = [near_constant_sum(rng, n, k, 0.02) / 3 for n in (4, 3, 4)]
    contributions[1] = np.round(contributions[1], 2)
    f = additive_frontier(contributions)
    rows = np.array(list(itertools.product(*[range(len(c)) for c in contributions])))
    u = np.zeros((len(rows), k))
    for i, c in enumerate(contributions):
        u = u + c[rows[:, i]]
    g = frontier_from_points(u, rows)
    np.testing.assert_array_equal(f.utilities, g.utilities)
    np.testing.assert_array_equal(f.outcomes, g.outcomes)
    np.testing.assert_array_equal(f.ties, g.ties)
    grid = snap(u)
    assert {tuple(r) for r in snap(f.utilities).tolist()} == \
        {tuple(r) for r in grid[brute_keep(grid)].tolist()}
    assert len(f) > len(rows) // 2


def test_more_parties_than_bits_in_the_curve_key() -> None:
    """70 parties: the Z-order key cannot hold a bit per party; the order degrades, the
    answer does not."""
    u = np.round(np.random.default_rng(70).random((400, 70)), 1)
    np.testing.assert_array_equal(dominance_tree.tree_keep_mask(u, 0.0), brute_keep(u))
    assert dominance_tree.tree_keep_mask(np.zeros((0, 5)), 0.0).shape == (0,)
