"""The batched kernel of the mediated protocol (the neutral and the parties' answers)
gives, sample by sample, the package the engine's session gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tratado
from tratado import Agenda, Issue, LinearAdditive, Party, Rules, Scenario
from tratado.experiments.forecast import Forecast
from tratado.experiments.kernels import Batch, kernel_for
from tratado.experiments.kernels import mediated as kernel
from tratado.experiments.specs import build
from tratado.formats import bundled_examples
from tratado.negotiators.mediators import Neutral
from tratado.protocols.mediated import Mediated
from tratado.session import Session

EXAMPLES = bundled_examples()
MANY = Path(tratado.__file__).parent / "examples" / "many-parties"
SPECS = ["frequency", "boulware", "linear", "conceder", "frequency:e=0.8:candidates=8",
         "boulware:e=0.5"]


def engine(batch: Batch, protocol: Mediated, mix: list[str]) -> list[tuple[int, ...] | None]:
    """Each sample's agreement from a session of the engine."""
    found = []
    for scenario, seed in zip(batch.scenarios, batch.seeds, strict=True):
        negotiators = [build(spec) for spec in mix]
        found.append(Session(scenario, protocol, negotiators, seed).run().outcome)
    return found


def check(batch: Batch, protocol: Mediated, mix: list[str]) -> None:
    negotiators = [build(spec) for spec in mix]
    run = kernel_for(protocol, negotiators)
    assert run is kernel.run
    agreed = run(batch, protocol, negotiators)
    found = [None if k < 0 else tuple(int(i) for i in batch.every[k]) for k in agreed]
    assert found == engine(batch, protocol, mix)


def variants(scenario: Scenario, count: int, seed: int) -> list[Scenario]:
    """``scenario`` with random reservation values (some at zero, some high)."""
    rng = np.random.default_rng(seed)
    found = []
    for _ in range(count):
        values = np.where(rng.random(scenario.n_parties) < 0.2, 0.0,
                          rng.choice([0.3, 0.5, 0.6, 0.75, 0.9], scenario.n_parties))
        found.append(scenario.with_reservation_values(
            {p: float(v) for p, v in zip(scenario.party_ids, values, strict=True)}))
    return found


def test_kernel_for_the_default_neutral_only() -> None:
    scenario = tratado.load(EXAMPLES["job-offer"])
    mix = [build("frequency"), build("boulware")]
    assert kernel_for(Mediated.for_scenario(scenario), mix) is kernel.run
    assert kernel_for(Mediated.for_scenario(scenario, rule="nash", post_settlement=False),
                      mix) is kernel.run
    assert kernel_for(Mediated.for_scenario(scenario), mix, Neutral()) is None
    assert kernel_for(Mediated.for_scenario(scenario, agreement="item-by-item"), mix) is None
    assert kernel_for(Mediated.for_scenario(scenario, deadline_seconds=5.0), mix) is None
    assert kernel_for(Mediated.for_scenario(scenario), [build("hardliner"), mix[0]]) is None


@pytest.mark.parametrize(("seed", "mixes", "rounds"), [
    (5, None, None),
    (7, [["boulware", "conceder"], ["frequency", "linear"]], None),
    (11, [["frequency:e=0.8:candidates=8", "frequency"]], 5),
    (12, [["conceder", "frequency"], ["linear", "boulware"]], 60),
])
def test_venezuela_forecast_rows(seed: int, mixes: Any, rounds: int | None) -> None:
    """The forecast's rows with the kernel are the engine's, unit by unit."""
    job = Forecast(tratado.load("venezuela-2021"), samples=60, seed=seed,
                   protocols=["mediated"], negotiators=mixes, rounds=rounds).prepare()
    assert job.rows(0, 60) == [job.row(i) for i in range(60)]


