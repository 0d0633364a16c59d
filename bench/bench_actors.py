"""Speed of the actors' models (``tratado forecast-actors``): the vectorised expected
utility model against the plain-loop reference the tests check it with, and the whole
command on the bundled tables.

    PYTHONPATH=src python bench/bench_actors.py            # a few minutes on 2 cores
    PYTHONPATH=src python bench/bench_actors.py --quick

Random tables of N actors (``numpy.random.default_rng(seed)``: capabilities uniform in
[0.1, 1), positions in [0, 100), saliences in [0.05, 1)), 10 rounds of each variant.
Prints the median of the repeats, in milliseconds, and the ratio reference / tratado.
The reference is the loop implementation in ``tests/actors/reference.py`` (one scalar
formula per line, written from the model's description), run only where it takes
seconds rather than minutes.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from actors.reference import reference_rounds  # noqa: E402

from tratado.actors import IssueTable, expected_utility, forecast  # noqa: E402

ROUNDS = 10


def random_table(n: int, seed: int) -> IssueTable:
    rng = np.random.default_rng(seed)
    return IssueTable(f"random{n}", tuple(f"a{k}" for k in range(n)), rng.uniform(0.1, 1, n),
                      rng.uniform(0, 100, n), rng.uniform(0.05, 1, n))


def median_ms(action: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer sizes and repeats")
    args = parser.parse_args()
    repeats = 3 if args.quick else 5
    sizes = (10, 30, 100) if args.quick else (10, 30, 100, 300)
    reference_up_to = {"replication": 30, "text": 10}
    print(f"expected utility model, {ROUNDS} rounds, median of {repeats} (ms)")
    print(f"{'variant':<12} {'actors':>6} {'tratado':>10} {'reference':>10} {'ratio':>8}")
    for variant in ("replication", "text"):
        for n in sizes:
            table = random_table(n, seed=n)
            ours = median_ms(lambda t=table, v=variant: expected_utility(t, ROUNDS, v), repeats)
            if n <= reference_up_to[variant]:
                theirs = median_ms(lambda t=table, v=variant: reference_rounds(t, ROUNDS, v),
                                   max(1, repeats // 2))
                print(f"{variant:<12} {n:>6} {ours:>10.1f} {theirs:>10.1f} {theirs / ours:>7.0f}x")
            else:
                print(f"{variant:<12} {n:>6} {ours:>10.1f} {'-':>10} {'-':>8}")
    table = random_table(100, seed=1)
    print(f"\nall four models on 100 actors: {median_ms(lambda: forecast(table), repeats):.1f} ms")
    command = [sys.executable, "-m", "tratado.cli", "forecast-actors", "venezuela-2021-actors"]
    whole = median_ms(lambda: subprocess.run(command, check=True, capture_output=True,
                                             env={"PYTHONPATH": str(ROOT / "src")}), repeats)
    print(f"whole command, venezuela-2021-actors (3 issues, 8 actors): {whole:.0f} ms")


if __name__ == "__main__":
    main()
