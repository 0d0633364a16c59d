"""The single-text kernel against the engine: per-sample cost of the single negotiating
text on samples of the uncertain Venezuela example.

    PYTHONPATH=src python bench/bench_kernel_single_text.py [--samples N] [--repeat R]

For each repeat, ``--samples`` fresh samples (a new forecast seed: nothing cached from
the repeat before) are built first (``ForecastJob.scenario``, not timed); then, per
negotiator mix:

* ``engine cold``: one :class:`~tratado.session.Session` per sample on the fresh samples
  (the negotiators build their tables for the new preferences);
* ``engine warm``: the same sessions again (tables kept per preferences);
* ``kernel cold``: a new :class:`~tratado.experiments.kernels.Batch` of the fresh
  samples and the kernel on it (tables and utility matrices included);
* ``kernel warm``: the kernel again on the same batch (matrices built).

Cold kernel runs first (before the engine builds any table for those samples), so it
pays for its tables. Milliseconds per sample, CPU time of this process
(``time.process_time``, which a loaded machine disturbs less) and wall clock, medians
over the repeats; ratios engine / kernel; the machine's load average before and after.
Every run checks that the kernel's agreements are the engine's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import tratado
from tratado.experiments.forecast import Forecast
from tratado.experiments.kernels import Batch, kernel_for
from tratado.negotiators.registry import make
from tratado.protocols.single_text import SingleText
from tratado.session import Session

MIXES = (("frequency", "frequency"), ("boulware", "conceder"), ("frequency", "linear"))


def _timed(action: Callable[[], Any]) -> tuple[float, float, Any]:
    started, ticks = time.perf_counter(), time.process_time()
    found = action()
    return time.process_time() - ticks, time.perf_counter() - started, found


def _engine(scenarios: list[Any], seeds: list[int], mix: tuple[str, ...]) -> list[Any]:
    return [Session(s, SingleText.for_scenario(s), [make(n) for n in mix], seed).run().outcome
            for s, seed in zip(scenarios, seeds, strict=True)]


def _kernel_cold(kernel: Any, scenarios: list[Any], seeds: list[int], protocol: Any,
                 negotiators: list[Any]) -> tuple[Batch, Any]:
    batch = Batch(scenarios, seeds)
    return batch, kernel(batch, protocol, negotiators)


def run(samples: int, repeat: int) -> dict[tuple[str, ...], dict[str, list[tuple[float, float]]]]:
    """Per mix and measure, the ``(cpu, wall)`` seconds of every repeat."""
    nominal = tratado.load("venezuela-2021")
    found: dict[tuple[str, ...], dict[str, list[tuple[float, float]]]] = {
        mix: {"engine cold": [], "engine warm": [], "kernel cold": [], "kernel warm": []}
        for mix in MIXES}
    for k in range(repeat):
        for mix in MIXES:
            job = Forecast(nominal, samples=samples, seed=100 * k + MIXES.index(mix),
                           protocols=["single-text"]).prepare()
            scenarios = [job.scenario(i) for i in range(samples)]
            seeds = [job.seed_of(i) for i in range(samples)]
            protocol = SingleText.for_scenario(scenarios[0])
            negotiators = [make(name) for name in mix]
            kernel = kernel_for(protocol, negotiators)
            assert kernel is not None
            cpu, wall, (batch, agreed) = _timed(partial(
                _kernel_cold, kernel, scenarios, seeds, protocol, negotiators))
            found[mix]["kernel cold"].append((cpu, wall))
            cpu, wall, again = _timed(partial(kernel, batch, protocol, negotiators))
            found[mix]["kernel warm"].append((cpu, wall))
            cpu, wall, outcomes = _timed(partial(_engine, scenarios, seeds, mix))
            found[mix]["engine cold"].append((cpu, wall))
            cpu, wall, _ = _timed(partial(_engine, scenarios, seeds, mix))
            found[mix]["engine warm"].append((cpu, wall))
            expected = [-1 if o is None else batch.place(o) for o in outcomes]
            assert list(agreed) == expected == list(again), "the kernel is not the engine"
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=250)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    load = os.getloadavg()
    found = run(args.samples, args.repeat)
    after = os.getloadavg()
    print(f"single text, venezuela-2021, {args.samples} samples, median of {args.repeat};"
          f" load average {load[0]:.2f} before, {after[0]:.2f} after ({os.cpu_count()} cores)")
    print(f"{'mix':<22}{'measure':<14}{'cpu ms/sample':>15}{'wall ms/sample':>16}")
    for mix, measures in found.items():
        medians = {}
        for measure, times in measures.items():
            cpu = 1000 * statistics.median(c for c, _ in times) / args.samples
            wall = 1000 * statistics.median(w for _, w in times) / args.samples
            medians[measure] = (cpu, wall)
            print(f"{','.join(mix):<22}{measure:<14}{cpu:>15.3f}{wall:>16.3f}")
        for state in ("cold", "warm"):
            engine, kernel = medians[f"engine {state}"], medians[f"kernel {state}"]
            print(f"{'':<22}{'ratio ' + state:<14}{engine[0] / kernel[0]:>14.1f}x"
                  f"{engine[1] / kernel[1]:>15.1f}x")


if __name__ == "__main__":
    main()
