"""`tratado tournament` and `tratado rank` as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tratado.cli import cli

pytest.importorskip("pyarrow")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tournaments" / "class.yaml"
OPTIONS = ["--negotiators", "boulware,conceder,frequency", "--scenarios", "job-offer",
           "river-basin", "--repetitions", "2", "--seed", "5", "--jobs", "1"]


def invoke(*args: str) -> object:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_options_run_a_tournament_and_print_the_ranking(tmp_path: Path) -> None:
    result = invoke("tournament", *OPTIONS, "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "Ranking over 24 sessions" in result.output and "Pairwise" in result.output
    assert "ETA" not in result.output  # no progress bar when not on a terminal
    assert (tmp_path / "out" / "sessions.parquet").exists()
    ran = (tmp_path / "out" / "tournament.yaml").read_text(encoding="utf-8")
    assert "sha256" in ran and "conceder" in ran


def test_the_file_as_it_ran_reruns_the_same_tournament(tmp_path: Path) -> None:
    invoke("tournament", *OPTIONS, "--out", str(tmp_path / "a"))
    shutil.copy(tmp_path / "a" / "tournament.yaml", tmp_path / "shared.yaml")
    result = invoke("tournament", str(tmp_path / "shared.yaml"), "--jobs", "2", "--out",
                    str(tmp_path / "b"), "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["sessions"] == 24 and {r["negotiator"] for r in document["ranking"]} == {
        "boulware", "conceder", "frequency"}
    assert (tmp_path / "a" / "sessions.parquet").read_bytes() == (
        tmp_path / "b" / "sessions.parquet").read_bytes()


def test_the_bundled_tournament_file_is_valid(tmp_path: Path) -> None:
    from tratado.experiments.tournament_file import load_settings

    settings = load_settings(EXAMPLE)
    assert "time-based:e=0.5" in settings.negotiators and settings.repetitions == 2


@pytest.mark.parametrize(("args", "words"), [
    (["--negotiators", "boulware,bouldware", "--scenarios", "job-offer"], "bouldware"),
    (["--negotiators", "boulware,conceder:e=x", "--scenarios", "job-offer"], "conceder:e=x"),
    (["--negotiators", "boulware,conceder", "--scenarios", "nowhere.yaml"], "nowhere.yaml"),
    (["--negotiators", "boulware,conceder", "--scenarios", "job-offer", "--protocols",
      "alternate"], "alternate"),
    (["--negotiators", "boulware", "--scenarios", "job-offer"], "self-play"),
    (["--scenarios", "job-offer"], "--negotiators"),
])
def test_mistakes_exit_2_before_any_session(tmp_path: Path, args: list[str],
                                            words: str) -> None:
    result = invoke("tournament", *args, "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and words in result.output and "Fix:" in result.output
    assert not (tmp_path / "out").exists()


def test_a_broken_tournament_file_names_its_field(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("tratado-tournament: 1\nnegotiators: [boulware, conceder]\n"
                    "scenarios: [job-offer]\nrepetitions: many\n", encoding="utf-8")
    result = invoke("tournament", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "t.yaml" in result.output and "repetitions" in result.output


def test_a_changed_scenario_is_refused_by_the_file_that_pinned_it(tmp_path: Path) -> None:
    from tratado.formats import bundled_examples

    scenario = tmp_path / "job.yaml"
    scenario.write_bytes(bundled_examples()["job-offer"].read_bytes())
    invoke("tournament", "--negotiators", "boulware,conceder", "--scenarios", str(scenario),
           "--jobs", "1", "--out", str(tmp_path / "a"))
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(text.replace("reservation_value: 0.45", "reservation_value: 0.5", 1),
                        encoding="utf-8")
    assert scenario.read_text(encoding="utf-8") != text
    result = invoke("tournament", str(tmp_path / "a" / "tournament.yaml"), "--out",
                    str(tmp_path / "b"))
    assert result.exit_code == 2 and "sha256" in result.output


def test_rank_json_and_plot(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    invoke("tournament", *OPTIONS, "--out", str(tmp_path / "out"))
    document = json.loads(invoke("rank", str(tmp_path / "out"), "--json").output)
    assert set(document) >= {"ranking", "pairwise", "by_scenario", "by_protocol"}
    first = document["ranking"][0]
    assert first["low"] <= first["advantage"] <= first["high"]
    assert len(document["pairwise"]) == 3 and all("p_holm" in p for p in document["pairwise"])
    for name in ("a.png", "b.png"):
        result = invoke("rank", str(tmp_path / "out"), "--plot", str(tmp_path / name))
        assert result.exit_code == 0, result.output
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()


def test_rank_of_an_unfinished_folder_says_so(tmp_path: Path) -> None:
    (tmp_path / "out" / "parts").mkdir(parents=True)
    result = invoke("rank", str(tmp_path / "out"))
    assert result.exit_code == 2 and "interrupted" in result.output


def test_records_replay(tmp_path: Path) -> None:
    result = invoke("tournament", "--negotiators", "boulware,conceder", "--scenarios",
                    "job-offer", "--jobs", "1", "--records", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    records = sorted((tmp_path / "out" / "records").iterdir())
    assert [r.name for r in records] == ["000000000.json", "000000001.json"]
    replayed = invoke("replay", str(records[1]))
    assert replayed.exit_code == 0 and "Reproduces" in replayed.output


def test_the_progress_bar_counts_and_estimates() -> None:
    import io

    from tratado.report.progress import ProgressBar

    stream = io.StringIO()
    bar = ProgressBar(stream)
    bar(5, 10, 3, 1)
    bar(10, 10, 7, 1)
    bar.close()
    text = stream.getvalue()
    assert "10/10 sessions" in text and "7 agreements" in text and "1 failures" in text
    assert "ETA" in text and text.endswith("\n")


def test_rows_and_records_name_the_scenario_by_the_same_fingerprint(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    invoke("tournament", "--negotiators", "boulware,conceder", "--scenarios", "job-offer",
           "--jobs", "1", "--records", "--out", str(tmp_path / "out"))
    rows = pq.read_table(tmp_path / "out" / "sessions.parquet").to_pylist()
    record = json.loads((tmp_path / "out" / "records" / "000000000.json").read_text("utf-8"))
    assert rows[0]["scenario_sha256"] == record["scenario"]["sha256"]
    assert rows[0]["seed"] == record["seed"]


def test_a_tournament_file_that_names_plug_ins_needs_allow_plugins(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "ran.txt"
    (tmp_path / "sneaky.py").write_text(
        "from pathlib import Path\n"
        f"Path({str(marker)!r}).write_text('imported')\n"
        "from tratado.negotiators.time_based import Boulware as Sneaky\n", encoding="utf-8")
    (tmp_path / "t.yaml").write_text(
        "tratado-tournament: 1\nnegotiators: [boulware, 'sneaky:Sneaky']\n"
        "scenarios: [job-offer]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    refused = invoke("tournament", "t.yaml", "--out", "out")
    assert refused.exit_code == 2 and "--allow-plugins" in refused.output
    assert "sneaky:Sneaky" in refused.output
    assert not marker.exists() and not (tmp_path / "out").exists()
    allowed = invoke("tournament", "t.yaml", "--allow-plugins", "--jobs", "1", "--out", "out")
    assert allowed.exit_code == 0, allowed.output
    assert marker.exists()


def test_rank_of_the_sessions_file_is_rank_of_its_folder(tmp_path: Path) -> None:
    invoke("tournament", *OPTIONS, "--out", str(tmp_path / "out"))
    folder = invoke("rank", str(tmp_path / "out"), "--json").output
    file = invoke("rank", str(tmp_path / "out" / "sessions.parquet"), "--json").output
    assert json.loads(folder) == json.loads(file)


def test_without_stakeholders_from_the_command_line_and_the_file(tmp_path: Path) -> None:
    out = tmp_path / "alone"
    result = invoke("tournament", "--negotiators", "boulware,conceder", "--scenarios",
                    "venezuela-2021", "--jobs", "1", "--json", "--without-stakeholders",
                    "--out", str(out))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    saved = (out / "tournament.yaml").read_text(encoding="utf-8")
    assert "stakeholders: false" in saved
    again = tmp_path / "again.yaml"
    again.write_text(saved, encoding="utf-8")
    rerun = invoke("tournament", str(again), "--jobs", "1", "--json", "--out", str(out))
    assert rerun.exit_code == 0, rerun.output  # type: ignore[attr-defined]
    bad = tmp_path / "bad.yaml"
    bad.write_text(saved.replace("stakeholders: false", "stakeholders: maybe"), encoding="utf-8")
    refused = invoke("tournament", str(bad), "--jobs", "1", "--out", str(tmp_path / "x"))
    assert refused.exit_code == 2 and "stakeholders" in refused.output  # type: ignore[attr-defined]
