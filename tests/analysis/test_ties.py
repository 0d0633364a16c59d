"""Ties: float noise never decides dominance or a bargaining solution (issue 6 §1).

Utilities equal in exact arithmetic can differ by an ulp in float64; the frontier and the
solutions must treat them as equal, for any number of parties.  The references here use
exact rational arithmetic (:class:`fractions.Fraction`) on the decimal inputs.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tratado
from tratado.analysis import (
    analyze,
    dominance,
    egalitarian_solution,
    kalai_smorodinsky_solution,
    nash_solution,
    utilitarian_solution,
)
from tratado.analysis.frontier import Frontier, additive_frontier, frontier_from_points
from tratado.analysis.ties import UTILITY_GRID, snap

# --------------------------------------------------------------------------------------
# Exact reference
# --------------------------------------------------------------------------------------


def exact_frontier(contributions: list[list[list[Fraction]]]) -> dict[tuple[int, ...], int]:
    """Representative outcome -> tie count of the exact frontier (Fractions, O(m^2))."""
    sizes = [len(c) for c in contributions]
    k = len(contributions[0][0])
    rows = list(itertools.product(*[range(n) for n in sizes]))
    utils = [tuple(sum((contributions[i][o][p] for i, o in enumerate(row)), Fraction(0))
                   for p in range(k)) for row in rows]
    kept: dict[tuple[Fraction, ...], list[tuple[int, ...]]] = {}
    for row, u in zip(rows, utils, strict=True):
        if any(all(v >= w for v, w in zip(y, u, strict=True)) and y != u for y in utils):
            continue
        kept.setdefault(u, []).append(row)
    return {min(group): len(group) for group in kept.values()}


def as_float(contributions: list[list[list[Fraction]]]) -> list[np.ndarray]:
    return [np.array([[float(x) for x in option] for option in issue]) for issue in contributions]


def found(f: Frontier) -> dict[tuple[int, ...], int]:
    return {tuple(int(i) for i in row): int(t) for row, t in zip(f.outcomes, f.ties, strict=True)}


# --------------------------------------------------------------------------------------
# Dominance among utilities tied in exact arithmetic but an ulp apart in float
# --------------------------------------------------------------------------------------


def ulp_tied(k: int) -> list[list[list[Fraction]]]:
    """Two issues, two options each.  Party 0 values package (0, 0) at 0.1 + 0.2 and
    package (1, 1) at 0.3 + 0.0: equal in exact arithmetic, one ulp apart in float (the
    first one higher).  Party 1 prefers (1, 1), so (1, 1) dominates (0, 0) exactly, while
    in float neither dominates the other; the two other packages dominate neither."""
    d = Fraction

    def option(p0: str, p1: str) -> list[Fraction]:
        return [d(p0), d(p1)] + [d(0)] * (k - 2)

    return [[option("0.1", "0.3"), option("0.3", "0")], [option("0.2", "0"), option("0", "0.5")]]


@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_an_ulp_apart_is_a_tie_for_any_number_of_parties(k: int) -> None:
    domain = ulp_tied(k)
    expected = exact_frontier(domain)
    assert expected == {(1, 1): 1, (0, 1): 1, (1, 0): 1}  # (0, 0) is dominated exactly
    contributions = as_float(domain)
    rows = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    u = contributions[0][rows[:, 0]] + contributions[1][rows[:, 1]]
    assert u[0, 0] > u[3, 0]  # one ulp apart in float
    assert dominance.pareto_mask(u).tolist() == [True] * 4  # raw floats: noise keeps (0, 0)
    assert found(additive_frontier(contributions)) == expected
    assert found(frontier_from_points(u, rows)) == expected


def test_the_terra_shape_three_parties() -> None:
    """Issue 6: (0.74, 0.687, 0.57) was listed next to (0.74, 0.709, 0.69), its first
    coordinate one ulp higher; it is dominated and must go."""
    top = 0.74
    noisy = np.nextafter(top, 1.0)
    u = np.array([[noisy, 0.687, 0.57], [top, 0.709, 0.69],
                  [0.715, 0.549, 0.87], [np.nextafter(0.715, 0.0), 0.567, 0.93]])
    f = frontier_from_points(u, np.arange(4)[:, None])
    assert sorted(int(o) for o in f.outcomes[:, 0]) == [1, 3]
    assert float(f.utilities[0, 0]) == top  # the representative's own utilities


def test_tied_vectors_merge_with_their_counts() -> None:
    u = np.array([[0.1 + 0.2, 0.5, 0.5], [0.3, 0.5, 0.5], [0.3, 0.25 + 0.25, 0.5]])
    f = frontier_from_points(u, np.array([[2], [0], [1]]))
    assert f.ties.tolist() == [3] and f.outcomes.tolist() == [[0]]


def test_snap_is_monotone_and_exact_on_the_grid() -> None:
    x = np.array([0.3, 0.1 + 0.2, 1.0, 0.0, 1e300, -0.25])
    s = snap(x)
    assert s[0] == s[1]
    assert np.all(np.diff(snap(np.sort(x))) >= 0)
    assert np.all(np.abs(s[:4] - x[:4]) <= UTILITY_GRID / 2)
    assert s[4] == 1e300 and s[5] == -0.25


# --------------------------------------------------------------------------------------
# Property: the frontier equals the exact one on decimal inputs
# --------------------------------------------------------------------------------------

DECIMALS = st.integers(0, 40).map(lambda n: Fraction(n, 100)) | st.sampled_from(
    [Fraction(1, 10), Fraction(2, 10), Fraction(3, 10), Fraction(7, 100), Fraction(74, 100)])


@st.composite
def decimal_domains(draw: st.DrawFn) -> list[list[list[Fraction]]]:
    k = draw(st.sampled_from([2, 3, 4, 5]))
    n_issues = draw(st.integers(1, 3))
    return [[[draw(DECIMALS) for _ in range(k)] for _ in range(draw(st.integers(1, 4)))]
            for _ in range(n_issues)]


@pytest.fixture
def tiny_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dominance, "_GRID_MIN", 0)
    monkeypatch.setattr(dominance, "_GRID_CELLS", 64)
    monkeypatch.setattr(dominance, "_BLOCK", 3)
    monkeypatch.setattr(dominance, "_CHUNK", 2)


@settings(max_examples=60, deadline=None)
@given(decimal_domains())
def test_frontier_matches_exact_arithmetic(domain: list[list[list[Fraction]]]) -> None:
    expected = exact_frontier(domain)
    contributions = as_float(domain)
    assert found(additive_frontier(contributions)) == expected
    rows = np.array(list(itertools.product(*[range(len(c)) for c in domain])), dtype=np.int64)
    rows = rows.reshape(len(rows), len(domain))
    u = np.zeros((len(rows), len(domain[0][0])))
    for i, c in enumerate(contributions):
        u = u + c[rows[:, i]]
    assert found(frontier_from_points(u, rows)) == expected
    assert found(frontier_from_points(u[::-1], rows[::-1])) == expected


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(decimal_domains())
def test_every_many_party_path_matches_exact_arithmetic(
    tiny_blocks: None, domain: list[list[list[Fraction]]]
) -> None:
    assert found(additive_frontier(as_float(domain))) == exact_frontier(domain)


# --------------------------------------------------------------------------------------
# Bargaining-solution ties (gains measured from r; documented tie rule)
# --------------------------------------------------------------------------------------

EGAL_TIE = """\
tratado: 1
name: egal-tie
agenda: {issues: [{name: deal, options: [x, y]}]}
parties:
  - {id: a, preferences: {weights: {deal: 1.0}, values: {deal: {x: 0.6, y: 1.0}}, reservation_value: 0.6}}
  - {id: b, preferences: {weights: {deal: 1.0}, values: {deal: {x: 1.0, y: 0.5}}, reservation_value: 0.5}}
