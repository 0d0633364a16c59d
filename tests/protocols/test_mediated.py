"""Confidential-preference mediation: rules, frontier packages, post-settlement,
confidentiality, and hypothesis sequences."""

from __future__ import annotations

import numpy as np
import pytest
from engine_builders import (
    fold,
    make_scenario,
    mediated_moves,
    reachable,
    scenarios,
    stepped,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from tratado.analysis import pareto_frontier
from tratado.negotiators import MediatorView, Negotiator, Record, make
from tratado.negotiators.mediators import Neutral
from tratado.protocols import (
    Accept,
    EventRefused,
    Mediated,
    MediatorProposal,
    Reject,
    Vote,
    WalkAway,
    protocol_registry,
)
from tratado.scenario import Scenario
from tratado.session import Session, public_scenario, replay

N = "neutral"


def test_settlement_then_post_settlement() -> None:
    protocol = Mediated(["p0", "p1"], (3, 3))
    state = fold(protocol, [MediatorProposal(N, (1, 1)), Accept("p1"), Reject("p0"),
                            MediatorProposal(N, (2, 1)), Accept("p0"), Accept("p1")])
    assert state.phase == "improve" and state.settlement == (2, 1) and state.rounds == 1
    kept = fold(protocol, [MediatorProposal(N, (2, 1)), Accept("p0"), Accept("p1"),
                           MediatorProposal(N, (2, 2)), Accept("p0"), Reject("p1")])
    assert protocol.result(kept).agreement == (2, 1)
    assert protocol.details(kept) == {"settlement": (2, 1), "improved": False}
    better = fold(protocol, [MediatorProposal(N, (2, 1)), Accept("p0"), Accept("p1"),
                             MediatorProposal(N, (2, 2)), Accept("p0"), Accept("p1")])
    assert protocol.result(better).agreement == (2, 2) and protocol.details(better)["improved"]
    none = fold(protocol, [MediatorProposal(N, (2, 1)), Accept("p0"), Accept("p1"),
                           MediatorProposal(N, (2, 1))])
    assert protocol.result(none).agreement == (2, 1)
    binding = protocol.step(fold(protocol, [MediatorProposal(N, (2, 1)), Accept("p0"),
                                            Accept("p1")]), WalkAway("p0"))
    assert protocol.result(binding).agreement == (2, 1)


def test_deadline_and_refusals() -> None:
    protocol = Mediated(["p0", "p1"], (3, 3), deadline=1, post_settlement=False)
    state = fold(protocol, [MediatorProposal(N, (1, 1)), Reject("p0"), Accept("p1")])
    assert protocol.result(state).reason == "deadline"
    for events, event in [([], Accept("p0")), ([], MediatorProposal("p0", (0, 0))),
                          ([MediatorProposal(N, (0, 0))], Vote("p0", True)),
                          ([MediatorProposal(N, (0, 0)), Accept("p0")], Accept("p0"))]:
        before = fold(protocol, events)
        with pytest.raises(EventRefused):
            protocol.step(before, event)
    with pytest.raises(ValueError):
        Mediated(["p0", "p1"], (3, 3), rule="utilitarian")


def test_only_the_mediated_protocol_trusts_its_mediator() -> None:
    trusting = {name for name, cls in protocol_registry().items()
                if cls.mediator_sees_preferences and cls.__module__.startswith("tratado.")}
    assert trusting == {"mediated"}


def on_frontier(scenario: Scenario, outcome: tuple[int, ...] | None) -> bool:
    frontier = pareto_frontier(scenario)
    u = scenario.utilities(np.array([outcome]))[0]
    return bool(np.any(np.all(frontier.utilities == u, axis=1)))


@settings(max_examples=40, deadline=None)
@given(scenarios(), st.integers(0, 1000),
       st.sampled_from(["linear", "boulware", "conceder", "frequency", "hardliner"]),
       st.sampled_from(["egalitarian", "nash"]))
def test_agreements_are_on_the_frontier_and_post_settlement_hurts_no_one(
    scenario: Scenario, seed: int, name: str, rule: str
) -> None:
    """Provable: the neutral proposes only frontier packages, so the settlement is
    Pareto-optimal; an improvement is accepted only if every party likes it at least as
    much as the settlement."""
    result = Session(scenario, "mediated", [name] * scenario.n_parties, seed=seed,
                     protocol_options={"rule": rule}).run()
    proposals = [e.outcome for e in result.events if isinstance(e, MediatorProposal)]
    assert all(on_frontier(scenario, o) for o in proposals)
    if result.outcome is not None:
        assert on_frontier(scenario, result.outcome)
        settled = result.details["settlement"]["utilities"]
        assert all(result.utilities[p] >= settled[p] for p in scenario.party_ids)
        for p in scenario.parties:
            assert result.utilities[p.id] >= p.preferences.reservation_value - 1e-9
    assert replay(scenario, result.to_dict())


def test_the_neutral_learns_from_rejections() -> None:
    scenario = make_scenario(sizes=(5, 5), reservation=0.1, deadline=30)
    result = Session(scenario, "mediated", ["boulware", "boulware"], seed=1).run()
    proposals = [e.outcome for e in result.events if isinstance(e, MediatorProposal)]
    assert len(proposals) == len(set(proposals)) or result.reason == "agreement"
    assert result.reason == "agreement" and result.round > 0


def test_post_settlement_improves_a_settlement_off_the_frontier() -> None:
    scenario = make_scenario(sizes=(4, 4, 3), n_parties=3, opposed=False, seed=3)
    neutral = Neutral()
    protocol = Mediated.for_scenario(scenario)
    secrets = {p.id: p.preferences for p in scenario.parties}
    neutral.begin(MediatorView(N, public_scenario(scenario), protocol, Record([]), secrets))
    rows = scenario.agenda.all_outcomes()
    inner = next(tuple(int(i) for i in row) for row in rows
                 if not on_frontier(scenario, tuple(int(i) for i in row)))
    better = neutral.improvement(inner)
    u = scenario.utilities(np.array([inner, better]))
    assert better != inner and np.all(u[1] >= u[0]) and np.any(u[1] > u[0])
    assert on_frontier(scenario, better)
    top = tuple(int(i) for i in pareto_frontier(scenario).outcomes[0])
    assert neutral.improvement(top) == top


@settings(max_examples=120, deadline=None)
@given(st.data(), scenarios())
def test_random_event_sequences_never_corrupt_the_state(
    data: st.DataObject, scenario: Scenario
) -> None:
    protocol = Mediated.for_scenario(scenario, post_settlement=data.draw(st.booleans()))
    state = protocol.initial_state()
    for state, accepted in stepped(protocol, data.draw(mediated_moves(scenario))):
        if state.settlement is not None:  # every party accepted that exact package
            k = next(i for i, e in enumerate(accepted) if isinstance(e, MediatorProposal)
                     and e.outcome == state.settlement
                     and all(isinstance(a, Accept) for a in
                             accepted[i + 1:i + 1 + len(protocol.parties)]))
            answers = accepted[k + 1:k + 1 + len(protocol.parties)]
            assert {a.party for a in answers} == set(protocol.parties)
        if state.reason == "agreement":
            assert state.settlement is not None and state.final is not None
    assert state.rounds <= protocol.deadline


def test_parties_never_see_the_neutrals_view() -> None:
    scenario = make_scenario(n_parties=3, deadline=10, opposed=False)
    negotiators: list[Negotiator] = [make("frequency"), make("boulware"), make("linear")]
    neutral = Neutral()
    Session(scenario, "mediated", negotiators, seed=2, mediator=neutral).run()
    assert set(neutral.view.preferences) == set(scenario.party_ids)
    for party, negotiator in zip(scenario.parties, negotiators, strict=True):
        found = {id(o) for o in reachable(negotiator)}
        assert id(neutral) not in found and id(neutral.view) not in found
        others = [p.preferences for p in scenario.parties if p is not party]
        assert not any(id(p) in found for p in others)


def test_the_neutral_refuses_to_work_without_preferences() -> None:
    scenario = make_scenario()
    result = Session(scenario, "single-text", ["linear", "linear"], seed=1,
                     mediator=Neutral()).run()
    assert result.reason == "error" and result.failures[0]["negotiator"] == "neutral"
    assert "preferences" in result.failures[0]["error"]



