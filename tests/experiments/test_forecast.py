"""Forecasts: the single simulation when nothing is uncertain, the same forecast on any
backend, a sensitivity that finds the input that matters, what-ifs on the same samples."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

import tratado
from tratado.errors import TratadoError
from tratado.experiments.forecast import Forecast, chunks, samples_for
from tratado.session.simulation import simulate

from .forecast_samplers import Reservations

PROTOCOLS = ("alternating", "single-text", "mediated")


@pytest.fixture(scope="module")
def job_offer() -> Any:
    return tratado.load("job-offer")


def _one_that_matters(dummies: int = 2) -> Reservations:
    """The candidate's no-deal value over its whole range, and inputs that change nothing."""
    return Reservations((("candidate", 0.45, 0.0, 1.0),), dummies=dummies)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_without_uncertainty_the_forecast_is_the_single_simulation(job_offer: Any,
                                                                   protocol: str) -> None:
    result = Forecast(job_offer, seed=5, protocols=[protocol]).run(jobs=0)
    simulation = simulate(job_offer, ["frequency", "frequency"], protocol, 5).result
    assert result.job.exact and result.samples == 1
    outcome = result.outcomes[0, 0, 0]
    if simulation.outcome is None:
        assert outcome[0] == -1
    else:
        assert tuple(int(k) for k in outcome) == simulation.outcome
    gains = [simulation.gains[p] for p in job_offer.party_ids]
    assert result.gains[0, 0, 0].tolist() == gains
    document = result.to_dict()
    run = document["protocols"][protocol]
    assert run["agreement_probability"] == (1.0 if simulation.agreement else 0.0)
    assert run["interval"] is None
    for issue, option in (simulation.agreement or {}).items():
        assert run["items"][issue][str(option)] == 1.0


def test_the_same_seed_gives_the_same_forecast_on_one_or_two_workers(job_offer: Any) -> None:
    def run(jobs: int) -> str:
        forecast = Forecast(job_offer, samples=12, seed=3, sampler=_one_that_matters(),
                            what_ifs=["employer=0.5"])
        return json.dumps(forecast.run(jobs=jobs).to_dict())

    assert run(2) == run(0)


@pytest.mark.slow
def test_the_same_seed_gives_the_same_forecast_on_dask(job_offer: Any) -> None:
    pytest.importorskip("distributed")
    forecast = Forecast(job_offer, samples=8, seed=3, sampler=_one_that_matters())
    on_dask = json.dumps(forecast.run(dask_workers=2).to_dict())
    again = Forecast(job_offer, samples=8, seed=3, sampler=_one_that_matters())
    assert on_dask == json.dumps(again.run(jobs=0).to_dict())


def test_a_different_seed_draws_different_samples(job_offer: Any) -> None:
    a = Forecast(job_offer, samples=5, seed=1, sampler=_one_that_matters()).prepare()
    b = Forecast(job_offer, samples=5, seed=2, sampler=_one_that_matters()).prepare()
    assert not np.array_equal(a.samples, b.samples)


def test_the_sensitivity_finds_the_one_input_that_matters(job_offer: Any) -> None:
    result = Forecast(job_offer, samples=160, seed=11, sampler=_one_that_matters(3),
                      protocols=["alternating"]).run(jobs=0)
    drivers = result.to_dict()["sensitivity"]
    assert drivers[0]["input"] == "candidate.reservation"
    assert drivers[0]["first_order"] > 0.5
    assert drivers[0]["spearman"] < -0.5  # a higher no-deal value: fewer agreements
    assert drivers[0]["agreement_low"] > drivers[0]["agreement_high"]
    assert all(d["first_order"] < 0.15 for d in drivers[1:])


def test_a_what_if_that_changes_nothing_gives_exactly_the_forecast(job_offer: Any) -> None:
    """Pinning an input that changes nothing: the same samples and seeds, so the same
    sessions, and a difference of exactly zero (no sampling noise)."""
    result = Forecast(job_offer, samples=20, seed=4, sampler=_one_that_matters(),
                      what_ifs=["dummy0=0.9"]).run(jobs=0)
    assert np.array_equal(result.outcomes[0], result.outcomes[1])
    what_if = result.to_dict()["what_if"][0]
    assert what_if["what_if"] == "dummy0=0.9"
    for difference in what_if["difference"].values():
        assert difference["agreement_probability"] == 0.0
        assert all(d == 0.0 for shares in difference["items"].values()
                   for d in shares.values())


