"""The five- and ten-party example scenarios (examples/many-parties/): analysed exactly and
simulated under all three protocols."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import tratado
from tratado.analysis import analyze
from tratado.analysis.ties import snap
from tratado.cli import cli

FOLDER = Path(tratado.__file__).parent / "examples" / "many-parties"
CASES = {"climate-5.yaml": (5, 20_736, 3_604), "river-compact-10.yaml": (10, 14_580, 4_075)}


def dominated_by_any(points: np.ndarray, space: np.ndarray) -> np.ndarray:
    """For each point: does some package strictly dominate it (on the utility grid)?"""
    hit = np.zeros(len(points), dtype=bool)
    for lo in range(0, len(points), 256):
        x = points[lo:lo + 256, None, :]
        ge = np.all(space[None, :, :] >= x, axis=2)
        gt = np.any(space[None, :, :] > x, axis=2)
        hit[lo:lo + 256] = np.any(ge & gt, axis=1)
    return hit


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_frontier_on_a_sample(name: str) -> None:
    """Sampled frontier points are undominated by every package, each witness has its
    point's utilities, and sampled undominated packages are on the frontier (the slow
    test checks every package)."""
    parties, size, points = CASES[name]
    scenario = tratado.load(FOLDER / name)
    a = analyze(scenario)
    assert (scenario.n_parties, a.n_outcomes, len(a.frontier)) == (parties, size, points)
    space = snap(scenario.utilities(scenario.agenda.outcomes()))
    front = snap(a.frontier.utilities)
    np.testing.assert_array_equal(snap(scenario.utilities(a.frontier.outcomes)), front)
    rng = np.random.default_rng(0)
    assert not dominated_by_any(front[rng.choice(len(front), 60, replace=False)], space).any()
    sample = space[rng.choice(len(space), 60, replace=False)]
    on = {tuple(r) for r in front.tolist()}
    undominated = sample[~dominated_by_any(sample, space)]
    assert {tuple(r) for r in undominated.tolist()} <= on
    assert a.nash is not None and a.egalitarian is not None


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_the_frontier_is_exact(name: str) -> None:
    """Brute force over every pair of packages: the undominated ones are the frontier."""
    scenario = tratado.load(FOLDER / name)
    space = snap(scenario.utilities(scenario.agenda.outcomes()))
    undominated = {tuple(r) for r in space[~dominated_by_any(space, space)].tolist()}
    assert undominated == {tuple(r) for r in snap(analyze(scenario).frontier.utilities).tolist()}


@pytest.mark.parametrize(("name", "protocol"), [
    ("climate-5.yaml", "alternating"), ("climate-5.yaml", "single-text"),
    ("climate-5.yaml", "mediated"), ("river-compact-10.yaml", "alternating"),
    pytest.param("river-compact-10.yaml", "single-text", marks=pytest.mark.slow),
    pytest.param("river-compact-10.yaml", "mediated", marks=pytest.mark.slow)])
def test_simulated_under_every_protocol(name: str, protocol: str) -> None:
    result = CliRunner().invoke(cli, ["simulate", str(FOLDER / name), "--protocol", protocol,
                                      "--json"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