@pytest.mark.parametrize("rule", ["egalitarian", "nash"])
@pytest.mark.parametrize("post", [True, False])
@pytest.mark.parametrize(("example", "mix"), [
    ("job-offer", ["boulware", "frequency"]),
    ("river-basin", ["conceder", "frequency", "linear"]),
    ("venezuela-2021", ["frequency", "boulware:e=0.5"]),
])
def test_bundled_examples(example: str, mix: list[str], rule: str, post: bool) -> None:
    scenario = tratado.load(EXAMPLES[example])
    samples = variants(scenario, 12, seed=len(example) + 2 * post)
    batch = Batch(samples, [3 * k + 1 for k in range(len(samples))])
    check(batch, Mediated.for_scenario(scenario, rule=rule, post_settlement=post), mix)


@pytest.mark.parametrize("rule", ["egalitarian", "nash"])
def test_many_parties(rule: str) -> None:
    scenario = tratado.load(MANY / "climate-5.yaml")
    samples = variants(scenario, 4, seed=9)
    batch = Batch(samples, [1, 2, 3, 4])
    mix = ["boulware", "conceder", "linear", "frequency", "frequency:e=0.8:candidates=8"]
    check(batch, Mediated.for_scenario(scenario, rule=rule, deadline=15), mix)


# -- random small scenarios, with ties ------------------------------------------------
@st.composite
def batches(draw: st.DrawFn) -> tuple[Batch, Mediated, list[str]]:
    """A few samples of a random agenda of 2-4 issues: linear-additive preferences whose
    values and weights come from a coarse grid (many ties), random reservation values."""
    sizes = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    n = draw(st.integers(2, 3))
    agenda = Agenda(tuple(Issue.integer(f"i{k}", 0, m - 1) for k, m in enumerate(sizes)))
    grid = st.sampled_from([0.0, 0.25, 0.5, 0.5, 1.0])
    reservations = st.sampled_from([0.0, 0.0, 0.2, 0.25, 0.5, 0.6, 0.75])
    deadline = draw(st.integers(1, 12))
    samples = []
    for _ in range(draw(st.integers(1, 4))):
        parties = []
        for j in range(n):
            weights = [draw(st.sampled_from([1.0, 1.0, 2.0, 3.0])) for _ in sizes]
            values = [np.array([draw(grid) for _ in range(m)]) for m in sizes]
            preferences = LinearAdditive.normalized(weights, values, draw(reservations))
            parties.append(Party(f"p{j}", preferences))
        samples.append(Scenario("random", agenda, tuple(parties),
                                rules=Rules(deadline=deadline)))
    seeds = [draw(st.integers(0, 2**32)) for _ in samples]
    protocol = Mediated.for_scenario(samples[0], rule=draw(st.sampled_from(["egalitarian", "nash"])),
                                     post_settlement=draw(st.booleans()))
    mix = [draw(st.sampled_from(SPECS)) for _ in range(n)]
    return Batch(samples, seeds), protocol, mix


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches())
def test_random_scenarios(case: tuple[Batch, Mediated, list[str]]) -> None:
    batch, protocol, mix = case
    check(batch, protocol, mix)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches())
def test_improvements_of_any_package(case: tuple[Batch, Mediated, list[str]]) -> None:
    """Post-settlement: for every package as the settlement (not only the frontier's,
    which nothing improves on), the kernel's improvement is the neutral's."""
    batch, protocol, mix = case
    found = kernel.frontiers(batch, protocol.rule)
    everything = np.arange(len(batch.every))
    for s, (scenario, seed) in enumerate(zip(batch.scenarios, batch.seeds, strict=True)):
        session = Session(scenario, protocol, [build(spec) for spec in mix], seed)
        session.run()
        neutral = session.mediator
        assert isinstance(neutral, Neutral)
        rows = np.full(len(everything), s)
        base = np.stack([u[s, everything] for u in batch.utilities], axis=1)
        offered = kernel.improve(found, rows, base)
        for k, place in zip(everything, offered, strict=True):
            settlement = tuple(int(i) for i in batch.every[k])
            expected = neutral.improvement(settlement)
            got = settlement if place < 0 else tuple(
                int(i) for i in batch.every[found.whole_places[s, place]])
            assert got == expected
