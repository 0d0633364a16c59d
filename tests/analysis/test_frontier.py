"""Exact Pareto frontiers checked against a brute-force reference."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tratado.analysis import dominance
from tratado.analysis.frontier import (
    Frontier,
    FrontierBuilder,
    additive_frontier,
    frontier_from_points,
    pareto_mask,
)
from tratado.analysis.ties import snap

FAST = settings(max_examples=60, deadline=None)


# --------------------------------------------------------------------------------------
# Brute-force reference
# --------------------------------------------------------------------------------------


def enumerate_space(contributions: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """All outcomes (lexicographic order) and their utilities, summed in issue order."""
    k = contributions[0].shape[1]
    rows = list(itertools.product(*[range(c.shape[0]) for c in contributions]))
    outcomes = np.array(rows, dtype=np.int64).reshape(len(rows), len(contributions))
    utilities = np.zeros((len(rows), k))
    for i, c in enumerate(contributions):
        utilities = utilities + c[outcomes[:, i]]
    return utilities, outcomes


def brute_mask(u: np.ndarray, grid: bool = True) -> np.ndarray:
    """O(m^2) strict-dominance check, on the utility grid (tratado.analysis.ties) or, for
    the raw primitive ``pareto_mask``, on the floats themselves."""
    u = snap(u) if grid else u
    ge = np.all(u[None, :, :] >= u[:, None, :], axis=2)
    gt = np.any(u[None, :, :] > u[:, None, :], axis=2)
    dominated: np.ndarray = np.any(ge & gt, axis=1)
    return ~dominated


def brute_frontier(u: np.ndarray, outcomes: np.ndarray) -> Frontier:
    """Frontier by dictionary grouping of the undominated rows (on the utility grid; each
    point reports its representative's own utilities)."""
    keep = brute_mask(u)
    groups: dict[tuple[float, ...], list[tuple[int, ...]]] = {}
    raw: dict[tuple[int, ...], tuple[float, ...]] = {}
    for row, grid_row, outcome in zip(u[keep], snap(u[keep]), outcomes[keep], strict=True):
        groups.setdefault(tuple(grid_row.tolist()), []).append(tuple(outcome.tolist()))
        raw[tuple(outcome.tolist())] = tuple(row.tolist())
    keys = sorted(groups, reverse=True)
    k, n = u.shape[1], outcomes.shape[1]
    return Frontier(
        np.array([raw[min(groups[key])] for key in keys], dtype=np.float64).reshape(len(keys), k),
        np.array([min(groups[key]) for key in keys], dtype=np.int64).reshape(len(keys), n),
        np.array([len(groups[key]) for key in keys], dtype=np.int64),
    )


def assert_same(actual: Frontier, expected: Frontier) -> None:
    np.testing.assert_array_equal(actual.utilities, expected.utilities)
    np.testing.assert_array_equal(actual.outcomes, expected.outcomes)
    np.testing.assert_array_equal(actual.ties, expected.ties)


# --------------------------------------------------------------------------------------
# Strategies
# --------------------------------------------------------------------------------------


@dataclass
class Domain:
    contributions: list[np.ndarray]
    seed: int

    @property
    def k(self) -> int:
        return int(self.contributions[0].shape[1])


@st.composite
def domains(draw: st.DrawFn, parties: tuple[int, ...] = (2, 3, 4)) -> Domain:
    """Small additive domains; half of them draw from {0, 0.25, 0.5} to force exact ties."""
    k = draw(st.sampled_from(parties))
    n_issues = draw(st.integers(1, 4))
    if draw(st.booleans()):
        value = st.sampled_from([0.0, 0.25, 0.5])
    else:
        value = st.floats(0.0, 0.5, allow_nan=False, allow_infinity=False)
    contributions = []
    for _ in range(n_issues):
        n_options = draw(st.integers(1, 5))
        values = draw(st.lists(value, min_size=n_options * k, max_size=n_options * k))
        contributions.append(np.array(values, dtype=np.float64).reshape(n_options, k))
    return Domain(contributions, draw(st.integers(0, 2**32 - 1)))


@pytest.fixture
def tiny_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shrink the internal block sizes so small inputs exercise every code path."""
    monkeypatch.setattr(dominance, "_GRID_MIN", 0)
    monkeypatch.setattr(dominance, "_GRID_CELLS", 64)
    monkeypatch.setattr(dominance, "_BLOCK", 3)
    monkeypatch.setattr(dominance, "_CHUNK", 2)
    monkeypatch.setattr(dominance, "_BINNED_FROM", 0)


# --------------------------------------------------------------------------------------
# Agreement with brute force
# --------------------------------------------------------------------------------------


@FAST
@given(domains(parties=(1, 2, 3, 4)))
def test_additive_frontier_matches_brute_force(domain: Domain) -> None:
    u, outcomes = enumerate_space(domain.contributions)
    assert_same(additive_frontier(domain.contributions), brute_frontier(u, outcomes))


@FAST
@given(domains(parties=(1, 2, 3, 4)))
def test_pareto_mask_matches_brute_force(domain: Domain) -> None:
    u, _ = enumerate_space(domain.contributions)
    rng = np.random.default_rng(domain.seed)
    u = u[rng.permutation(len(u))]
    np.testing.assert_array_equal(pareto_mask(u), brute_mask(u, grid=False))


@FAST
@given(domains())
def test_frontier_from_points_matches_brute_force(domain: Domain) -> None:
    u, outcomes = enumerate_space(domain.contributions)
    order = np.random.default_rng(domain.seed).permutation(len(u))
    expected = brute_frontier(u, outcomes)
    assert_same(frontier_from_points(u[order], outcomes[order]), expected)


@FAST
@given(domains())
def test_builder_matches_brute_force(domain: Domain) -> None:
    u, outcomes = enumerate_space(domain.contributions)
    rng = np.random.default_rng(domain.seed)
    order = rng.permutation(len(u))
    builder = FrontierBuilder(domain.k, len(domain.contributions))
    start = 0
    while start < len(u):
        stop = start + int(rng.integers(1, 40))
        builder.add(u[order[start:stop]], outcomes[order[start:stop]])
        start = stop
    assert_same(builder.result(), brute_frontier(u, outcomes))


@settings(max_examples=40, deadline=None)
@given(domains())
def test_small_blocks_match_brute_force(domain: Domain) -> None:
    """Same checks with tiny internal blocks: grid filter, chunked sweeps, DP tolerance,
    two parties binned however few their rows."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dominance, "_GRID_MIN", 0)
        patch.setattr(dominance, "_GRID_CELLS", 64)
        patch.setattr(dominance, "_BLOCK", 3)
        patch.setattr(dominance, "_CHUNK", 2)
        patch.setattr(dominance, "_BINNED_FROM", 0)
        u, outcomes = enumerate_space(domain.contributions)
        expected = brute_frontier(u, outcomes)
        np.testing.assert_array_equal(pareto_mask(u), brute_mask(u, grid=False))
        assert_same(additive_frontier(domain.contributions), expected)
        assert_same(frontier_from_points(u, outcomes), expected)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([2, 3, 4, 5]))
