"""Many parties and huge spaces: an exact answer or a refusal up front, quickly (issue 7 §4).

Every shape the issue reports is built here synthetically (seeded); each test asserts a
refusal with an estimate and the way to allow more, or an answer equal to brute force.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import tratado
from tratado import Agenda, Constraints, Issue, LinearAdditive, Party, Rule, Scenario
from tratado.analysis import analyze, dominance
from tratado.analysis.budget import AnalysisTooCostly, WorkBudget, expected_frontier
from tratado.analysis.space import pareto_frontier
from tratado.analysis.ties import snap
from tratado.cli import cli
from tratado.limits import override


def linear(k: int, shape: list[int], seed: int) -> Scenario:
    rng = np.random.default_rng(seed)
    agenda = Agenda(tuple(Issue.categorical(f"i{j}", [f"o{o}" for o in range(n)])
                          for j, n in enumerate(shape)))
    parties = tuple(Party(f"p{p}", LinearAdditive.normalized(
        rng.random(len(shape)) + 0.05, [rng.random(n) for n in shape], 0.1)) for p in range(k))
    return Scenario(f"{k} parties", agenda, parties)


def with_rules(k: int, shape: list[int], rules: int, seed: int) -> Scenario:
    rng = np.random.default_rng(seed)
    agenda = Agenda(tuple(Issue.categorical(f"i{j}", [f"o{o}" for o in range(n)])
                          for j, n in enumerate(shape)))
    bonus = 0.5 / rules
    parties = tuple(Party(f"p{p}", Constraints(
        tuple(Rule({0: rng.random(shape[0]) < 0.5}, bonus) for _ in range(rules)), None, 0.0, 0.1))
        for p in range(k))
    return Scenario("rules", agenda, parties)


def brute_frontier_rows(scenario: Scenario) -> set[tuple[float, ...]]:
    u = snap(scenario.utilities(scenario.agenda.outcomes()))
    ge = np.all(u[None, :, :] >= u[:, None, :], axis=2)
    gt = np.any(u[None, :, :] > u[:, None, :], axis=2)
    return {tuple(row) for row in u[~np.any(ge & gt, axis=1)].tolist()}


@pytest.mark.parametrize(("k", "shape"), [(10, [10] * 6), (30, [10] * 6), (10, [10] * 9)])
def test_hopeless_linear_shapes_are_refused_up_front(k: int, shape: list[int]) -> None:
    """10 or 30 parties x 10^6, 10 parties x 10^9: refused before any work, with the
    estimate and the limit to raise."""
    with pytest.raises(AnalysisTooCostly) as caught:
        pareto_frontier(linear(k, shape, seed=k))
    text = str(caught.value)
    assert f"x {k} parties" in text and "TRATADO_LIMIT_ANALYSIS_WORK" in text


def test_many_rules_are_refused_up_front() -> None:
    """Non-linear, 10^6 packages, 5,000 rules per party: the evaluation alone is too much."""
    scenario = with_rules(2, [10] * 6, 5000, seed=1)
    with pytest.raises(AnalysisTooCostly, match="party comparisons"):
        analyze(scenario)


def test_non_linear_with_ten_parties_is_refused_up_front() -> None:
    with pytest.raises(AnalysisTooCostly):
        analyze(with_rules(10, [10] * 6, 3, seed=2))


def test_thirty_parties_are_computed_exactly_when_small() -> None:
    """30 parties (the old code built a 2^30-cell grid): exact, against brute force."""
    scenario = linear(30, [4, 4, 5], seed=3)
    f = pareto_frontier(scenario)
    assert {tuple(row) for row in snap(f.utilities).tolist()} == brute_frontier_rows(scenario)


def test_seventy_parties_no_longer_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    """70 profiles crashed the grid prefilter (numpy arrays have at most 64 axes)."""
    monkeypatch.setattr(dominance, "_GRID_MIN", 0)  # run the prefilter on a small space
    scenario = linear(70, [2, 3, 2, 2, 2, 2], seed=4)
    a = analyze(scenario)
    assert {tuple(row) for row in snap(a.frontier.utilities).tolist()} == \
        brute_frontier_rows(scenario)
    assert a.n_rational is not None


def test_the_budget_stops_work_that_the_estimate_missed() -> None:
    """Near constant-sum utilities put nearly every row on the frontier."""
    rng = np.random.default_rng(5)
    u = rng.dirichlet(np.ones(5), size=3000)
    with pytest.raises(AnalysisTooCostly, match="stopped before finishing"):
        dominance.keep_mask(u, 0.0, WorkBudget(10**6))
    assert dominance.keep_mask(u, 0.0, WorkBudget(10**12)).sum() > 1000


def test_the_limit_can_be_raised() -> None:
    scenario = linear(8, [6, 6, 6], seed=6)
    with override(analysis_work=1000), pytest.raises(AnalysisTooCostly):
        pareto_frontier(scenario)
    with override(analysis_work=10**10):
        assert len(pareto_frontier(scenario)) > 0


def test_expected_frontier_model() -> None:
    assert expected_frontier(1, 10**6) == 1.0
    assert expected_frontier(2, 10) == pytest.approx(sum(1 / i for i in range(1, 11)))
    assert expected_frontier(40, 1000) == pytest.approx(1000, rel=0.01)  # nearly all
    assert expected_frontier(3, 10**9) > expected_frontier(3, 10**6)


def test_cli_refuses_with_one_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "ten.yaml"
    tratado.save(linear(10, [10] * 6, seed=7), path)
    result = CliRunner().invoke(cli, ["analyze", str(path), "--json"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "TRATADO_LIMIT_ANALYSIS_WORK" in result.output




def test_callers_can_check_before_other_long_work() -> None:
    from tratado.analysis.space import check_frontier_work

    assert check_frontier_work(linear(3, [10] * 6, seed=8)).work > 0
    with pytest.raises(AnalysisTooCostly, match="would take too long"):
        check_frontier_work(linear(10, [10] * 6, seed=8))
