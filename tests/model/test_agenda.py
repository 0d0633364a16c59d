import numpy as np
import pytest

from tratado import Agenda, Issue, OutcomeSpaceTooLarge, ScenarioError


def agenda() -> Agenda:
    return Agenda((Issue.categorical("a", ["x", "y"]), Issue.integer("b", 1, 5, 2),
                   Issue.continuous("c", 0.0, 1.0, 0.5)))


def test_shape_and_size():
    assert agenda().shape == (2, 3, 3)
    assert agenda().size == 18


def test_outcomes_are_mixed_radix_in_lexicographic_order():
    rows = agenda().outcomes()
    assert rows.shape == (18, 3)
    assert [tuple(r) for r in rows] == sorted(tuple(r) for r in rows)
    assert np.array_equal(agenda().index_of(rows), np.arange(18))


def test_chunks_cover_space_once():
    joined = np.vstack(list(agenda().chunks(5)))
    assert np.array_equal(joined, agenda().outcomes())


def test_outcome_round_trip_and_numeric_matching():
    a = agenda()
    row = a.outcome({"a": "y", "b": 3, "c": 0.5})
    assert list(row) == [1, 1, 1]
    assert a.describe(row) == {"a": "y", "b": 3, "c": 0.5}
    assert list(a.outcome({"a": "y", "b": "5", "c": 1})) == [1, 2, 2]


def test_unknown_option_names_issue_and_choices():
    with pytest.raises(ScenarioError, match="not an option of issue 'a'") as info:
        agenda().outcome({"a": "z", "b": 1, "c": 0})
    assert "x, y" in info.value.fix


def test_missing_issue_in_outcome():
    with pytest.raises(ScenarioError, match="does not choose an option for c"):
        agenda().outcome({"a": "x", "b": 1})


def test_continuous_needs_step_dividing_range():
    with pytest.raises(ScenarioError, match="not a multiple"):
        Issue.continuous("c", 0, 1, 0.3)
    assert Issue.continuous("c", 0, 0.3, 0.1).options == (0.0, 0.1, 0.2, 0.3)


def test_duplicate_issue_and_option_names():
    with pytest.raises(ScenarioError, match="twice"):
        Issue.categorical("a", ["x", "x"])
    with pytest.raises(ScenarioError, match="two issues"):
        Agenda((Issue.categorical("a", ["x"]), Issue.categorical("a", ["y"])))


def test_too_large_space_says_how_large_and_what_to_do():
    big = Agenda(tuple(Issue.integer(f"i{k}", 0, 99) for k in range(5)))
    with pytest.raises(OutcomeSpaceTooLarge) as info:
        big.all_outcomes(limit=1000, purpose="a test")
    assert "10,000,000,000" in str(info.value)
    assert "linear-additive" in info.value.fix
