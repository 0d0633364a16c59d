"""`tratado replay`, `public-record`, negotiator parameters and `negotiators` as a user
runs them (issue 6 §1 replay and parameters, issue 7 §1)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tratado.cli import cli
from tratado.formats import bundled_examples

ROOT = Path(__file__).resolve().parents[2]


def invoke(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture
def job_offer(tmp_path: Path) -> Path:
    path = tmp_path / "scenarios" / "job-offer.yaml"
    path.parent.mkdir()
    shutil.copy(bundled_examples()["job-offer"], path)
    return path


def simulate_log(scenario: Path, log: Path, *extra: str) -> None:
    result = invoke("simulate", str(scenario), "--log", str(log), *extra)
    assert result.exit_code == 0, result.output


def test_a_record_replays_from_another_folder(job_offer, tmp_path, monkeypatch):
    """Issue 6: the record stored the scenario path relative to where simulate ran."""
    monkeypatch.chdir(job_offer.parent)
    simulate_log(Path("job-offer.yaml"), Path("talks.json"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    moved = elsewhere / "talks.json"
    shutil.copy(job_offer.parent / "talks.json", moved)
    monkeypatch.chdir(tmp_path)
    result = invoke("replay", str(job_offer.parent / "talks.json"))
    assert result.exit_code == 0 and result.stdout.startswith("Reproduces"), result.output
    # moved away from the scenario: the absolute path still finds it
    assert invoke("replay", str(moved)).exit_code == 0


def test_a_changed_scenario_does_not_reproduce(job_offer, tmp_path):
    """Issue 6: a no-deal value 0.6 -> 0.65 printed a warning and exit 0."""
    log = tmp_path / "talks.json"
    simulate_log(job_offer, log)
    text = job_offer.read_text(encoding="utf-8")
    assert "reservation_value: 0.45" in text
    job_offer.write_text(text.replace("reservation_value: 0.45", "reservation_value: 0.5"),
                         encoding="utf-8")
    result = invoke("replay", str(log))
    assert result.exit_code == 1
    assert "Does not reproduce: the scenario given is not the one the session ran on" in result.stdout


def test_scenario_option_overrides_the_source(job_offer, tmp_path):
    log = tmp_path / "talks.json"
    simulate_log(job_offer, log)
    job_offer.unlink()
    assert invoke("replay", str(log)).exit_code == 2
    assert invoke("replay", str(log), "--scenario", "job-offer").exit_code == 0


def test_what_ifs_are_recorded_and_applied_on_replay(tmp_path):
    log = tmp_path / "talks.json"
    simulate_log(Path("venezuela-2021"), log, "--reservation", "government=0.5")
    record = json.loads(log.read_text(encoding="utf-8"))
    assert record["what_if"] == {"reservation_values": {"government": 0.5}}
    assert invoke("replay", str(log)).exit_code == 0
    record["what_if"]["reservation_values"]["government"] = 0.55
    log.write_text(json.dumps(record), encoding="utf-8")
    assert invoke("replay", str(log)).exit_code == 1


def test_the_first_difference_is_named(tmp_path):
    log = tmp_path / "talks.json"
    simulate_log(Path("job-offer"), log, "--negotiators", "boulware,conceder")
    record = json.loads(log.read_text(encoding="utf-8"))
    record["result"]["welfare"] = 1.456
    log.write_text(json.dumps(record), encoding="utf-8")
    result = invoke("replay", str(log))
    assert result.exit_code == 1
    assert "result.welfare: 1.456 in the record, " in result.stdout


def test_negotiator_parameters_on_the_command_line_are_recorded_and_replayed(tmp_path):
    log = tmp_path / "talks.json"
    simulate_log(Path("job-offer"), log, "--negotiators", "time-based:e=0.2,linear")
    record = json.loads(log.read_text(encoding="utf-8"))
    assert record["negotiators"]["candidate"] == {"name": "time-based", "params": {"e": 0.2}}
    assert invoke("replay", str(log)).exit_code == 0
    # time-based:e=0.2 is not linear any more: the same talks as boulware
    boulware = json.loads(invoke("simulate", "job-offer", "--negotiators", "boulware,linear",
                                 "--json").stdout)
    linear = json.loads(invoke("simulate", "job-offer", "--negotiators", "linear,linear",
                               "--json").stdout)
    assert record["log"] == boulware["log"] != linear["log"]


@pytest.mark.parametrize(("spec", "needle"), [
    ("boulware:x=1,linear", "no parameter 'x' (its parameters: e=0.2)"),
    ("boulware:e=fast,linear", "parameter 'e' of Boulware takes a number"),
    ("frequency:candidates=2.5,linear", "takes a whole number"),
    ("boulware:e=-1,linear", "must be positive"),
    ("time-based(e=0.5),linear", "time-based(e=0.5)"),
])
def test_a_bad_parameter_is_a_clean_error(spec, needle):
    result = invoke("simulate", "job-offer", "--negotiators", spec)
    assert result.exit_code == 2
    assert "--negotiators" in result.stderr and needle in result.stderr


def test_the_listing_shows_parameters_and_defaults():
    out = invoke("negotiators").stdout
    assert "parameters: e=0.2" in out and "parameters: e=0.3, candidates=64" in out
    listing = json.loads(invoke("negotiators", "--json").stdout)
    assert listing["time-based"]["params"] == {"e": 1.0}


def test_an_unknown_plugin_protocol_is_a_clean_error():
    result = invoke("simulate", "job-offer", "--protocol", "nosuch:Mod")
    assert result.exit_code == 2 and "--protocol" in result.stderr


ATTACK = "import pathlib\npathlib.Path('marker').write_text('ran')\nclass X: pass\n"


@pytest.mark.parametrize("where", ["protocol", "negotiator"])
def test_replay_of_a_hostile_record_runs_no_code(tmp_path, where):
    """Issue 7 §1, as reported: `python -m tratado.cli replay L.json` with the
    attacker's module in the current folder ran it."""
    log = tmp_path / "L.json"
    simulate_log(Path("job-offer"), log)
    record = json.loads(log.read_text(encoding="utf-8"))
    if where == "protocol":
        record["protocol"]["name"] = "attacker_module:X"
    else:
        record["negotiators"]["candidate"] = {"name": "attacker_module:X", "params": {}}
    log.write_text(json.dumps(record), encoding="utf-8")
    (tmp_path / "attacker_module.py").write_text(ATTACK)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-m", "tratado.cli", "replay", "L.json"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert not (tmp_path / "marker").exists()
    assert "Traceback" not in done.stderr
    assert done.returncode == (1 if where == "protocol" else 3), done.stdout + done.stderr
    if where == "negotiator":
        assert "Only the rules were checked" in done.stdout and "--allow-plugins" in done.stdout


