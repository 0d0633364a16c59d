"""A delegation's stated preferences: points, ratings, the reservation, importing from a
scenario file (tratado.service.elicitation), and the ranking check (tratado.service.ranking)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tratado
from tratado.agenda import Agenda, Issue
from tratado.errors import TratadoError
from tratado.service.elicitation import (
    StatedPreferences,
    from_scenario,
    preferences_of,
    reservation_score,
    score,
    values_from_ratings,
    weights_from_points,
)
from tratado.service.ranking import check_ranking, package_names, packages_to_rank

AGENDA = Agenda((Issue.categorical("salary", ["low", "mid", "high"], title="Salary"),
                 Issue.categorical("place", ["office", "remote"], title="Place of work"),
                 Issue.integer("days", 20, 30, 5, title="Days of leave")))


def stated(points=(50, 30, 20), reservation=None, package=None) -> StatedPreferences:
    return StatedPreferences(
        dict(zip(AGENDA.names, points)),
        {"salary": {"low": 0, "mid": 60, "high": 100}, "place": {"office": 0, "remote": 100},
         "days": {"20": 0, "30": 100}},
        reservation, package)


def test_points_and_ratings_give_linear_additive_preferences() -> None:
    prefs = preferences_of(AGENDA, stated(reservation=40))
    assert np.allclose(prefs.weights, [0.5, 0.3, 0.2])
    assert np.allclose(prefs.values[0], [0, 0.6, 1])
    assert np.allclose(prefs.values[2], [0, 0.5, 1])  # 25 is interpolated
    assert prefs.reservation_value == pytest.approx(0.4)
    assert score(AGENDA, prefs, {"salary": "mid", "place": "remote", "days": 25}) == pytest.approx(
        30 + 30 + 10)


def test_no_worse_than_this_package() -> None:
    package = {"salary": "mid", "place": "office", "days": "30"}
    mine = stated(package=package)
    assert reservation_score(AGENDA, mine) == pytest.approx(30 + 20)
    assert preferences_of(AGENDA, mine).reservation_value == pytest.approx(0.5)
    both = StatedPreferences(mine.points, mine.ratings, 10, package)
    with pytest.raises(TratadoError, match="both"):
        preferences_of(AGENDA, both)


@pytest.mark.parametrize("points, words", [
    ((50, 30, 10), "add up to 90, not 100: 10 points are still to give"),
    ((50, 40, 20), "that is 10 too many"),
    ((50, -10, 60), "-10 points"),
    ((50, "many", 50), "not a number"),
    ((50, float("nan"), 50), "nan"),
])
def test_points_that_are_wrong_say_how_to_fix_them(points, words) -> None:
    with pytest.raises(TratadoError) as error:
        weights_from_points(AGENDA, dict(zip(AGENDA.names, points)))
    assert words in str(error.value) and error.value.fix and error.value.field


def test_missing_and_unknown_issues_and_options_are_named() -> None:
    with pytest.raises(TratadoError, match="no points were given to 'Days of leave'"):
        weights_from_points(AGENDA, {"salary": 50, "place": 50})
    with pytest.raises(TratadoError, match="no issue 'bonus'"):
        weights_from_points(AGENDA, {"salary": 50, "place": 30, "days": 20, "bonus": 0})
    with pytest.raises(TratadoError, match="option 'mid' of 'Salary' is not rated"):
        values_from_ratings(AGENDA.issue("salary"), {"low": 0, "high": 100})
    with pytest.raises(TratadoError, match="no option 'huge'"):
        values_from_ratings(AGENDA.issue("salary"), {"low": 0, "mid": 1, "high": 100, "huge": 3})
    with pytest.raises(TratadoError, match="end 30 of 'Days of leave' is not rated"):
        values_from_ratings(AGENDA.issue("days"), {"20": 0})
    with pytest.raises(TratadoError, match="is 120") as error:
        values_from_ratings(AGENDA.issue("place"), {"office": 0, "remote": 120})
    assert error.value.field == "ratings.place.remote"
    with pytest.raises(TratadoError, match="no option 'cheap'"):
        reservation_score(AGENDA, stated(package={"salary": "cheap", "place": "office", "days": 20}))
    with pytest.raises(TratadoError, match="reservation score is 140"):
        reservation_score(AGENDA, stated(reservation=140))


@given(st.lists(st.integers(0, 100), min_size=1, max_size=8).filter(lambda xs: sum(xs) > 0))
def test_weights_from_points_always_sum_to_one(raw: list[int]) -> None:
    agenda = Agenda(tuple(Issue.categorical(f"i{k}", ["a", "b"]) for k in range(len(raw))))
    total = sum(raw)
    points = {f"i{k}": 100 * x / total for k, x in enumerate(raw)}  # any split of 100
    weights = weights_from_points(agenda, points)
    assert weights.sum() == pytest.approx(1.0, abs=1e-12) and (weights >= 0).all()


ratings_strategy = st.fixed_dictionaries({
    "salary": st.fixed_dictionaries({"low": st.integers(0, 100), "mid": st.integers(0, 100),
                                     "high": st.integers(0, 100)}),
    "place": st.fixed_dictionaries({"office": st.integers(0, 100), "remote": st.integers(0, 100)}),
    "days": st.fixed_dictionaries({"20": st.integers(0, 100), "25": st.integers(0, 100),
                                   "30": st.integers(0, 100)}),
})
points_strategy = st.tuples(st.integers(0, 100), st.integers(0, 100)).filter(
    lambda p: p[0] + p[1] <= 100).map(lambda p: (p[0], p[1], 100 - p[0] - p[1]))


def _mine(points, ratings) -> StatedPreferences:
    return StatedPreferences(dict(zip(AGENDA.names, points)), ratings)


@settings(max_examples=60, deadline=None)
@given(points_strategy, ratings_strategy, st.integers(0, 2**32 - 1))
def test_a_ranking_consistent_with_the_ratings_is_never_flagged(points, ratings, seed) -> None:
    prefs = preferences_of(AGENDA, _mine(points, ratings))
    try:
        packages = packages_to_rank(AGENDA, prefs, 4, seed)
    except TratadoError:
        return  # every package scores the same: nothing to rank
    names = package_names(len(packages))
    scores = {n: score(AGENDA, prefs, p) for n, p in zip(names, packages)}
    ranking = sorted(names, key=lambda n: -scores[n])
    assert check_ranking(AGENDA, prefs, packages, ranking, ratings) == []


@settings(max_examples=60, deadline=None)
@given(points_strategy, ratings_strategy, st.integers(0, 2**32 - 1), st.data())
def test_a_contradicting_ranking_is_flagged_with_a_fix_that_works(points, ratings, seed, data) -> None:
    prefs = preferences_of(AGENDA, _mine(points, ratings))
    try:
        packages = packages_to_rank(AGENDA, prefs, 3, seed)
    except TratadoError:
        return
    names = package_names(len(packages))
    scores = {n: score(AGENDA, prefs, p) for n, p in zip(names, packages)}
    ranking = sorted(names, key=lambda n: -scores[n])
    k = data.draw(st.integers(0, len(ranking) - 2))
    ranking[k], ranking[k + 1] = ranking[k + 1], ranking[k]  # one swap: a contradiction
    found = check_ranking(AGENDA, prefs, packages, ranking, ratings)
    assert [(c.above, c.below) for c in found] == [(ranking[k], ranking[k + 1])]
    problem = found[0]
    assert f"package {problem.above} above package {problem.below}" in problem.message
    assert f"put package {problem.below} above package {problem.above}" in problem.fix
    if problem.rating is not None:  # the fix names one option's rating: applying it removes it
        issue, label, new = problem.rating
        assert f"'{label}' on '{AGENDA.issue(issue).label}'" in problem.fix and f"{new:g}" in problem.fix
        changed = {i: dict(r) for i, r in ratings.items()}
        changed[issue][label] = new
        fixed = preferences_of(AGENDA, _mine(points, changed))
        assert not any((c.above, c.below) == (problem.above, problem.below)
                       for c in check_ranking(AGENDA, fixed, packages, ranking, changed))


def test_the_packages_to_rank_are_deterministic_spread_and_shuffled(venezuela) -> None:
    prefs = venezuela.party("government").preferences
    first = packages_to_rank(venezuela.agenda, prefs, 4, seed=7)
    assert first == packages_to_rank(venezuela.agenda, prefs, 4, seed=7)
    scores = [score(venezuela.agenda, prefs, p) for p in first]
    assert len(set(scores)) == 4 and min(abs(a - b) for a, b in itertools.combinations(scores, 2)) > 5
    orders = {tuple(np.argsort([score(venezuela.agenda, prefs, p)
                                for p in packages_to_rank(venezuela.agenda, prefs, 4, seed=s)]))
              for s in range(12)}
    assert len(orders) > 1  # the order shown is not always best first


def test_a_ranking_must_list_every_package_once() -> None:
    prefs = preferences_of(AGENDA, stated())
    packages = packages_to_rank(AGENDA, prefs, 3)
    with pytest.raises(TratadoError, match="each of the packages A, B, C once"):
        check_ranking(AGENDA, prefs, packages, ["A", "A", "B"])


def test_import_from_a_scenario_file(venezuela) -> None:
    mine = from_scenario(venezuela, "opposition", venezuela.agenda)
    prefs = preferences_of(venezuela.agenda, mine)
    theirs = venezuela.party("opposition").preferences
    rows = venezuela.agenda.all_outcomes()
    assert np.allclose(prefs.utility(rows), theirs.utility(rows))
    assert prefs.reservation_value == pytest.approx(theirs.reservation_value)
    assert StatedPreferences.from_dict(mine.to_dict()) == mine


def test_import_refuses_another_agenda_or_party(venezuela) -> None:
    job = tratado.load("job-offer")
    with pytest.raises(TratadoError, match="has no issue") as error:
        from_scenario(job, job.party_ids[0], venezuela.agenda, "job.yaml")
    assert error.value.file == "job.yaml"
    with pytest.raises(TratadoError, match="no party 'mexico'"):
        from_scenario(venezuela, "mexico", venezuela.agenda)
