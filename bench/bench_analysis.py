"""tratado vs NegMAS: exact Pareto frontier + the four bargaining solutions.

Runs both tools in one process on the same seeded random domains (bench/common.py) and
prints, per case, the median wall time of each tool, the ratio NegMAS / tratado and
tratado's peak memory.

What is timed (from utility functions to results, the same work in both tools):

* tratado: ``pareto_frontier(scenario)`` (enumerating and evaluating outcomes in chunks for
  non-linear preferences; the additive dynamic programme, without enumeration, for
  linear-additive ones), ``Frontier.rational(reservation)``, then ``nash_solution``,
  ``kalai_smorodinsky_solution``, ``egalitarian_solution`` and ``utilitarian_solution``.
* NegMAS: ``pareto_frontier(ufuns, issues=...)`` (which enumerates the outcome space,
  evaluates every ufun on every outcome, keeps the rational ones and filters them), then
  ``nash_points``, ``ks_points``, ``kalai_points`` (max of the minimum gain, i.e.
  egalitarian) and ``max_welfare_points`` on that frontier, with ``ranges`` built from it.

Not timed: building the scenario / ufun objects, and the checks.  Before timing, every
case checks that both tools give identical utilities on 2,000 random outcomes (to 1e-9),
and every case where NegMAS runs checks that the two frontiers hold the same utility
vectors.

Peak memory is tratado's, measured with ``tracemalloc`` (numpy's buffers are traced) in a
separate, untimed run of the same work, so tracing does not slow the timed runs.

Whole-process cases ("whole process" in the label) time the command line instead: a fresh
``python -m tratado.cli analyze FILE --json`` subprocess on the domain saved as YAML
(interpreter start, imports, loading, the full analysis -- frontier, solutions, counting
the rational packages, trade-offs -- and the JSON output), against NegMAS's in-process
frontier and solutions on the same domain.  Their memory column is the child's max RSS.

Usage::

    python bench/bench_analysis.py              # full run (about 5 minutes on 2 cores)
    python bench/bench_analysis.py --quick      # fewer repeats, skips the slowest NegMAS case
    python bench/bench_analysis.py --markdown   # also print a markdown table
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    DomainSpec,
    check_utilities_agree,
    enumerated,
    linear_domain,
    negmas_available,
    negmas_frontier_and_solutions,
    negmas_version,
    nonlinear_domain,
    outcome_count_text,
    to_negmas,
    to_tratado,
    tratado_frontier_and_solutions,
)

MiB = 1 << 20


@dataclass
class Case:
    label: str
    spec: DomainSpec
    tratado_repeats: int
    negmas_repeats: int  # 0: tratado only
    negmas_limit_s: float = 120.0  # abandon NegMAS beyond this (per run)
    target: str = ""
    check: Callable[[Row], bool | None] | None = None
    negmas_note: str = ""
    quick_skip_negmas: bool = False
    whole_process: bool = False  # time `tratado analyze --json` as a subprocess


@dataclass
class Row:
    case: Case
    frontier_points: int
    tratado_times: list[float]
    tratado_peak: float  # bytes
    negmas_times: list[float]
    negmas_note: str

    @property
    def tratado_median(self) -> float:
        return statistics.median(self.tratado_times)

    @property
    def negmas_median(self) -> float | None:
        return statistics.median(self.negmas_times) if self.negmas_times else None

    @property
    def ratio(self) -> float | None:
        n = self.negmas_median
        return None if n is None else n / self.tratado_median


def cases(quick: bool) -> list[Case]:
    # None: not measured (NegMAS not run), which is neither met nor missed.
    ratio50: Callable[[Row], bool | None] = lambda r: None if r.ratio is None else r.ratio >= 50  # noqa: E731
    return [
        Case("2 parties, 5x10, linear", linear_domain(2, 5, 10, seed=1), 7, 5),
        Case(
            "2 parties, 6x10, linear",
            linear_domain(2, 6, 10, seed=2),
            7,
            3,
            target=">= 50x NegMAS",
            check=ratio50,
        ),
        Case(
            "2 parties, 6x10, linear, opposed",
            linear_domain(2, 6, 10, seed=3, conflict=0.9),
            7,
            3,
            target=">= 50x NegMAS",
            check=ratio50,
        ),
        Case(
            "2 parties, 6x10, linear, whole process (tratado analyze --json)",
            linear_domain(2, 6, 10, seed=2),
            7,
            3,
            target=">= 20x NegMAS",
            check=lambda r: None if r.ratio is None else r.ratio >= 20,
            whole_process=True,
        ),
        Case(
            "2 parties, 6x10, linear, tratado enumerating", enumerated(linear_domain(2, 6, 10, seed=2)), 5, 3
        ),
        Case(
            "2 parties, 8x10, linear",
            linear_domain(2, 8, 10, seed=4),
            7,
            0,
            target="< 2 s, < 1 GB",
            check=lambda r: r.tratado_median < 2 and r.tratado_peak < 1e9,
            negmas_note="not run: ~10^8 Python ufun calls (hours)",
        ),
        Case(
            "2 parties, 8x10, linear, opposed",
            linear_domain(2, 8, 10, seed=5, conflict=0.9),
            7,
            0,
            target="< 2 s, < 1 GB",
            check=lambda r: r.tratado_median < 2 and r.tratado_peak < 1e9,
            negmas_note="not run: ~10^8 Python ufun calls (hours)",
        ),
        Case("2 parties, 5x10, non-linear", nonlinear_domain(2, 5, 10, seed=6), 5, 3),
        Case("2 parties, 6x10, non-linear", nonlinear_domain(2, 6, 10, seed=7), 5, 1, quick_skip_negmas=True),
        Case(
            "2 parties, 7x10, non-linear (streamed)",
            nonlinear_domain(2, 7, 10, seed=8),
            3,
            0,
            target="< 5 s, bounded memory",
            check=lambda r: r.tratado_median < 5 and r.tratado_peak < 256 * MiB,
            negmas_note="not run: ~10 min (59 s at 10^6, x10)",
        ),
        Case(
            "3 parties, 6x10, linear",
            linear_domain(3, 6, 10, seed=9),
            7,
            3,
            negmas_limit_s=60,
            target="< 1 s",
            check=lambda r: r.tratado_median < 1,
        ),
        Case(
            "3 parties, 6x10, linear, opposed",
            linear_domain(3, 6, 10, seed=10, conflict=0.9),
            5,
            1,
            negmas_limit_s=60,
            target="< 1 s",
            check=lambda r: r.tratado_median < 1,
            quick_skip_negmas=True,
        ),
        Case(
            "3 parties, 6x10, non-linear",
            nonlinear_domain(3, 6, 10, seed=11),
            5,
            1,
            negmas_limit_s=120,
            target="< 1 s",
            check=lambda r: r.tratado_median < 1,
            quick_skip_negmas=True,
        ),
    ]


class _Timeout(Exception):
    pass


def _alarm(signum, frame):  # noqa: ARG001
    raise _Timeout


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    gc.collect()
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def _peak(fn: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return float(tracemalloc.get_traced_memory()[1])
    finally:
        tracemalloc.stop()


def _same_frontier(ours: np.ndarray, theirs: np.ndarray) -> bool:
    def merged(u: np.ndarray) -> np.ndarray:
        u = u[np.lexsort(u.T[::-1])]
        keep = np.ones(len(u), dtype=bool)
        keep[1:] = np.any(np.abs(u[1:] - u[:-1]) > 1e-12, axis=1)
        return u[keep]

    a, b = merged(np.asarray(ours)), merged(np.asarray(theirs))
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=0, atol=1e-9))


class _WholeProcess:
    """Runs ``python -m tratado.cli analyze FILE --json`` in a fresh process and times it;
    the domain is saved once as YAML.  The first run is untimed and its output checked."""

    _PROBE = ("import runpy, sys\n"
              "sys.argv = ['tratado', *sys.argv[1:]]\n"
              "try:\n    runpy.run_module('tratado.cli', run_name='__main__')\n"
              "finally:\n"
              "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')]\n"
              "    sys.stderr.write('maxrss=' + (hwm[0].split()[1] if hwm else '0') + '\\n')\n")

    def __init__(self, scenario: object, log: Callable[[str], None]) -> None:
        import json

        import tratado

        self._folder = tempfile.TemporaryDirectory()
        path = Path(self._folder.name) / "domain.yaml"
        tratado.save(scenario, path)  # type: ignore[arg-type]
        self._args = ["analyze", str(path), "--json"]
        self._env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [str(Path(tratado.__file__).resolve().parents[1]), os.environ.get("PYTHONPATH", "")]))
        done = self._run([sys.executable, "-m", "tratado.cli", *self._args])
        document = json.loads(done.stdout)
        log(f"  whole process: {document['outcomes']:,} outcomes, "
            f"{document['rational']:,} rational, {len(document['pareto'])} frontier points")

    def _run(self, command: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(command, capture_output=True, env=self._env, text=True, check=True)

    def timed(self) -> float:
        t0 = time.perf_counter()
        self._run([sys.executable, "-m", "tratado.cli", *self._args])
        return time.perf_counter() - t0

    def rss(self) -> float:
        """The command's own peak RSS in bytes (VmHWM, read inside one extra run: the
        rusage of a child would include the pages this process had when it forked)."""
        done = self._run([sys.executable, "-c", self._PROBE, *self._args])
        return float(done.stderr.rsplit("maxrss=", 1)[1].split()[0]) * 1024.0

    def close(self) -> None:
        self._folder.cleanup()


def run_case(case: Case, quick: bool, use_negmas: bool, log: Callable[[str], None]) -> Row:
    spec = case.spec
    scenario = to_tratado(spec)
    if use_negmas:
        check_utilities_agree(spec)
    reps = max(1, min(case.tratado_repeats, 3)) if quick else case.tratado_repeats
    tratado_frontier_and_solutions(scenario)  # warm-up (imports, numpy first calls)
    t_times: list[float] = []
    result = tratado_frontier_and_solutions(scenario)
    whole = _WholeProcess(scenario, log) if case.whole_process else None
    n_reps = case.negmas_repeats
    if quick:
        n_reps = 0 if case.quick_skip_negmas else min(n_reps, 1)
    if not use_negmas:
        n_reps = 0
    # Whole-process runs are interleaved with the NegMAS runs (a share before each and
    # after the last), so that both see the same load on a busy machine.
    share = -(-reps // (n_reps + 1))
    if whole is not None:
        t_times = [whole.timed() for _ in range(share)]
        peak = whole.rss()
    else:
        for _ in range(reps):
            dt, result = _timed(lambda: tratado_frontier_and_solutions(scenario))
            t_times.append(dt)
        peak = _peak(lambda: tratado_frontier_and_solutions(scenario))
    log(
        f"  tratado: median {statistics.median(t_times):.4f} s over {reps} "
        f"({', '.join(f'{t:.4f}' for t in t_times)}), peak {peak / MiB:.1f} MiB, "
        f"{len(result.frontier)} rational frontier points"
    )

    n_times: list[float] = []
    note = case.negmas_note
    if quick and case.quick_skip_negmas and not note:
        note = "skipped with --quick"
    if not use_negmas and case.negmas_repeats:
        note = "NegMAS not installed"
    if n_reps:
        os_, ufuns = to_negmas(spec)
        old = signal.signal(signal.SIGALRM, _alarm)
        try:
            for k in range(n_reps):
                signal.setitimer(signal.ITIMER_REAL, case.negmas_limit_s)
                try:
                    dt, theirs = _timed(lambda: negmas_frontier_and_solutions(os_, ufuns))
                except _Timeout:
                    note = f"> {case.negmas_limit_s:.0f} s, abandoned"
                    log(f"  NegMAS: {note}")
                    n_times = []
                    break
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                n_times.append(dt)
                if whole is not None:
                    t_times += [whole.timed() for _ in range(share)]
                if k == 0:
                    assert _same_frontier(result.frontier.utilities, theirs.utilities), (
                        f"{spec.name}: frontiers differ"
                    )
                    log("  frontiers agree (same utility vectors)")
        finally:
            signal.signal(signal.SIGALRM, old)
        if n_times:
            log(
                f"  NegMAS: median {statistics.median(n_times):.3f} s over {len(n_times)} "
                f"({', '.join(f'{t:.3f}' for t in n_times)})"
            )
    if whole is not None:
        whole.close()
        log(f"  tratado whole process, interleaved: median {statistics.median(t_times):.4f} s "
            f"over {len(t_times)} ({', '.join(f'{t:.4f}' for t in t_times)})")
    return Row(case, len(result.frontier), t_times, peak, n_times, note)


def fmt_time(t: float | None) -> str:
    if t is None:
        return "—"
    if t < 0.01:
        return f"{t * 1000:.2f} ms"
    if t < 1:
        return f"{t * 1000:.0f} ms"
    return f"{t:.2f} s"


def fmt_bytes(n: float) -> str:
    return f"{n / 1024:.0f} KiB" if n < MiB else f"{n / MiB:.1f} MiB"


def table(rows: list[Row], markdown: bool) -> str:
    head = [
        "case",
        "outcomes",
        "rational frontier",
        "tratado",
        "NegMAS",
        "NegMAS/tratado",
        "tratado peak",
        "target",
        "met",
    ]
    body = []
    for r in rows:
        ratio = r.ratio
        verdict = None if r.case.check is None else r.case.check(r)
        met = {None: "", True: "yes", False: "NO"}[verdict]
        if r.case.check is not None and verdict is None:
            met = "not measured"
        body.append(
            [
                r.case.label,
                outcome_count_text(r.case.spec.size),
                str(r.frontier_points),
                fmt_time(r.tratado_median),
                fmt_time(r.negmas_median) if r.negmas_times else (r.negmas_note or "—"),
                "—" if ratio is None else f"{ratio:,.0f}x",
                fmt_bytes(r.tratado_peak),
                r.case.target or "—",
                met or "—",
            ]
        )
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        lines += ["| " + " | ".join(b) + " |" for b in body]
        return "\n".join(lines)
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(head)]
    out = ["  ".join(h.ljust(w) for h, w in zip(head, widths)), "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(b, widths)) for b in body]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats; skip slow NegMAS runs")
    ap.add_argument("--markdown", action="store_true", help="also print a markdown table")
    ap.add_argument("--no-negmas", action="store_true", help="time tratado only")
    ap.add_argument("--only", default="", help="run only cases whose label contains this")
    args = ap.parse_args(argv)

    use_negmas = not args.no_negmas and negmas_available()
    import tratado

    version = getattr(tratado, "__version__", "?")
    print(
        f"tratado {version}, NegMAS {negmas_version() if use_negmas else 'not used'}, "
        f"numpy {np.__version__}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}"
    )
    print(
        "timed: utilities -> exact frontier -> rational part -> Nash, KS, egalitarian, "
        "utilitarian; medians of repeated runs; peak memory = tracemalloc peak of one "
        "extra tratado run"
    )
    start = time.perf_counter()
    rows = []
    for case in cases(args.quick):
        if args.only and args.only not in case.label:
            continue
        print(f"{case.label}: {outcome_count_text(case.spec.size)} outcomes", flush=True)
        rows.append(run_case(case, args.quick, use_negmas, lambda s: print(s, flush=True)))
    print()
    print(table(rows, markdown=False))
    if args.markdown:
        print()
        print(table(rows, markdown=True))
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        f"\ntotal {time.perf_counter() - start:.0f} s; process max RSS {rss:.0f} MiB "
        "(whole run, NegMAS included)"
    )
    missed = [r.case.label for r in rows if r.case.check is not None and r.case.check(r) is False]
    if missed:
        print("targets missed: " + "; ".join(missed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
