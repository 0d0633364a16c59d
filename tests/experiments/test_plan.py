"""The plan: role rotation, balanced subsets, seeds from each session's identity."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tratado.experiments.plan import MAX_FULL_ASSIGNMENTS, Plan, assignments, session_seed


def test_every_assignment_without_self_play() -> None:
    found = assignments(["a", "b", "c"], 2, self_play=False, roles="all")
    assert found == [("a", "b"), ("a", "c"), ("b", "a"), ("b", "c"), ("c", "a"), ("c", "b")]


def test_self_play_adds_the_mirror_matches() -> None:
    found = assignments(["a", "b"], 2, self_play=True, roles="all")
    assert found == [("a", "a"), ("a", "b"), ("b", "a"), ("b", "b")]


@settings(max_examples=30, deadline=None)
@given(m=st.integers(1, 7), n=st.integers(2, 4), self_play=st.booleans())
def test_rotations_are_balanced(m: int, n: int, self_play: bool) -> None:
    names = [f"n{k}" for k in range(m)]
    found = assignments(names, n, self_play, roles="rotations")
    if not self_play and m < n:
        assert found == []
        return
    seats = Counter((name, role) for a in found for role, name in enumerate(a))
    for name in names:  # every negotiator plays every role equally often
        assert len({seats[(name, role)] for role in range(n)}) == 1
    if not self_play:
        assert all(len(set(a)) == n for a in found)
    if n == 2:  # for two parties, rotations are every assignment
        assert sorted(found) == sorted(assignments(names, n, self_play, roles="all"))


def test_auto_switches_to_rotations_when_all_would_explode() -> None:
    names = [f"n{k}" for k in range(12)]
    assert len(assignments(names, 3, False, "all")) == 1320 > MAX_FULL_ASSIGNMENTS
    assert len(assignments(names, 3, False, "auto")) == 220 * 3
    assert len(assignments(names[:5], 3, False, "auto")) == 60  # all: 5 * 4 * 3


def test_plan_numbers_sessions_scenario_protocol_assignment_repetition() -> None:
    plan = Plan([("s1", 2), ("s2", 3)], ["a", "b", "c"], ["alternating", "mediated"], 2, 7)
    assert len(plan) == (6 * 2 + 6 * 2) * 2
    sessions = list(plan)
    assert [s.session for s in sessions] == list(range(len(plan)))
    assert sessions[0].assignment == ("a", "b") and sessions[1].repetition == 1
    assert sessions[12].protocol == "mediated" and sessions[24].scenario == 1
    assert len({s.seed for s in sessions}) == len(sessions)


def test_a_seed_depends_on_the_identity_not_on_the_plan() -> None:
    small = Plan([("s2", 2)], ["a", "b"], ["alternating"], 1, 7)
    large = Plan([("s1", 2), ("s2", 2)], ["a", "b", "c"], ["alternating"], 1, 7)
    wanted = small.session(0)
    again = [s for s in large if s.scenario == 1 and s.assignment == wanted.assignment]
    assert again[0].seed == wanted.seed == session_seed(7, "s2", "alternating", ("a", "b"), 0)
    assert session_seed(8, "s2", "alternating", ("a", "b"), 0) != wanted.seed
    assert 0 <= wanted.seed < 2**63


def test_too_few_negotiators_for_the_roles() -> None:
    from tratado.errors import TratadoError

    with pytest.raises(TratadoError, match="self-play"):
        Plan([("s", 3)], ["a", "b"], ["alternating"], 1, 0)
