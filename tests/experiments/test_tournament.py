"""Running tournaments: the same rows on any backend, resume, failures kept in their
session, bad input refused before anything runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tratado.errors import TratadoError
from tratado.experiments import backends
from tratado.experiments.tournament import Tournament

pytest.importorskip("pyarrow")

NEGOTIATORS = ["boulware", "conceder:e=3", "frequency"]
SCENARIOS = ["job-offer", "river-basin"]


def small(**options: Any) -> Tournament:
    return Tournament(NEGOTIATORS, SCENARIOS, repetitions=2, seed=11, **options)


def test_one_row_per_session_with_parameters_and_advantage() -> None:
    results = small().run(jobs=0)
    table = results.sessions
    assert len(table) == (6 + 6) * 2
    assert list(table["session"]) == list(range(len(table)))
    first = table.iloc[0]
    assert first["negotiator_1"] == "boulware" and first["negotiator_2"] == "conceder:e=3"
    assert first["params_2"] == '{"e":3.0}' and first["params_1"] == '{"e":0.2}'
    assert first["reason"] in ("agreement", "deadline", "walk-away", "rejection")
    for k in (1, 2):
        assert -1e-9 <= first[f"advantage_{k}"] <= 1 + 1e-9
    river = table[table["parties"] == 3]
    assert river["negotiator_3"].notna().all() and table["negotiator_3"].isna().sum() == 12


def test_serial_and_worker_processes_give_the_same_rows(tmp_path: Path) -> None:
    serial = small().run(tmp_path / "serial", jobs=0)
    local = small().run(tmp_path / "local", jobs=2)
    assert (tmp_path / "serial" / "sessions.parquet").read_bytes() == (
        tmp_path / "local" / "sessions.parquet").read_bytes()
    assert serial.sessions.equals(local.sessions)
    assert (tmp_path / "local" / "timing.parquet").exists()
    assert not (tmp_path / "local" / "parts").exists()


class Interrupt(Exception):
    pass


def test_an_interrupted_run_resumes_and_ends_byte_identical(tmp_path: Path) -> None:
    whole = tmp_path / "whole"
    small().run(whole, jobs=0)
    out = tmp_path / "out"
    calls: list[int] = []

    def stop_after_three(done: int, total: int, agreements: int, failures: int) -> None:
        calls.append(done)
        if len(calls) == 3:
            raise Interrupt

    with pytest.raises(Interrupt):
        small().run(out, jobs=0, progress=stop_after_three)
    assert not (out / "sessions.parquet").exists()
    kept = sorted(p.name for p in (out / "parts").iterdir())
    assert len(kept) == 3
    resumed: list[int] = []
    small().run(out, jobs=2, progress=lambda done, *_: resumed.append(done))
    assert resumed[0] > calls[2]  # counted on from what was done: nothing ran twice
    assert (out / "sessions.parquet").read_bytes() == (whole / "sessions.parquet").read_bytes()


def test_a_lost_part_is_run_again(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(Interrupt):
        small().run(out, jobs=0, progress=lambda *a: (_ for _ in ()).throw(Interrupt)
                    if a[0] > 12 else None)
    parts = sorted((out / "parts").iterdir())
    parts[0].unlink()
    small().run(out, jobs=0)
    again = tmp_path / "again"
    small().run(again, jobs=0)
    assert (out / "sessions.parquet").read_bytes() == (again / "sessions.parquet").read_bytes()


def test_a_folder_of_another_tournament_is_refused(tmp_path: Path) -> None:
    small().run(tmp_path / "out", jobs=0)
    other = Tournament(NEGOTIATORS, SCENARIOS, repetitions=3, seed=11)
    with pytest.raises(TratadoError, match="another tournament"):
        other.run(tmp_path / "out", jobs=0)


def test_a_finished_folder_is_read_not_run_again(tmp_path: Path) -> None:
    small().run(tmp_path / "out", jobs=0)
    ran: list[int] = []
    again = small().run(tmp_path / "out", jobs=0, progress=lambda done, *_: ran.append(done))
    assert ran == [] and len(again) == 24


@pytest.mark.parametrize(("negotiators", "match"), [
    (["boulware", "bouldware"], "no negotiator named 'bouldware'"),
    (["boulware", "conceder:e=fast"], "conceder:e=fast"),
    (["boulware", "conceder:speed=3"], "no parameter 'speed'"),
    (["boulware", "nosuchmodule:Thing"], "nosuchmodule"),
])
def test_bad_negotiators_are_refused_before_any_session(
        tmp_path: Path, negotiators: list[str], match: str) -> None:
    with pytest.raises(TratadoError, match=match) as caught:
        Tournament(negotiators, ["job-offer"]).run(tmp_path / "out", jobs=0)
    assert caught.value.field == "negotiators"
    assert not (tmp_path / "out").exists()


def test_an_unreadable_scenario_in_a_folder_is_refused_first(tmp_path: Path) -> None:
    from tratado.formats import bundled_examples

    folder = tmp_path / "scenarios"
    (folder / "deep").mkdir(parents=True)
    for name in ("job-offer", "river-basin"):
        (folder / f"{name}.yaml").write_bytes(bundled_examples()[name].read_bytes())
    (folder / "deep" / "broken.yaml").write_text("tratado: 1\nname: [unclosed\n",
                                                 encoding="utf-8")
    with pytest.raises(TratadoError) as caught:
        Tournament(NEGOTIATORS, [str(folder)]).run(tmp_path / "out", jobs=0)
    assert "broken.yaml" in str(caught.value)
    assert not (tmp_path / "out").exists()


@pytest.mark.filterwarnings("ignore::tratado.formats._notes.FormatNote")  # what GENIUS cannot hold
def test_a_folder_is_searched_recursively(tmp_path: Path) -> None:
    from tratado.formats import bundled_examples, load, save

    folder = tmp_path / "anac"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "job.yaml").write_bytes(bundled_examples()["job-offer"].read_bytes())
    save(load("venezuela-2021"), folder / "b" / "venezuela", "genius")
    entries, plan, text = Tournament(NEGOTIATORS, [str(folder)]).prepare()
    assert [e.source[0].endswith(".xml") for e in entries] == [False, True]
    assert entries[1].scenario.agenda.size == load("venezuela-2021").agenda.size
    assert str(folder / "b" / "venezuela") in text and "sha256" in text


def test_failures_are_recorded_in_their_session_with_the_negotiator(plugs: Path) -> None:
    tournament = Tournament(["boulware", "plugs:Raises", "plugs:Garbage", "plugs:Sleeper"],
                            ["job-offer"], timeout=0.3, seed=1)
    table = tournament.run(jobs=0).sessions
    assert len(table) == 12
    failed = table[table["failed_negotiator"].notna()]
    by_name = dict(zip(failed["failed_negotiator"], failed["failure"]))
    assert "boom" in by_name["plugs:Raises"]
    assert "plugs:Garbage" in by_name
    assert "timeout" in by_name["plugs:Sleeper"]
    clean = table[(table["negotiator_1"] == "boulware") | (table["negotiator_2"] == "boulware")]
    assert set(failed["reason"]) == {"error"} and len(clean) == 6


def test_a_worker_that_dies_or_hangs_fails_only_its_session(
        plugs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backends, "GRACE", 0.3)
    tournament = Tournament(["boulware", "plugs:Exits", "plugs:Stubborn", "plugs:Hog"],
                            ["job-offer"], timeout=0.3, seed=1)
    table = tournament.run(jobs=2, memory=1 << 30).sessions
    assert len(table) == 12 and list(table["session"]) == list(range(12))
    reasons = " ".join(str(r) for r in table["failure"])
    assert "died" in reasons and "killed" in reasons and "MemoryError" in reasons
    hog = table[(table["negotiator_1"] == "plugs:Hog") & (table["negotiator_2"] == "boulware")]
    assert hog.iloc[0]["failed_negotiator"] == "plugs:Hog"


def test_kill_9_then_the_same_command_finishes_byte_identical(plugs: Path, tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    negotiators = ["boulware", "plugs:Slow", "conceder"]
    command = [sys.executable, "-m", "tratado.cli", "tournament", "--negotiators",
               ",".join(negotiators), "--scenarios", "job-offer", "--repetitions", "5",
               "--jobs", "1", "--out", str(tmp_path / "out")]
    process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    parts = tmp_path / "out" / "parts"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (parts.exists() and any(parts.iterdir())):
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)  # the command and its workers, at once
    process.wait()
    assert not (tmp_path / "out" / "sessions.parquet").exists()
    done = len(list(parts.iterdir()))
    assert 1 <= done < 4
    finished = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    whole = Tournament(negotiators, ["job-offer"], repetitions=5).run(tmp_path / "whole", jobs=0)
    assert len(whole) == 30
    assert (tmp_path / "out" / "sessions.parquet").read_bytes() == (
        tmp_path / "whole" / "sessions.parquet").read_bytes()


def test_every_protocol_gives_the_rows_of_sessions_run_one_by_one() -> None:
    from tratado.experiments.specs import build
    from tratado.formats import load
    from tratado.session import Session

    tournament = Tournament(["boulware", "conceder", "frequency"], ["job-offer", "river-basin"],
                            ["alternating", "mediated", "single-text"], rounds=12, seed=3)
    entries, plan, _ = tournament.prepare()
    table = tournament.run(jobs=0).sessions
    assert set(table["protocol"]) == {"alternating", "mediated", "single-text"}
    for index in range(0, len(plan), 7):
        planned = plan.session(index)
        scenario = load(entries[planned.scenario].source[0])
        alone = Session(scenario, planned.protocol, [build(s) for s in planned.assignment],
                        planned.seed, protocol_options={"deadline": 12}).run()
        row = table.iloc[index]
        assert row["seed"] == planned.seed and row["reason"] == alone.reason
        assert row["round"] == alone.round
        assert row["utility_1"] == alone.utilities[scenario.party_ids[0]]


def test_the_results_folder_may_not_lie_inside_a_scenario_folder(tmp_path: Path) -> None:
    from tratado.formats import bundled_examples

    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "job.yaml").write_bytes(bundled_examples()["job-offer"].read_bytes())
    with pytest.raises(TratadoError, match="--out"):
        Tournament(NEGOTIATORS, [str(folder)]).run(folder / "results", jobs=0)
    assert not (folder / "results").exists()


_REFERENCE: dict[str, bytes] = {}


def _one_scenario() -> Tournament:
    return Tournament(NEGOTIATORS, ["job-offer"], repetitions=3, seed=11)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sizes=st.lists(st.integers(1, 7), min_size=1, max_size=8), order=st.randoms())
def test_chunking_and_completion_order_do_not_change_the_bytes(
        tmp_path_factory: pytest.TempPathFactory, sizes: list[int], order: Any) -> None:
    from tratado.experiments.backends import run_serial
    from tratado.experiments.rows import columns
    from tratado.experiments.store import Store
    from tratado.experiments.worker import Job

    tournament = _one_scenario()
    entries, plan, text = tournament.prepare()
    if "bytes" not in _REFERENCE:
        reference = tmp_path_factory.mktemp("ref") / "out"
        _one_scenario().run(reference, jobs=0)
        _REFERENCE["bytes"] = (reference / "sessions.parquet").read_bytes()
    chunks, start = [], 0
    while start < len(plan):
        size = sizes[len(chunks) % len(sizes)]
        chunks.append((start, min(start + size, len(plan))))
        start += size
    order.shuffle(chunks)
    store = Store(tmp_path_factory.mktemp("shuffled") / "out")
    store.open(text)
    job = Job(entries, plan, timeout=60.0)
    for begin, stop, rows in run_serial(job, chunks):
        store.write_part(begin, stop, rows)
    store.compact(columns(2), len(plan))
    assert (store.folder / "sessions.parquet").read_bytes() == _REFERENCE["bytes"]


def test_isolated_plug_ins_see_only_their_own_preferences(plugs: Path) -> None:
    def spy_failures(isolate: bool) -> list[str]:
        table = Tournament(["boulware", "plugs:Spy"], ["job-offer"], isolate=isolate,
                           move_budget=10.0, seed=2).run(jobs=1).sessions
        return [str(f) for f in table["failure"] if f is not None and f == f]

    seen = spy_failures(isolate=False)
    assert seen and all("parties' preferences" in f for f in seen)
    assert spy_failures(isolate=True) == []


def test_the_stakeholders_switch_is_played_and_recorded(tmp_path: Path) -> None:
    """Venezuela's U.S. linkage is folded in by default and left out with
    ``stakeholders=False``: different sessions, the same seeds, and the results folder
    (tournament file and session records) says which was played."""
    from tratado.formats import load
    from tratado.session.replay import REPRODUCES, verify

    def play(out: Path, **options: Any) -> Any:
        return Tournament(["boulware", "conceder"], ["venezuela-2021"], seed=5,
                          **options).run(out, jobs=0, records=True)

    linked, alone = play(tmp_path / "linked"), play(tmp_path / "alone", stakeholders=False)
    assert "stakeholders: true" in (tmp_path / "linked" / "tournament.yaml").read_text()
    assert "stakeholders: false" in (tmp_path / "alone" / "tournament.yaml").read_text()
    a, b = linked.sessions, alone.sessions
    assert list(a["seed"]) == list(b["seed"])
    assert list(a["utility_1"]) != list(b["utility_1"])
    for folder, said in (("linked", "effects-included"), ("alone", "table-alone")):
        for path in sorted((tmp_path / folder / "records").iterdir()):
            text = path.read_text(encoding="utf-8")
            assert f'"stakeholders":"{said}"' in text
            assert verify(load("venezuela-2021"), text).status == REPRODUCES
    # the switch is part of the tournament: a folder of the other world is refused
    with pytest.raises(TratadoError, match="another tournament"):
        play(tmp_path / "linked", stakeholders=False)


def test_a_tournament_without_stakeholders_effects_writes_no_switch(tmp_path: Path) -> None:
    small().run(tmp_path / "out", jobs=0)
    assert "stakeholders" not in (tmp_path / "out" / "tournament.yaml").read_text()
    assert small(stakeholders=False).prepare()[2] == small().prepare()[2]
