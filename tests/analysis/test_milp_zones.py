"""Three or more parties without enumeration (search zones): the same frontier as
enumeration wherever enumeration is possible, and a clear stop past the solve limit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import tratado
from tratado.agenda import Agenda, Issue
from tratado.analysis import analyze
from tratado.analysis.frontier import FrontierBuilder
from tratado.analysis.milp import milp_frontier
from tratado.analysis.milp_zones import TooManySolves, _cut
from tratado.analysis.ties import snap
from tratado.cli import cli
from tratado.limits import override
from tratado.parties import Party
from tratado.preferences import Constraints, LinearAdditive, Rule
from tratado.scenario import Scenario

pytest.importorskip("scipy.optimize")


def enumerated(scenario: Scenario) -> np.ndarray:
    builder = FrontierBuilder(scenario.n_parties, len(scenario.agenda))
    rows = scenario.agenda.all_outcomes()
    builder.add(scenario.utilities(rows), rows)
    return builder.result().utilities


@st.composite
def many_party_rectangles(draw: st.DrawFn) -> Scenario:
    """3-5 parties with integer hyper-rectangle bonuses and penalties (GENIUS-like), some
    on a linear-additive base, some near constant-sum (the same rules, opposite signs)."""
    k = draw(st.integers(3, 5))
    shape = draw(st.lists(st.integers(2, 4), min_size=1, max_size=3))
    agenda = Agenda(tuple(Issue.integer(f"i{j}", 0, n - 1) for j, n in enumerate(shape)))
    parties = []
    for p in range(k):
        rules = []
        for _ in range(draw(st.integers(0, 4))):
            position = draw(st.integers(0, len(shape) - 1))
            bits = draw(st.lists(st.booleans(), min_size=shape[position], max_size=shape[position]))
            rules.append(({position: np.array(bits)}, draw(st.integers(-30, 60).filter(bool))))
        low = sum(b for _, b in rules if b < 0)
        high = sum(b for _, b in rules if b > 0)
        base, base_weight = None, 0.0
        if draw(st.booleans()):
            values = [np.array([draw(st.integers(0, 4)) / 4 for _ in range(n)]) for n in shape]
            base, base_weight = LinearAdditive.normalized([1.0] * len(shape), values), 0.5
        span = (high - low) / (1 - base_weight) if high > low else 1.0
        parties.append(Party(f"p{p}", Constraints(tuple(Rule(a, b / span) for a, b in rules),
                                                  base, base_weight, offset=-low / span)))
    return Scenario("many rectangles", agenda, tuple(parties))


@settings(max_examples=20, deadline=None)
@given(many_party_rectangles())
def test_zones_equal_enumeration(scenario: Scenario) -> None:
    found = milp_frontier(scenario)
    assert found.exact
    assert np.array_equal(snap(found.frontier.utilities), snap(enumerated(scenario)))
    attained = scenario.utilities(np.asarray(found.frontier.outcomes))
    assert np.array_equal(snap(attained), snap(found.frontier.utilities))


def river(k: int, issues: int, seed: int) -> Scenario:
    """``k`` parties over ``issues`` integer issues of 10 values, hyper-rectangle rules."""
    rng = np.random.default_rng(seed)
    agenda = Agenda(tuple(Issue.integer(f"i{j}", 0, 9) for j in range(issues)))
    parties = []
    for p in range(k):
        rules = []
        for _ in range(2 * issues):
            allowed = {}
            for position in rng.choice(issues, size=2, replace=False):
                low = int(rng.integers(0, 10))
                allowed[int(position)] = (np.arange(10) >= low) & (np.arange(10) <= low + 3)
            rules.append((allowed, int(rng.integers(1, 60))))
        high = sum(b for _, b in rules)
        parties.append(Party(f"p{p}", Constraints(tuple(Rule(a, b / high) for a, b in rules))))
    return Scenario(f"{k} parties", agenda, tuple(parties))


def test_analyze_takes_the_zone_path_beyond_enumeration() -> None:
    scenario = river(3, 4, seed=1)
    listed = analyze(scenario)
    walked = analyze(scenario, max_outcomes=1000)  # 10^4 packages: enumeration refused
    assert np.array_equal(snap(walked.frontier.utilities), snap(listed.frontier.utilities))
    for name, package in listed.solutions.items():
        other = walked.solutions[name]
        assert package is not None and other is not None
        assert snap(np.array(other.utilities)).tolist() == snap(np.array(package.utilities)).tolist()


def test_the_solve_limit_stops_with_a_message(tmp_path: Path) -> None:
    scenario = river(4, 5, seed=2)
    with override(milp_solves=5), pytest.raises(TooManySolves, match="milp_solves"):
        milp_frontier(scenario)
    path = tmp_path / "four.yaml"
    tratado.save(scenario, path)
    with override(milp_solves=5):
        result = CliRunner().invoke(cli, ["analyze", str(path), "--max-outcomes", "1000"])
    assert result.exit_code == 2
    assert "TRATADO_LIMIT_MILP_SOLVES" in result.output and "Traceback" not in result.output


def test_cutting_a_zone() -> None:
    """The cone below a point is cut out of the zones below it; redundant zones go."""
    inf = -np.inf
    zones = _cut([np.array([inf, inf, inf])], np.array([2.0, 3.0, 1.0]))
    assert sorted(z.tolist() for z in zones) == [
        [inf, inf, 1.0], [inf, 3.0, inf], [2.0, inf, inf]]
    zones = _cut(zones, np.array([5.0, 0.0, 0.0]))  # only the zone above x0 >= 2 contains it
    assert sorted(z.tolist() for z in zones) == [
        [inf, inf, 1.0], [inf, 3.0, inf], [2.0, inf, 0.0], [2.0, 0.0, inf], [5.0, inf, inf]]
