"""The single-text kernel gives the engine's agreement in every sample: on the bundled
examples (a forecast of the Venezuela example, the others over many session seeds) and
on small random scenarios with ties, any number of parties and the options it models
(either rule and search, patience, a start); the options it does not model run on the
engine."""

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
from tratado.experiments.kernels import single_text as kernel
from tratado.negotiators.base import Negotiator
from tratado.negotiators.mediators import SingleTextMediator
from tratado.negotiators.registry import make
from tratado.protocols.single_text import SingleText
from tratado.session import Session

EXAMPLES = Path(tratado.__file__).parent / "examples"

#: ``(name, parameters)`` of the negotiators the kernel runs.
SPECS: list[tuple[str, dict[str, Any]]] = [
    ("frequency", {}), ("frequency", {"e": 0.8, "candidates": 8}), ("boulware", {}),
    ("linear", {}), ("conceder", {}), ("time-based", {"e": 2.5}),
]


def _negotiators(specs: list[tuple[str, dict[str, Any]]]) -> list[Negotiator]:
    return [make(name, **params) for name, params in specs]


def _engine(scenario: Scenario, options: dict[str, Any],
            specs: list[tuple[str, dict[str, Any]]], seed: int) -> list[int] | None:
    protocol = SingleText.for_scenario(scenario, **options)
    outcome = Session(scenario, protocol, _negotiators(specs), seed).run().outcome
    return None if outcome is None else [int(i) for i in outcome]


def _kernel(scenarios: list[Scenario], seeds: list[int], options: dict[str, Any],
            specs: list[tuple[str, dict[str, Any]]]) -> list[list[int] | None]:
    batch = Batch(scenarios, seeds)
    protocol = SingleText.for_scenario(scenarios[0], **options)
    negotiators = _negotiators(specs)
    run = kernel_for(protocol, negotiators)
    assert run is kernel.run
    agreed = run(batch, protocol, negotiators)
    return [None if k < 0 else [int(i) for i in batch.every[k]] for k in agreed]


def _same(scenarios: list[Scenario], seeds: list[int], options: dict[str, Any],
          specs: list[tuple[str, dict[str, Any]]]) -> None:
    found = _kernel(scenarios, seeds, options, specs)
    for k, (scenario, seed) in enumerate(zip(scenarios, seeds, strict=True)):
        assert found[k] == _engine(scenario, options, specs, seed), (k, seed)


# -- the Venezuela forecast: kernel rows are the engine's rows -------------------------

@pytest.mark.parametrize(("mix", "rounds", "seed"), [
    (None, None, 5),
    ([["boulware", "conceder"]], None, 11),
    ([["frequency", "linear"]], 5, 3),
    ([["frequency:e=0.8:candidates=8", "frequency"]], 60, 7),
])
def test_venezuela_forecast_rows_are_the_engines(mix: Any, rounds: int | None,
                                                 seed: int) -> None:
    samples = 40
    job = Forecast(tratado.load("venezuela-2021"), samples=samples, seed=seed,
                   protocols=["single-text"], negotiators=mix, rounds=rounds).prepare()
    assert job.rows(0, samples) == [job.row(i) for i in range(samples)]


# -- the bundled examples over many session seeds --------------------------------------

@pytest.mark.parametrize("path", [
    "job-offer.yaml", "river-basin.yaml", "venezuela-2021.yaml",
    "many-parties/climate-5.yaml", "many-parties/river-compact-10.yaml",
])
def test_bundled_examples_over_many_seeds(path: str) -> None:
    scenario = tratado.load(EXAMPLES / path)
    n = scenario.n_parties
    seeds = [int(s) for s in np.random.default_rng(len(path)).integers(0, 2**62, 6)]
    mixes = [[SPECS[0]] * n, [SPECS[(k % 5) + 1] for k in range(n)]]
    for specs in mixes:
        for options in ({}, {"deadline": 9}, {"rule": "majority", "patience": 6},
                        {"search": "annealing", "temperature": 0.7}):
            _same([scenario] * len(seeds), seeds, options, specs)


# -- random small scenarios, with ties -------------------------------------------------

