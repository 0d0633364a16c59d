"""Offer finders: the search used on spaces too large to list, checked against the sorted
table (brute force) on spaces small enough to list."""

from __future__ import annotations

import numpy as np
import pytest
from huge_builders import additive_huge, anac_like, small_preferences
from hypothesis import given, settings
from hypothesis import strategies as st

from tratado import Agenda
from tratado.analysis import pareto_frontier
from tratado.analysis.dominance import pareto_mask
from tratado.negotiators._tables import own_table
from tratado.negotiators.landscape import TOLERANCE, Landscape
from tratado.negotiators.search import (
    BAND,
    SearchFinder,
    TableFinder,
    _Halves,
    offer_finder,
)
from tratado.negotiators.search_frontier import search_frontier
from tratado.preferences import LinearAdditive, Preferences

pytest.importorskip("scipy")  # the search of non-linear preferences solves with HiGHS

TOL = 1e-9


def both(agenda: Agenda, prefs: Preferences) -> tuple[TableFinder, SearchFinder]:
    return TableFinder(own_table(agenda, prefs)), SearchFinder(agenda, prefs)


def brute(agenda: Agenda, prefs: Preferences) -> np.ndarray:
    return prefs.utility(agenda.outcomes())


@settings(max_examples=60, deadline=None)
@given(small_preferences(), st.data())
def test_the_landscape_evaluates_as_the_preferences_do(case: tuple[Agenda, Preferences],
                                                        data: st.DataObject) -> None:
    agenda, prefs = case
    land = Landscape(prefs, agenda.shape)
    rows = agenda.outcomes()
    assert np.allclose(land.values(rows), prefs.utility(rows), atol=1e-12)
    row = rows[data.draw(st.integers(0, len(rows) - 1))]
    changes = land.changes(row)
    for i, n in enumerate(agenda.shape):
        for j in range(n):
            changed = row.copy()
            changed[i] = j
            assert changes[i, j] == pytest.approx(prefs.utility(changed[None, :])[0], abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(small_preferences(additive=True), st.floats(-0.1, 1.1))
def test_meet_in_the_middle_answers_what_the_table_answers(case: tuple[Agenda, Preferences],
                                                           target: float) -> None:
    agenda, prefs = case
    table, search = both(agenda, prefs)
    assert len(agenda) < 2 or search._halves is not None
    found = search.utility(search.at_least(target))
    # the table's answer, up to the search's tolerance of 1e-12 on the target
    assert table.utility(table.at_least(target - 2 * TOLERANCE)) - TOL <= found
    assert found <= table.utility(table.at_least(target)) + TOL


@settings(max_examples=30, deadline=None)
@given(small_preferences(), st.floats(-0.1, 1.1))
def test_the_search_stays_in_the_band_and_below_the_best(case: tuple[Agenda, Preferences],
                                                         target: float) -> None:
    agenda, prefs = case
    utilities = brute(agenda, prefs)
    search = SearchFinder(agenda, prefs)
    search._halves = None  # the local search, as on spaces too large to split
    assert search.best == pytest.approx(utilities.max(), abs=TOL)  # exact: HiGHS or per issue
    assert search.worst == pytest.approx(utilities.min(), abs=TOL)
    found = search.utility(search.at_least(target))
    assert found <= utilities.max() + TOL
    if target <= utilities.max():  # a package is worth the target: the offer is one
        assert found >= target - TOL
    else:
        assert found == pytest.approx(utilities.max(), abs=TOL)


@settings(max_examples=40, deadline=None)
@given(small_preferences(), st.floats(0.0, 1.0), st.integers(0, 2**32 - 1))
def test_the_liked_most_offer_stays_in_its_band(case: tuple[Agenda, Preferences],
                                               target: float, seed: int) -> None:
    agenda, prefs = case
    search = SearchFinder(agenda, prefs)
    rng = np.random.default_rng(seed)
    scores = [rng.random(n) for n in agenda.shape]
    start = search.at_least(target)
    liked = search.liked_most(target, scores, 64)
    own = search.utility(liked)
    if target <= search.best:
        assert target - TOL <= own
        assert own <= max(target, search.utility(start)) + BAND * (search.best - search.worst) + TOL

    def score(outcome: tuple[int, ...]) -> float:
        return float(sum(s[o] for s, o in zip(scores, outcome, strict=True)))

    assert score(liked) >= score(start) - 1e-12  # the climb never loses ground


@settings(max_examples=30, deadline=None)
@given(small_preferences(), st.floats(0.0, 1.0), st.integers(0, 2**32 - 1))
def test_a_random_offer_is_worth_the_level(case: tuple[Agenda, Preferences], level: float,
                                           seed: int) -> None:
    agenda, prefs = case
    search = SearchFinder(agenda, prefs)
    first = search.random_at_least(level, np.random.default_rng(seed))
    again = search.random_at_least(level, np.random.default_rng(seed))
    assert first == again
    if level <= search.best:
        assert search.utility(first) >= level - TOL


def test_a_ten_to_the_ten_additive_space_is_searched_exactly() -> None:
    scenario = additive_huge()
    prefs = scenario.parties[0].preferences
    assert isinstance(prefs, LinearAdditive)
    finder = offer_finder(scenario.agenda, prefs)
    assert isinstance(finder, SearchFinder) and finder.table is None
    assert finder._halves is not None and finder._halves.left.size == 10**5
    best = sum(float(c.max()) for c in prefs.contributions())
    assert finder.best == pytest.approx(best)
    for target in (0.9 * best, 0.5, 0.31234):
        assert 0 <= finder.utility(finder.at_least(target)) - target < 1e-4
    assert offer_finder(scenario.agenda, prefs) is finder  # built once per preferences


def test_a_forty_issue_rectangle_space_is_searched_within_the_band() -> None:
    scenario = anac_like(40)
    prefs = scenario.parties[0].preferences
    finder = offer_finder(scenario.agenda, prefs)
    assert isinstance(finder, SearchFinder) and finder._halves is None
    span = finder.best - finder.worst
    for share in (0.95, 0.8, 0.6, 0.4):
        target = finder.worst + share * span
        found = finder.utility(finder.at_least(target))
        assert target - TOL <= found <= target + 0.05 * span


def test_halves_split_the_agenda_evenly() -> None:
    prefs = additive_huge(issues=6, values=10).parties[0].preferences
    halves = _Halves.of(prefs, (10,) * 6)
    assert halves is not None and halves.left.size == halves.right.size == 1000


def test_the_search_frontier_is_non_dominated_and_never_beyond_the_exact_one() -> None:
    scenario = anac_like(5, seed=3, values=4)  # 1,024 packages: the exact frontier is listed
    found = search_frontier(scenario)
    assert pareto_mask(found.utilities).all()
    assert np.allclose(scenario.utilities(np.asarray(found.outcomes)), found.utilities)
    exact = pareto_frontier(scenario).utilities
    for point in found.utilities:  # some exact point is at least as good for everyone
        assert np.any(np.all(exact >= point - TOL, axis=1))
