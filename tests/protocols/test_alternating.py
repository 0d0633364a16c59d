"""Alternating offers: the rules, and invariants under arbitrary event sequences."""

from __future__ import annotations

import hypothesis
import pytest
from engine_builders import as_event, make_scenario, moves, scenarios
from hypothesis import given, settings
from hypothesis import strategies as st

from tratado.protocols import (
    Accept,
    AlternatingOffers,
    AlternatingState,
    Event,
    EventRefused,
    Propose,
    Reject,
    TimeUp,
    Vote,
    WalkAway,
    protocol_class,
)
from tratado.scenario import Scenario


def protocol_for(parties: int = 2, deadline: int = 5, **options: object) -> AlternatingOffers:
    ids = [f"p{k}" for k in range(parties)]
    return AlternatingOffers(ids, (3, 3), deadline=deadline, **options)  # type: ignore[arg-type]


def fold(protocol: AlternatingOffers, moves: list[Event]) -> AlternatingState:
    state = protocol.initial_state()
    for move in moves:
        state = protocol.step(state, move)
    return state


def test_bilateral_agreement_when_the_other_accepts() -> None:
    protocol = protocol_for()
    state = fold(protocol, [Propose("p0", (1, 2)), Accept("p1")])
    result = protocol.result(state)
    assert result.agreement == (1, 2) and result.reason == "agreement"
    assert result.ended_by == "p1" and protocol.is_over(state)


def test_counter_offer_replaces_the_standing_offer() -> None:
    protocol = protocol_for()
    state = fold(protocol, [Propose("p0", (1, 2)), Propose("p1", (0, 0)), Accept("p0")])
    assert protocol.result(state).agreement == (0, 0)


def test_multilateral_agreement_needs_every_other_party() -> None:
    protocol = protocol_for(parties=3)
    state = fold(protocol, [Propose("p0", (2, 2)), Accept("p1")])
    assert not protocol.is_over(state)
    state = protocol.step(state, Accept("p2"))
    assert protocol.result(state).agreement == (2, 2)


def test_a_counter_offer_resets_acceptances() -> None:
    protocol = protocol_for(parties=3)
    state = fold(protocol, [Propose("p0", (2, 2)), Accept("p1"), Propose("p2", (1, 1)),
                            Accept("p0")])
    assert not protocol.is_over(state)
    state = protocol.step(state, Accept("p1"))
    assert protocol.result(state).agreement == (1, 1)


@pytest.mark.parametrize(
    ("moves", "event"),
    [
        ([], Accept("p0")),
        ([], Propose("p1", (0, 0))),
        ([], Propose("p0", (3, 0))),
        ([], Propose("p0", (0,))),
        ([], Propose("p0", [0, 0])),  # type: ignore[arg-type]
        ([], Propose("p0", (True, 0))),
        ([], Reject("p0")),
        ([], Vote("p0", True)),
        ([], Accept("stranger")),
        ([], WalkAway("stranger")),
        ([], TimeUp()),
        ([Propose("p0", (0, 0))], Accept("p0")),
        ([Propose("p0", (0, 0)), Accept("p1")], Propose("p0", (1, 1))),
        ([Propose("p0", (0, 0)), Accept("p1")], WalkAway("p0")),
    ],
)
def test_refused_events_leave_the_state_unchanged(moves: list[Event], event: Event) -> None:
    protocol = protocol_for()
    state = fold(protocol, moves)
    before = tuple(state)
    with pytest.raises(EventRefused) as refused:
        protocol.step(state, event)
    assert refused.value.reason
    assert tuple(state) == before


def test_nothing_after_the_deadline() -> None:
    protocol = protocol_for(deadline=2)
    moves: list[Event] = [Propose("p0", (0, 0)), Propose("p1", (1, 1)),
                          Propose("p0", (0, 0)), Propose("p1", (1, 1))]
    state = fold(protocol, moves)
    assert protocol.result(state).reason == "deadline"
    assert protocol.result(state).agreement is None
    assert protocol.whose_turn(state) == () and protocol.expected(state) == {}
    with pytest.raises(EventRefused):
        protocol.step(state, Accept("p0"))


