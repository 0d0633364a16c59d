"""Item-by-item agendas (tratado.session.items) and comparing them with packages
(tratado.experiments)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from engine_builders import make_scenario

from tratado.analysis import pareto_frontier
from tratado.experiments import compare_agendas
from tratado.scenario import Scenario
from tratado.session import Session, check_replay, evaluate
from tratado.session.items import item_scenario


def test_item_values_fix_agreed_items_and_take_the_best_case_for_the_rest() -> None:
    scenario = make_scenario(sizes=(3, 4, 2), n_parties=2, reservation=0.3)
    sub = item_scenario(scenario, [2], rounds=5)
    assert sub.agenda.names == ("i1",) and sub.rules.deadline == 5
    for party, item in zip(scenario.parties, sub.parties, strict=True):
        rows = np.array([[2, o, c] for o in range(4) for c in range(2)])
        best = party.preferences.utility(rows).reshape(4, 2).max(axis=1)
        assert item.preferences.utility(np.arange(4)[:, None]) == pytest.approx(best)
        assert item.preferences.reservation_value == party.preferences.reservation_value


@pytest.mark.parametrize("protocol", ["alternating", "mediated"])
def test_the_venezuela_example_both_ways(venezuela: Scenario, protocol: str) -> None:
    package, items = compare_agendas(venezuela, protocol, ["linear", "linear"], seed=1,
                                     deadline=70)
    venezuela = package.scenario  # the U.S. linkage folded in (compare_agendas' default)
    assert package.scenario is items.scenario
    assert package.items is None and items.items is not None
    assert package.to_dict()["protocol"]["agreement"] == "package"
    assert items.to_dict()["protocol"]["agreement"] == "item-by-item"
    assert items.reason == "agreement" and len(items.items) == len(venezuela.agenda)
    assert items.utilities == pytest.approx(venezuela.utilities_of(items.agreement or {}))
    for k, item in enumerate(items.items):  # each item settles its own issue, in order
        assert item.agreement is not None
        name = venezuela.agenda.names[k]
        assert items.agreement is not None and item.agreement[name] == items.agreement[name]
    assert items.round + 1 == sum(i.round + 1 for i in items.items) <= 70
    for result in (package, items):
        assert check_replay(venezuela, result.to_json()) is None
        evaluate(result)
    # a package cannot be Pareto-dominated by an item-by-item deal when it is efficient
    if protocol == "mediated":
        assert package.distance_to_pareto == pytest.approx(0)
        assert not all(items.utilities[p] > package.utilities[p] for p in venezuela.party_ids)
    record = json.loads(items.to_json())
    assert {e["item"] for e in record["log"]} == set(venezuela.agenda.names)


def test_a_failed_item_fails_the_talks_and_replays() -> None:
    scenario = make_scenario(sizes=(3, 3, 3), reservation=0.95, deadline=9)
    result = Session(scenario, "alternating", ["hardliner", "hardliner"], seed=1,
                     protocol_options={"agreement": "item-by-item"}).run()
    assert result.agreement is None and result.reason == "deadline"
    assert result.items is not None and len(result.items) == 1
    assert result.utilities == {"p0": 0.95, "p1": 0.95}
    assert check_replay(scenario, result.to_dict()) is None
    record = result.to_dict()
    record["log"][0]["outcome"]["i0"] = (record["log"][0]["outcome"]["i0"] + 1) % 3
    assert check_replay(scenario, record) is not None


def test_agenda_modes_per_protocol() -> None:
    scenario = make_scenario()
    with pytest.raises(ValueError):
        Session(scenario, "single-text", ["linear", "linear"],
                protocol_options={"agreement": "item-by-item"})
    from dataclasses import replace

    by_items = replace(scenario, rules=replace(scenario.rules, agreement="item-by-item"))
    assert Session(by_items, "alternating", ["linear", "linear"]).protocol.agreement == \
        "item-by-item"
    assert Session(by_items, "single-text", ["linear", "linear"]).protocol.agreement == \
        "package"


def test_evaluate_measures_distances_in_utility_space() -> None:
    scenario = make_scenario(sizes=(5, 5), reservation=0.1, deadline=30)
    result = evaluate(Session(scenario, "mediated", ["linear", "linear"], seed=1).run())
    assert result.distance_to_pareto == pytest.approx(0)
    frontier = pareto_frontier(scenario)
    point = np.array([result.utilities["p0"], result.utilities["p1"]])
    nearest = np.sqrt(((frontier.utilities - point) ** 2).sum(axis=1)).min()
    assert result.distance_to_pareto == pytest.approx(nearest)
    assert result.distance_to_nash is not None and result.distance_to_nash >= 0
    none = evaluate(Session(make_scenario(reservation=0.99, deadline=3), "alternating",
                            ["hardliner", "hardliner"], seed=1).run())
    assert none.distance_to_pareto is not None and none.distance_to_pareto > 0
    assert none.distance_to_nash is None  # no rational package, no Nash package
    assert none.to_dict()["result"]["distance_to_nash"] is None
