"""Counting rational packages without enumerating (issue 6 §2), against brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tratado import Agenda, Issue, LinearAdditive, Party, Scenario
from tratado.analysis import counting
from tratado.analysis.counting import count_rational_additive, split_point
from tratado.analysis.space import count_rational, rational_threshold
from tratado.analysis.ties import UTILITY_GRID, snap

EDGE = UTILITY_GRID / 2  # a threshold's rounding midpoint sits this far below it


def evaluate_with(contributions: list[np.ndarray]):
    def evaluate(rows: np.ndarray) -> np.ndarray:
        total = np.zeros((rows.shape[0], contributions[0].shape[1]))
        for i, c in enumerate(contributions):
            total = total + c[rows[:, i]]
        return total
    return evaluate


def brute(contributions: list[np.ndarray], thresholds: np.ndarray) -> int:
    rows = np.array(list(itertools.product(*[range(c.shape[0]) for c in contributions])),
                    dtype=np.int64).reshape(-1, len(contributions))
    u = evaluate_with(contributions)(rows)
    return int(np.count_nonzero(np.all(snap(u) >= thresholds, axis=1)))


# Values that put utilities exactly on, or an ulp from, a threshold's rounding midpoint, so
# the band (evaluated package by package) is exercised as well as the sure counts.
VALUES = st.sampled_from([0.0, 0.25, 0.5, 0.1, 0.2, 0.3, EDGE, 0.25 - EDGE, 0.5 + EDGE, 1e-17])
LEVELS = st.sampled_from([0.0, 0.25, 0.3, 0.5, 0.75, 0.6]) | st.floats(0.0, 1.0)


@st.composite
def problems(draw: st.DrawFn) -> tuple[list[np.ndarray], np.ndarray]:
    k = draw(st.integers(1, 4))
    contributions = []
    for _ in range(draw(st.integers(1, 5))):
        n = draw(st.integers(1, 4))
        contributions.append(np.array(draw(st.lists(VALUES, min_size=n * k, max_size=n * k)),
                                      dtype=np.float64).reshape(n, k))
    thresholds = snap(np.array(draw(st.lists(LEVELS, min_size=k, max_size=k))))
    return contributions, thresholds


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(problems())
def test_count_matches_brute_force(monkeypatch: pytest.MonkeyPatch,
                                   problem: tuple[list[np.ndarray], np.ndarray]) -> None:
    contributions, thresholds = problem
    monkeypatch.setattr(counting, "_PAIRS", 4)  # tiny blocks: every code path
    got = count_rational_additive(contributions, thresholds, evaluate_with(contributions), 10**6)
    assert got == brute(contributions, thresholds)


def test_band_pairs_are_evaluated_exactly() -> None:
    """Utilities exactly on a threshold's midpoint and an ulp either side."""
    t = snap(np.array([0.5]))
    mid = float(t[0]) - EDGE
    contributions = [np.array([[mid], [np.nextafter(mid, 0)], [np.nextafter(mid, 1)], [0.9]]),
                     np.array([[0.0], [0.0]])]
    assert count_rational_additive(contributions, t, evaluate_with(contributions), 100) == \
        brute(contributions, t)


def test_split_point_balances_the_halves() -> None:
    assert split_point([10] * 6) == 3
    assert split_point([1000, 2, 2]) == 1
    assert split_point([]) == 0


def random_scenario(k: int, n_issues: int, n_options: int, seed: int) -> Scenario:
    rng = np.random.default_rng(seed)
    agenda = Agenda(tuple(Issue.categorical(f"i{j}", [str(o) for o in range(n_options)])
                          for j in range(n_issues)))
    parties = tuple(Party(f"p{p}", LinearAdditive.normalized(
        rng.random(n_issues) + 0.05, rng.random((n_issues, n_options)), 0.3))
        for p in range(k))
    return Scenario("random", agenda, parties)


@pytest.mark.parametrize("k", [2, 3, 4])
def test_scenarios_count_like_enumeration(k: int) -> None:
    scenario = random_scenario(k, 5, 6, seed=k)
    u = snap(scenario.utilities(scenario.agenda.outcomes()))
    expected = int(np.count_nonzero(np.all(u >= snap(rational_threshold(scenario)), axis=1)))
    assert count_rational(scenario) == expected


def test_two_parties_are_counted_far_beyond_the_enumeration_limit() -> None:
    """10^9 packages: counted (the old code gave up above 10^7), and consistent with the
    same count done as 10 sub-spaces of 10^8 (fixing issue 0 to each option)."""
    scenario = random_scenario(2, 9, 10, seed=5)
    total = count_rational(scenario, max_outcomes=10**7)
    assert total is not None and 0 < total < 10**9
    cs = [np.column_stack([p.preferences.contributions()[i] for p in scenario.parties])
          for i in range(9)]
    t = snap(rational_threshold(scenario))
    parts = 0
    for option in range(10):
        fixed = [cs[0][option : option + 1], *cs[1:]]
        got = count_rational_additive(fixed, t, lambda rows: np.zeros((len(rows), 2)), 0)
        assert got is not None
        parts += got
    assert parts == total


def test_three_parties_beyond_the_limit_are_not_counted() -> None:
    scenario = random_scenario(3, 6, 10, seed=1)
    assert count_rational(scenario, max_outcomes=10**5) is None
