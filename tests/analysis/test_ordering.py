"""``stable_argsort`` is NumPy's stable argsort, exactly: equal values (ties, ``-0.0`` and
``0.0``, NaNs) in index order, whatever the unstable sort it starts from did with them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tratado.analysis.ordering import stable_argsort

SPECIAL = [0.0, -0.0, 0.5, 0.5 + 2.0**-52, 1.0, -1.0, np.inf, -np.inf, np.nan, 1e-300, 5e-324]


def check(values: np.ndarray) -> None:
    found = stable_argsort(values)
    assert found.dtype == np.intp
    np.testing.assert_array_equal(found, np.argsort(values, kind="stable"))


@given(hnp.arrays(np.float64, st.integers(0, 200),
                  elements=st.sampled_from(SPECIAL) | st.floats(allow_nan=True)))
def test_float64_with_ties_zeros_and_nans(values: np.ndarray) -> None:
    check(values)


@given(hnp.arrays(st.sampled_from([np.float32, np.int64, np.int8, np.uint16, np.bool_]),
                  st.integers(0, 100)))
def test_other_real_dtypes(values: np.ndarray) -> None:
    check(values)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 20_000), st.integers(1, 5_000),
       st.floats(0.0, 1.0))
def test_large_arrays_with_runs(seed: int, n: int, distinct: int, zeros: float) -> None:
    """Sizes up to a forecast's spaces, from every value distinct to one run; signed zeros."""
    rng = np.random.default_rng(seed)
    values = rng.integers(0, distinct, n) / distinct
    values[rng.random(n) < zeros / 4] = -0.0
    check(values)
    check(values[::-1].copy())
    check(rng.random(n))


def test_refuses_arrays_that_are_not_one_dimensional() -> None:
    with pytest.raises(ValueError, match="1-D"):
        stable_argsort(np.zeros((2, 2)))
