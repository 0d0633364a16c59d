"""The weighted mean and median: hand-computed cases, then properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tratado.actors import IssueTable, weighted_mean, weighted_median
from tratado.errors import TratadoError

from .builders import emissions, positions, tables, with_columns


def test_the_emissions_case_by_hand() -> None:
    # weights c*s: .064 .032 .006 .128 .096 .096 .144 .005 .050 .056 (sum .677)
    table = emissions()
    by_hand = (4 * (.064 + .006 + .128 + .05) + 7 * (.032 + .005 + .056)
               + 10 * (.096 + .096 + .144)) / .677
    assert weighted_mean(table) == pytest.approx(by_hand, abs=1e-12)
    # at 4: .248 (under half of .677); at 7: .341 — the pivotal weight lies at 7
    assert weighted_median(table) == 7.0


def test_a_heavy_actor_is_the_median_alone() -> None:
    table = IssueTable.from_rows("x", [("a", 1, 0, 1), ("b", 1, 10, 1), ("c", 5, 3, 1)])
    assert weighted_median(table) == 3
    assert weighted_mean(table) == pytest.approx((0 + 10 + 15) / 7)


def test_half_the_weight_on_each_side_gives_the_midpoint() -> None:
    table = IssueTable.from_rows("x", [("a", 2, 0, 0.5), ("b", 1, 4, 1), ("c", 3, 10, 0.2)])
    # weights 1, 1, 0.6: 1 below 4, ... the median is 4 (1 < 1.3 and 1.6 >= 1.3)
    assert weighted_median(table) == 4
    even = IssueTable.from_rows("x", [("a", 1, 0, 1), ("b", 1, 6, 1)])
    assert weighted_median(even) == 3


def test_actors_without_weight_do_not_count() -> None:
    table = IssueTable.from_rows("x", [("a", 1, 0, 1), ("b", 0, 100, 1), ("c", 1, 2, 0)])
    assert weighted_median(table) == 0 and weighted_mean(table) == 0


@settings(max_examples=100, deadline=None)
@given(values=st.lists(positions, min_size=2, max_size=15), weight=st.sampled_from([0.1, 0.3, 1, 7]))
def test_equal_weights_give_the_statistical_median(values: list[float], weight: float) -> None:
    n = len(values)
    table = IssueTable("x", tuple(f"a{k}" for k in range(n)), np.full(n, weight),
                       np.array(values), np.full(n, 0.7))
    assert weighted_median(table) == pytest.approx(float(np.median(values)), abs=1e-12)
    assert weighted_mean(table) == pytest.approx(float(np.mean(values)), abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(table=tables(max_actors=12), factor=st.sampled_from([0.01, 0.5, 3.0, 1000.0]))
def test_scaling_every_capability_changes_nothing(table: IssueTable, factor: float) -> None:
    scaled = with_columns(table, capability=table.capability * factor)
    assert weighted_median(scaled) == weighted_median(table)
    assert weighted_mean(scaled) == pytest.approx(weighted_mean(table), abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(table=tables(max_actors=12), shift=st.integers(-20, 20), stretch=st.sampled_from([0.5, 2, 10]))
def test_they_move_with_the_scale(table: IssueTable, shift: int, stretch: float) -> None:
    moved = with_columns(table, position=shift + stretch * table.position)
    assert weighted_median(moved) == pytest.approx(shift + stretch * weighted_median(table), abs=1e-9)
    assert weighted_mean(moved) == pytest.approx(shift + stretch * weighted_mean(table), abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(table=tables(max_actors=12))
def test_the_median_splits_the_weight(table: IssueTable) -> None:
    m, w, x = weighted_median(table), table.weights, table.position
    total = w.sum()
    assert w[x <= m].sum() >= total / 2 * (1 - 1e-9) and w[x >= m].sum() >= total / 2 * (1 - 1e-9)
    assert x.min() <= weighted_mean(table) <= x.max() and x.min() <= m <= x.max()


@pytest.mark.parametrize("rows, field", [
    ([("a", 1, 0, 1)], "actor"),
    ([("a", 1, 0, 1), ("a", 1, 2, 1)], "actor"),
    ([("a", -1, 0, 1), ("b", 1, 2, 1)], "capability"),
    ([("a", 1, 0, 1.5), ("b", 1, 2, 1)], "salience"),
    ([("a", 1, float("nan"), 1), ("b", 1, 2, 1)], "position"),
    ([("a", 0, 0, 1), ("b", 1, 2, 0)], "salience"),
])
def test_impossible_tables_are_refused_naming_the_field(rows: list, field: str) -> None:
    with pytest.raises(TratadoError) as caught:
        IssueTable.from_rows("x", rows)
    assert caught.value.field == field and caught.value.fix


def test_positions_off_the_declared_scale_are_refused() -> None:
    with pytest.raises(TratadoError, match="position 12"):
        IssueTable.from_rows("x", [("a", 1, 0, 1), ("b", 1, 12, 1)], scale=(0, 10))
    with pytest.raises(TratadoError, match="status quo"):
        IssueTable.from_rows("x", [("a", 1, 0, 1), ("b", 1, 2, 1)], scale=(0, 10), status_quo=11)
