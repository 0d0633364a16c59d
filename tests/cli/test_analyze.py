"""`tratado analyze`, `check`, `examples` and `convert` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner

from tratado.cli import cli
from tratado.formats import bundled_examples


def invoke(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.mark.parametrize("name", sorted(bundled_examples()))
def test_every_example_analyses_in_json(name):
    result = invoke("analyze", name, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    for key in ("parties", "outcomes", "rational", "pareto", "nash", "kalai_smorodinsky",
                "egalitarian", "utilitarian"):
        assert key in doc
    assert doc["pareto"], "a frontier is never empty"
    point = doc["pareto"][0]
    assert set(point["outcome"]) == set(doc["issues"])
    assert len(point["utilities"]) == len(doc["parties"])
    if doc["zopa"]:
        nash = doc["nash"]
        assert all(u >= r - 1e-9 for u, r in zip(nash["utilities"], doc["reservation_values"]))
        assert any(p["utilities"] == nash["utilities"] for p in doc["pareto"])


def test_json_keeps_party_order_of_the_file(venezuela):
    doc = json.loads(invoke("analyze", "venezuela-2021", "--json").stdout)
    assert doc["parties"] == ["government", "opposition"]
    assert doc["outcomes"] == venezuela.agenda.size


def test_report_reads_like_a_briefing():
    out = invoke("analyze", "examples/venezuela-2021.yaml").stdout
    for words in ("Zone of possible agreement", "Fair packages", "Nash", "Kalai–Smorodinsky",
                  "Egalitarian", "Utilitarian", "Who cares about what", "Mediator: Norway",
                  "Kept off the agenda"):
        assert words in out


@pytest.mark.parametrize("suffix", [".png", ".svg"])
@pytest.mark.parametrize("name", ["job-offer", "river-basin"])
def test_plot_files_are_written(tmp_path, name, suffix):
    pytest.importorskip("matplotlib")
    target = tmp_path / f"{name}{suffix}"
    result = invoke("analyze", name, "--plot", str(target))
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 10_000


def test_check_and_examples_commands():
    assert "OK" in invoke("check", "job-offer").stdout
    listing = invoke("examples").stdout
    assert "venezuela-2021" in listing and "job-offer" in listing


def test_convert_yaml_to_yaml_keeps_the_analysis(tmp_path):
    target = tmp_path / "copy.yaml"
    assert invoke("convert", "venezuela-2021", str(target)).exit_code == 0
    original = json.loads(invoke("analyze", "venezuela-2021", "--json").stdout)
    copied = json.loads(invoke("analyze", str(target), "--json").stdout)
    assert copied["pareto"] == original["pareto"]
    assert copied["nash"] == original["nash"]


def test_console_script_entry_point_exits_2_without_traceback(tmp_path):
    missing = tmp_path / "missing.yaml"
    proc = subprocess.run([sys.executable, "-m", "tratado.cli", "analyze", str(missing)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert str(missing) in proc.stderr


def test_genius_and_geniusweb_folders_analyse_and_convert(tmp_path):
    genius = tmp_path / "genius"
    web = tmp_path / "web"
    assert invoke("convert", "job-offer", str(genius), "--to", "genius").exit_code == 0
    assert invoke("convert", str(genius), str(web), "--to", "geniusweb").exit_code == 0
    original = json.loads(invoke("analyze", "job-offer", "--json").stdout)
    for folder in (genius, web):
        doc = json.loads(invoke("analyze", str(folder), "--json").stdout)
        assert doc["parties"] == original["parties"]
        got = np.array([p["utilities"] for p in doc["pareto"]])
        assert np.allclose(got, [p["utilities"] for p in original["pareto"]])


def test_reservation_what_if_shrinks_the_zone_without_touching_the_file():
    base = json.loads(invoke("analyze", "venezuela-2021", "--json",
                             "--without-stakeholders").stdout)
    what_if = json.loads(invoke("analyze", "venezuela-2021", "--reservation", "government=0.75",
                                "--json", "--without-stakeholders").stdout)
    assert what_if["what_if"] == {"reservation_values": {"government": 0.75}}
    assert what_if["reservation_values"] == [0.75, base["reservation_values"][1]]
    assert 0 < what_if["rational"] < base["rational"]
    text = invoke("analyze", "venezuela-2021", "--reservation", "government=0.75").stdout
    assert text.startswith("What-if (the file is unchanged): no-deal values government 0.60 -> 0.75")


@pytest.mark.parametrize(("value", "needle"), [("gov=0.7", "no party 'gov'"),
                                                ("government=1.5", "outside [0, 1]")])
def test_bad_reservation_what_if(value, needle):
    result = invoke("analyze", "venezuela-2021", "--reservation", value)
    assert result.exit_code == 2 and needle in result.stderr and "--reservation" in result.stderr
