"""Sessions see the stakeholders' effects, as analyses and forecasts do: ``simulate``,
``compare_agendas`` and tournaments fold them in by default and run the table alone on
request; the record says which, replay runs the same world, and older records (which
ran the table alone) replay as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tratado.experiments import compare_agendas
from tratado.formats import load
from tratado.records import INCLUDED, TABLE_ALONE, canonical_json
from tratado.scenario import Scenario
from tratado.session import Session
from tratado.session.replay import REPRODUCES, verify
from tratado.session.simulation import simulate
from tratado.stakeholders import effective, with_effect, with_stakeholders, without_stakeholders

RECORDS = Path(__file__).resolve().parent / "data" / "records"
PAIR = ["boulware", "conceder"]


@pytest.fixture(scope="module")
def venezuela() -> Scenario:
    return load("venezuela-2021")


def _moves(result: object) -> list[tuple[str, str, object]]:
    return [(e.kind, e.party, getattr(e, "outcome", None)) for e in result.events]  # type: ignore[attr-defined]


def _canonical(record: dict) -> str:
    log = record["log"]
    return canonical_json({**record, "log": list(log)})


def test_simulate_folds_in_the_linkage_and_says_so(venezuela: Scenario) -> None:
    linked = simulate(venezuela, PAIR, seed=0)
    alone = simulate(venezuela, PAIR, seed=0, stakeholders=False)
    assert linked.record["stakeholders"] == INCLUDED
    assert alone.record["stakeholders"] == TABLE_ALONE
    # the sessions ran on the effective scenario and on the table alone, exactly
    by_hand = Session(with_stakeholders(venezuela), "alternating", PAIR, 0).run()
    assert _moves(by_hand) == _moves(linked.result)
    table = Session(without_stakeholders(venezuela), "alternating", PAIR, 0).run()
    assert _moves(table) == _moves(alone.result)
    # the U.S. reward is within reach, so the government bargains differently
    assert linked.record["agreement"] != alone.record["agreement"]
    for run in (linked, alone):
        assert verify(venezuela, _canonical(run.record)).status == REPRODUCES


def test_an_effect_of_nothing_changes_no_move(venezuela: Scenario) -> None:
    """Only what the effects change moves the talks: with both U.S. effects set to 0 the
    session is the table's, move for move."""
    nothing = with_effect(with_effect(venezuela, "united-states", 0, utility=0.0, no_deal=0.0),
                          "united-states", 1, utility=0.0, no_deal=0.0)
    linked = simulate(nothing, PAIR, seed=3)
    alone = simulate(nothing, PAIR, seed=3, stakeholders=False)
    assert linked.record["stakeholders"] == INCLUDED
    assert _moves(linked.result) == _moves(alone.result)
    assert linked.result.utilities == pytest.approx(alone.result.utilities)


def test_the_reservation_what_if_is_set_before_the_effects_fold_in(venezuela: Scenario) -> None:
    run = simulate(venezuela, PAIR, seed=0, reservations={"government": 0.7})
    expected = with_stakeholders(venezuela.with_reservation_values({"government": 0.7}))
    assert run.scenario.party("government").preferences.reservation_value == pytest.approx(
        expected.party("government").preferences.reservation_value)
    assert run.record["what_if"] == {"reservation_values": {"government": 0.7}}
    assert verify(venezuela, _canonical(run.record)).status == REPRODUCES


def test_a_record_made_before_the_linkage_replays_as_before(venezuela: Scenario) -> None:
    text = (RECORDS / "venezuela-2021-before-linkage.json").read_text(encoding="utf-8")
    assert "stakeholders" not in json.loads(text)
    assert verify(venezuela, text).status == REPRODUCES
    # and it is what the table alone gives today, but for the new member
    alone = simulate(venezuela, PAIR, seed=0, stakeholders=False,
                     source={"example": "venezuela-2021"}).record
    assert _canonical(alone) == text.replace('\n"protocol"', '\n"stakeholders":"table-alone",\n'
                                             '"protocol"', 1)


def test_a_record_that_lies_about_the_stakeholders_does_not_replay(venezuela: Scenario) -> None:
    record = json.loads(_canonical(simulate(venezuela, PAIR, seed=0).record))
    for lie in (TABLE_ALONE, "sometimes"):
        record["stakeholders"] = lie
        assert verify(venezuela, json.dumps(record)).status != REPRODUCES
    del record["stakeholders"]
    assert verify(venezuela, json.dumps(record)).status != REPRODUCES


def test_a_scenario_without_effects_is_unaffected() -> None:
    text = (RECORDS / "job-offer-before-linkage.json").read_text(encoding="utf-8")
    scenario = load("job-offer")
    for stakeholders in (True, False):
        run = simulate(scenario, PAIR, seed=0, stakeholders=stakeholders,
                       source={"example": "job-offer"})
        assert _canonical(run.record) == text  # byte for byte as before
        assert effective(scenario, stakeholders) is scenario


def test_compare_agendas_honours_the_switch(venezuela: Scenario) -> None:
    linked = compare_agendas(venezuela, "mediated", seed=0, deadline=70)
    alone = compare_agendas(venezuela, "mediated", seed=0, deadline=70, stakeholders=False)
    assert linked[0].scenario.party("government").preferences.reservation_value \
        != pytest.approx(0.6)
    assert alone[0].scenario.party("government").preferences.reservation_value \
        == pytest.approx(0.6)
    assert linked[0].agreement != alone[0].agreement


def test_a_reservation_what_if_means_what_it_means_in_analyze(venezuela: Scenario) -> None:
    from tratado.analysis import analyze

    what_if = {"government": 0.7}
    for stakeholders in (True, False):
        analysed = analyze(venezuela, reservation_values=what_if, stakeholders=stakeholders)
        ran = simulate(venezuela, PAIR, seed=0, reservations=what_if, stakeholders=stakeholders)
        assert analysed.to_dict()["reservation_values"] == pytest.approx(
            list(ran.scenario.reservation_values))


@pytest.mark.parametrize("stakeholders", [True, False])
def test_a_forecast_without_uncertainty_is_the_single_simulation_linkage_and_all(
        venezuela: Scenario, stakeholders: bool) -> None:
    """One world: on the Venezuela example at its estimates, the forecast and one
    ``simulate`` agree, with the U.S. linkage and at the table alone."""
    import dataclasses

    from tratado.experiments.forecast import Forecast

    exact = dataclasses.replace(venezuela, uncertainty=None)
    result = Forecast(exact, seed=5, protocols=["alternating"],
                      stakeholders=stakeholders).run(jobs=0)
    simulation = simulate(exact, ["frequency", "frequency"], "alternating", 5,
                          stakeholders=stakeholders).result
    assert result.samples == 1
    assert tuple(int(k) for k in result.outcomes[0, 0, 0]) == simulation.outcome
    assert result.gains[0, 0, 0].tolist() == pytest.approx(
        [simulation.gains[p] for p in venezuela.party_ids])
