"""analyze with and without the stakeholders away from the table, and on uncertain files."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import SMALL, UNCERTAIN

from tratado.analysis import analyze
from tratado.analysis.space import rational_threshold
from tratado.cli import cli
from tratado.formats import loads_yaml
from tratado.stakeholders import with_stakeholders, without_stakeholders

# a guarantor: the buyer gains 0.4 from an agreement at a mid or high price, and the
# seller's no-deal value falls by 0.1
LINKED = SMALL + """\
stakeholders:
  - name: Guarantor
    effects:
      - party: buyer
        when: {price: [mid, high]}
        utility: 0.4
      - party: seller
        no_deal: -0.1
"""


@pytest.fixture(scope="module")
def linked():
    return loads_yaml(LINKED, "linked.yaml")


def nash_product(scenario, row=None) -> float:
    """The Nash product of ``row``, or (None) the largest over the zone, by brute force."""
    rows = scenario.agenda.all_outcomes() if row is None else np.array([row])
    u = scenario.utilities(rows)
    ok = np.all(u >= rational_threshold(scenario), axis=1)
    return float(np.where(ok, np.prod(u - scenario.reservation_values, axis=1), -1).max())


def test_analyze_includes_the_stakeholders_and_compares_with_the_table_alone(linked) -> None:
    a = analyze(linked)
    assert a.linkage is not None and a.linkage.applied and a.linkage.without is not None
    effective, alone = with_stakeholders(linked), without_stakeholders(linked)
    rows = linked.agenda.all_outcomes()
    assert np.allclose(a.scenario.utilities(rows), effective.utilities(rows))
    assert np.allclose(a.linkage.without.scenario.utilities(rows), alone.utilities(rows))
    assert a.nash is not None and a.linkage.without.nash is not None
    assert nash_product(effective, a.nash.row) == pytest.approx(nash_product(effective))
    assert nash_product(alone, a.linkage.without.nash.row) == pytest.approx(nash_product(alone))
    moved = a.linkage.moved(a)
    for name, changes in moved.items():
        with_, without = a.solutions[name], a.linkage.without.solutions[name]
        assert set(changes) == {i for i in with_.outcome if with_.outcome[i] != without.outcome[i]}
    assert a.linkage.moved_issues(a) == [i for i in linked.agenda.names
                                         if any(i in c for c in moved.values())]
    assert "price" in a.linkage.moved_issues(a)  # the linkage pulls the buyer to mid/high


def test_without_stakeholders_analyses_the_table_alone(linked) -> None:
    a = analyze(linked, stakeholders=False)
    plain = analyze(loads_yaml(SMALL))
    assert a.linkage is not None and not a.linkage.applied and a.linkage.without is None
    assert a.nash == plain.nash and a.n_rational == plain.n_rational
    document = a.to_dict()
    assert document["stakeholders"]["applied"] is False
    assert "without" not in document["stakeholders"]


def test_exact_files_without_stakeholders_analyse_as_before() -> None:
    document = analyze(loads_yaml(SMALL)).to_dict()
    assert document["uncertainty"] is None and document["stakeholders"] is None


def test_the_command_shows_the_linkage_side_by_side(tmp_path) -> None:
    path = tmp_path / "linked.yaml"
    path.write_text(LINKED, encoding="utf-8")
    runner = CliRunner()
    report = runner.invoke(cli, ["analyze", str(path)])
    assert report.exit_code == 0, report.output
    assert "Stakeholders away from the table: the linkage" in report.output
    assert "- Guarantor: +0.40 to buyer's utility of agreements with price \"mid\" or \"high\"." in \
        report.output
    assert "with stakeholders  table alone" in report.output
    assert "What the linkage moves: 2 items" in report.output
    assert "\n  price\n    Utilitarian" in report.output  # the item (its title), then the package
    alone = runner.invoke(cli, ["analyze", str(path), "--without-stakeholders"])
    assert "analyses the table alone (--without-stakeholders)" in alone.output
    document = json.loads(runner.invoke(cli, ["analyze", str(path), "--json"]).output)
    assert document["stakeholders"]["moved_issues"] == ["price", "days"]
    assert document["stakeholders"]["without"]["utilitarian"]["outcome"] == {"price": "low", "days": 3}
    assert document["utilitarian"]["outcome"]["price"] == "high"


def test_an_uncertain_file_is_analysed_at_its_estimates_and_says_so(tmp_path) -> None:
    path = tmp_path / "uncertain.yaml"
    path.write_text(UNCERTAIN, encoding="utf-8")
    runner = CliRunner()
    report = runner.invoke(cli, ["analyze", str(path)])
    assert report.exit_code == 0, report.output
    assert "Uncertain: 9 numbers in this file are estimates with a range" in report.output
    assert "`tratado forecast` answers for the uncertainty" in report.output
    document = json.loads(runner.invoke(cli, ["analyze", str(path), "--json"]).output)
    assert len(document["uncertainty"]["inputs"]) == 9
    assert document["uncertainty"]["inputs"][0] == {
        "key": "parties.buyer.reservation", "label": "Buyer: no-deal value", "estimate": 0.3,
        "low": 0.2, "high": 0.4, "distribution": "normal"}


def test_check_counts_the_uncertain_numbers_and_the_effects(tmp_path) -> None:
    path = tmp_path / "uncertain.yaml"
    path.write_text(UNCERTAIN, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 0
    assert result.output.splitlines()[1:] == ["  9 uncertain numbers (estimates with a range)",
                                              "  The Bank: 2 effects on the parties"]
    plain = tmp_path / "plain.yaml"
    plain.write_text(SMALL, encoding="utf-8")
    assert len(CliRunner().invoke(cli, ["check", str(plain)]).output.splitlines()) == 1
