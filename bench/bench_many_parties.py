"""Exact frontiers of four, five and ten parties, side by side with NegMAS.

Seeded linear-additive domains (``bench/common.py``): independent random preferences,
and near constant-sum ones, where every option of every issue splits a fixed value
between the parties (a Dirichlet draw, plus up to 2% of noise) and all parties weigh the
issues alike, so nearly every package is efficient.  Timed per case, medians:

* tratado: ``pareto_frontier`` (the additive programme over the issues, whose dominance
  filter hands large frontiers to the tree of boxes);
* tratado before this change: the same with the tree switched off (``TREE_FROM`` set
  beyond any frontier), i.e. the block-wise filter alone;
* NegMAS 0.16.0: ``pareto_frontier(ufuns, issues=...)`` on the same utilities (it
  enumerates the space and keeps the rational outcomes), stopped after
  ``--negmas-limit`` seconds.

Before timing, the frontiers are checked to hold the same utility vectors (tratado's
two paths always; NegMAS's where it finishes).

    cd bench && PYTHONPATH=../src python bench_many_parties.py [--quick] [--no-negmas]
    cd bench && PYTHONPATH=../src /tmp/bench-venv/bin/python bench_many_parties.py [--large]

``--quick``: the six cases of 10^4 packages, fewer repeats; ``--large``: only the three
cases of 10^5 and 10^6 packages (the block-wise filter alone takes up to about 20
minutes on them under load; it runs once there).
"""

from __future__ import annotations

import argparse
import gc
import signal
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from common import DomainSpec, PartySpec, linear_domain, negmas_available, to_negmas, to_tratado

from tratado.analysis import dominance
from tratado.analysis.space import pareto_frontier, rational_threshold
from tratado.analysis.ties import snap
from tratado.limits import override


def near_constant_sum_domain(k: int, n_issues: int, n_options: int, seed: int,
                             noise: float = 0.02) -> DomainSpec:
    """Every option splits one unit between the parties (Dirichlet), plus a little noise;
    shared issue weights. Values stay in [0, 1]."""
    rng = np.random.default_rng(seed)
    weights = rng.uniform(0.05, 1.0, n_issues)
    weights = weights / weights.sum()
    splits = [rng.dirichlet(np.ones(k), size=n_options) for _ in range(n_issues)]
    parties = tuple(
        PartySpec(weights, tuple(np.clip(s[:, p] + noise * rng.random(n_options), 0.0, 1.0)
                                 for s in splits), 0.0)
        for p in range(k))
    return DomainSpec(f"{k}p x {n_issues}i x {n_options}o near constant-sum",
                      (n_options,) * n_issues, parties)


def timed(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


class Timeout(Exception):
    pass


def negmas_frontier(spec: DomainSpec, limit: int) -> tuple[float | None, np.ndarray | None]:
    from negmas.preferences.ops import pareto_frontier as negmas_pareto_frontier

    os, ufuns = to_negmas(spec)

    def stop(*_: object) -> None:
        raise Timeout

    signal.signal(signal.SIGALRM, stop)
    signal.alarm(limit)
    try:
        start = time.perf_counter()
        points, _ = negmas_pareto_frontier(ufuns, issues=os.issues)
        seconds = time.perf_counter() - start
    except Timeout:
        return None, None
    finally:
        signal.alarm(0)
    return seconds, np.asarray(points, dtype=float).reshape(-1, len(ufuns))


def same(a: np.ndarray, b: np.ndarray) -> bool:
    def key(u: np.ndarray) -> set[tuple[float, ...]]:
        return {tuple(r) for r in np.round(snap(u), 9).tolist()}

    return key(a) == key(b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, smaller cases")
    parser.add_argument("--no-negmas", action="store_true")
    parser.add_argument("--negmas-limit", type=int, default=120, help="seconds per NegMAS run")
    parser.add_argument("--large", action="store_true",
                        help="only the three cases of 10^5 and 10^6 packages")
    args = parser.parse_args()
    use_negmas = not args.no_negmas and negmas_available()
    small = [
        near_constant_sum_domain(4, 4, 10, 1), linear_domain(4, 4, 10, 1),
        near_constant_sum_domain(5, 4, 10, 2), linear_domain(5, 4, 10, 2),
        near_constant_sum_domain(10, 4, 10, 3), linear_domain(10, 4, 10, 3),
    ]
    large = [near_constant_sum_domain(4, 5, 10, 4), near_constant_sum_domain(5, 5, 10, 5),
             linear_domain(5, 6, 10, 6)]
    cases = large if args.large else small if args.quick else small + large
    repeats = 3 if args.quick or args.large else 5
    print("| case | packages | frontier | tratado | tratado, block filter only | speed-up |"
          " NegMAS 0.16.0 | NegMAS / tratado |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    saved = dominance.TREE_FROM
    for spec in cases:
        scenario = to_tratado(spec)
        with override(analysis_work=10**14):
            new, front = timed(lambda s=scenario: pareto_frontier(s), repeats)
            dominance.TREE_FROM = 10**12
            try:
                # the block-wise filter alone takes minutes on the large cases: one run
                old, before = timed(lambda s=scenario: pareto_frontier(s),
                                    1 if args.quick or spec.size > 10**4 else 3)
            finally:
                dominance.TREE_FROM = saved
        assert same(front.utilities, before.utilities), spec.name
        negmas_text, ratio = "not run", "-"
        if use_negmas:
            seconds, points = negmas_frontier(spec, args.negmas_limit)
            if seconds is None:
                negmas_text = f"> {args.negmas_limit} s, stopped"
                ratio = f"> {args.negmas_limit / new:,.0f}x"
            else:
                # NegMAS keeps only the rational outcomes (at least every reservation value)
                rational = front.rational(rational_threshold(scenario))
                assert points is not None and same(points, rational.utilities), spec.name
                negmas_text = f"{seconds:.2f} s"
                ratio = f"{seconds / new:,.0f}x"
        print(f"| {spec.name} | {spec.size:,} | {len(front):,} | {new:.3f} s | {old:.3f} s |"
              f" {old / new:.1f}x | {negmas_text} | {ratio} |", flush=True)


if __name__ == "__main__":
    main()