"""


def test_egalitarian_tie_goes_to_the_higher_total(tmp_path: Path) -> None:
    """Issue 6: both packages have minimum gain 0; x totals 1.6 > 1.5, so x."""
    path = tmp_path / "egal-tie.yaml"
    path.write_text(EGAL_TIE, encoding="utf-8")
    a = analyze(tratado.load(path))
    assert a.solutions["egalitarian"] is not None
    assert a.solutions["egalitarian"].outcome == {"deal": "x"}
    assert a.solutions["nash"].outcome == {"deal": "x"}  # both products are 0 too


def three_party_zero_products() -> tuple[Frontier, np.ndarray]:
    """Every rational point leaves some party exactly at its reservation value."""
    u = np.array([[0.6, 0.9, 0.2], [0.3, 0.7, 0.9], [0.2, 0.75, 0.95]])
    f = Frontier(u, np.arange(3)[:, None], np.ones(3, dtype=np.int64))
    return f, np.array([0.2, 0.7, 0.2])


def test_nash_zero_products_follow_the_tie_rule() -> None:
    """Issue 6: all Nash products are 0; the documented rule takes the highest total
    (1.9, points 1 and 2, then the smaller outcome), not the largest product of the
    others' gains (point 0, total 1.7)."""
    f, r = three_party_zero_products()
    assert nash_solution(f, r) == 1
    assert egalitarian_solution(f, r) == 1


