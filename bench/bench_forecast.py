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

and the ratio ``sample / build``. Each stage is timed in CPU seconds of this process
(``time.process_time``), which a loaded machine disturbs far less than wall-clock time,
and in wall-clock seconds. ``--command N`` also times the command outside checks run,
``tratado forecast venezuela-2021 --samples N --seed 0 --json`` (all cores), once (it is
long): wall-clock seconds, with the machine's load average before and after (the
workers are the forkserver's children, so their CPU time is not the benchmark's to
read). Medians, never single runs: the machine is shared.
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


def _time(action, repeat: int) -> tuple[float, float]:  # noqa: ANN001
    """Median CPU and wall-clock seconds of ``action`` over ``repeat`` runs."""
    cpu, wall = [], []
    for _ in range(repeat):
        started, ticks = time.perf_counter(), time.process_time()
        action()
        cpu.append(time.process_time() - ticks)
        wall.append(time.perf_counter() - started)
    return statistics.median(cpu), statistics.median(wall)


def stages(samples: int, repeat: int) -> dict[str, tuple[float, float]]:
    """CPU and wall-clock seconds per sample of each stage (median over the repeats)."""
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

    found = {}
    for name, action in (("build", only_build), ("nash", build_and_nash), ("sample", unit)):
        cpu, wall = _time(action, repeat)
        found[name] = (cpu / samples, wall / samples)
    return found


def command(samples: int) -> float:
    """Wall-clock seconds of the command."""
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
          " (in this process): CPU ms, wall ms")
    for name, (cpu, wall) in found.items():
        print(f"  {name:<7} {1000 * cpu:8.2f} {1000 * wall:8.2f}")
    sample, nash = found["sample"][0], found["nash"][0]
    print(f"  sample / build: {sample / found['build'][0]:.0f}x; the three sessions:"
          f" {1000 * (sample - nash) / 3:.2f} CPU ms each; {1 / sample:.0f} samples per CPU"
          f" second; 10,000 samples on 2 free cores: about {10_000 * sample / 2:.0f} s")
    if args.command:
        before = os.getloadavg()[0]
        wall = command(args.command)
        print(f"tratado forecast venezuela-2021 --samples {args.command} --seed 0 --json:"
              f" {wall:.1f} s wall-clock on {os.cpu_count()} cores ({3 * args.command / wall:.0f}"
              f" sessions/s; load average {before:.1f} before, {os.getloadavg()[0]:.1f} after)")

if __name__ == "__main__":
    main()
