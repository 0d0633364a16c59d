"""Plug-in negotiators on the command line: failures said in words, budgets that hold on
moves that never return, a clean message for a constructor that raises."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tratado.cli import cli

PLUGIN = '''
import sys
from tratado.negotiators import Negotiator

class Loop(Negotiator):
    def act(self, state):
        while True:
            pass

class Boom(Negotiator):
    def propose(self, t):
        raise ValueError("my table is empty")

class Exit(Negotiator):
    def act(self, state):
        sys.exit(0)

class BadInit(Negotiator):
    def __init__(self):
        raise RuntimeError("nope")
'''


@pytest.fixture
def plugin_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "mine.py").write_text(PLUGIN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    sys.modules.pop("mine", None)
    return tmp_path


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback (most recent call last)" not in result.stdout
    return result


def test_a_failure_is_said_in_words(plugin_folder: Path) -> None:
    result = run("simulate", "job-offer", "--negotiators", "boulware,mine:Boom")
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())
    assert "Failure: employer's negotiator (mine:Boom) failed: it raised ValueError (my table is" \
           " empty)." in out
    assert "{'party'" not in out and "Traceback" not in result.stderr


def test_debug_prints_the_last_lines_of_the_traceback_on_stderr(plugin_folder: Path) -> None:
    result = run("simulate", "job-offer", "--negotiators", "boulware,mine:Boom", "--debug",
                 "--json")
    assert "Traceback of employer's negotiator" in result.stderr
    assert 'raise ValueError("my table is empty")' in result.stderr
    record = json.loads(result.stdout)  # the record carries no traceback
    assert "Traceback" not in result.stdout
    assert record["result"]["failures"][0]["error"] == "ValueError: my table is empty"


def test_a_move_that_never_returns_is_stopped_by_the_move_budget(plugin_folder: Path) -> None:
    result = run("simulate", "job-offer", "--negotiators", "boulware,mine:Loop",
                 "--move-budget", "0.5", "--seconds", "2")
    assert result.exit_code == 0
    assert "in a process of its own" in result.stderr
    assert "employer's negotiator (mine:Loop) failed: it ran past its time budget" in \
        " ".join(result.stdout.split())


def test_the_seconds_hold_with_a_hung_plugin(plugin_folder: Path) -> None:
    result = run("simulate", "job-offer", "--negotiators", "boulware,mine:Loop",
                 "--seconds", "0.5", "--json")
    assert json.loads(result.stdout)["result"]["reason"] == "deadline"


def test_sys_exit_in_a_move_still_gives_the_report_and_the_record(plugin_folder: Path) -> None:
    result = run("simulate", "job-offer", "--negotiators", "mine:Exit,boulware",
                 "--log", "record.json")
    assert "candidate's negotiator (mine:Exit) failed: it tried to end the program" in \
        " ".join(result.stdout.split())
    record = json.loads((plugin_folder / "record.json").read_text(encoding="utf-8"))
    assert record["result"]["reason"] == "error"
    assert record["result"]["failures"][0]["party"] == "candidate"


@pytest.mark.parametrize("isolate", [[], ["--isolate"]])
def test_a_constructor_that_raises_is_one_clear_message(plugin_folder: Path,
                                                        isolate: list[str]) -> None:
    result = run("simulate", "job-offer", "--negotiators", "mine:BadInit,boulware", *isolate)
    assert result.exit_code == 2
    assert "the negotiator 'mine:BadInit' could not be created" in result.stderr
    assert "RuntimeError (nope)" in result.stderr and "Traceback" not in result.stderr


def test_a_plugin_is_built_once_per_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the command line checks a negotiator by building it, then runs that very object
    # (a plug-in's constructor may have effects: it used to run twice)
    (tmp_path / "counted.py").write_text(
        "from tratado.negotiators import Negotiator\n"
        "class Counted(Negotiator):\n"
        "    def __init__(self):\n"
        "        with open('built.txt', 'a') as out:\n"
        "            out.write('x')\n"
        "    def propose(self, t):\n"
        "        return self.best_outcome\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    sys.modules.pop("counted", None)
    result = run("simulate", "job-offer", "--negotiators", "counted:Counted,boulware")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "built.txt").read_text(encoding="utf-8") == "x"
