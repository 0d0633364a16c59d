"""The notebook API (issue 6 §3): ``tratado.analyze``, short reprs, results by party."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import tratado
from tratado.analysis import Packages, TradeoffTable
from tratado.errors import TratadoError


@pytest.fixture(scope="module")
def venezuela_analysis() -> tratado.analysis.Analysis:  # type: ignore[name-defined]
    # the table alone: the figures below are those of the two delegations' preferences
    return tratado.analyze("venezuela-2021", stakeholders=False)


def test_analyze_is_at_the_top_level(venezuela_analysis) -> None:
    a = venezuela_analysis
    assert isinstance(a.pareto, Packages) and len(a.pareto) == 53
    assert len(a.pareto_rational) == 24
    assert a.nash is a.solutions["nash"]
    assert set(a.nash.by_party) == {"government", "opposition"}
    assert a.nash.by_party["government"] == a.nash.utilities[0]
    assert all(p.parties == ("government", "opposition") for p in a.pareto)
    assert list(a.ideal_by_party.values()) == list(a.ideal)


def test_analyze_takes_a_scenario_a_path_or_a_name(tmp_path: Path) -> None:
    scenario = tratado.load("job-offer")
    by_object = tratado.analyze(scenario)
    path = tmp_path / "job.yaml"
    tratado.save(scenario, path)
    by_path = tratado.analyze(path)
    by_name = tratado.analyze("job-offer")
    assert by_object.to_dict() == by_name.to_dict()
    assert by_path.to_dict()["pareto"] == by_name.to_dict()["pareto"]


def test_what_if_reservation_values() -> None:
    a = tratado.analyze("venezuela-2021", reservation_values={"government": 0.75},
                        stakeholders=False)
    assert a.n_rational == 145


def test_reprs_are_short_and_show_no_preference_values(venezuela_analysis) -> None:
    a = venezuela_analysis
    scenario = a.scenario
    weights = scenario.parties[0].preferences.weights
    for obj in (a, a.pareto, a.pareto_rational, a.nash, a.tradeoffs, scenario, *scenario.parties):
        text = repr(obj)
        assert len(text) <= 200, text
        assert "weights" not in text and "reservation" not in text
        assert repr(float(weights[2])) not in text
    assert "venezuela" in repr(a).lower()


def test_tradeoffs_are_keyed_by_party(venezuela_analysis) -> None:
    table = venezuela_analysis.tradeoffs
    assert isinstance(table, TradeoffTable)
    shares = table.shares("sanctions")
    assert set(shares) == {"government", "opposition"}
    assert shares["government"] == table[2].shares[0]


def test_json_output_is_unchanged_in_shape(venezuela_analysis) -> None:
    document = venezuela_analysis.to_dict()
    json.dumps(document)
    assert isinstance(document["nash"]["utilities"], list)
    assert set(document["pareto"][0]) == {"outcome", "utilities", "ties"}


def test_to_pandas_without_pandas_says_what_to_install(venezuela_analysis, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if it were not installed
    with pytest.raises(TratadoError, match="pip install"):
        venezuela_analysis.pareto.to_pandas()
    with pytest.raises(TratadoError, match="pip install"):
        venezuela_analysis.tradeoffs.to_pandas()


def test_to_pandas(venezuela_analysis) -> None:
    pytest.importorskip("pandas")
    frame = venezuela_analysis.pareto_rational.to_pandas()
    assert frame.shape == (24, 2 + 7 + 1)
    assert list(frame.columns[:2]) == ["government", "opposition"]
    table = venezuela_analysis.tradeoffs.to_pandas()
    assert table.loc["sanctions", "cares_most"] == "government"


def test_import_tratado_stays_light() -> None:
    """``import tratado`` loads neither the analysis nor pandas (analyze loads on use)."""
    code = ("import sys, tratado; print(sorted(m for m in sys.modules if m.startswith("
            "('tratado.analysis', 'pandas', 'matplotlib'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    code = "import tratado; print(callable(tratado.analyze))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
