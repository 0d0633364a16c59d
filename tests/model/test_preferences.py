import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tratado import Constraints, LinearAdditive, Rule, ScenarioError, Table


def test_linear_additive_matches_hand_computation():
    p = LinearAdditive(np.array([0.25, 0.75]), (np.array([0.0, 1.0]), np.array([1.0, 0.5, 0.0])))
    rows = np.array([[0, 0], [1, 1], [1, 2]])
    assert np.allclose(p.utility(rows), [0.75, 0.25 + 0.375, 0.25])


@given(st.lists(st.floats(0.01, 10), min_size=1, max_size=5), st.integers(0, 2**32 - 1))
def test_linear_additive_stays_in_unit_interval(raw_weights, seed):
    rng = np.random.default_rng(seed)
    values = [rng.random(3) for _ in raw_weights]
    p = LinearAdditive.normalized(raw_weights, values)
    rows = rng.integers(0, 3, size=(50, len(raw_weights)))
    u = p.utility(rows)
    assert np.all((u >= 0) & (u <= 1 + 1e-12))


@pytest.mark.parametrize(
    ("weights", "values", "reservation", "message"),
    [
        ([-0.5, 1.5], [[0, 1], [0, 1]], 0.0, "negative"),
        ([0.5, 0.4], [[0, 1], [0, 1]], 0.0, "sum to 0.9"),
        ([0.5, 0.5], [[0, 1.5], [0, 1]], 0.0, "outside"),
        ([0.5, 0.5], [[0, 1], [0, 1]], 1.2, "reservation value"),
    ],
)
def test_linear_additive_rejects_bad_numbers(weights, values, reservation, message):
    with pytest.raises(ScenarioError, match=message):
        LinearAdditive(np.array(weights, float), tuple(np.array(v, float) for v in values),
                       reservation)


def test_constraints_add_bonuses_for_satisfied_packages():
    base = LinearAdditive(np.array([1.0, 0.0]), (np.array([0.0, 1.0]), np.array([0.0, 0.0])))
    rule = Rule({0: np.array([True, False]), 1: np.array([False, True])}, 0.5)
    p = Constraints((rule,), base, 0.5)
    rows = np.array([[0, 0], [0, 1], [1, 1]])
    assert np.allclose(p.utility(rows), [0.0, 0.5, 0.5])


def test_constraints_refuse_total_above_one():
    with pytest.raises(ScenarioError, match="exceed 1"):
        Constraints((Rule({0: np.array([True])}, 0.7), Rule({0: np.array([True])}, 0.5)))
    with pytest.raises(ScenarioError, match="exceed 1"):
        base = LinearAdditive(np.array([1.0]), (np.array([0.0, 1.0]),))
        Constraints((Rule({0: np.array([True, True])}, 0.5),), base, 0.6)


def test_table_lookup_with_default():
    p = Table((2, 3), {(1, 2): 0.9, (0, 0): 0.4}, default=0.1)
    rows = np.array([[1, 2], [0, 0], [1, 1]])
    assert np.allclose(p.utility(rows), [0.9, 0.4, 0.1])