def test_a_what_if_runs_on_the_same_samples(job_offer: Any) -> None:
    """Pinning the input that matters at the value of a sample reproduces that sample."""
    result = Forecast(job_offer, samples=10, seed=4, sampler=_one_that_matters(),
                      protocols=["alternating"]).run(jobs=0)
    value = float(result.job.samples[3, 0])
    pinned = Forecast(job_offer, samples=10, seed=4, sampler=_one_that_matters(),
                      protocols=["alternating"],
                      what_ifs=[f"candidate.reservation={value!r}"]).run(jobs=0)
    assert np.array_equal(pinned.job.samples, result.job.samples)
    assert np.array_equal(pinned.outcomes[1, 0, 3], result.outcomes[0, 0, 3])
    difference = pinned.to_dict()["what_if"][0]["difference"]["alternating"]
    agreed = result.agreed(0)[0].astype(float)
    expected = float(np.mean(pinned.agreed(1)[0].astype(float) - agreed))
    assert difference["agreement_probability"] == pytest.approx(expected, abs=1e-12)


def test_a_reservation_what_if_moves_agreement_the_expected_way(job_offer: Any) -> None:
    result = Forecast(job_offer, samples=30, seed=2, sampler=_one_that_matters(),
                      protocols=["alternating"], what_ifs=["candidate=0.0"]).run(jobs=0)
    difference = result.to_dict()["what_if"][0]["difference"]["alternating"]
    assert difference["agreement_probability"] > 0


def test_the_forecast_document(job_offer: Any) -> None:
    document = Forecast(job_offer, samples=15, seed=1, sampler=_one_that_matters(),
                        what_ifs=["candidate=0.3"]).run(jobs=0).to_dict()
    assert set(document["protocols"]) == set(PROTOCOLS)
    for run in document["protocols"].values():
        assert 0 <= run["agreement_probability"] <= 1
        low, high = run["interval"]
        assert low <= run["agreement_probability"] <= high
        for issue in job_offer.agenda.issues:
            shares = run["items"][issue.name]
            assert list(shares) == [*(str(o) for o in issue.options), "no agreement"]
            assert sum(shares.values()) == pytest.approx(1.0)
            assert shares["no agreement"] == pytest.approx(1 - run["agreement_probability"])
        assert set(run["expected_gain"]) == set(job_offer.party_ids)
    assert [d["input"] for d in document["sensitivity"]][0] == "candidate.reservation"
    gains = document["gain_sensitivity"]
    assert set(gains) == set(job_offer.party_ids)
    assert all(len(rows) <= 5 and {"gain_low", "gain_high"} <= set(rows[0]) for rows in gains.values())
    nash = document["fair_packages"]["nash"]
    assert set(nash["items"]) == {issue.name for issue in job_offer.agenda.issues}
    assert 0 <= nash["same_package"] <= min(nash["items"].values())
    json.dumps(document, allow_nan=False)


def test_several_negotiator_mixes_are_named_by_protocol_and_mix(job_offer: Any) -> None:
    document = Forecast(job_offer, protocols=["alternating"],
                        negotiators=[["boulware", "conceder"], ["conceder", "boulware"]]
                        ).run(jobs=0).to_dict()
    assert list(document["protocols"]) == ["alternating [boulware, conceder]",
                                           "alternating [conceder, boulware]"]


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"what_ifs": ["nobody=0.3"]}, "--what-if"),
    ({"what_ifs": ["candidate"]}, "--what-if"),
    ({"what_ifs": ["candidate=high"]}, "--what-if"),
    ({"what_ifs": ["candidate=1.5"]}, "--what-if"),
    ({"negotiators": [["boulware"]]}, "--negotiators"),
    ({"negotiators": [["boulware", "nonesuch"]]}, "--negotiators"),
    ({"protocols": ["bargaining"]}, "--protocols"),
    ({"samples": 0}, "--samples"),
])
def test_mistakes_are_refused_before_any_session(job_offer: Any, kwargs: dict[str, Any],
                                                 field: str) -> None:
    with pytest.raises(TratadoError) as caught:
        Forecast(job_offer, sampler=_one_that_matters(), **kwargs).prepare()
    assert caught.value.field == field


def test_a_failing_sample_fails_its_sessions_only(job_offer: Any) -> None:
    class Breaks(Reservations):
        def scenario_at(self, nominal: Any, row: np.ndarray) -> Any:
            if row[0] > 0.5:
                raise ValueError("no such scenario")
            return super().scenario_at(nominal, row)

    sampler = Breaks((("candidate", 0.45, 0.0, 1.0),))
    result = Forecast(job_offer, samples=10, seed=1, sampler=sampler,
                      protocols=["alternating"]).run(jobs=0)
    broken = result.job.samples[:, 0] > 0.5
    assert result.failed[0, 0].tolist() == broken.tolist()
    document = result.to_dict()
    assert document["failures"]["sessions"] == int(broken.sum())


def test_the_default_number_of_samples_gives_one_point_at_95_percent() -> None:
    assert samples_for(0.01) == 9604


def test_chunks_cover_every_unit_once() -> None:
    for units in (1, 7, 1000, 10_001):
        parts = chunks(units, 2)
        assert [k for a, b in parts for k in range(a, b)] == list(range(units))


