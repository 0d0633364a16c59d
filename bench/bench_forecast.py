"""Forecasts: the cost of one sample of the uncertain Venezuela example, stage by stage,
and the whole ``tratado forecast`` command.

    PYTHONPATH=src python bench/bench_forecast.py [--samples N] [--repeat R] [--command N]

One *sample* of a forecast is: rebuild the sampled scenario from its row of numbers
(``Uncertainty.scenario_at``) and fold the stakeholders in, find its Nash package
(exact analysis), and run one session under each of the three protocols (alternating,
single-text, mediated) with the default negotiator — each session building its
negotiators' tables for the new preferences. What is timed, in this process
(``jobs=0``), median over ``--repeat`` runs of ``--samples`` samples:

* ``build``: ``ForecastJob.scenario`` alone;
* ``nash``: ``build`` + the Nash package;
* ``sample``: the whole unit (``ForecastJob.row``): ``build``, the Nash package and the
  three sessions;

and the ratio ``sample / build``. ``--command N`` also times the command outside checks
run, ``tratado forecast venezuela-2021 --samples N --seed 0 --json`` (all cores), once
(it is long), and prints sessions per second. Medians, never single runs: the machine is
shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import tratado
from tratado.experiments.forecast import Forecast
from tratado.experiments.forecast_job import _nash

ROOT = Path(__file__).resolve().parents[1]


def _time(action, repeat: int) -> float:  # noqa: ANN001
    found = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        found.append(time.perf_counter() - started)
    return statistics.median(found)


def stages(samples: int, repeat: int) -> dict[str, float]:
    """Seconds per sample of each stage (median over the repeats)."""
    scenario = tratado.load("venezuela-2021")
    # fresh samples for every repeat: nothing cached from the one before
    jobs = [Forecast(scenario, samples=samples, seed=k).prepare() for k in range(3 * repeat)]
    build = iter(jobs[:repeat])
    nash = iter(jobs[repeat:2 * repeat])
    whole = iter(jobs[2 * repeat:])

    def only_build() -> None:
        job = next(build)
        for unit in range(samples):
            job.scenario(unit)

    def build_and_nash() -> None:
        job = next(nash)
        for unit in range(samples):
            _nash(job.scenario(unit))

    def unit() -> None:
        job = next(whole)
        for index in range(samples):
            job.row(index)

    return {name: _time(action, repeat) / samples for name, action in
            (("build", only_build), ("nash", build_and_nash), ("sample", unit))}


def command(samples: int) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tratado.cli", "forecast", "venezuela-2021",
                    "--samples", str(samples), "--seed", "0", "--json"], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--command", type=int, default=0, metavar="N",
                        help="also time the whole command with N samples")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; load average"
          f" {os.getloadavg()[0]:.1f}")
    found = stages(args.samples, args.repeat)
    print(f"Venezuela 2021, per sample, median of {args.repeat} x {args.samples} samples"
          " (in this process):")
    for name, seconds in found.items():
        print(f"  {name:<7} {1000 * seconds:8.2f} ms")
    print(f"  sample / build: {found['sample'] / found['build']:.1f}x;"
          f" sessions: {1000 * (found['sample'] - found['nash']) / 3:.2f} ms each;"
          f" one core: {1 / found['sample']:.0f} samples/s")
    if args.command:
        seconds = command(args.command)
        sessions = 3 * args.command
        print(f"tratado forecast venezuela-2021 --samples {args.command} --seed 0 --json:"
              f" {seconds:.1f} s on {os.cpu_count()} cores ({sessions / seconds:.0f}"
              " sessions/s)")


if __name__ == "__main__":
    main()
