"""Sessions on spaces too large to list: a 10^10-package additive scenario and 10- and
40-issue GENIUS non-linear domains of the ANAC 2014 shape, tratado beside NegMAS.

Every measured session runs in a child process of its own (a cold start: imports done,
then the scenario built, the session built and run, its result read), which prints its
wall time, its peak resident memory (``VmHWM``) and that peak before the session
(after imports and building the scenario). Spaces:

* ``additive 10^10``: ``common.linear_domain(2, 10, 10, seed)`` (10 issues x 10 options);
* ``ANAC-like 10`` / ``ANAC-like 40``: ``bench_huge.anac_like(issues, seed)``.

Negotiators, alternating offers unless said otherwise, 100 rounds: ``boulware-conceder`` is tratado's
``boulware:e=0.25`` against ``conceder:e=4`` and NegMAS's ``BoulwareTBNegotiator``
against ``ConcederTBNegotiator`` (the same curves, as in ``bench_engine.py``);
``frequency`` is tratado's default negotiator on both sides, and ``mediated, frequency``
the same parties in confidential-preference mediation with the trusted neutral (tratado
only). NegMAS 0.16
runs the same domains (linear: ``common.to_negmas``; non-linear: one
``HyperRectangleUtilityFunction`` per party, its regions the profile's hyper-rectangles,
its utilities cross-checked against tratado's on random packages) with its default
inverse utility: sampling-based for spaces this large (it cannot list them either).
Each agreement is evaluated by tratado and measured against the exact Pareto frontier
(additive dynamic programme; mixed-integer walk for the non-linear ones, about 40 s per
40-issue domain: ``--no-distance`` skips it).

Also timed once per space (``--command``): the whole ``tratado simulate`` process on the
scenario saved to disk, which also computes the exact frontier for the distances it
reports.

    PYTHONPATH=src python bench/bench_huge_sessions.py [--seeds 3] [--negmas-seeds N]
        [--negmas-python /tmp/bench-venv/bin/python] [--no-distance] [--command]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

SPACES = {"additive 10^10": ("linear", 10), "ANAC-like 10": ("anac", 10),
          "ANAC-like 40": ("anac", 40)}
ROUNDS = 100


def scenario_of(space: str, seed: int) -> Any:
    from common import linear_domain, to_tratado

    kind, issues = SPACES[space]
    if kind == "linear":
        return to_tratado(linear_domain(2, issues, 10, seed=seed))
    from bench_huge import anac_like

    return anac_like(issues, seed)


def negmas_domain(space: str, seed: int) -> tuple[Any, list[Any]]:
    """The same domain as NegMAS objects (outcomes are tuples of labels ``o0``...)."""
    from common import linear_domain, to_negmas

    kind, issues = SPACES[space]
    if kind == "linear":
        return to_negmas(linear_domain(2, issues, 10, seed=seed))  # type: ignore[no-any-return]
    from negmas import make_issue, make_os
    from negmas.preferences import HyperRectangleUtilityFunction

    scenario = scenario_of(space, seed)
    labels = [[f"o{o}" for o in range(n)] for n in scenario.agenda.shape]
    os_ = make_os([make_issue(labels[k], name=f"i{k}") for k in range(len(labels))])
    ufuns = []
    for party in scenario.parties:
        prefs = party.preferences
        ranges: list[Any] = [None]
        utilities: list[Any] = [float(prefs.offset)]
        for rule in prefs.rules:
            ranges.append({i: [labels[i][o] for o in range(len(mask)) if mask[o]]
                           for i, mask in rule.allowed.items()})
            utilities.append(float(rule.bonus))
        ufuns.append(HyperRectangleUtilityFunction(
            outcome_ranges=ranges, utilities=utilities, weights=[1.0] * len(ranges),
            outcome_space=os_, reserved_value=float(prefs.reservation_value), name=party.id))
    return os_, ufuns


#: Address-space limit of every child (so a tool that tries to list the space fails with
#: a MemoryError rather than exhaust the machine).
MEMORY_LIMIT = 4 << 30


def child(space: str, seed: int, tool: str, pair: str) -> None:
    """One session, timed, in this (child) process; prints one JSON line."""
    warnings.filterwarnings("ignore")
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    start = time.perf_counter()
    try:
        session(space, seed, tool, pair)
    except MemoryError:
        print(json.dumps({"error": f"MemoryError after {time.perf_counter() - start:.0f} s"
                          f" (address space limited to {MEMORY_LIMIT >> 30} GiB)"}))


def session(space: str, seed: int, tool: str, pair: str) -> None:
    if tool == "negmas":
        import numpy as np
        from engine_common import negmas_session

        os_, ufuns = negmas_domain(space, seed)
        scenario = scenario_of(space, seed)
        rng = np.random.default_rng(seed)  # utilities agree on random packages
        for row in rng.integers(0, 10, size=(200, len(scenario.agenda))):
            outcome = tuple(f"o{v}" for v in row)
            ours = scenario.utilities(row[None, :])[0]
            theirs = [float(u(outcome)) for u in ufuns]
            assert np.allclose(ours, theirs, atol=1e-9), (ours, theirs)
        before = rss_peak()
        start = time.perf_counter()
        _, state = negmas_session(os_, ufuns, ROUNDS)
        seconds = time.perf_counter() - start
        agreement = (None if state.agreement is None
                     else [int(str(v)[1:]) for v in state.agreement])
    else:
        from tratado.negotiators import make
        from tratado.session import Session

        scenario = scenario_of(space, seed)
        names = ([make("boulware", e=0.25), make("conceder", e=4)]
                 if pair == "boulware-conceder" else ["frequency", "frequency"])
        protocol = "mediated" if pair == "mediated, frequency" else "alternating"
        before = rss_peak()
        start = time.perf_counter()
        result = Session(scenario, protocol, names, seed, protocol_options={
            "deadline": ROUNDS}).run()
        seconds = time.perf_counter() - start
        agreement = None if result.outcome is None else [int(v) for v in result.outcome]
    print(json.dumps({"seconds": seconds, "rss_before": before, "rss_peak": rss_peak(),
                      "agreement": agreement}))


def rss_peak() -> float:
    """Peak resident memory of this process so far, MiB: ``VmHWM`` (``getrusage``'s
    ``ru_maxrss`` would carry the parent's peak across the fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(python: str, space: str, seed: int, tool: str, pair: str) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(HERE.parent / "src"))
    out = subprocess.run([python, __file__, "--child", space, str(seed), tool, pair],
                         capture_output=True, text=True, env=env, timeout=900)
    lines = out.stdout.strip().splitlines()
    if out.returncode or not lines:
        return {"error": (out.stderr.strip().splitlines() or [f"exit {out.returncode}"])[-1]}
    return json.loads(lines[-1])  # type: ignore[no-any-return]


def distance(space: str, seed: int, agreement: list[int] | None) -> float | None:
    """Euclidean distance of the agreement (or no deal) to the exact Pareto frontier."""
    import numpy as np

    from tratado.analysis import pareto_frontier
    from tratado.analysis.metrics import distance_to_frontier

    scenario = scenario_of(space, seed)
    frontier = _FRONTIERS.get((space, seed))
    if frontier is None:
        frontier = _FRONTIERS[(space, seed)] = pareto_frontier(scenario)
    point = (scenario.reservation_values if agreement is None
             else scenario.utilities(np.array([agreement], dtype=np.int64))[0])
    return float(distance_to_frontier(frontier, point))


_FRONTIERS: dict[tuple[str, int], Any] = {}


def command_seconds(space: str) -> float:
    """Wall time of the whole ``tratado simulate`` process on the saved scenario."""
    from tratado.formats import save

    with tempfile.TemporaryDirectory(prefix="tratado-huge-") as folder:
        target = Path(folder) / "scenario"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            save(scenario_of(space, 0), target if SPACES[space][0] == "anac"
                 else target.with_suffix(".yaml"), "genius" if SPACES[space][0] == "anac"
                 else "yaml")
        path = target if SPACES[space][0] == "anac" else target.with_suffix(".yaml")
        env = dict(os.environ, PYTHONPATH=str(HERE.parent / "src"))
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tratado.cli", "simulate", str(path), "--rounds",
                        str(ROUNDS)], check=True, capture_output=True, env=env)
        return time.perf_counter() - start


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--spaces", nargs="+", default=list(SPACES), choices=list(SPACES))
    parser.add_argument("--negmas-python", default="/tmp/bench-venv/bin/python")
    parser.add_argument("--negmas-seeds", type=int, help="seeds NegMAS runs (default: --seeds)")
    parser.add_argument("--no-distance", action="store_true")
    parser.add_argument("--command", action="store_true")
    args = parser.parse_args()
    negmas = args.negmas_python if Path(args.negmas_python).exists() else None
    print("| space | tool, negotiators | session (median s) | RSS before the session (MiB) |"
          " peak RSS (MiB) | agreements | distance to frontier (mean) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for space in args.spaces:
        runs = [("tratado", "boulware-conceder", sys.executable, args.seeds),
                ("tratado", "frequency", sys.executable, args.seeds),
                ("tratado", "mediated, frequency", sys.executable, args.seeds)]
        if negmas:
            runs.append(("negmas", "boulware-conceder", negmas, args.negmas_seeds or args.seeds))
        for tool, pair, python, seeds in runs:
            found = [run_child(python, space, seed, tool, pair) for seed in range(seeds)]
            errors = [f["error"] for f in found if "error" in f]
            if errors:
                print(f"| {space} | {tool}, {pair} | failed: {errors[0][:80]} | | | | |",
                      flush=True)
                continue
            seconds = statistics.median(f["seconds"] for f in found)
            peak = max(f["rss_peak"] for f in found)
            before = max(f["rss_before"] for f in found)
            deals = sum(f["agreement"] is not None for f in found)
            shown = "—"
            if not args.no_distance:
                far = [distance(space, seed, f["agreement"]) for seed, f in enumerate(found)]
                shown = f"{statistics.mean(d for d in far if d is not None):.3f}"
            print(f"| {space} | {tool}, {pair} | {seconds:.2f} | {before:.0f} | {peak:.0f} |"
                  f" {deals}/{len(found)} | {shown} |", flush=True)
        if args.command:
            print(f"| {space} | `tratado simulate` (whole process, seed 0) |"
                  f" {command_seconds(space):.1f} | | | | |", flush=True)


if __name__ == "__main__":
    main()
