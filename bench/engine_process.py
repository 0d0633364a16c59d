"""The whole-process case: ``tratado simulate ... --rounds R [--json]`` as a user runs
it (a fresh interpreter: imports, loading the scenario, the session, evaluating it,
writing the transcript or the whole record to a pipe), against the same session in a
NegMAS process (``negmas_session.py``).

Both run the domain and negotiators of case (a) — 3 issues x 10 options, opposed,
reservation values that no package meets, Boulware (moving first) against Conceder with
NegMAS's curves — so both play every round. tratado reads it from a YAML file written
once (``tratado.formats.save``). Each run is a child process, timed from start to exit
(wall clock) with its peak RSS from ``os.wait4``; the figures are medians, the rate is
rounds per second of the whole process.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from common import to_tratado
from engine_common import no_deal_domain
from rows import Row

from tratado.formats import save
from tratado.parties import Rules

HERE = Path(__file__).resolve().parent
TARGET_PROCESS = 30.0


def run_process(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process; its output is discarded."""
    env = {**os.environ, "PYTHONPATH": str(HERE.parent / "src"), "PYTHONHASHSEED": "0"}
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             env=env)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        error = child.stderr.read().decode() if child.stderr else ""
        raise RuntimeError(f"{command[:4]} failed ({child.returncode}): {error[-500:]}")
    if child.stderr:
        child.stderr.close()
    peak = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
    return wall, peak


def tratado_command(scenario: Path, rounds: int, xb: float, xc: float, json: bool) -> list[str]:
    return [sys.executable, "-m", "tratado.cli", "simulate", str(scenario),
            "--negotiators", f"boulware:e={1 / xb:g},conceder:e={1 / xc:g}",
            "--rounds", str(rounds), *(["--json"] if json else [])]


def negmas_command(rounds: int, json: bool) -> list[str]:
    return [sys.executable, str(HERE / "negmas_session.py"), "--rounds", str(rounds),
            *(["--json"] if json else [])]


def rows_process(args: Any, xb: float, xc: float, with_negmas: bool) -> list[Row]:
    rounds = args.process_rounds
    folder = Path(tempfile.mkdtemp(prefix="tratado-bench-"))
    scenario = folder / "no-deal.yaml"
    spec = no_deal_domain()
    save(replace(to_tratado(spec), rules=Rules(deadline=rounds)), scenario)
    rows = []
    for json in (False, True):
        ours = [run_process(tratado_command(scenario, rounds, xb, xc, json))
                for _ in range(args.repeat_process)]
        theirs = ([run_process(negmas_command(rounds, json)) for _ in range(args.repeat_negmas_process)]
                  if with_negmas else [])
        wall = statistics.median(w for w, _ in ours)
        peak = max(p for _, p in ours)
        notes = [f"tratado: {wall:.2f} s, peak RSS {peak:.0f} MiB (median of {len(ours)})"]
        rate_theirs = None
        if theirs:
            their_wall = statistics.median(w for w, _ in theirs)
            rate_theirs = rounds / their_wall
            notes.append(f"NegMAS: {their_wall:.1f} s, peak RSS {max(p for _, p in theirs):.0f}"
                         f" MiB (median of {len(theirs)})")
        label = f"(d) whole `simulate` process, {rounds:,} rounds{', --json' if json else ''}"
        rows.append(Row(label, "rounds/s", rounds / wall, rate_theirs, TARGET_PROCESS,
                        notes=tuple(notes)))
    return rows
