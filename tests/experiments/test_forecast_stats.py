"""The statistics of a forecast against their definitions and against SciPy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tratado.experiments.forecast_stats import (
    Z95,
    first_order_index,
    mean_interval,
    noise_level,
    ranks,
    spearman,
    swing,
    wilson,
)


def test_wilson_matches_worked_values() -> None:
    # 0 of 10: the upper end is z² / (n + z²)
    low, high = wilson(0, 10)
    assert low == 0.0
    assert high == pytest.approx(Z95**2 / (10 + Z95**2))
    # 5 of 10: symmetric about 1/2
    low, high = wilson(5, 10)
    assert low + high == pytest.approx(1.0)
    assert high == pytest.approx(0.7634, abs=1e-4)  # Newcombe (1998), table I


@settings(deadline=None)
@given(st.integers(1, 10_000), st.data())
def test_wilson_contains_the_proportion_and_stays_in_0_1(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, n))
    low, high = wilson(k, n)
    assert 0.0 <= low <= k / n + 1e-12
    assert k / n - 1e-12 <= high <= 1.0


def test_the_mean_interval_is_the_normal_approximation() -> None:
    x = np.array([1.0, 2.0, 3.0, 4.0])
    mean, low, high = mean_interval(x)
    half = Z95 * x.std(ddof=1) / 2
    assert (mean, low, high) == pytest.approx((2.5, 2.5 - half, 2.5 + half))
    assert mean_interval([0.3]) == (0.3, 0.3, 0.3)


@settings(deadline=None, max_examples=60)
@given(st.lists(st.integers(-3, 3), min_size=3, max_size=40),
       st.lists(st.integers(0, 1), min_size=3, max_size=40))
def test_spearman_and_ranks_agree_with_scipy(x: list[int], y: list[int]) -> None:
    stats = pytest.importorskip("scipy.stats")
    n = min(len(x), len(y))
    xs, ys = np.array(x[:n], float), np.array(y[:n], float)
    assert ranks(xs).tolist() == stats.rankdata(xs).tolist()
    if np.ptp(xs) == 0 or np.ptp(ys) == 0:  # undefined: SciPy says nan, we say 0
        assert spearman(xs, ys) == 0.0
    else:
        assert spearman(xs, ys) == pytest.approx(stats.spearmanr(xs, ys).statistic, abs=1e-12)


def test_the_first_order_index_of_a_function_of_x_alone_is_near_one() -> None:
    rng = np.random.default_rng(0)
    x, z = rng.random(4000), rng.random(4000)
    y = (x > 0.3).astype(float)
    assert first_order_index(x, y) > 0.95
    assert first_order_index(z, y) < 3 * noise_level(4000)


def test_the_first_order_index_is_shared_out_between_additive_inputs() -> None:
    """For y = a + b with a and b independent and of equal variance, each explains half."""
    rng = np.random.default_rng(1)
    a, b = rng.random(20_000), rng.random(20_000)
    assert first_order_index(a, a + b) == pytest.approx(0.5, abs=0.03)
    assert first_order_index(b, a + b) == pytest.approx(0.5, abs=0.03)


def test_no_variation_gives_an_index_of_zero() -> None:
    assert first_order_index(np.arange(10.0), np.ones(10)) == 0.0
    assert first_order_index(np.ones(10), np.arange(10.0)) == 0.0
    assert spearman(np.ones(5), np.arange(5.0)) == 0.0


def test_a_constant_whose_mean_rounds_is_still_no_variation() -> None:
    """Thirty equal gains of (0.1 + 0 + 0.15) / 3: their computed mean is an ulp off, and
    the ratio of rounding errors once read as an index of 1.000 (a driver of nothing)."""
    y = np.full(30, (0.1 + 0.0 + 0.15) / 3)
    assert float(np.sum((y - y.mean()) ** 2)) > 0  # the rounding the index must ignore
    assert first_order_index(np.linspace(0, 1, 30), y) == 0.0
    assert first_order_index(np.linspace(0, 1, 30), y + np.linspace(0, 1e-3, 30)) > 0.8


def test_the_swing_is_the_mean_in_the_lowest_and_highest_fifth() -> None:
    x = np.arange(10.0)
    y = np.array([1, 1, 0, 0, 0, 0, 0, 0, 1, 0], float)
    assert swing(x, y) == (1.0, 0.5)
    assert all(math.isnan(v) for v in swing(np.zeros(0), np.zeros(0)))
