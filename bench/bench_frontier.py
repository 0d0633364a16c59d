"""A forecast's fixed costs per sample: the negotiators' sorts and the exact frontier
with its Nash package, on the samples of the Venezuela example (2 parties, 15,360
packages, the U.S. linkage folded in).

    PYTHONPATH=src python bench/bench_frontier.py [--samples N] [--repeat R]

Per sample, in CPU microseconds of this process (median over ``--repeat`` runs of
``--samples`` samples):

* ``sort``: one party's full ascending order, ``tratado.analysis.ordering.stable_argsort``
  against ``np.argsort(kind="stable")`` (the same order), on the sample's utilities and
  on the same utilities rounded to 1/64 (long runs of ties);
* ``utilities``: both parties' utilities of every package (``Scenario.utilities``);
* ``frontier``: the exact frontier from those utilities (``FrontierBuilder``, what
  ``pareto_frontier`` runs on a listed space);
* ``nash``: the Nash package on that frontier (``nash_solution``);
* ``_nash``: what a forecast pays for it per sample (copies of the preferences, their
  utilities, the frontier, the Nash package), with the sample's rebuilding (``build``
  of ``bench_forecast.py``, about 30 us).

Each stage runs in a fresh process: what one stage leaves in the memory allocator
(glibc trims and regrows its heap, and a numpy array of 15,360 floats then costs page
faults) can add a third to the next stage's time, whichever code it runs. Runs on
older trees too (what they lack is skipped), so "before" is this script run with
``PYTHONPATH`` on the older tree. Medians, never single runs: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import tratado
from tratado.analysis import nash_solution
from tratado.analysis.frontier import FrontierBuilder
from tratado.experiments.forecast import Forecast
from tratado.experiments.forecast_job import _nash

try:
    from tratado.analysis.ordering import stable_argsort
except ImportError:  # an older tree
    stable_argsort = None


def per_item(action: Callable[[Any], object], items: Sequence[Any], repeat: int) -> float:
    """Median CPU microseconds of ``action`` per item over ``repeat`` runs of ``items``."""
    runs = []
    for _ in range(repeat):
        ticks = time.process_time()
        for item in items:
            action(item)
        runs.append((time.process_time() - ticks) / len(items))
    return 1e6 * statistics.median(runs)


def measure(stage: str, n_samples: int, repeat: int) -> list[float]:
    """CPU microseconds per sample of ``stage`` (two figures for a sort: NumPy's stable
    argsort, then ``stable_argsort`` when this tree has it)."""
    scenario = tratado.load("venezuela-2021")
    jobs = [Forecast(scenario, samples=n_samples, seed=k).prepare() for k in range(repeat + 1)]
    samples = [jobs[0].scenario(unit) for unit in range(n_samples)]
    rows = scenario.agenda.outcomes()
    utilities = [s.utilities(rows) for s in samples]
    if stage.startswith("sort"):
        columns = [np.ascontiguousarray(u[:, p]) for u in utilities for p in range(2)]
        if stage == "sort-tied":
            columns = [np.round(c * 64) / 64 for c in columns]
        found = [per_item(lambda c: np.argsort(c, kind="stable"), columns, repeat)]
        if stable_argsort is not None:
            found.append(per_item(stable_argsort, columns, repeat))
        return found
    if stage == "utilities":
        return [per_item(lambda s: s.utilities(rows), samples, repeat)]

    def frontier(u: np.ndarray) -> Any:
        builder = FrontierBuilder(2, rows.shape[1])
        builder.add(u, rows)
        return builder.result()

    if stage == "frontier":
        return [per_item(frontier, utilities, repeat)]
    if stage == "nash":
        found = [(frontier(u), s.reservation_values)
                 for u, s in zip(utilities, samples, strict=True)]
        return [per_item(lambda f: nash_solution(*f), found, repeat)]
    fresh = iter(jobs[1:])

    def forecast_nash(_: object) -> None:  # fresh samples: nothing cached from before
        job = next(fresh)
        for unit in range(n_samples):
            _nash(job.scenario(unit))

    return [per_item(forecast_nash, [None], repeat) / n_samples]


STAGES = {
    "sort": "sort, as sampled (per party)",
    "sort-tied": "sort, rounded to 1/64 (per party)",
    "utilities": "utilities",
    "frontier": "frontier",
    "nash": "nash",
    "_nash": "_nash (with its copies)",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:  # one stage, in a process of its own
        print(" ".join(f"{value:.1f}" for value in measure(args.stage, args.samples, args.repeat)))
        return
    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} cores;"
          f" load average {os.getloadavg()[0]:.1f}")
    print(f"Venezuela 2021, 15,360 packages, per sample, median of {args.repeat} x"
          f" {args.samples} samples, each stage in a fresh process: CPU us")
    for stage, title in STAGES.items():
        out = subprocess.run([sys.executable, __file__, "--stage", stage, "--samples",
                              str(args.samples), "--repeat", str(args.repeat)],
                             check=True, capture_output=True, text=True).stdout.split()
        line = f"  {title:<34} {float(out[0]):7.1f}"
        if len(out) > 1:
            line = (f"  {title:<34} np.argsort(stable) {float(out[0]):6.1f};"
                    f" stable_argsort {float(out[1]):6.1f} ({float(out[0]) / float(out[1]):.1f}x)")
        print(line)


if __name__ == "__main__":
    main()
