"""Long sessions (issue 6 §2, issue 7 §4): the record is streamed, the transcript builds
only what it prints, memory stays flat in the number of rounds, absurd deadlines are
refused up front, and outputs never overwrite inputs or each other."""

from __future__ import annotations

import io
import json
import tracemalloc
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, overload

import pytest
from click.testing import CliRunner

from tratado.cli import cli
from tratado.formats import load
from tratado.limits import env_name, override
from tratado.protocols import DeadlineRefused
from tratado.records import build_record, canonical_json, write_record
from tratado.report.session_report import render_session
from tratado.session import Session
from tratado.session.simulation import simulate

JOB = load("job-offer")


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def hardliners(rounds: int) -> Any:
    return simulate(JOB, ["hardliner", "hardliner"], deadline=rounds)


def test_the_streamed_record_is_the_canonical_record() -> None:
    run = hardliners(5000)
    out = io.StringIO()
    write_record(run.record, out)
    eager = build_record(run.result)
    assert isinstance(eager["log"], list) and len(eager["log"]) == 10_000
    assert out.getvalue() == canonical_json(eager)


def test_writing_a_long_record_keeps_memory_flat() -> None:
    """100,000 log entries as dicts take tens of megabytes; streamed, the writer holds a
    block of them at a time."""
    run = hardliners(50_000)
    tracemalloc.start()
    try:
        write_record(run.record, _Discard())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, f"writing the record peaked at {peak:,} bytes"
    assert run.result.events.nbytes() <= 4 * 100_000


class _Discard(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)


class _Counting(Sequence[dict[str, Any]]):
    """A log that counts the entries it hands out."""

    def __init__(self, log: Sequence[dict[str, Any]]) -> None:
        self.log, self.built = log, 0

    def __len__(self) -> int:
        return len(self.log)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> Any:
        got = self.log[index]
        self.built += len(got) if isinstance(index, slice) else 1
        return got

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for entry in self.log:
            self.built += 1
            yield entry


def test_the_transcript_builds_only_the_entries_it_tells() -> None:
    run = hardliners(20_000)
    log = _Counting(run.record["log"])
    text = render_session(run.scenario, {**run.record, "log": log}, 40)
    assert "39960 moves not shown" in text
    assert log.built <= 200  # the moves shown, and a short look back for each party's last offer
    assert text == render_session(run.scenario, {**run.record, "log": list(run.record["log"])},
                                  40)


def test_a_short_transcript_is_told_from_the_first_move() -> None:
    run = hardliners(600)  # 1,200 moves: the narrator follows every one
    text = render_session(run.scenario, run.record, 40)
    assert text.count("proposes the same package again") == 38


@pytest.mark.parametrize("rounds", ["100000000000000000000000", "10000001"])
def test_an_absurd_deadline_is_refused_up_front(rounds: str) -> None:
    result = invoke("simulate", "job-offer", "--negotiators", "hardliner,hardliner",
                    "--rounds", rounds)
    assert result.exit_code == 2
    assert "field '--rounds'" in result.stderr and "10,000,000" in result.stderr
    assert env_name("rounds") in result.stderr
    assert "Fix:" in result.stderr and len(result.stderr) < 600


def test_the_rounds_limit_can_be_raised_for_a_run() -> None:
    with override(rounds=20):
        with pytest.raises(DeadlineRefused, match="beyond what tratado runs"):
            Session(JOB, "alternating", ["hardliner", "hardliner"],
                    protocol_options={"deadline": 21})
        Session(JOB, "alternating", ["hardliner", "hardliner"], protocol_options={"deadline": 20})


@pytest.mark.parametrize("protocol", ["alternating", "single-text", "mediated"])
@pytest.mark.parametrize("deadline", [1e20, 0, 2.5, "many", True])
def test_every_protocol_refuses_a_deadline_it_cannot_run(protocol: str, deadline: Any) -> None:
    with pytest.raises(DeadlineRefused) as refused:
        Session(JOB, protocol, ["hardliner", "hardliner"], protocol_options={"deadline": deadline})
    assert refused.value.field == "deadline" and refused.value.fix


def test_compare_agendas_refuses_an_absurd_deadline() -> None:
    result = invoke("compare-agendas", "job-offer", "--rounds", "100000000000")
    assert result.exit_code == 2 and "field '--rounds'" in result.stderr


