"""Bueno de Mesquita's expected utility model: the published replication reproduced to
1e-9, the text variant, and properties of every run."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tratado.actors import IssueTable, expected_utility, forecast
from tratado.actors.expected_utility import win_probabilities

from .builders import emissions, published_rounds, tables, with_columns
from .reference import reference_rounds


def test_the_replication_reproduces_every_published_round_to_1e_9() -> None:
    table = emissions()
    run = expected_utility(table, rounds=10, variant="replication")
    published = published_rounds()
    assert run.rounds == len(published) - 1 == 10
    for k, expected in enumerate(published):
        got = dict(zip(table.actors, run.positions[k].tolist()))
        assert got.keys() == expected.keys()
        for actor, position in expected.items():
            assert got[actor] == pytest.approx(position, abs=1e-9), (k, actor)


def test_the_replication_never_capitulates_and_moves_who_it_published() -> None:
    run = expected_utility(emissions(), rounds=10)
    assert all("capitulation" not in moves for moves in run.moves)
    assert run.moves[0] == ("stays", "compromise", "confrontation", "stays", "stays", "stays",
                            "stays", "confrontation", "stays", "stays")
    assert not run.settled  # the published case cycles: Belgium keeps compromising


def test_the_text_variant_is_another_model_on_the_same_data() -> None:
    table = emissions()
    text = expected_utility(table, rounds=10, variant="text")
    replication = expected_utility(table, rounds=10, variant="replication")
    assert not np.array_equal(text.positions[1], replication.positions[1])
    assert text.settled and text.rounds < 10
    assert np.array_equal(text.positions[-1], text.positions[-2])


def test_votes_decide_the_chance_of_prevailing() -> None:
    table = emissions()
    x, span, ones = table.position, 6.0, np.ones(10)
    text = win_probabilities(table, x, span, ones, "text")
    apart = x[:, None] != x[None, :]
    assert np.allclose((text + text.T)[apart], 1.0)  # on the pair at stake: one or the other
    replication = win_probabilities(table, x, span, ones, "replication")
    assert (replication[apart] < text[apart]).all()  # the replication's larger denominator
    assert (np.diag(text) == 0).all()


def test_actors_that_all_agree_have_nothing_to_do() -> None:
    table = IssueTable.from_rows("x", [("a", 1, 5, 0.5), ("b", 2, 5, 0.9)])
    run = expected_utility(table, rounds=10)
    assert run.settled and run.rounds == 0 and forecast(table).expected_utility == 5


def test_zero_rounds_gives_the_inputs() -> None:
    run = expected_utility(emissions(), rounds=0)
    assert run.rounds == 0 and np.array_equal(run.positions[0], emissions().position)


@pytest.mark.parametrize("variant", ["replication", "text"])
@settings(max_examples=40, deadline=None)
@given(table=tables())
def test_positions_stay_within_the_range_of_the_inputs(variant: str, table: IssueTable) -> None:
    run = expected_utility(table, rounds=6, variant=variant)  # type: ignore[arg-type]
    low, high = table.position.min(), table.position.max()
    for positions in run.positions:
        assert ((positions >= low - 1e-12) & (positions <= high + 1e-12)).all()
    for risk in run.risk:
        assert ((risk >= 0.5 - 1e-12) & (risk <= 2 + 1e-12)).all()  # Q in [-1, 1]


@pytest.mark.parametrize("variant", ["replication", "text"])
@settings(max_examples=20, deadline=None)
@given(table=tables(max_actors=6), factor=st.sampled_from([0.25, 8.0, 1024.0]))
def test_the_units_of_capability_do_not_matter(variant: str, table: IssueTable,
                                               factor: float) -> None:
    # A power of two scales every product and sum exactly, so even the model's knife-edge
    # comparisons (ties between moves are common on integer scales) come out the same.
    scaled = with_columns(table, capability=table.capability * factor)
    a = expected_utility(table, rounds=4, variant=variant)  # type: ignore[arg-type]
    b = expected_utility(scaled, rounds=4, variant=variant)  # type: ignore[arg-type]
    assert a.moves == b.moves
    assert all(np.array_equal(pa, pb) for pa, pb in zip(a.positions, b.positions))


@settings(max_examples=25, deadline=None)
@given(table=tables())
def test_the_same_table_gives_the_same_rounds(table: IssueTable) -> None:
    a, b = expected_utility(table, rounds=5), expected_utility(table, rounds=5)
    assert all(np.array_equal(pa, pb) for pa, pb in zip(a.positions, b.positions))


def test_unknown_variant_and_negative_rounds_are_programming_errors() -> None:
    with pytest.raises(ValueError):
        expected_utility(emissions(), variant="other")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        expected_utility(emissions(), rounds=-1)


@pytest.mark.parametrize("variant", ["replication", "text"])
@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 7))
def test_the_model_agrees_with_a_plain_loop_reference(variant: str, seed: int, n: int) -> None:
    rng = np.random.default_rng(seed)  # continuous draws: no knife-edge ties between moves
    table = IssueTable(f"seed{seed}", tuple(f"a{k}" for k in range(n)), rng.uniform(0.1, 1, n),
                       rng.uniform(0, 100, n), rng.uniform(0.05, 1, n))
    run = expected_utility(table, rounds=5, variant=variant)  # type: ignore[arg-type]
    expected = reference_rounds(table, 5, variant)
    assert len(run.positions) == len(expected)
    for got, want in zip(run.positions, expected):
        assert np.allclose(got, want, rtol=0, atol=1e-9)


def test_the_reference_also_reproduces_the_published_rounds() -> None:
    table = emissions()
    expected = reference_rounds(table, 10, "replication")
    for k, published in enumerate(published_rounds()):
        assert np.allclose(expected[k], [published[a] for a in table.actors], atol=1e-9)
