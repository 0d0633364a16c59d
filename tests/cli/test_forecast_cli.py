"""`tratado forecast` as a user runs it: the JSON document outside checks read, the same
bytes for the same seed, and one clear message for a mistake."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import UNCERTAIN

from tratado.cli import cli


@pytest.fixture
def uncertain_file(tmp_path: Path) -> Path:
    path = tmp_path / "uncertain.yaml"
    path.write_text(UNCERTAIN, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def test_the_json_document(uncertain_file: Path) -> None:
    args = ("forecast", str(uncertain_file), "--samples", "12", "--seed", "7", "--json")
    code, first, _ = run(*args, "--jobs", "1")
    assert code == 0
    document = json.loads(first)
    for name in ("alternating", "single-text", "mediated"):
        run_ = document["protocols"][name]
        assert 0 <= run_["agreement_probability"] <= 1
        assert set(run_["items"]) == {"price", "days"}
        assert set(run_["items"]["price"]) == {"low", "mid", "high", "no agreement"}
    assert isinstance(document["sensitivity"], list) and document["sensitivity"]


@pytest.mark.slow
def test_the_same_seed_gives_the_same_bytes_on_any_number_of_workers(uncertain_file: Path) -> None:
    args = ("forecast", str(uncertain_file), "--samples", "30", "--seed", "7", "--json")
    first = run(*args, "--jobs", "1")[1]
    assert run(*args, "--jobs", "2")[1] == first
    assert run(*args, "--dask-workers", "2")[1] == first


def test_the_report_says_what_drives_it_and_shows_the_what_if(uncertain_file: Path) -> None:
    code, out, _ = run("forecast", str(uncertain_file), "--samples", "10", "--protocols",
                       "alternating", "--what-if", "the-bank=off", "--jobs", "1")
    assert code == 0, out
    assert "Probability of agreement (95% Wilson interval)" in out
    assert "What drives the probability of agreement" in out
    assert "What-if: the-bank=off (the same samples and seeds)" in out


@pytest.mark.slow
def test_the_plot_is_the_same_bytes_for_the_same_seed(uncertain_file: Path,
                                                       tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    plots = [tmp_path / "a.png", tmp_path / "b.png"]
    for plot in plots:
        code, out, _ = run("forecast", str(uncertain_file), "--samples", "10", "--plot",
                           str(plot), "--jobs", "1")
        assert code == 0, out
    assert plots[0].read_bytes() == plots[1].read_bytes()


def test_an_exact_scenario_is_the_single_simulation() -> None:
    code, out, _ = run("forecast", "job-offer", "--protocols", "alternating")
    assert code == 0
    assert "the forecast is the single simulation" in " ".join(out.split())


def test_the_samples_table_is_written(uncertain_file: Path, tmp_path: Path) -> None:
    table = tmp_path / "samples.csv"
    code, out, _ = run("forecast", str(uncertain_file), "--samples", "4", "--protocols",
                       "mediated", "--csv", str(table), "--jobs", "1")
    assert code == 0, out
    assert f"Samples written to {table}" in out
    lines = table.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + 4 and lines[0].startswith("sample,what_if,parties.buyer")


@pytest.mark.parametrize(("args", "words"), [
    (("--what-if", "nobody=1"), "--what-if"),
    (("--negotiators", "boulware"), "--negotiators"),
    (("--protocols", "auction"), "--protocols"),
    (("--plot", "forecast.gif"), "cannot draw"),
    (("--samples", "0"), "--samples"),
    (("--csv", "INPUT"), "--csv"),  # the scenario file itself
])
def test_mistakes_get_one_clear_message_and_exit_2(uncertain_file: Path, args: tuple[str, ...],
                                                   words: str) -> None:
    args = tuple(str(uncertain_file) if a == "INPUT" else a for a in args)
    code, out, err = run("forecast", str(uncertain_file), *args)
    assert code == 2
    assert words in err and "Traceback" not in err + out


def test_every_field_of_the_json_document_is_described_in_docs_cli(uncertain_file: Path) -> None:
    document = json.loads(run("forecast", str(uncertain_file), "--samples", "3",
                              "--protocols", "alternating", "--what-if", "the-bank=off",
                              "--json", "--jobs", "1")[1])
    reference = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text("utf-8")
    section = reference.split("## The `tratado forecast --json` document", 1)[1]
    described = {*(f"`{key}`" for key in document), "`protocols.*.agreement_probability`"}
    missing = [key for key in described if key not in section]
    assert missing == []
    run_fields = document["protocols"]["alternating"]
    assert all(f"`protocols.*.{key}" in section or f"`.{key}`" in section for key in run_fields)
