"""The mixed-integer frontier equals the enumerated one wherever enumeration is possible."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tratado.agenda import Agenda, Issue
from tratado.analysis import analyze
from tratado.analysis.frontier import FrontierBuilder
from tratado.analysis.milp import MilpUnavailable, milp_frontier
from tratado.analysis.ties import snap
from tratado.formats.genius_xml import load_genius
from tratado.parties import Party
from tratado.preferences import Constraints, LinearAdditive, Rule
from tratado.scenario import Scenario

pytest.importorskip("scipy.optimize")

DATA = Path(__file__).parent.parent / "data" / "genius" / "nonlinear"


def _enumerated(scenario: Scenario) -> np.ndarray:
    builder = FrontierBuilder(scenario.n_parties, len(scenario.agenda))
    rows = scenario.agenda.all_outcomes()
    builder.add(scenario.utilities(rows), rows)
    return builder.result().utilities


@st.composite
def rectangle_scenarios(draw: st.DrawFn) -> Scenario:
    """Two parties with hyper-rectangle bonuses and penalties (integer, as in GENIUS files),
    sometimes on top of a linear-additive base."""
    shape = draw(st.lists(st.integers(2, 4), min_size=1, max_size=4))
    agenda = Agenda(tuple(Issue.integer(f"i{k}", 0, n - 1) for k, n in enumerate(shape)))
    parties = []
    for p in range(2):
        rules = []
        for _ in range(draw(st.integers(0, 5))):
            allowed = {}
            for position in draw(st.sets(st.integers(0, len(shape) - 1), max_size=3)):
                bits = draw(st.lists(st.booleans(), min_size=shape[position],
                                     max_size=shape[position]))
                allowed[position] = np.array(bits)
            rules.append((allowed, draw(st.integers(-40, 90).filter(bool))))
        low = sum(b for _, b in rules if b < 0)
        high = sum(b for _, b in rules if b > 0)
        base = None
        base_weight = 0.0
        if draw(st.booleans()):
            weights = [draw(st.integers(0, 4)) for _ in shape]
            if sum(weights):
                values = [np.array([draw(st.integers(0, 4)) / 4 for _ in range(n)]) for n in shape]
                base = LinearAdditive.normalized(weights, values)
                base_weight = 0.5
        span = (high - low) / (1 - base_weight) if high > low else 1.0
        prefs = Constraints(tuple(Rule(a, b / span) for a, b in rules), base, base_weight,
                            offset=-low / span)
        parties.append(Party(f"p{p}", prefs))
    return Scenario("random rectangles", agenda, tuple(parties))


@settings(max_examples=25, deadline=None)
@given(rectangle_scenarios())
def test_milp_frontier_equals_the_enumerated_frontier(scenario: Scenario) -> None:
    found = milp_frontier(scenario)
    assert found.exact
    assert np.array_equal(snap(found.frontier.utilities), snap(_enumerated(scenario)))
    # every point's witness package attains it
    attained = scenario.utilities(np.asarray(found.frontier.outcomes))
    assert np.array_equal(snap(attained), snap(found.frontier.utilities))


@settings(max_examples=10, deadline=None)
@given(rectangle_scenarios())
def test_the_two_solve_walk_gives_the_same_frontier(scenario: Scenario) -> None:
    """Large integer utilities are walked with two solves per point instead of one."""
    from tratado.analysis import milp

    one = milp_frontier(scenario)
    saved = milp._COMBINED_UP_TO
    milp._COMBINED_UP_TO = 0.0
    try:
        two = milp_frontier(scenario)
    finally:
        milp._COMBINED_UP_TO = saved
    assert np.array_equal(snap(two.frontier.utilities), snap(one.frontier.utilities))
    assert two.solves == 2 * len(two.frontier) + 1


def test_genius_domain_frontier_and_solutions_match_enumeration() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scenario = load_genius([DATA])
    enumerated = analyze(scenario)
    walked = analyze(scenario, max_outcomes=100)  # enumeration refused: the MILP path
    assert np.array_equal(snap(walked.frontier.utilities), snap(enumerated.frontier.utilities))
    for name, package in enumerated.solutions.items():
        other = walked.solutions[name]
        assert (package is None) == (other is None)
        if package is not None and other is not None:
            assert snap(np.array(other.utilities)).tolist() == snap(np.array(package.utilities)).tolist()
    assert walked.n_rational is None and enumerated.n_rational is not None


def test_values_with_long_decimals_are_walked_with_a_small_step_and_said_so() -> None:
    rng = np.random.default_rng(7)
    agenda = Agenda(tuple(Issue.integer(f"i{k}", 0, 3) for k in range(4)))
    parties = tuple(Party(f"p{p}", LinearAdditive.normalized(rng.random(4), rng.random((4, 4))))
                    for p in range(2))
    scenario = Scenario("floats", agenda, parties)
    found = milp_frontier(scenario)
    assert not found.exact  # random floats are no fractions with small denominators
    assert np.array_equal(snap(found.frontier.utilities), snap(_enumerated(scenario)))


def test_three_identical_parties_have_one_point() -> None:
    agenda = Agenda((Issue.integer("a", 0, 2),))
    linear = LinearAdditive(np.array([1.0]), (np.array([0.0, 0.5, 1.0]),))
    three = Scenario("three", agenda, tuple(Party(f"p{k}", linear) for k in range(3)))
    found = milp_frontier(three)
    assert found.exact and found.frontier.outcomes.tolist() == [[2]]


def test_without_scipy_the_message_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scenario = load_genius([DATA])
    monkeypatch.setitem(sys.modules, "scipy.optimize", None)
    with pytest.raises(MilpUnavailable) as info:
        milp_frontier(scenario)
    assert "tratado[huge]" in (info.value.fix or "")


def _widened(small: Scenario, values: int = 10, issues: int = 10) -> Scenario:
    """``small``'s parties on ``issues`` issues of ``values`` values (masks repeated)."""
    agenda = Agenda(tuple(Issue.integer(f"i{k}", 0, values - 1) for k in range(issues)))
    parties = []
    for party in small.parties:
        prefs = party.preferences
        assert isinstance(prefs, Constraints)
        rules = tuple(Rule({i: np.resize(m, values) for i, m in r.allowed.items()}, r.bonus)
                      for r in prefs.rules)
        parties.append(Party(party.id, Constraints(rules, offset=prefs.offset, scale=prefs.scale)))
    return Scenario("huge", agenda, tuple(parties))