VALUES = st.sampled_from([0.0, 0.25, 0.5, 0.5, 1.0])


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[Scenario], list[int], dict[str, Any],
                                    list[tuple[str, dict[str, Any]]]]:
    """Samples of one random agenda (2-4 issues, 1-4 options, at least one issue with a
    choice), 2-4 parties with tied values and weights, random no-deal values, seeds,
    negotiators and protocol options."""
    sizes = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    if max(sizes) == 1:
        sizes[0] = 2
    agenda = Agenda(tuple(Issue.integer(f"i{k}", 0, n - 1) for k, n in enumerate(sizes)))
    n_parties = draw(st.integers(2, 4))
    deadline = draw(st.integers(1, 40))

    def party(j: int) -> Party:
        weights = draw(st.lists(st.sampled_from([1.0, 1.0, 2.0, 3.0]), min_size=len(sizes),
                                max_size=len(sizes)))
        values = [draw(st.lists(VALUES, min_size=n, max_size=n)) for n in sizes]
        reservation = draw(st.sampled_from([0.0, 0.25, 0.5]) | st.floats(0.0, 0.9))
        return Party(f"p{j}", LinearAdditive.normalized(weights, values, reservation))

    count = draw(st.integers(1, 4))
    scenarios = [Scenario("random", agenda, tuple(party(j) for j in range(n_parties)),
                          rules=Rules(deadline=deadline)) for _ in range(count)]
    seeds = draw(st.lists(st.integers(0, 2**63 - 1), min_size=count, max_size=count))
    options: dict[str, Any] = {}
    if draw(st.booleans()):
        options["rule"] = draw(st.sampled_from(["unanimity", "majority"]))
    if draw(st.booleans()):
        options["patience"] = draw(st.integers(1, 12))
    if draw(st.booleans()):
        options["search"] = "annealing"
        options["temperature"] = draw(st.sampled_from([1.0, 0.3, 4.0, 0.0]))
    if draw(st.booleans()):
        options["start"] = [draw(st.integers(0, n - 1)) for n in sizes]
    specs = [draw(st.sampled_from(SPECS)) for _ in range(n_parties)]
    return scenarios, seeds, options, specs


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_random_scenarios_agree_with_the_engine(
    case: tuple[list[Scenario], list[int], dict[str, Any], list[tuple[str, dict[str, Any]]]],
) -> None:
    _same(*case)


def test_repeated_passes_and_closing_are_the_engines() -> None:
    """Long searches over few changes: many passes, re-ordered by the votes, closed when
    a pass repeats the one before (conceders move the votes between passes)."""
    rng = np.random.default_rng(3)
    agenda = Agenda((Issue.integer("a", 0, 2), Issue.integer("b", 0, 1)))
    scenarios = []
    for _ in range(30):
        parties = tuple(Party(f"p{j}", LinearAdditive.normalized(
            rng.integers(1, 3, 2).astype(float),
            [rng.choice([0.0, 0.5, 1.0], 3), rng.choice([0.0, 1.0], 2)],
            float(rng.choice([0.0, 0.3])))) for j in range(3))
        scenarios.append(Scenario("passes", agenda, parties, rules=Rules(deadline=50)))
    seeds = [int(s) for s in rng.integers(0, 2**62, len(scenarios))]
    for specs in ([("conceder", {})] * 3, [("boulware", {}), ("linear", {}), ("frequency", {})]):
        for options in ({}, {"search": "annealing", "temperature": 2.0}):
            _same(scenarios, seeds, options, specs)


# -- what the kernel leaves to the engine -----------------------------------------------

@pytest.mark.parametrize("options", [
    {"max_changes": 2}, {"search": "annealing", "max_changes": 3},
    {"deadline_seconds": 60.0},
])
def test_options_it_does_not_model_run_on_the_engine(options: dict[str, Any]) -> None:
    scenario = tratado.load("job-offer")
    protocol = SingleText.for_scenario(scenario, **options)
    assert kernel_for(protocol, _negotiators([SPECS[0], SPECS[2]])) is None


def test_other_negotiators_and_mediators_run_on_the_engine() -> None:
    scenario = tratado.load("job-offer")
    protocol = SingleText.for_scenario(scenario)
    assert kernel_for(protocol, [make("frequency"), make("hardliner")]) is None
    assert kernel_for(protocol, _negotiators([SPECS[0]] * 2),
                      SingleTextMediator(opening="random")) is None


def test_an_agenda_without_a_choice_runs_on_the_engine() -> None:
    agenda = Agenda((Issue.integer("a", 0, 0),))
    parties = tuple(Party(f"p{j}", LinearAdditive.normalized([1.0], [[1.0]])) for j in range(2))
    scenario = Scenario("fixed", agenda, parties)
    protocol = SingleText.for_scenario(scenario)
    assert kernel_for(protocol, _negotiators([SPECS[0]] * 2)) is None
