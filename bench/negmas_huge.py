"""What NegMAS 0.16.0 does on the ANAC-2014-shaped spaces of ``bench_huge.py``.

Run with NegMAS's own interpreter (it is AGPL and stays out of tratado's environment; it
is used only through its public API):

    PYTHONPATH=src /tmp/bench-venv/bin/python bench/negmas_huge.py [--sizes 10 30 40]

For each size, on the seeded domain of ``bench_huge.anac_like`` (seed 0), built as
``HyperRectangleUtilityFunction`` s over ``make_issue(10)`` integer issues with the same
rectangles and GENIUS-unit bonuses:

1. ``pareto_frontier(ufuns, issues=...)``, NegMAS's exact frontier, which enumerates the
   outcome space, in a child process limited to ``--memory`` GiB of address space and
   ``--seconds`` of wall time: what happens (its error, or the time-out) is reported;
2. ``pareto_frontier(..., max_cardinality=N)`` for N = 10^4 and 10^5, which enumerates
   only N outcomes (NegMAS's way to approach spaces it cannot list): its time, how many
   points it returns, how many of them tratado's exact frontier strictly dominates, and
   how many exact frontier points it found.  The exact frontier is tratado's
   mixed-integer walk, in the same process (SciPy needed in that environment).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import time

import numpy as np
from bench_huge import anac_like

from tratado.analysis.milp import milp_frontier
from tratado.analysis.ties import snap


def negmas_domain(issues: int, seed: int):  # type: ignore[no-untyped-def]
    """The domain of ``anac_like(issues, seed)`` as NegMAS objects, in GENIUS units, and
    the affine maps back to tratado's [0, 1] units (per party: ``(u - low) / span``)."""
    from negmas import make_issue, make_os
    from negmas.preferences import HyperRectangleUtilityFunction

    scenario = anac_like(issues, seed)
    space = make_os([make_issue(10, name=f"i{k + 1}") for k in range(issues)])
    ufuns, maps = [], []
    for party in scenario.parties:
        prefs = party.preferences
        scale = prefs.scale  # type: ignore[attr-defined]
        span = scale.high - scale.low
        ranges, bonuses = [], []
        for rule in prefs.rules:  # type: ignore[attr-defined]
            ranges.append({i: [int(v) for v in np.flatnonzero(mask)] for i, mask in rule.allowed.items()})
            bonuses.append(float(round(rule.bonus * span)))
        ufuns.append(HyperRectangleUtilityFunction(outcome_ranges=ranges, utilities=bonuses,
                                                   outcome_space=space))
        maps.append((scale.low, span))
    return scenario, space, ufuns, maps


def _enumerate(issues: int, seed: int, memory_gib: float, queue: mp.Queue) -> None:  # type: ignore[type-arg]
    from negmas.preferences.ops import pareto_frontier

    limit = int(memory_gib * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    _, space, ufuns, _ = negmas_domain(issues, seed)
    start = time.perf_counter()
    try:
        points, _ = pareto_frontier(ufuns, issues=space.issues)
        queue.put(f"finished in {time.perf_counter() - start:.1f} s with {len(points)} points")
    except BaseException as error:  # noqa: BLE001 - what NegMAS raises is the result
        queue.put(f"{type(error).__name__} after {time.perf_counter() - start:.1f} s")


def exact_attempt(issues: int, seed: int, memory_gib: float, seconds: float) -> str:
    queue: mp.Queue = mp.Queue()  # type: ignore[type-arg]
    child = mp.Process(target=_enumerate, args=(issues, seed, memory_gib, queue))
    child.start()
    child.join(seconds)
    if child.is_alive():
        child.kill()
        child.join()
        return f"still running after {seconds:.0f} s (stopped)"
    return queue.get() if not queue.empty() else f"died (exit code {child.exitcode})"


def sampled(issues: int, seed: int, n: int) -> str:
    from negmas.preferences.ops import pareto_frontier

    scenario, space, ufuns, maps = negmas_domain(issues, seed)
    start = time.perf_counter()
    points, _ = pareto_frontier(ufuns, issues=space.issues, max_cardinality=n)
    seconds = time.perf_counter() - start
    found = np.array(points, dtype=float).reshape(-1, 2)
    found = np.column_stack([(found[:, p] - low) / span for p, (low, span) in enumerate(maps)])
    exact = snap(milp_frontier(scenario).frontier.utilities)
    found = snap(found)
    ge = np.all(exact[None, :, :] >= found[:, None, :], axis=2)
    gt = np.any(exact[None, :, :] > found[:, None, :], axis=2)
    dominated = int(np.count_nonzero(np.any(ge & gt, axis=1)))
    on = len({tuple(r) for r in found.tolist()} & {tuple(r) for r in exact.tolist()})
    return (f"{seconds:.1f} s, {len(found)} points, {dominated} of them dominated by the exact"
            f" frontier, {on} of the {len(exact)} exact points found")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 30, 40])
    parser.add_argument("--memory", type=float, default=4.0, help="GiB for the exact attempt")
    parser.add_argument("--seconds", type=float, default=120.0, help="wall time for it")
    parser.add_argument("--samples", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    print("| issues | NegMAS `pareto_frontier` (exact) | " + " | ".join(
        f"`max_cardinality={n:,}`" for n in args.samples) + " |")
    print("|---:|---|" + "---|" * len(args.samples))
    for issues in args.sizes:
        cells = [exact_attempt(issues, 0, args.memory, args.seconds)]
        cells += [sampled(issues, 0, n) for n in args.samples]
        print(f"| {issues} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
