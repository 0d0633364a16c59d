"""The mediated protocol's batched kernel against the engine's sessions, on samples of the
uncertain Venezuela example.

    PYTHONPATH=src python bench/bench_kernel_mediated.py [--samples N] [--repeat R]

Per sample, median over ``--repeat`` runs of ``--samples`` fresh samples (in this
process, CPU milliseconds of ``time.process_time`` and wall-clock milliseconds):

* ``engine cold``: one :class:`~tratado.session.Session` per sample on new samples: the
  negotiators build their tables and the neutral finds the frontier;
* ``kernel cold``: a :class:`~tratado.experiments.kernels.Batch` of the same kind of new
  samples and the kernel: the tables, the frontiers and the rounds;
* ``kernel warm``: the kernel again on a new batch of the same samples, whose tables
  and frontiers are now built (a forecast finds each sample's frontier for its Nash
  package before the sessions run);
* ``kernel again``: the kernel once more on that batch (what a forecast's other
  negotiator mixes pay: the neutral's padded frontiers are kept with the batch);
* ``engine warm``: the engine's sessions on those samples (tables and frontiers built);

and the ratios engine / kernel. Every run also checks that the kernel's agreements are
the engine's. Medians, never single runs: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np

import tratado
from tratado.experiments.forecast import Forecast
from tratado.experiments.kernels import Batch
from tratado.experiments.kernels import mediated as kernel
from tratado.experiments.specs import build
from tratado.protocols.mediated import Mediated
from tratado.scenario import Scenario
from tratado.session import Session

MIX = ("frequency", "frequency")


def samples(count: int, seed: int) -> tuple[list[Scenario], list[int]]:
    job = Forecast(tratado.load("venezuela-2021"), samples=count, seed=seed,
                   protocols=["mediated"]).prepare()
    return [job.scenario(k) for k in range(count)], [job.seed_of(k) for k in range(count)]


def engine(scenarios: list[Scenario], seeds: list[int], protocol: Mediated) -> list[int]:
    batch = Batch(scenarios[:1], seeds[:1])
    found = []
    for scenario, seed in zip(scenarios, seeds, strict=True):
        outcome = Session(scenario, protocol, [build(s) for s in MIX], seed).run().outcome
        found.append(-1 if outcome is None else batch.place(outcome))
    return found


def batched(batch: Batch, protocol: Mediated) -> list[int]:
    return [int(k) for k in kernel.run(batch, protocol, [build(s) for s in MIX])]


def timed(action: Callable[[], object]) -> tuple[float, float, object]:
    started, ticks = time.perf_counter(), time.process_time()
    result = action()
    return time.process_time() - ticks, time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=250)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    n = args.samples
    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} cores;"
          f" load average {os.getloadavg()[0]:.1f}")
    times: dict[str, list[tuple[float, float]]] = {}
    for k in range(args.repeat):
        # two sets of fresh samples: one for the engine, one for the kernel (cold)
        first, first_seeds = samples(n, 2 * k)
        second, second_seeds = samples(n, 2 * k + 1)
        protocol = Mediated.for_scenario(first[0])
        cpu, wall, a = timed(lambda: engine(first, first_seeds, protocol))  # noqa: B023
        times.setdefault("engine cold", []).append((cpu, wall))
        batch = Batch(second, second_seeds)
        cpu, wall, b = timed(lambda: batched(batch, protocol))  # noqa: B023
        times.setdefault("kernel cold", []).append((cpu, wall))
        again = Batch(second, second_seeds)  # a new batch of the same samples
        cpu, wall, d = timed(lambda: batched(again, protocol))  # noqa: B023
        times.setdefault("kernel warm", []).append((cpu, wall))
        cpu, wall, e = timed(lambda: batched(again, protocol))  # noqa: B023
        times.setdefault("kernel again", []).append((cpu, wall))
        cpu, wall, c = timed(lambda: engine(second, second_seeds, protocol))  # noqa: B023
        times.setdefault("engine warm", []).append((cpu, wall))
        if b != c or b != d or b != e:
            raise SystemExit("the kernel's agreements differ from the engine's")
        del a
    print(f"Venezuela 2021, mediated ({' vs '.join(MIX)}), per sample, median of"
          f" {args.repeat} x {n} samples: CPU ms, wall ms")
    found = {}
    for name, runs in times.items():
        cpu = statistics.median(c for c, _ in runs) / n
        wall = statistics.median(w for _, w in runs) / n
        found[name] = cpu
        print(f"  {name:<12} {1000 * cpu:8.3f} {1000 * wall:8.3f}")
    print(f"  engine / kernel (CPU): cold {found['engine cold'] / found['kernel cold']:.1f}x,"
          f" warm {found['engine warm'] / found['kernel warm']:.1f}x,"
          f" again {found['engine warm'] / found['kernel again']:.1f}x;"
          f" load average after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