def test_a_this_module_record_prints_no_zen(tmp_path):
    log = tmp_path / "L.json"
    simulate_log(Path("job-offer"), log)
    record = json.loads(log.read_text(encoding="utf-8"))
    record["protocol"]["name"] = "this:X"
    log.write_text(json.dumps(record), encoding="utf-8")
    result = invoke("replay", str(log))
    assert result.exit_code == 1 and "Beautiful is better" not in result.output


@pytest.mark.parametrize("text", ["[" * 100_000, '{"tratado_record": 1, "seed": ' + "9" * 5000 + "}",
                                  "\x00\xff", '{"hello": 1}'])
def test_an_unreadable_record_is_exit_2(tmp_path, text):
    log = tmp_path / "x.json"
    log.write_bytes(text.encode("latin-1"))
    result = invoke("replay", str(log), "--scenario", "job-offer")
    assert result.exit_code == 2 and result.stderr.startswith("tratado: error: ")


def test_a_record_over_the_size_limit_is_exit_2(tmp_path, monkeypatch):
    log = tmp_path / "talks.json"
    simulate_log(Path("job-offer"), log)
    monkeypatch.setenv("TRATADO_LIMIT_INPUT_BYTES", "1000")
    result = invoke("replay", str(log))
    assert result.exit_code == 2 and "TRATADO_LIMIT_INPUT_BYTES" in result.stderr


def test_public_record_drops_the_confidential_parts(tmp_path):
    log, public = tmp_path / "talks.json", tmp_path / "public.json"
    simulate_log(Path("venezuela-2021"), log)
    assert invoke("public-record", str(log), str(public)).exit_code == 0
    text = public.read_text(encoding="utf-8")
    assert '"utilities"' not in text and '"negotiators"' not in text and '"seed"' not in text
    unsourced = invoke("replay", str(public))
    assert unsourced.exit_code == 2 and "a public record carries no file paths" in unsourced.stderr
    result = invoke("replay", str(public), "--scenario", "venezuela-2021")
    assert result.exit_code == 3 and "Only the rules were checked" in result.stdout
    again = invoke("public-record", str(log), str(public))
    assert again.exit_code == 2 and "--force" in again.stderr
    assert invoke("public-record", str(log), str(log), "--force").exit_code == 2
