"""A negotiator is handed only what its party may see."""

from __future__ import annotations

import dataclasses

import pytest
from engine_builders import make_scenario, reachable

from tratado.negotiators import PublicScenario, Record, make
from tratado.negotiators.base import NegotiatorView, own_copy
from tratado.parties import Party
from tratado.preferences import Preferences
from tratado.protocols import AlternatingOffers, Event, Propose
from tratado.scenario import Scenario
from tratado.session import Session, public_scenario


def test_the_public_scenario_holds_no_preferences() -> None:
    scenario = make_scenario(n_parties=3)
    public = PublicScenario.of(scenario)
    assert public.party_ids == scenario.party_ids
    assert [p.label for p in public.parties] == [p.label for p in scenario.parties]
    found = list(reachable(public))
    assert not any(isinstance(o, Preferences | Party | Scenario) for o in found)
    names = {f.name for f in dataclasses.fields(public)}
    assert "preferences" not in names and not hasattr(public.parties[0], "preferences")


def test_the_view_holds_only_its_own_preferences() -> None:
    scenario = make_scenario(n_parties=3)
    protocol = AlternatingOffers.for_scenario(scenario)
    own = scenario.parties[1]
    view = NegotiatorView(own.id, own.preferences, public_scenario(scenario), protocol,
                          Record([]))
    found = {id(o) for o in reachable(view)}
    assert id(own.preferences) in found
    for other in (scenario.parties[0], scenario.parties[2]):
        assert id(other.preferences) not in found
    assert id(scenario) not in found
    assert view.opponents == ("p0", "p2")


def test_the_record_is_read_only() -> None:
    events: list[Event] = [Propose("p0", (0, 0))]
    record = Record(events)
    assert record[0] == events[0] and len(record) == 1 and list(record) == events
    assert record.since(0) == (events[0],)
    with pytest.raises(TypeError):
        record[0] = Propose("p1", (1, 1))  # type: ignore[index]
    assert not hasattr(record, "append")


@pytest.mark.parametrize("name", ["frequency", "tit-for-tat", "aspiration", "random"])
def test_no_other_preferences_reachable_after_a_session(name: str) -> None:
    scenario = make_scenario(n_parties=3, deadline=10)
    negotiators = [make(name) for _ in scenario.parties]
    Session(scenario, "alternating", negotiators, seed=3).run()
    for party, negotiator in zip(scenario.parties, negotiators, strict=True):
        found = {id(o) for o in reachable(negotiator)}
        assert id(own_copy(party.preferences)) in found  # its own, as a copy
        assert id(party.preferences) not in found
        others = [p.preferences for p in scenario.parties if p is not party]
        assert not any(id(p) in found or id(own_copy(p)) in found for p in others)
        assert id(scenario) not in found and id(scenario.agenda) not in found