def test_acceptance_on_the_last_turn_counts() -> None:
    protocol = protocol_for(deadline=1)
    state = fold(protocol, [Propose("p0", (2, 1)), Accept("p1")])
    assert protocol.result(state).agreement == (2, 1)


def test_walking_away_is_allowed_at_any_time() -> None:
    protocol = protocol_for(parties=3)
    state = fold(protocol, [Propose("p0", (0, 0)), WalkAway("p2")])
    result = protocol.result(state)
    assert result.reason == "walk-away" and result.ended_by == "p2"
    assert result.agreement is None


def test_time_up_only_with_a_deadline_in_seconds() -> None:
    protocol = protocol_for(deadline_seconds=1.0)
    state = protocol.step(protocol.initial_state(), TimeUp())
    assert protocol.result(state).reason == "deadline"


def test_expected_names_whose_turn_and_the_moves() -> None:
    protocol = protocol_for()
    state = protocol.initial_state()
    assert protocol.whose_turn(state) == ("p0",)
    assert set(protocol.expected(state)["p0"]) == {Propose, WalkAway}
    state = protocol.step(state, Propose("p0", (0, 0)))
    assert set(protocol.expected(state)["p1"]) == {Accept, Propose, WalkAway}


def test_built_from_the_scenario_rules_and_overridden() -> None:
    scenario = make_scenario(deadline=17)
    assert AlternatingOffers.for_scenario(scenario).deadline == 17
    protocol = AlternatingOffers.for_scenario(scenario, deadline=4, discounting=True)
    assert protocol.deadline == 4 and protocol.discounting
    again = protocol_class("alternating").from_params(
        scenario.party_ids, scenario.agenda.shape, protocol.params())
    assert again.params() == protocol.params()
    assert protocol_class("tratado.protocols.alternating:AlternatingOffers") is AlternatingOffers
    with pytest.raises(ValueError):
        protocol_class("no-such-protocol")


def check_invariants(protocol: AlternatingOffers, accepted: list[Event],
                     state: AlternatingState) -> None:
    """What must hold after any sequence of accepted events (an independent check)."""
    n = len(protocol.parties)
    assert 0 <= state.turn <= protocol.turns
    assert not (state.reason is None and state.turn >= protocol.turns)
    if state.reason == "agreement":
        tail = accepted[-(n - 1):]
        proposal = accepted[-n]
        assert isinstance(proposal, Propose) and proposal.outcome == state.offer
        assert all(isinstance(e, Accept) for e in tail)
        assert {e.party for e in tail} | {proposal.party} == set(protocol.parties)
    if state.reason is not None:
        assert protocol.whose_turn(state) == ()


@settings(max_examples=150, deadline=None)
@given(st.data(), scenarios())
def test_random_event_sequences_never_corrupt_the_state(
    data: st.DataObject, scenario: Scenario
) -> None:
    protocol = AlternatingOffers.for_scenario(scenario, deadline_seconds=data.draw(
        st.sampled_from([None, 10.0])))
    state = protocol.initial_state()
    accepted: list[Event] = []
    for move in data.draw(moves(scenario)):
        event = as_event(move, protocol.whose_turn(state))
        before = tuple(state)
        over = protocol.is_over(state)
        try:
            new = protocol.step(state, event)
        except EventRefused:
            assert tuple(state) == before
            continue
        assert not over, "an event was accepted after the talks ended"
        assert tuple(state) == before, "step changed the state it was given"
        state = new
        accepted.append(event)
        check_invariants(protocol, accepted, state)
    result = protocol.result(state)
    hypothesis.event(f"ended: {result.reason}")
    assert result.turns == state.turn
    if result.agreement is not None:
        assert result.reason == "agreement"
