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


def test_the_issue_s_command_on_the_bundled_talks_gives_the_documented_shape() -> None:
    """`tratado forecast SCENARIO --samples N --seed S --json`, as checks outside the
    project run it: every protocol's probability and every item's shares (options in the
    agenda's words and "no agreement", summing to one), the sensitivity list, and the same
    bytes for the same seed."""
    import tratado

    args = ("forecast", "venezuela-2021", "--samples", "6", "--seed", "4", "--json")
    code, first, _ = run(*args)
    assert code == 0
    assert run(*args)[1] == first
    document = json.loads(first)
    agenda = tratado.load("venezuela-2021").agenda
    assert set(document["protocols"]) == {"alternating", "single-text", "mediated"}
    for protocol in document["protocols"].values():
        assert 0 <= protocol["agreement_probability"] <= 1
        assert list(protocol["items"]) == list(agenda.names)
        for issue in agenda.issues:
            shares = protocol["items"][issue.name]
            assert list(shares) == [*(str(o) for o in issue.options), "no agreement"]
            assert sum(shares.values()) == pytest.approx(1.0)
    assert isinstance(document["sensitivity"], list)
    assert {d["input"] for d in document["sensitivity"]} <= {i["key"] for i in document["inputs"]}


def test_the_report_states_the_precision_its_samples_buy(uncertain_file: Path) -> None:
    code, out, err = run("forecast", str(uncertain_file), "--samples", "100", "--protocols",
                         "alternating", "--jobs", "1")
    assert code == 0
    assert ("Each probability is known to ±9.8 percentage points or better at 95% confidence"
            " (the default, 9,604 samples, gives ±1).") in " ".join(out.split())
    assert "ETA" not in out + err  # no progress bar off a terminal


def test_the_progress_callback_counts_every_session(uncertain_file: Path) -> None:
    from tratado.experiments import Forecast
    from tratado.formats import load

    seen: list[tuple[int, int]] = []
    Forecast(load(str(uncertain_file)), samples=5, seed=1,
             protocols=["alternating", "mediated"]).run(
        jobs=0, progress=lambda done, total, agreements, failures: seen.append((done, total)))
    assert seen and seen[-1] == (10, 10)
    assert all(a[0] <= b[0] for a, b in zip(seen, seen[1:], strict=False))


def test_a_gain_nothing_moves_is_said_in_words(tmp_path: Path) -> None:
    from conftest import UNCERTAIN_TABLE

    path = tmp_path / "table.yaml"  # only the buyer's table is uncertain
    path.write_text(UNCERTAIN_TABLE, encoding="utf-8")
    code, out, _ = run("forecast", str(path), "--samples", "20", "--protocols", "mediated",
                       "--jobs", "1")
    assert code == 0, out
    text = " ".join(out.split())
    document = json.loads(run("forecast", str(path), "--samples", "20", "--protocols",
                              "mediated", "--jobs", "1", "--json")[1])
    seller = document["gain_sensitivity"]["seller"]  # the seller's gain is the same throughout
    assert all(d["first_order"] == 0 and d["gain_low"] == d["gain_high"] for d in seller)
    assert "Nothing uncertain moves seller's gain over no deal" in text
    assert "What drives buyer's gain over no deal" in text


def test_the_kernels_and_the_engine_give_the_same_bytes() -> None:
    """The batched kernels run the built-in sessions; ``--engine`` runs each on the
    engine: the forecast is the same, byte for byte (with a what-if and a second mix)."""
    args = ("forecast", "venezuela-2021", "--samples", "40", "--seed", "9", "--json",
            "--jobs", "1", "--rounds", "12", "--what-if", "united-states=off",
            "--negotiators", "frequency,frequency", "--negotiators", "boulware,conceder")
    code, fast, _ = run(*args)
    assert code == 0
    assert run(*args, "--engine")[1] == fast
