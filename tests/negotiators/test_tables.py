"""A negotiator's table sorts only the top of the space it is asked about; its answers
are those of one full stable sort, whatever the order of the requests."""

from __future__ import annotations

from bisect import bisect_left

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tratado
from tratado.analysis import space
from tratado.analysis.space import listed_utilities
from tratado.negotiators._tables import OwnTable, UtilityLookup, own_table


@given(values=st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.5, 0.75, 0.9, 1.0]),
                       min_size=1, max_size=60),
       targets=st.lists(st.floats(-0.5, 1.5), max_size=8))
def test_the_top_down_order_is_the_full_stable_sort(values: list[float],
                                                    targets: list[float]) -> None:
    utilities = np.array(values)
    every = np.arange(len(values), dtype=np.int64)[:, None]
    table = OwnTable(every, utilities, UtilityLookup({(k,): k for k in range(len(values))},
                                                     utilities))
    order = np.argsort(utilities, kind="stable")
    ascending = utilities[order].tolist()
    for target in targets:
        place = table.first_at_least(target)
        assert place == bisect_left(ascending, target)
        for k in range(place, len(values)):
            assert table.outcome(k) == (int(order[k]),)
        assert table.rows_between(place, len(values))[:, 0].tolist() == order[place:].tolist()
    assert table.best == max(values) and table.worst == min(values)
    assert table.outcomes == [(int(k),) for k in order]
    assert table.utilities == ascending


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 3000), distinct=st.integers(1, 400),
       targets=st.lists(st.floats(-0.1, 1.1), max_size=4))
def test_the_order_is_numpys_stable_sort_on_large_tied_spaces(seed: int, n: int, distinct: int,
                                                              targets: list[float]) -> None:
    """Top parts first (in any order), then everything: every answer is NumPy's own stable
    sort's, on spaces with long runs of equal utilities and signed zeros."""
    rng = np.random.default_rng(seed)
    utilities = rng.integers(0, distinct, n) / distinct
    utilities[utilities == 0.0] = rng.choice([0.0, -0.0], int(np.sum(utilities == 0.0)))
    every = np.arange(n, dtype=np.int64)[:, None]
    table = OwnTable(every, utilities, UtilityLookup({(k,): k for k in range(n)}, utilities))
    order = np.argsort(utilities, kind="stable")
    for target in targets:
        place = table.first_at_least(target)
        np.testing.assert_array_equal(table.rows_between(place, n)[:, 0], order[place:])
    np.testing.assert_array_equal(table.order, order)
    np.testing.assert_array_equal(table.sorted_utilities, utilities[order])


def test_a_table_shares_the_utilities_the_exact_frontier_evaluated(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """One evaluation per preferences and agenda shape (a forecast's sample needs them for
    its frontier and its negotiators' tables); a space of several chunks is not kept."""
    scenario = tratado.load("job-offer")
    agenda, prefs = scenario.agenda, scenario.parties[0].preferences
    listed = listed_utilities(agenda, prefs)
    assert listed is not None and not listed.flags.writeable
    np.testing.assert_array_equal(listed, prefs.utility(agenda.outcomes()))
    assert listed_utilities(agenda, prefs) is listed
    assert own_table(agenda, prefs).lookup.get(tuple(agenda.outcomes()[3])) == listed[3]
    assert own_table(agenda, prefs)._utilities is listed
    monkeypatch.setattr(space, "CHUNK", agenda.size - 1)
    other = scenario.parties[1].preferences
    assert listed_utilities(agenda, other) is None
    np.testing.assert_array_equal(own_table(agenda, other).sorted_utilities,
                                  np.sort(other.utility(agenda.outcomes())))
