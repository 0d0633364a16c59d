"""Tournaments, side by side with NegMAS's ``cartesian_tournament``: sessions per second
with the same number of processes, memory over many sessions, Dask against local.

    PYTHONPATH=src python bench/bench_tournament.py [--quick] [--markdown] [--no-negmas]
                                                    [--no-memory] [--no-dask] [--repeat N]

Both tools play the same round robin: three time-based negotiators (Boulware, Conceder
and Linear: tratado's ``boulware:e=0.25``, ``conceder:e=4`` and ``linear``, the same
curves as NegMAS's ``BoulwareTBNegotiator``, ``ConcederTBNegotiator`` and
``LinearTBNegotiator``), no self-play, every negotiator in both roles, on the same
seeded two-party domains (``bench/common.py``: 2 issues x 5 options, opposed option
values, reservation 0.1), 100 rounds of alternating offers. Each tool writes its
results to a fresh folder and computes its per-session statistics (tratado: the row's
advantage and distances to Pareto and Nash; NegMAS: ``save_stats=True``, scenario
figures off).

What is timed: the whole tournament call, from the negotiator names and scenarios to
the results on disk (``Tournament(...).run(out, jobs=J)`` and
``cartesian_tournament(..., path=out, njobs=J)``); NegMAS's ``njobs=-1`` (serial, in
process) is set against tratado's ``jobs=0`` (in process), and ``njobs=2`` against
``jobs=2``. Sessions per second = sessions played / median wall-clock time over the
repeats (the two tools interleaved). NegMAS plays fewer sessions per run (it is slower);
both counts are printed.

Memory (tratado only): ``10^4`` and ``10^5`` sessions with ``jobs=2``, each in a fresh
process, results written and ranked; the peak RSS of the main process and of the largest
worker (sampled with psutil). Flat means the
two sizes have about the same peaks. Dask: the same tournament with
``dask_workers=2`` (a LocalCluster of two worker processes) against ``jobs=2``.
``--million`` (alone) runs one million sessions of the bundled examples in one
``tratado tournament`` command, ten built-in negotiators, ``--jobs 2``, and reports the
time and the peak memory of the command and of its workers.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import linear_domain, negmas_available, negmas_version, to_negmas, to_tratado  # noqa: E402

from tratado.experiments.tournament import Tournament  # noqa: E402
from tratado.formats.yaml_write import save_yaml  # noqa: E402
from tratado.parties import Rules  # noqa: E402

ROUNDS = 100
N_DOMAINS = 4
TRATADO = ["boulware:e=0.25", "conceder:e=4", "linear"]


def specs() -> list[Any]:
    return [linear_domain(2, 2, 5, seed=100 + d, conflict=1.0, reservation=0.1)
            for d in range(N_DOMAINS)]


def write_scenarios(folder: Path) -> list[str]:
    paths = []
    for d, spec in enumerate(specs()):
        scenario = replace(to_tratado(spec), name=f"domain {d}", rules=Rules(deadline=ROUNDS))
        path = folder / f"domain-{d}.yaml"
        save_yaml(scenario, path)
        paths.append(str(path))
    return paths


def run_tratado(scenarios: list[str], repetitions: int, jobs: int | None = None,
                dask_workers: int | None = None) -> tuple[float, int]:
    out = Path(tempfile.mkdtemp(prefix="bench-tratado-")) / "out"
    tournament = Tournament(TRATADO, scenarios, repetitions=repetitions, seed=1)
    started = time.perf_counter()
    results = tournament.run(out, jobs=jobs, dask_workers=dask_workers)
    elapsed = time.perf_counter() - started
    shutil.rmtree(out.parent)
    return elapsed, len(results)


def run_negmas(repetitions: int, njobs: int) -> tuple[float, int]:
    from negmas.inout import Scenario
    from negmas.sao import BoulwareTBNegotiator, ConcederTBNegotiator, LinearTBNegotiator
    from negmas.tournaments.neg import cartesian_tournament

    scenarios = []
    for d, spec in enumerate(specs()):
        os_, ufuns = to_negmas(spec)
        scenarios.append(Scenario(outcome_space=os_, ufuns=tuple(ufuns), name=f"domain{d}"))
    out = Path(tempfile.mkdtemp(prefix="bench-negmas-")) / "out"
    started = time.perf_counter()
    results = cartesian_tournament(
        competitors=[BoulwareTBNegotiator, ConcederTBNegotiator, LinearTBNegotiator],
        scenarios=scenarios, n_repetitions=repetitions, n_steps=ROUNDS, njobs=njobs,
        path=out, self_play=False, rotate_ufuns=True, save_scenario_figs=False,
        save_stats=True, verbosity=0)
    elapsed = time.perf_counter() - started
    sessions = len(results.details)
    shutil.rmtree(out.parent)
    return elapsed, sessions


class PeakWatcher:
    """Samples the resident memory of this process and of its descendants (the worker
    processes are children of the forkserver, so ``RUSAGE_CHILDREN`` misses them) every
    0.2 s; needs psutil."""

    def __init__(self) -> None:
        import psutil

        self.me = psutil.Process()
        self.workers = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        import psutil

        while not self._stop.wait(0.2):
            for child in self.me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    self.workers = max(self.workers, child.memory_info().rss / 2**20)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.workers


def memory_child(sessions: int, scenarios: list[str]) -> None:
    """Run one tournament of about ``sessions`` sessions (ranking included) and print the
    peaks (MiB)."""
    per_repetition = len(scenarios) * 6
    repetitions = max(1, sessions // per_repetition)
    watcher = PeakWatcher()
    out = Path(tempfile.mkdtemp(prefix="bench-memory-")) / "out"
    started = time.perf_counter()
    results = Tournament(TRATADO, scenarios, repetitions=repetitions, seed=1).run(out, jobs=2)
    results.ranking()
    elapsed = time.perf_counter() - started
    workers = watcher.stop()
    shutil.rmtree(out.parent)
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"sessions": len(results), "seconds": elapsed, "main_mib": me,
                      "worker_mib": workers}))


MILLION = ["aspiration", "boulware", "conceder", "frequency", "hardliner", "linear",
           "nice-tit-for-tat", "random", "time-based:e=0.5", "tit-for-tat"]


def million(jobs: int) -> None:
    """One million sessions of the bundled examples in one `tratado tournament` command
    (10 negotiators: 900 assignments x 1,112 repetitions), with the peak RSS of the
    command and of its largest worker."""
    import psutil

    out = Path(tempfile.mkdtemp(prefix="bench-million-")) / "out"
    command = [sys.executable, "-m", "tratado.cli", "tournament", "--negotiators",
               ",".join(MILLION), "--scenarios", "job-offer", "venezuela-2021",
               "river-basin", "--repetitions", "1112", "--jobs", str(jobs), "--out",
               str(out), "--json"]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    watched = psutil.Process(process.pid)
    main_peak = worker_peak = 0.0
    while process.poll() is None:
        try:
            main_peak = max(main_peak, watched.memory_info().rss / 2**20)
            for child in watched.children(recursive=True):
                worker_peak = max(worker_peak, child.memory_info().rss / 2**20)
        except psutil.Error:
            pass
        time.sleep(0.5)
    stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(stderr)
    ranking = json.loads(stdout)
    size = (out / "sessions.parquet").stat().st_size / 2**20
    shutil.rmtree(out.parent)
    print(json.dumps({"sessions": ranking["sessions"], "seconds": elapsed,
                      "sessions_per_second": ranking["sessions"] / elapsed,
                      "main_mib": main_peak, "worker_mib": worker_peak,
                      "parquet_mib": size, "command": " ".join(command[1:])}))


def median_rate(runs: list[tuple[float, int]]) -> tuple[float, int]:
    seconds = statistics.median(t for t, _ in runs)
    return runs[0][1] / seconds, runs[0][1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--no-negmas", action="store_true")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--million", action="store_true",
                        help="only: one million sessions of the bundled examples (minutes)")
    parser.add_argument("--memory-child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.million:
        million(jobs=2)
        return
    folder = Path(tempfile.mkdtemp(prefix="bench-scenarios-"))
    scenarios = write_scenarios(folder)
    if args.memory_child:
        memory_child(args.memory_child, scenarios)
        return
    repeat = args.repeat or (1 if args.quick else 3)
    with_negmas = not args.no_negmas and negmas_available()
    ours_reps = 50 if args.quick else 1000  # 24 sessions per repetition
    theirs_reps = 2 if args.quick else 5
    print(f"python {platform.python_version()}, {os.cpu_count()} cores"
          + (f", NegMAS {negmas_version()}" if with_negmas else ", NegMAS not installed"))
    rows = []
    run_tratado(scenarios, 2, jobs=0)  # warm-up: imports, caches
    for label, ours_jobs, theirs_jobs in (("serial, in process", 0, -1), ("2 processes", 2, 2)):
        ours, theirs = [], []
        for _ in range(repeat):
            ours.append(run_tratado(scenarios, ours_reps, jobs=ours_jobs))
            if with_negmas:
                theirs.append(run_negmas(theirs_reps, theirs_jobs))
        rate, played = median_rate(ours)
        row = {"case": label, "tratado": rate, "tratado_sessions": played}
        if theirs:
            their_rate, their_played = median_rate(theirs)
            row.update(negmas=their_rate, negmas_sessions=their_played, ratio=rate / their_rate)
        rows.append(row)
        print(json.dumps(row))
    if not args.no_dask:
        try:
            import distributed  # noqa: F401
        except ImportError:
            print("dask: not installed, skipped")
        else:
            local = [run_tratado(scenarios, ours_reps, jobs=2) for _ in range(repeat)]
            dask = [run_tratado(scenarios, ours_reps, dask_workers=2) for _ in range(repeat)]
            row = {"case": "dask, 2 workers vs local 2 processes",
                   "local": median_rate(local)[0], "dask": median_rate(dask)[0]}
            row["dask_over_local"] = row["dask"] / row["local"]
            rows.append(row)
            print(json.dumps(row))
    memory = []
    if not args.no_memory:
        for size in ((10_000,) if args.quick else (10_000, 100_000)):
            done = subprocess.run([sys.executable, __file__, "--memory-child", str(size)],
                                  check=True, capture_output=True, text=True)
            memory.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(json.dumps(memory[-1]))
    shutil.rmtree(folder)
    if args.markdown:
        print("\n| case | tratado sessions/s | NegMAS sessions/s | ratio |\n|---|---|---|---|")
        for row in rows:
            if "tratado" in row:
                print(f"| {row['case']} | {row['tratado']:,.0f} ({row['tratado_sessions']:,}"
                      f" sessions) | {row.get('negmas', float('nan')):,.1f}"
                      f" ({row.get('negmas_sessions', 0):,} sessions) |"
                      f" {row.get('ratio', float('nan')):,.0f}x |")
        for row in rows:
            if "dask" in row:
                print(f"\nDask (2 workers): {row['dask']:,.0f} sessions/s; local (2 processes):"
                      f" {row['local']:,.0f} sessions/s; Dask / local = {row['dask_over_local']:.2f}")
        if memory:
            print("\n| sessions | seconds | peak RSS, main process | peak RSS, largest worker |"
                  "\n|---|---|---|---|")
            for m in memory:
                print(f"| {m['sessions']:,} | {m['seconds']:.1f} | {m['main_mib']:.0f} MiB |"
                      f" {m['worker_mib']:.0f} MiB |")


if __name__ == "__main__":
    main()