@pytest.mark.filterwarnings("ignore::tratado.formats.FormatNote")
def test_analyze_command_reads_a_huge_genius_domain_and_without_scipy_says_which_extra(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from click.testing import CliRunner

    from tratado.cli import cli
    from tratado.formats.genius_xml_write import save_genius

    save_genius(_widened(load_genius([DATA])), tmp_path / "huge")
    runner = CliRunner()
    result = runner.invoke(cli, ["analyze", str(tmp_path / "huge"), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["outcomes"] == 10**10 and document["pareto"] and document["nash"]
    monkeypatch.setitem(sys.modules, "scipy.optimize", None)
    result = runner.invoke(cli, ["analyze", str(tmp_path / "huge")])
    assert result.exit_code == 2 and "tratado[huge]" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_on_a_million_packages_of_the_anac_2014_shape_the_walk_equals_enumeration(
        seed: int) -> None:
    """Six integer issues of ten values, two rectangles per issue per party, some negative."""
    rng = np.random.default_rng(seed)
    agenda = Agenda(tuple(Issue.integer(f"i{k}", 0, 9) for k in range(6)))
    parties = []
    for p in range(2):
        found = []
        for _ in range(12):
            allowed = {}
            for position in rng.choice(6, size=int(rng.integers(1, 5)), replace=False):
                low = int(rng.integers(0, 10))
                allowed[int(position)] = (np.arange(10) >= low) & (
                    np.arange(10) <= int(rng.integers(low, 10)))
            found.append((allowed, int(rng.integers(1, 100)) * (-1 if rng.random() < 1 / 6 else 1)))
        low = sum(b for _, b in found if b < 0)
        span = sum(b for _, b in found if b > 0) - low
        parties.append(Party(f"p{p}", Constraints(tuple(Rule(a, b / span) for a, b in found),
                                                  offset=-low / span)))
    scenario = Scenario("anac-shaped", agenda, tuple(parties))
    found_by_walk = milp_frontier(scenario)
    assert found_by_walk.exact
    assert np.array_equal(snap(found_by_walk.frontier.utilities), snap(_enumerated(scenario)))


def test_a_walk_in_small_steps_is_said_on_the_command_line(tmp_path: Path) -> None:
    # not exact units: analyze says so (a note on stderr), the report still comes out
    from click.testing import CliRunner

    from tratado.analysis.space import AnalysisNote, pareto_frontier
    from tratado.cli import cli
    from tratado.formats import save

    rng = np.random.default_rng(7)
    agenda = Agenda(tuple(Issue.integer(f"i{k}", 0, 3) for k in range(4)))
    parties = tuple(Party(f"p{p}", Constraints(rules=(), base=LinearAdditive.normalized(
        rng.random(4), rng.random((4, 4))), base_weight=1.0)) for p in range(2))
    scenario = Scenario("floats", agenda, parties)
    with pytest.warns(AnalysisNote, match="steps of 1e-6"):
        pareto_frontier(scenario, max_outcomes=10)
    path = tmp_path / "floats.yaml"
    save(scenario, path)
    result = CliRunner().invoke(cli, ["analyze", str(path), "--max-outcomes", "10", "--json"])
    assert result.exit_code == 0, result.output
    assert "tratado: note: the frontier of 'floats' was walked in steps of 1e-6" in result.stderr