# -- a scenario file's own uncertainty and stakeholders ---------------------------------
@pytest.fixture(scope="module")
def uncertain() -> Any:
    from conftest import UNCERTAIN

    from tratado.formats import loads_yaml

    return loads_yaml(UNCERTAIN, "uncertain.yaml")


def test_a_file_s_uncertainty_is_what_the_forecast_draws(uncertain: Any) -> None:
    result = Forecast(uncertain, samples=25, seed=9).run(jobs=0)
    document = result.to_dict()
    assert not document["exact"]
    assert [i["key"] for i in document["inputs"]] == list(uncertain.uncertainty.keys)
    drawn = uncertain.uncertainty.sample(np.random.default_rng(
        np.random.SeedSequence(9, spawn_key=(0,))), 25)
    assert np.array_equal(result.job.samples, drawn)
    assert {d["input"] for d in document["sensitivity"]} == set(uncertain.uncertainty.keys)


def test_dropping_the_only_stakeholder_is_forecasting_the_table_alone(uncertain: Any) -> None:
    with_off = Forecast(uncertain, samples=15, seed=2, what_ifs=["the-bank=off"]).run(jobs=0)
    alone = Forecast(uncertain, samples=15, seed=2, stakeholders=False).run(jobs=0)
    assert np.array_equal(with_off.outcomes[1], alone.outcomes[0])
    assert np.array_equal(with_off.gains[1], alone.gains[0])


def test_a_stakeholder_what_if_changes_the_agreements_it_names(uncertain: Any) -> None:
    same = "stakeholders.the-bank.effects.0.when.price=low|mid"
    result = Forecast(uncertain, samples=15, seed=2,
                      what_ifs=[same, "stakeholders.the-bank.effects.1.no_deal=-0.1",
                                "stakeholders.the-bank.effects.0.when.price=high"]).run(jobs=0)
    assert np.array_equal(result.outcomes[1], result.outcomes[0])  # as the file says
    assert np.array_equal(result.outcomes[2], result.outcomes[0])
    scenario = result.job.scenario(3)  # sample 0 under the third what-if
    base = result.job.scenario(0)
    rows = uncertain.agenda.all_outcomes()
    moved = scenario.utilities(rows)[:, 0] != base.utilities(rows)[:, 0]
    assert moved.any()


@pytest.mark.parametrize("text", [
    "stakeholders.nobody.effects.0.utility=0.1", "stakeholders.the-bank.effects.5.utility=0.1",
    "stakeholders.the-bank.effects.0.utility=2", "stakeholders.the-bank.effects.0.when.price=free",
    "stakeholders.the-bank.effects.0.when.colour=red", "the-bank=maybe",
    "parties.buyer.reservation=0.3; parties.buyer.reservation=0.4",
])
def test_stakeholder_what_if_mistakes_are_refused(uncertain: Any, text: str) -> None:
    with pytest.raises(TratadoError) as caught:
        Forecast(uncertain, samples=2, what_ifs=[text]).prepare()
    assert caught.value.field == "--what-if"


def test_a_pinned_weight_leaves_the_weights_summing_to_one(uncertain: Any) -> None:
    forecast = Forecast(uncertain, samples=30, seed=1,
                        what_ifs=["parties.buyer.weights.price=0.65"])
    job = forecast.prepare()
    assert job.sampler is not None
    for sample in range(30):
        row = job.variants[1].row(job.samples[sample])
        buyer = job.sampler.scenario_at(job.nominal, row).party("buyer").preferences
        assert buyer.weights[0] == 0.65
        assert float(np.sum(buyer.weights)) == pytest.approx(1.0)


def test_the_samples_table_agrees_with_the_summary(uncertain: Any) -> None:
    import csv
    import io

    from tratado.experiments.forecast_table import forecast_csv

    result = Forecast(uncertain, samples=12, seed=5, protocols=["alternating"],
                      what_ifs=["the-bank=off"]).run(jobs=0)
    text = forecast_csv(result)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 12 * 2
    assert [r["what_if"] for r in rows[:2]] == ["", "the-bank=off"]
    keys = list(uncertain.uncertainty.keys)
    assert [float(rows[0][k]) for k in keys] == result.job.samples[0].tolist()
    document = result.to_dict()
    base = [r for r in rows if not r["what_if"]]
    agreed = sum(int(r["alternating:agreement"]) for r in base) / 12
    assert agreed == document["protocols"]["alternating"]["agreement_probability"]
    share = sum(r["alternating:price"] == "mid" for r in base) / 12
    assert share == pytest.approx(document["protocols"]["alternating"]["items"]["price"]["mid"])
    again = Forecast(uncertain, samples=12, seed=5, protocols=["alternating"],
                     what_ifs=["the-bank=off"]).run(jobs=0)
    assert forecast_csv(again) == text
