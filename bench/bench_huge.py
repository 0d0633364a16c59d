"""Exact frontiers of spaces too large to enumerate: GENIUS non-linear domains of the ANAC
2014 shape (10, 30 and 40 integer issues of 10 values), by the mixed-integer walk.

Domains are synthetic, seeded (``numpy.random.default_rng``), in the shape of the
ANAC 2014 profiles: per party about two hyper-rectangles per issue, each bounding 1-4
random issues to an interval of values, with integer utilities from 1 to 99 of which
about one in six is negative (a penalty). Prints, per size, the median wall time of the
frontier and of the whole analysis (frontier, solutions, trade-offs) over the seeds,
the frontier's size and the number of mixed-integer programmes solved.

    PYTHONPATH=src python bench/bench_huge.py [--seeds 3] [--sizes 10 30 40]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from tratado.agenda import Agenda, Issue
from tratado.analysis import analyze
from tratado.analysis.milp import milp_frontier
from tratado.parties import Party
from tratado.preferences import Constraints, Rule, SourceScale
from tratado.scenario import Scenario


def anac_like(issues: int, seed: int, values: int = 10) -> Scenario:
    """A two-party scenario of the ANAC 2014 non-linear shape (GENIUS units kept)."""
    rng = np.random.default_rng(seed)
    agenda = Agenda(tuple(Issue.integer(f"i{k + 1}", 0, values - 1) for k in range(issues)))
    parties = []
    for p in range(2):
        found = []
        for _ in range(2 * issues):
            allowed = {}
            for position in rng.choice(issues, size=int(rng.integers(1, 5)), replace=False):
                low = int(rng.integers(0, values))
                high = int(rng.integers(low, values))
                allowed[int(position)] = (np.arange(values) >= low) & (np.arange(values) <= high)
            sign = -1 if rng.random() < 1 / 6 else 1
            found.append((allowed, sign * int(rng.integers(1, 100))))
        low = float(sum(b for _, b in found if b < 0))
        high = float(sum(b for _, b in found if b > 0))
        span = high - low
        scale = SourceScale("GENIUS", low, high, high)
        prefs = Constraints(tuple(Rule(a, b / span) for a, b in found), offset=-low / span,
                            scale=scale)
        parties.append(Party(f"party-{p + 1}", prefs))
    return Scenario(f"anac2014-like-{issues}", agenda, tuple(parties))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 30, 40])
    args = parser.parse_args()
    print("| issues | packages | frontier (median s) | analysis (median s) | points | MIPs |")
    print("|---:|---:|---:|---:|---:|---:|")
    for issues in args.sizes:
        frontier_times, analysis_times, points, solves = [], [], [], []
        for seed in range(args.seeds):
            scenario = anac_like(issues, seed)
            start = time.perf_counter()
            found = milp_frontier(scenario)
            frontier_times.append(time.perf_counter() - start)
            points.append(len(found.frontier))
            solves.append(found.solves)
            assert found.exact
            start = time.perf_counter()
            analyze(scenario)
            analysis_times.append(time.perf_counter() - start)
        print(f"| {issues} | 10^{issues} | {statistics.median(frontier_times):.2f} |"
              f" {statistics.median(analysis_times):.2f} | {statistics.median(points):g} |"
              f" {statistics.median(solves):g} |", flush=True)


if __name__ == "__main__":
    main()
