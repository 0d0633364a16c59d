"""Batched session kernels give the engine's agreements, sample by sample.

The kernels of :mod:`tratado.experiments.kernels` replace the engine's sessions in a
forecast only where they reproduce them exactly; these tests hold them to it: on the
bundled Venezuela example over many samples and negotiator mixes, and on random
scenarios (agendas, preferences with ties, reservation values, deadlines) against
:class:`tratado.session.Session` itself. The kernel of each other protocol has its own
file (``test_kernel_*.py``)."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tratado
from tratado import Agenda, Issue, LinearAdditive, Party, Rules, Scenario
from tratado.experiments.forecast import Forecast
from tratado.experiments.kernels import Batch, first_at_least, kernel_for
from tratado.experiments.kernels.registry import strategy_of
from tratado.negotiators.acceptance import AcceptAbove
from tratado.negotiators.frequency import FrequencyNegotiator
from tratado.negotiators.registry import make
from tratado.protocols import protocol_class
from tratado.session import Session

MIXES = ["frequency", "boulware", "linear", "conceder", "time-based:e=0.7",
         "frequency:e=0.9:candidates=3", "frequency:candidates=1"]


@st.composite
def variants(draw: st.DrawFn, max_parties: int = 2) -> list[Scenario]:
    """1 to 4 scenarios on one small agenda, with different preferences: values on a
    coarse grid (many ties), random weights and reservation values."""
    shape = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4))
    n_parties = draw(st.integers(2, max_parties))
    deadline = draw(st.integers(1, 12))
    agenda = Agenda(tuple(Issue.integer(f"i{k}", 0, n - 1) for k, n in enumerate(shape)))
    count = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    found = []
    for _ in range(count):
        parties = []
        for j in range(n_parties):
            weights = rng.integers(1, 4, len(shape)).astype(float)
            values = [rng.integers(0, 3, n) / 2.0 for n in shape]
            reservation = float(rng.integers(0, 5)) / 5.0
            parties.append(Party(f"p{j}", LinearAdditive(
                weights / weights.sum(), [list(v) for v in values], reservation)))
        found.append(Scenario("kernel test", agenda, tuple(parties),
                              rules=Rules(deadline=deadline)))
    return found


def engine_outcomes(scenarios: list[Scenario], protocol_name: str, mix: list[str],
                    seeds: list[int]) -> list[tuple[int, ...] | None]:
    found = []
    for scenario, seed in zip(scenarios, seeds, strict=True):
        protocol = protocol_class(protocol_name).for_scenario(scenario)
        result = Session(scenario, protocol, [make(spec) for spec in mix], seed).run()
        found.append(None if result.outcome is None else tuple(result.outcome))
    return found


def kernel_outcomes(scenarios: list[Scenario], protocol_name: str, mix: list[str],
                    seeds: list[int]) -> list[tuple[int, ...] | None]:
    batch = Batch(scenarios, seeds)
    protocol = protocol_class(protocol_name).for_scenario(scenarios[0])
    negotiators = [make(spec) for spec in mix]
    kernel = kernel_for(protocol, negotiators)
    assert kernel is not None
    agreed = kernel(batch, protocol, negotiators)
    return [None if k < 0 else tuple(int(i) for i in batch.every[k]) for k in agreed]


@given(st.lists(st.integers(0, 4), min_size=1, max_size=30), st.lists(
    st.sampled_from([-1.0, 0.0, 0.25, 0.5, 0.5000000001, 1.0, 2.0]), min_size=1, max_size=5))
def test_first_at_least_is_searchsorted_left_per_row(raw: list[int], targets: list[float]) -> None:
    row = np.sort(np.array(raw, dtype=float) / 4.0)
    values = np.tile(row, (len(targets), 1))
    found = first_at_least(values, np.array(targets))
    assert found.tolist() == [int(np.searchsorted(row, t, "left")) for t in targets]
    rows = np.arange(len(targets))[::-1].copy()
    again = first_at_least(values, np.array(targets)[::-1], rows)
    assert again.tolist() == found[::-1].tolist()


def test_a_batch_lists_packages_in_enumeration_order_with_each_party_s_table_order() -> None:
    scenario = tratado.load("venezuela-2021")
    batch = Batch([scenario, scenario], [0, 1])
    every = batch.every
    assert every.shape == (scenario.agenda.size, len(scenario.agenda.shape))
    assert (every @ batch.radix).tolist() == list(range(len(every)))
    assert batch.place(tuple(every[123])) == 123
    for party in range(2):
        utilities = batch.utilities[party][0]
        direct = scenario.parties[party].preferences.utility(every)
        assert np.array_equal(utilities, direct)
        assert batch.best(party)[0] == direct.max() and batch.worst(party)[0] == direct.min()
        # the top of the order: the end of the full stable sort, down to the floor
        order, values = batch.sorted(party)
        full = np.argsort(utilities, kind="stable")
        level = batch.floor(party)[0] - 1e-9
        top = full[utilities[full] >= level]
        assert np.array_equal(order[0, order.shape[1] - len(top):], top)
        assert np.array_equal(values[0, values.shape[1] - len(top):], utilities[top])
        assert np.all(values[0, :values.shape[1] - len(top)] == -np.inf)
        assert batch.floor(party)[0] == min(max(scenario.parties[party].preferences
                                                .reservation_value, direct.min()), direct.max())


def test_only_the_built_in_negotiators_with_their_own_acceptance_have_a_strategy() -> None:
    assert strategy_of(make("frequency")).kind == "frequency"  # type: ignore[union-attr]
    assert strategy_of(make("boulware")).kind == "at-least"  # type: ignore[union-attr]
    assert strategy_of(FrequencyNegotiator(acceptance=AcceptAbove(0.5))) is None
    assert strategy_of(make("tit-for-tat")) is None

    class Mine(FrequencyNegotiator):
        pass

    assert strategy_of(Mine()) is None


def test_options_a_kernel_does_not_model_run_on_the_engine() -> None:
    scenario = tratado.load("venezuela-2021")
    frequency = [make("frequency"), make("frequency")]
    alternating = protocol_class("alternating")
    assert kernel_for(alternating.for_scenario(scenario), frequency) is not None
    assert kernel_for(alternating.for_scenario(scenario, agreement="item-by-item"),
                      frequency) is None
    assert kernel_for(alternating.for_scenario(scenario, deadline_seconds=5.0), frequency) is None
    assert kernel_for(alternating.for_scenario(scenario, discounting=True), frequency) is None
    assert kernel_for(alternating.for_scenario(scenario), [make("frequency"),
                                                           make("random")]) is None


@settings(max_examples=60, deadline=None)
@given(variants(), st.sampled_from(MIXES), st.sampled_from(MIXES))
def test_alternating_kernel_agrees_with_the_engine_on_random_scenarios(
        scenarios: list[Scenario], first: str, second: str) -> None:
    seeds = list(range(len(scenarios)))
    mix = [first, second]
    assert (kernel_outcomes(scenarios, "alternating", mix, seeds)
            == engine_outcomes(scenarios, "alternating", mix, seeds))


@settings(max_examples=60, deadline=None)
@given(variants(max_parties=4), st.lists(st.sampled_from(MIXES), min_size=4, max_size=4))
def test_alternating_kernel_agrees_with_the_engine_with_several_parties(
        scenarios: list[Scenario], specs: list[str]) -> None:
    seeds = list(range(len(scenarios)))
    mix = specs[:scenarios[0].n_parties]
    assert (kernel_outcomes(scenarios, "alternating", mix, seeds)
            == engine_outcomes(scenarios, "alternating", mix, seeds))


@pytest.mark.parametrize("mix", [None, [["boulware", "frequency"]],
                                 [["frequency:e=0.8:candidates=8", "conceder"]]])
def test_forecast_rows_with_kernels_are_the_engine_s_rows(mix: list[list[str]] | None) -> None:
    forecast = Forecast(tratado.load("venezuela-2021"), samples=60, seed=11,
                        protocols=["alternating"], negotiators=mix, rounds=20)
    job = forecast.prepare()
    assert job.rows(0, 60) == [job.row(k) for k in range(60)]


def test_a_what_if_runs_through_the_kernels_as_through_the_engine() -> None:
    forecast = Forecast(tratado.load("venezuela-2021"), samples=20, seed=2,
                        protocols=["alternating"], what_ifs=["united-states=off", "government=0.7"])
    job = forecast.prepare()
    assert len(job) == 60
    assert job.rows(0, 60) == [job.row(k) for k in range(60)]


def test_a_kernel_that_fails_leaves_its_sessions_to_the_engine(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from tratado.experiments.kernels import alternating

    def broken(*args: object) -> None:
        raise MemoryError("no room for the batch")

    forecast = Forecast(tratado.load("venezuela-2021"), samples=12, seed=4,
                        protocols=["alternating"])
    job = forecast.prepare()
    expected = [job.row(k) for k in range(12)]
    monkeypatch.setattr(alternating, "run", broken)
    assert job.rows(0, 12) == expected


@pytest.mark.parametrize("example", ["river-basin", "climate-5", "river-compact-10"])
def test_alternating_kernel_agrees_with_the_engine_on_the_many_party_examples(
        example: str) -> None:
    """Frequency negotiators with several opponents each sum their models in the order
    they first saw them propose; some parties accept instead of proposing, so that order
    differs between samples (here: between reservation values)."""
    from pathlib import Path

    if example == "river-basin":
        scenario = tratado.load(example)
    else:
        folder = Path(tratado.__file__).parent / "examples" / "many-parties"
        scenario = tratado.load(str(folder / f"{example}.yaml"))
    rng = np.random.default_rng(7)
    scenarios = [scenario.with_reservation_values(
        {p: float(rng.uniform(0.2, 0.6)) for p in scenario.party_ids}) for _ in range(6)]
    seeds = list(range(6))
    mix = ["frequency"] * scenario.n_parties
    for rounds in (3, 12):
        short = [dataclasses.replace(s, rules=dataclasses.replace(s.rules, deadline=rounds))
                 for s in scenarios]
        assert (kernel_outcomes(short, "alternating", mix, seeds)
                == engine_outcomes(short, "alternating", mix, seeds))


STUCK = '''
import time

from tratado.negotiators import Negotiator


class StuckWhenDemanding(Negotiator):
    """Hangs, swallowing every interruption, when its no-deal value is above LEVEL."""

    LEVEL = {level!r}

    def propose(self, t):
        while self.reservation_value > self.LEVEL:
            try:
                time.sleep(0.05)
            except BaseException:
                pass
        return self.best_outcome
'''


@pytest.mark.slow
def test_a_stuck_engine_session_fails_its_sample_only_while_kernels_run_the_rest(
        plugs: Any) -> None:
    """A chunk runs its kernels for all its samples and the plug-in's sessions on the
    engine one by one; the watchdog of the local backend must know which sample it is at,
    so that killing a stuck worker fails that sample alone."""
    from .forecast_samplers import Reservations

    job_offer = tratado.load("job-offer")
    sampler = Reservations((("candidate", 0.45, 0.0, 1.0),))
    probe = Forecast(job_offer, samples=8, seed=1, sampler=sampler).prepare()
    values = np.sort(probe.samples[:, 0])
    level = float((values[-1] + values[-2]) / 2)  # only the largest sample is stuck
    (plugs / "stuck.py").write_text(STUCK.format(level=level), encoding="utf-8")
    mixes = [["frequency", "frequency"], ["stuck:StuckWhenDemanding", "frequency"]]
    forecast = Forecast(job_offer, samples=8, seed=1, sampler=sampler,
                        protocols=["alternating"], negotiators=mixes, timeout=0.5)
    result = forecast.run(jobs=1)
    stuck = result.job.samples[:, 0] > level
    assert int(stuck.sum()) == 1
    # the killed worker's sample fails as a whole (both mixes), and no other
    assert result.failed[0, 1].tolist() == stuck.tolist()
    assert result.failed[0, 0].tolist() == stuck.tolist()
    calm = Forecast(job_offer, samples=8, seed=1, sampler=sampler,
                    protocols=["alternating"], negotiators=mixes[:1]).run(jobs=0)
    assert (result.outcomes[0, 0][~stuck] == calm.outcomes[0, 0][~stuck]).all()
