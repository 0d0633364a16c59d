"""Forecasts: the cost of one sample of the uncertain Venezuela example, through the
batched kernels and through the engine, side by side; the same sessions in NegMAS; and
the whole ``tratado forecast`` command.

    PYTHONPATH=src python bench/bench_forecast.py [--samples N] [--repeat R]
                                                  [--command N] [--negmas N]

One *sample* of a forecast is: rebuild the sampled scenario from its row of numbers
(``Uncertainty.scenario_at``) and fold the stakeholders in, find its Nash package
(exact analysis), and run one session under each of the three protocols (alternating,
single-text, mediated) with the default negotiator. What is timed, in this process
(``jobs=0``), median over ``--repeat`` runs of ``--samples`` samples (fresh samples
each run: nothing cached from the run before):

* ``build``: ``ForecastJob.scenario`` alone;
* ``nash``: ``build`` + the Nash package;
* ``kernels``: the whole sample as a forecast runs it now (``ForecastJob.rows`` over
  the samples: each protocol's sessions of all the samples at once, in a batched
  kernel, :mod:`tratado.experiments.kernels`);
* ``engine``: the whole sample as the engine runs it, session by session
  (``ForecastJob.row``: what a forecast did before the kernels; the same rows).

Each in CPU seconds of this process (``time.process_time``, which a loaded machine
disturbs far less than wall-clock time) and wall-clock seconds, and the ratio
``engine / kernels``.

``--negmas N`` (NegMAS 0.16 installed): the anchor. NegMAS has no forecast, and none of
tratado's mediated protocols; what both can run is alternating offers. So: the same
``N`` sampled scenarios of the table alone (stakeholders left out, so that every party
is linear-additive and NegMAS's ``LinearAdditiveUtilityFunction`` holds it exactly), 30
rounds, Boulware against Boulware (tratado's ``boulware``, NegMAS's
``BoulwareTBNegotiator``), each tool in this process: tratado as ``Forecast(...).run(jobs=0)``
(samples drawn, scenarios built, Nash packages found, sessions run, the result
summarised), NegMAS as one ``SAOMechanism`` per sample on outcome spaces and utility
functions built from the same numbers (building them is timed too). Median of
``--repeat`` runs each, interleaved; the ratio NegMAS / tratado per sample.

``--command N`` also times the command outside checks run, ``tratado forecast
venezuela-2021 --samples N --seed 0 --json`` (all cores), ``--repeat`` times: the median
wall-clock seconds, with the machine's load average before and after (the workers are
the forkserver's children, so their CPU time is not the benchmark's to read). Medians,
never single runs: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import tratado
from tratado.experiments.forecast import Forecast
from tratado.experiments.forecast_job import _nash

ROOT = Path(__file__).resolve().parents[1]


def _time(action: Callable[[], Any], repeat: int) -> tuple[float, float]:
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
    # fresh samples for every run of every stage: nothing cached from the one before
    jobs = iter([Forecast(scenario, samples=samples, seed=k).prepare()
                 for k in range(4 * repeat)])

    def only_build() -> None:
        job = next(jobs)
        for unit in range(samples):
            job.scenario(unit)

    def build_and_nash() -> None:
        job = next(jobs)
        for unit in range(samples):
            _nash(job.scenario(unit))

    def kernels() -> None:
        next(jobs).rows(0, samples)

    def engine() -> None:
        job = next(jobs)
        for index in range(samples):
            job.row(index)

    found = {}
    for name, action in (("build", only_build), ("nash", build_and_nash),
                         ("kernels", kernels), ("engine", engine)):
        cpu, wall = _time(action, repeat)
        found[name] = (cpu / samples, wall / samples)
    return found


def _negmas_domain(scenario: Any) -> tuple[Any, list[Any]]:
    """``scenario`` (linear-additive parties) as a NegMAS outcome space and utility
    functions: the same weights, option values and reservation values."""
    from negmas import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction, TableFun

    shape = scenario.agenda.shape
    issues = [make_issue([f"o{k}" for k in range(n)], name=f"i{i}")
              for i, n in enumerate(shape)]
    space = make_os(issues)
    ufuns = []
    for party in scenario.parties:
        p = party.preferences
        ufuns.append(LinearAdditiveUtilityFunction(
            values=[TableFun({f"o{k}": float(v[k]) for k in range(len(v))}) for v in p.values],
            weights=[float(w) for w in p.weights], outcome_space=space,
            reserved_value=float(p.reservation_value), name=party.id))
    return space, ufuns


def negmas_anchor(samples: int, repeat: int) -> tuple[float, float, int, int]:
    """Per-sample wall-clock seconds of tratado's forecast and of NegMAS's sessions on
    the same samples (median of ``repeat`` interleaved runs), and how many sessions
    agreed in each tool's last run."""
    from negmas.sao import BoulwareTBNegotiator, SAOMechanism

    scenario = tratado.load("venezuela-2021")
    forecast = Forecast(scenario, samples=samples, seed=3, protocols=["alternating"],
                        negotiators=[["boulware", "boulware"]], stakeholders=False,
                        rounds=30)
    job = forecast.prepare()
    sampled = [job.scenario(k) for k in range(samples)]
    mine, theirs = [], []
    agreed_mine = agreed_theirs = 0
    for _ in range(repeat):
        started = time.perf_counter()
        result = Forecast(scenario, samples=samples, seed=3, protocols=["alternating"],
                          negotiators=[["boulware", "boulware"]], stakeholders=False,
                          rounds=30).run(jobs=0)
        mine.append(time.perf_counter() - started)
        agreed_mine = int(round(result.to_dict()["protocols"]["alternating"]
                                ["agreement_probability"] * samples))
        started = time.perf_counter()
        agreed_theirs = 0
        for one in sampled:
            space, ufuns = _negmas_domain(one)
            mechanism = SAOMechanism(outcome_space=space, n_steps=30)
            for ufun in ufuns:
                mechanism.add(BoulwareTBNegotiator(name=ufun.name), ufun=ufun)
            agreed_theirs += mechanism.run().agreement is not None
        theirs.append(time.perf_counter() - started)
    return (statistics.median(mine) / samples, statistics.median(theirs) / samples,
            agreed_mine, agreed_theirs)


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
    parser.add_argument("--samples", type=int, default=250)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--command", type=int, default=0, metavar="N",
                        help="also time the whole command with N samples")
    parser.add_argument("--negmas", type=int, default=0, metavar="N",
                        help="also run N samples' alternating-offers sessions in NegMAS")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} cores;"
          f" load average {os.getloadavg()[0]:.1f}")
    found = stages(args.samples, args.repeat)
    print(f"Venezuela 2021, per sample, median of {args.repeat} x {args.samples} samples"
          " (in this process): CPU ms, wall ms")
    for name, (cpu, wall) in found.items():
        print(f"  {name:<8} {1000 * cpu:8.2f} {1000 * wall:8.2f}")
    kernels, engine = found["kernels"][0], found["engine"][0]
    print(f"  engine / kernels: {engine / kernels:.1f}x (CPU); {1 / kernels:.0f} samples per"
          f" CPU second; 10,000 samples on 2 free cores: about {10_000 * kernels / 2:.1f} s")
    if args.negmas:
        warnings.filterwarnings("ignore")
        mine, theirs, agreed_mine, agreed_theirs = negmas_anchor(args.negmas, args.repeat)
        print(f"Alternating offers, Boulware v Boulware, 30 rounds, {args.negmas} samples of the"
              f" table alone, wall ms per sample (median of {args.repeat}): tratado forecast"
              f" {1000 * mine:.2f}, NegMAS sessions {1000 * theirs:.2f}:"
              f" {theirs / mine:.0f}x; agreements {agreed_mine} and {agreed_theirs}")
    if args.command:
        before = os.getloadavg()[0]
        walls = [command(args.command) for _ in range(args.repeat)]
        wall = statistics.median(walls)
        print(f"tratado forecast venezuela-2021 --samples {args.command} --seed 0 --json:"
              f" {wall:.1f} s wall-clock, median of {args.repeat} ({min(walls):.1f} to"
              f" {max(walls):.1f}) on {os.cpu_count()} cores"
              f" ({3 * args.command / wall:.0f} sessions/s; load average {before:.1f}"
              f" before, {os.getloadavg()[0]:.1f} after)")


if __name__ == "__main__":
    main()