def test_pareto_mask_on_larger_random_sets(seed: int, k: int) -> None:
    """A thousand points with coarse values (many ties) and some continuous ones."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 12, size=(600, k)) / 11.0
    fine = rng.random((600, k)) ** 0.3
    for u in (coarse, fine, np.concatenate([coarse, fine])):
        np.testing.assert_array_equal(pareto_mask(u), brute_mask(u, grid=False))


def test_pareto_mask_grid_filter_on_many_points(tiny_blocks: None) -> None:
    rng = np.random.default_rng(7)
    u = rng.random((3000, 3)) + rng.random((3000, 1))
    np.testing.assert_array_equal(pareto_mask(u), brute_mask(u, grid=False))


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------


@FAST
@given(domains())
def test_frontier_properties(domain: Domain) -> None:
    u, _ = enumerate_space(domain.contributions)
    f = additive_frontier(domain.contributions)
    # No outcome strictly dominates a frontier point (on the utility grid).
    g, fg = snap(u), snap(f.utilities)
    ge = np.all(g[None, :, :] >= fg[:, None, :], axis=2)
    gt = np.any(g[None, :, :] > fg[:, None, :], axis=2)
    assert not np.any(ge & gt)
    # Every outcome is dominated by or equal to a frontier point.
    covered = np.all(fg[None, :, :] >= g[:, None, :], axis=2)
    assert np.all(np.any(covered, axis=1))
    # Ties count exactly the undominated outcomes; representatives reproduce their vectors.
    assert int(f.ties.sum()) == int(brute_mask(u).sum())
    assert np.all(f.ties >= 1)
    recomputed = np.zeros_like(f.utilities)
    for i, c in enumerate(domain.contributions):
        recomputed = recomputed + c[f.outcomes[:, i]]
    np.testing.assert_array_equal(recomputed, f.utilities)


@FAST
@given(domains(), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_rational_is_frontier_of_rational_outcomes(domain: Domain, a: float, b: float) -> None:
    u, outcomes = enumerate_space(domain.contributions)
    reservation = np.resize(np.array([a, b]), domain.k)
    rational = np.all(snap(u) >= snap(reservation), axis=1)
    expected = brute_frontier(u[rational], outcomes[rational])
    assert_same(additive_frontier(domain.contributions).rational(reservation), expected)


@pytest.mark.parametrize(("k", "n_issues"), [(2, 30), (3, 12)])
def test_large_additive_space_is_consistent(k: int, n_issues: int) -> None:
    """Far too many outcomes to enumerate; check internal consistency."""
    rng = np.random.default_rng(k)
    contributions = [rng.random((int(rng.integers(2, 6)), k)) for _ in range(n_issues)]
    f = additive_frontier(contributions)
    recomputed = np.zeros_like(f.utilities)
    for i, c in enumerate(contributions):
        recomputed = recomputed + c[f.outcomes[:, i]]
    np.testing.assert_array_equal(recomputed, f.utilities)
    assert np.all(pareto_mask(f.utilities))
    keys = [-f.utilities[:, j] for j in reversed(range(k))]
    np.testing.assert_array_equal(np.lexsort(keys), np.arange(len(f)))
    assert f.outcomes.shape == (len(f), n_issues)


# --------------------------------------------------------------------------------------
# Specific cases
# --------------------------------------------------------------------------------------


def test_rounding_absorbs_a_strict_gap() -> None:
    """1e-20 + 0.5 == 0 + 0.5: a dominated prefix can still tie on the frontier."""
    contributions = [np.array([[0.0, 0.3], [1e-20, 0.3]]), np.array([[0.5, 0.1]])]
    f = additive_frontier(contributions)
    np.testing.assert_array_equal(f.utilities, [[0.5, 0.4]])
    np.testing.assert_array_equal(f.outcomes, [[0, 0]])
    np.testing.assert_array_equal(f.ties, [2])


def test_example_with_ties_and_order() -> None:
    contributions = [
        np.array([[0.5, 0.0], [0.0, 0.5], [0.25, 0.25]]),
        np.array([[0.25, 0.25], [0.0, 0.5]]),
    ]
    f = additive_frontier(contributions)
    np.testing.assert_array_equal(f.utilities, [[0.75, 0.25], [0.5, 0.5], [0.25, 0.75], [0.0, 1.0]])
    np.testing.assert_array_equal(f.outcomes, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(f.ties, [1, 2, 2, 1])
    assert len(f) == 4


def test_huge_tie_counts() -> None:
    zeros = [np.zeros((10, 2)) for _ in range(18)]
    f = additive_frontier(zeros)
    assert f.ties.tolist() == [10**18]
    assert f.outcomes.tolist() == [[0] * 18]
    with pytest.raises(OverflowError):
        additive_frontier(zeros + [np.zeros((10, 2))])


def test_one_party_and_empty_inputs() -> None:
    np.testing.assert_array_equal(pareto_mask(np.array([[1.0], [2.0], [2.0]])), [0, 1, 1])
    assert pareto_mask(np.zeros((0, 3))).shape == (0,)
    f = frontier_from_points(np.zeros((0, 2)), np.zeros((0, 4), dtype=np.int64))
    assert len(f) == 0 and f.outcomes.shape == (0, 4)
    builder = FrontierBuilder(3, 2)
    assert len(builder.result()) == 0
    builder.add(np.zeros((0, 3)), np.zeros((0, 2), dtype=np.int64))
    assert builder.result().utilities.shape == (0, 3)


def test_builder_keeps_ties_across_chunks() -> None:
    builder = FrontierBuilder(2, 1)
    builder.add([[0.5, 0.5], [0.2, 0.2]], [[4], [0]])
    builder.add([[0.5, 0.5], [0.6, 0.1]], [[2], [1]])
    builder.add([[0.5, 0.5]], [[3]])
    f = builder.result()
    np.testing.assert_array_equal(f.utilities, [[0.6, 0.1], [0.5, 0.5]])
    np.testing.assert_array_equal(f.outcomes, [[1], [2]])
    np.testing.assert_array_equal(f.ties, [1, 3])


def test_invalid_inputs() -> None:
    with pytest.raises(ValueError):
        pareto_mask(np.array([[np.nan, 1.0]]))
    with pytest.raises(ValueError):
        pareto_mask(np.zeros(3))
    with pytest.raises(ValueError):
        additive_frontier([])
    with pytest.raises(ValueError):
        additive_frontier([np.zeros((2, 2)), np.zeros((2, 3))])
    with pytest.raises(ValueError):
        frontier_from_points(np.zeros((2, 2)), np.zeros((3, 1), dtype=np.int64))
    with pytest.raises(ValueError):
        FrontierBuilder(2, 1).add(np.zeros((2, 2)), np.zeros((2, 2), dtype=np.int64))
    f = additive_frontier([np.eye(2)])
    with pytest.raises(ValueError):
        f.rational(np.zeros(3))


def test_frontier_arrays_are_read_only() -> None:
    f = additive_frontier([np.eye(2)])
    with pytest.raises(ValueError):
        f.utilities[0, 0] = 2.0


@pytest.mark.parametrize("tol", [0.0, 1e-12, 1e-3])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_three_party_sweep_agrees_with_the_many_party_path(seed: int, tol: float) -> None:
    """The 3-party staircase sweep against the block algorithm, run on the same rows with
    a constant fourth party (which changes no dominance relation), on near constant-sum
    data where most rows are on the frontier, with exact ties and near-ties."""
    rng = np.random.default_rng(seed)
    u = rng.dirichlet([1.0, 1.0, 1.0], size=3000) * (1.0 + 0.01 * rng.random((3000, 1)))
    u = np.round(u, 3)  # exact ties and near-ties
    three = dominance.keep_mask(u, tol)
    four = dominance.keep_mask(np.column_stack([u, np.zeros(len(u))]), tol)
    assert np.array_equal(three, four)
    assert three.sum() > 100