def test_the_record_is_not_written_over_the_scenario(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    scenario = tmp_path / "mine.yaml"
    invoke("convert", "job-offer", str(scenario))
    before = scenario.read_bytes()
    result = invoke("simulate", "mine.yaml", "--log", "mine.yaml")
    assert result.exit_code == 2 and "--log would overwrite the input" in result.stderr
    assert scenario.read_bytes() == before


def test_the_plot_is_not_written_over_the_record(tmp_path: Path) -> None:
    same = tmp_path / "same.png"
    result = invoke("simulate", "job-offer", "--log", str(same), "--plot", str(same))
    assert result.exit_code == 2 and "name the same file" in result.stderr
    assert not same.exists()


def test_the_record_file_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    log = tmp_path / "talks.json"
    log.write_text("earlier record", encoding="utf-8")
    result = invoke("simulate", "job-offer", "--negotiators", "hardliner,hardliner",
                    "--rounds", "3000", "--log", str(log))
    assert result.exit_code == 0, result.output
    record = json.loads(log.read_text(encoding="utf-8"))
    assert len(record["log"]) == 6000
    assert not list(tmp_path.glob(".*part"))


def test_json_prints_the_same_record_the_log_saves(tmp_path: Path) -> None:
    log = tmp_path / "talks.json"
    args = ("simulate", "job-offer", "--negotiators", "boulware,conceder", "--seed", "3")
    printed = invoke(*args, "--json").stdout
    invoke(*args, "--log", str(log))
    assert json.loads(printed)["log"] == json.loads(log.read_text(encoding="utf-8"))["log"]


def test_an_absurd_deadline_in_the_scenario_file_is_refused_naming_it(tmp_path: Path) -> None:
    scenario = tmp_path / "long.yaml"
    invoke("convert", "job-offer", str(scenario))
    text = scenario.read_text(encoding="utf-8")
    assert "\n  deadline: 20\n" in text
    scenario.write_text(text.replace("\n  deadline: 20\n", "\n  deadline: 100000000\n"),
                        encoding="utf-8")
    result = invoke("simulate", str(scenario), "--negotiators", "hardliner,hardliner")
    assert result.exit_code == 2
    assert str(scenario) in result.stderr and "rules.deadline" in result.stderr
    assert "TRATADO_LIMIT_ROUNDS" in result.stderr


def test_a_frontier_out_of_reach_is_refused_before_the_talks(tmp_path: Any) -> None:
    # the distances after the talks need the exact frontier: with 10 parties and 10^6
    # packages it is out of reach, and simulate says so at once instead of negotiating
    # first (simulate on many parties used to run 44 s before refusing)
    import subprocess
    import sys

    from tratado.analysis.budget import AnalysisTooCostly
    from tratado.negotiators import Negotiator

    asked = []

    class Watcher(Negotiator):
        def begin(self, view: Any) -> None:
            asked.append(view.party)
            super().begin(view)

    with override(analysis_work=1), pytest.raises(AnalysisTooCostly, match="analysis_work"):
        simulate(JOB, [Watcher(), Watcher()])
    assert asked == []
    script = ("import yaml, numpy as np\n"
              "rng = np.random.default_rng(1)\n"
              "issues = [{'name': f'i{j}', 'options': [f'o{o}' for o in range(10)]}"
              " for j in range(6)]\n"
              "def prefs():\n"
              "    return {'weights': {f'i{j}': 1 / 6 for j in range(6)}, 'reservation_value': 0.1,\n"
              "            'values': {f'i{j}': {f'o{o}': float(rng.random()) for o in range(10)}\n"
              "                       for j in range(6)}}\n"
              "print(yaml.safe_dump({'tratado': 1, 'name': 'many', 'agenda': {'issues': issues},\n"
              "                      'parties': [{'id': f'p{k}', 'preferences': prefs()}\n"
              "                                  for k in range(10)]}))\n")
    many = tmp_path / "many.yaml"
    many.write_text(subprocess.run([sys.executable, "-c", script], capture_output=True,
                                   text=True, check=True).stdout, encoding="utf-8")
    result = invoke("simulate", str(many))
    assert result.exit_code == 2
    assert "10 parties" in result.stderr and "TRATADO_LIMIT_ANALYSIS_WORK" in result.stderr
