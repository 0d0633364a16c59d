"""Robustness of the forecasts: seeded, exact at zero spread, and samples that stay valid."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tratado.actors import IssueTable, forecast, robustness
from tratado.actors.robustness import shaken

from .builders import emissions, tables


def test_the_same_seed_gives_the_same_bands_and_another_seed_others() -> None:
    table = emissions()
    a, b = robustness(table, 30, 0.1, seed=4), robustness(table, 30, 0.1, seed=4)
    assert a == b
    assert robustness(table, 30, 0.1, seed=5).bands != a.bands


def test_no_spread_gives_the_forecast_itself() -> None:
    table = emissions()
    nominal = forecast(table).forecasts()
    bands = robustness(table, 5, 0.0).bands
    assert {model: band for model, band in bands.items()} == {
        model: (value, value, value) for model, value in nominal.items()}


def test_bands_are_ordered_and_on_the_scale() -> None:
    table = emissions()
    for low, middle, high in robustness(table, 40, 0.2, seed=1).bands.values():
        assert table.low <= low <= middle <= high <= table.high


@settings(max_examples=60, deadline=None)
@given(table=tables(), spread=st.sampled_from([0.05, 0.3, 0.9]), seed=st.integers(0, 2**31))
def test_a_shaken_table_is_a_valid_table_near_the_first(table: IssueTable, spread: float,
                                                        seed: int) -> None:
    sample = shaken(table, spread, np.random.default_rng(seed))
    assert sample.actors == table.actors
    assert ((sample.salience >= 0) & (sample.salience <= 1)).all()
    assert (np.abs(sample.salience - table.salience) <= spread + 1e-12).all()
    assert (np.abs(sample.position - table.position) <= spread * (table.high - table.low) + 1e-9).all()
    assert ((sample.position >= table.low) & (sample.position <= table.high)).all()
    ratio = sample.capability / table.capability
    assert ((ratio >= 1 - spread - 1e-12) & (ratio <= 1 + spread + 1e-12)).all()


def test_bad_arguments_are_programming_errors() -> None:
    with pytest.raises(ValueError):
        robustness(emissions(), samples=0)
    with pytest.raises(ValueError):
        robustness(emissions(), spread=1.0)
