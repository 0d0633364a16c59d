"""Exact frontiers of spaces too large to enumerate: GENIUS non-linear domains of the ANAC
2014 shape (10, 30 and 40 integer issues of 10 values), by mixed-integer programmes.

Domains are synthetic, seeded (``numpy.random.default_rng``), in the shape of the
ANAC 2014 profiles: per party about two hyper-rectangles per issue, each bounding 1-4
random issues to an interval of values, with integer utilities from 1 to 99 of which
about one in six is negative (a penalty). Each (size, seed) runs in a fresh child
process, which imports SciPy (timed apart: about 0.3-1 s) and reports the wall time of
the frontier (two parties: the epsilon-constraint
walk; three or more: the search zones), of the four bargaining solutions on it, and of
the whole analysis (frontier, solutions, trade-offs), the frontier's size, the number of
mixed-integer programmes solved and the child's peak resident memory. Printed: medians
over the seeds (memory: the largest).

    PYTHONPATH=src python bench/bench_huge.py [--seeds 3] [--sizes 10 30 40] [--parties 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from tratado.agenda import Agenda, Issue
from tratado.analysis import analyze
from tratado.analysis.milp import milp_frontier
from tratado.analysis.solutions import (
    egalitarian_solution,
    kalai_smorodinsky_solution,
    nash_solution,
    utilitarian_solution,
)
from tratado.analysis.space import rational_threshold
from tratado.parties import Party
from tratado.preferences import Constraints, Rule, SourceScale
from tratado.scenario import Scenario


def anac_like(issues: int, seed: int, values: int = 10, parties: int = 2) -> Scenario:
    """A scenario of the ANAC 2014 non-linear shape (GENIUS units kept)."""
    rng = np.random.default_rng(seed)
    agenda = Agenda(tuple(Issue.integer(f"i{k + 1}", 0, values - 1) for k in range(issues)))
    found_parties = []
    for p in range(parties):
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
        found_parties.append(Party(f"party-{p + 1}", prefs))
    name = f"anac2014-like-{issues}" + (f"-{parties}-parties" if parties != 2 else "")
    return Scenario(name, agenda, tuple(found_parties))


def one(issues: int, seed: int, parties: int) -> dict[str, float]:
    """Time one domain in this process (run as a child: its peak memory is its own)."""
    scenario = anac_like(issues, seed, parties=parties)
    start = time.perf_counter()
    import scipy.optimize  # noqa: F401  (imported before the timings, reported apart)

    import_s = time.perf_counter() - start
    start = time.perf_counter()
    found = milp_frontier(scenario)
    frontier_s = time.perf_counter() - start
    assert found.exact
    start = time.perf_counter()
    rational = found.frontier.rational(rational_threshold(scenario))
    for solve in (nash_solution, kalai_smorodinsky_solution, egalitarian_solution,
                  utilitarian_solution):
        solve(rational, scenario.reservation_values)
    solutions_s = time.perf_counter() - start
    start = time.perf_counter()
    analyze(scenario)
    analysis_s = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"import": import_s, "frontier": frontier_s, "solutions": solutions_s, "analysis": analysis_s,
            "points": len(found.frontier), "solves": found.solves, "peak_mib": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 30, 40])
    parser.add_argument("--parties", type=int, default=2)
    parser.add_argument("--one", type=int, nargs=2, metavar=("ISSUES", "SEED"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], args.one[1], args.parties)))
        return
    print("| parties | issues | packages | frontier (median s) | + solutions (median s) |"
          " analysis (median s) | frontier points | MIPs solved | peak memory |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(Path(__file__).resolve().parent.parent / "src"), os.environ.get("PYTHONPATH", "")]))
    for issues in args.sizes:
        runs = []
        for seed in range(args.seeds):
            out = subprocess.run(
                [sys.executable, __file__, "--one", str(issues), str(seed),
                 "--parties", str(args.parties)],
                check=True, capture_output=True, text=True, env=env).stdout
            runs.append(json.loads(out.strip().splitlines()[-1]))

        def median(key: str, runs: list[dict[str, float]] = runs) -> float:
            return statistics.median(r[key] for r in runs)

        print(f"| {args.parties} | {issues} | 10^{issues} | {median('frontier'):.2f} |"
              f" {median('solutions'):.4f} | {median('analysis'):.2f} | {median('points'):g} |"
              f" {median('solves'):g} | {max(r['peak_mib'] for r in runs):.0f} MiB |", flush=True)


if __name__ == "__main__":
    main()
