"""The mediator's single negotiating text: rules, refusals, hypothesis sequences, and
the provable end of unanimity hill-climbing."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from engine_builders import fold, make_scenario, mediated_moves, scenarios, stepped
from hypothesis import given, settings
from hypothesis import strategies as st

from tratado.protocols import (
    Accept,
    Event,
    EventRefused,
    MediatorProposal,
    Propose,
    Reject,
    SingleText,
    Vote,
    WalkAway,
)
from tratado.scenario import Scenario
from tratado.session import Session, replay

M = "mediator"


def test_the_draft_changes_only_under_the_rule() -> None:
    protocol = SingleText(["p0", "p1"], (3, 3), deadline=3)
    state = fold(protocol, [MediatorProposal(M, (0, 0)), MediatorProposal(M, (1, 0)),
                            Vote("p0", True), Vote("p1", True)])
    assert state.draft == (1, 0) and state.adopted == 1
    state = fold(protocol, [MediatorProposal(M, (0, 0)), MediatorProposal(M, (1, 0)),
                            Vote("p1", True), Vote("p0", False)])
    assert state.draft == (0, 0) and state.stale == 1
    majority = SingleText(["p0", "p1", "p2"], (3, 3), rule="majority")
    state = fold(majority, [MediatorProposal(M, (0, 0)), MediatorProposal(M, (0, 2)),
                            Vote("p0", True), Vote("p1", False), Vote("p2", True)])
    assert state.draft == (0, 2)


def test_the_final_text_needs_every_party() -> None:
    protocol = SingleText(["p0", "p1"], (3, 3), deadline=1, start=(2, 2))
    state = fold(protocol, [MediatorProposal(M, (2, 1)), Vote("p0", False), Vote("p1", True)])
    assert state.phase == "final" and protocol.whose_turn(state) == ("p0", "p1")
    agreed = fold(protocol, [MediatorProposal(M, (2, 1)), Vote("p0", False), Vote("p1", True),
                             Accept("p1"), Accept("p0")])
    assert protocol.result(agreed).agreement == (2, 2)
    refused = protocol.step(protocol.step(state, Accept("p0")), Reject("p1"))
    assert protocol.result(refused).reason == "rejection"
    assert protocol.result(refused).agreement is None


def test_the_mediator_closes_the_search_by_proposing_the_draft() -> None:
    protocol = SingleText(["p0", "p1"], (3, 3), start=(1, 1))
    state = protocol.step(protocol.initial_state(), MediatorProposal(M, (1, 1)))
    assert state.phase == "final"


def test_patience_and_annealing_decisions() -> None:
    protocol = SingleText(["p0", "p1"], (3, 3), patience=1, start=(0, 0))
    state = fold(protocol, [MediatorProposal(M, (1, 0)), Vote("p0", False), Vote("p1", True)])
    assert state.phase == "final"
    annealing = SingleText(["p0", "p1"], (3, 3), search="annealing", start=(0, 0))
    state = fold(annealing, [MediatorProposal(M, (1, 0)), Vote("p0", False), Vote("p1", True)])
    assert state.phase == "decide" and annealing.whose_turn(state) == (M,)
    assert annealing.step(state, Accept(M)).draft == (1, 0)
    assert annealing.step(state, Reject(M)).draft == (0, 0)


@pytest.mark.parametrize(
    ("events", "event"),
    [
        ([], Vote("p0", True)),
        ([], MediatorProposal("p0", (0, 0))),
        ([], Propose("p0", (0, 0))),
        ([MediatorProposal(M, (0, 0))], MediatorProposal(M, (1, 1))),  # two issues changed
        ([MediatorProposal(M, (0, 0))], MediatorProposal(M, (3, 0))),
        ([MediatorProposal(M, (0, 0)), MediatorProposal(M, (1, 0))], Accept("p0")),
        ([MediatorProposal(M, (0, 0)), MediatorProposal(M, (1, 0)), Vote("p0", True)],
         Vote("p0", False)),
        ([MediatorProposal(M, (0, 0)), MediatorProposal(M, (1, 0))], Vote("stranger", True)),
        ([MediatorProposal(M, (0, 0)), MediatorProposal(M, (1, 0))], Accept(M)),
        ([MediatorProposal(M, (0, 0)), WalkAway("p1")], Vote("p0", True)),
    ],
)
def test_refused_events_leave_the_state_unchanged(events: list[Event], event: Event) -> None:
    protocol = SingleText(["p0", "p1"], (3, 3))
    state = fold(protocol, events)
    before = tuple(state)
    with pytest.raises(EventRefused):
        protocol.step(state, event)
    assert tuple(state) == before


@settings(max_examples=120, deadline=None)
@given(st.data(), scenarios())
def test_random_event_sequences_never_corrupt_the_state(
    data: st.DataObject, scenario: Scenario
) -> None:
    protocol = SingleText.for_scenario(
        scenario, rule=data.draw(st.sampled_from(["unanimity", "majority"])),
        search=data.draw(st.sampled_from(["hill-climbing", "annealing"])))
    for state, accepted in stepped(protocol, data.draw(mediated_moves(scenario))):
        assert state.proposals <= protocol.deadline
        if state.reason is not None:
            assert protocol.whose_turn(state) == ()
        if state.reason == "agreement":
            tail = accepted[-len(protocol.parties):]
            assert all(isinstance(e, Accept) for e in tail)
            assert {e.party for e in tail} == set(protocol.parties)
            assert protocol.result(state).agreement == state.draft


def strictly_preferred_by_all(scenario: Scenario, draft: tuple[int, ...],
                              max_changes: int) -> list[tuple[int, ...]]:
    """Packages within ``max_changes`` issues of ``draft`` that every party prefers."""
    base = scenario.utilities(np.array([draft]))[0]
    found = []
    for row in itertools.product(*(range(n) for n in scenario.agenda.shape)):
        changed = sum(a != b for a, b in zip(row, draft, strict=True))
        if 1 <= changed <= max_changes and np.all(scenario.utilities(np.array([row]))[0] > base):
            found.append(row)
    return found


@settings(max_examples=40, deadline=None)
@given(scenarios(max_parties=3, max_issues=3, max_options=4), st.integers(0, 1000),
       st.booleans())
def test_unanimity_hill_climbing_ends_locally_pareto_optimal(
    scenario: Scenario, seed: int, outright: bool
) -> None:
    """Provable: a change is adopted only when every party strictly prefers it, and the
    mediator closes the search only after every change of the final draft was turned
    down; so no change within the neighbourhood is preferred by all. With the whole
    space as the neighbourhood (``max_changes`` = number of issues) no package at all
    is strictly preferred by every party: the final draft is (weakly) Pareto-optimal."""
    max_changes = len(scenario.agenda) if outright else 1
    result = Session(scenario, "single-text", ["linear"] * scenario.n_parties, seed=seed,
                     protocol_options={"deadline": 10_000, "max_changes": max_changes}).run()
    final = [e for e in result.events if isinstance(e, MediatorProposal)]
    draft = final[-1].outcome  # the mediator closed the search with the draft itself
    assert result.details["final_text"]["outcome"] == scenario.agenda.describe(draft)
    assert strictly_preferred_by_all(scenario, draft, max_changes) == []
    assert replay(scenario, result.to_dict())


def test_annealing_runs_and_replays() -> None:
    scenario = make_scenario(sizes=(4, 4, 4), n_parties=3, deadline=60, opposed=False)
    result = Session(scenario, "single-text", ["boulware"] * 3, seed=5,
                     protocol_options={"search": "annealing", "temperature": 2.0}).run()
    assert any(e.kind == "accept" and e.party == M for e in result.events)
    assert replay(scenario, result.to_json())