def test_gains_are_measured_from_the_reservation_value_itself() -> None:
    """A point a rounding error below r is rational and gains 0, never a negative amount
    (two negative gains would make a positive product)."""
    u = np.array([[0.3 - 5e-10, 0.3 - 5e-10, 0.9], [0.35, 0.35, 0.31]])
    f = Frontier(u, np.arange(2)[:, None], np.ones(2, dtype=np.int64))
    r = np.array([0.3, 0.3, 0.3])
    assert nash_solution(f, r) == 1  # 0.05 * 0.05 * 0.01 > 0 = the first point's product


def test_float_noise_in_totals_is_a_tie() -> None:
    """Equal totals in exact arithmetic (0.1 + 0.2 vs 0.3): the smallest outcome wins,
    for every solution, in any row order."""
    u = np.array([[0.1 + 0.2, 0.5], [0.5, 0.3]])
    for order in ([0, 1], [1, 0]):
        f = Frontier(u[order], np.array([[1], [0]])[order], np.ones(2, dtype=np.int64))
        r = np.zeros(2)
        for solve in (utilitarian_solution, egalitarian_solution, nash_solution,
                      kalai_smorodinsky_solution):
            index = solve(f, r)
            assert index is not None and int(f.outcomes[index, 0]) == 0, solve.__name__


def exact_solution(domain: list[list[list[Fraction]]], r: list[Fraction],
                   name: str) -> tuple[int, ...] | None:
    """The documented rule in exact arithmetic: best objective, then highest total, then
    the smallest outcome (gains from r, never negative; rational within 1e-9)."""
    k = len(r)
    rows = list(itertools.product(*[range(len(c)) for c in domain]))
    utils = [tuple(sum((domain[i][o][p] for i, o in enumerate(row)), Fraction(0))
                   for p in range(k)) for row in rows]
    rational = [(row, u) for row, u in zip(rows, utils, strict=True)
                if all(x >= y - Fraction(1, 10**9) for x, y in zip(u, r, strict=True))]
    if not rational:
        return None

    def gains(u: tuple[Fraction, ...]) -> list[Fraction]:
        return [max(x - y, Fraction(0)) for x, y in zip(u, r, strict=True)]

    span = [max(gains(u)[p] for _, u in rational) for p in range(k)]

    def objective(u: tuple[Fraction, ...]) -> Fraction:
        g = gains(u)
        if name == "nash":
            out = Fraction(1)
            for x in g:
                out *= x
            return out
        if name == "egalitarian":
            return min(g)
        if name == "utilitarian":
            return sum(u, Fraction(0))
        active = [p for p in range(k) if span[p] > 0]
        return min((g[p] / span[p] for p in active), default=Fraction(0))

    best = max(objective(u) for _, u in rational)
    tied = [(row, u) for row, u in rational if objective(u) == best]
    top = max(sum(u, Fraction(0)) for _, u in tied)
    return min(row for row, u in tied if sum(u, Fraction(0)) == top)


SOLVERS = {"nash": nash_solution, "kalai_smorodinsky": kalai_smorodinsky_solution,
           "egalitarian": egalitarian_solution, "utilitarian": utilitarian_solution}


@settings(max_examples=60, deadline=None)
@given(decimal_domains(), st.lists(st.integers(0, 60), min_size=5, max_size=5))
def test_solutions_match_exact_arithmetic(domain: list[list[list[Fraction]]],
                                          levels: list[int]) -> None:
    """Decimal inputs: every solution is the one the documented rule picks in exact
    arithmetic, float noise in sums, gains and products notwithstanding."""
    k = len(domain[0][0])
    r = [Fraction(n, 100) for n in levels[:k]]
    f = additive_frontier(as_float(domain))
    for name, solve in SOLVERS.items():
        index = solve(f, np.array([float(x) for x in r]))
        got = None if index is None else tuple(int(i) for i in f.outcomes[index])
        assert got == exact_solution(domain, r, name), name
