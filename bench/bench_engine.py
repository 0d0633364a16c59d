"""The negotiation engine, side by side with NegMAS: rounds/s, sessions/s, memory.

    PYTHONPATH=src python bench/bench_engine.py [--quick] [--markdown] [--no-negmas]
                                                [--profile] [--repeat N]

Both tools run in one process, on the same domains (built from the same seeded numpy
arrays by ``bench/common.py``; utilities cross-checked on random outcomes before any
timing), with the same kind of negotiators: a Boulware party (first to move) against a
Conceder party, under alternating offers.

* NegMAS 0.16: ``SAOMechanism(outcome_space=os, n_steps=R)`` with
  ``BoulwareTBNegotiator`` and ``ConcederTBNegotiator`` (aspiration
  ``1 - t ** x``, x = 4 and 0.25 read from ``PolyAspiration``; the lowest outcome at
  or above the aspiration; accept an offer at or above the aspiration).
* tratado: ``Session(scenario, "alternating", [boulware, conceder], seed)`` with
  ``registry.make("boulware", e=1/4)`` and ``make("conceder", e=4)``: tratado's curve
  is ``t ** (1/e)``, so these are the same curves as NegMAS's (tratado's defaults are
  e = 0.2 and 5, i.e. ``t ** 5`` and ``t ** 0.2``; the speed does not depend on e).
  Both scale the curve between the best outcome and max(reservation, worst outcome).

Cases:

(a) rounds/s: one session, 10^3 outcomes (3 issues x 10 options, opposed option values),
    1000 rounds, reservation values so high that no outcome is acceptable to both
    (checked by enumeration), so both run every round and do not agree (checked).
(b) sessions/s: full sessions on 25-outcome domains (2 issues x 5 options, opposed option
    values, reservation 0.1), 100 rounds; 20 seeded domains used in turn. Reports how many
    agreed, the mean agreement round (1-based) and on how many domains both tools reached
    the same agreement in the same round.
(c) memory: tratado only, blocks of sessions of (b) run back to back; after each block
    the live traced allocation (``tracemalloc``), the current RSS (/proc/self/statm) and
    the peak RSS (``getrusage``).

Timing: ``time.perf_counter`` around the whole session (building the mechanism/session
and the negotiators, running, reading the result); domains, ufuns and scenarios are built
once, untimed, and reused (so tratado's per-preferences tables are warm after the first
session; (a) also reports tratado with a fresh scenario, i.e. a cold table). Medians over
repeats, after ``gc.collect()``, one warm-up run each. ``--profile`` adds a cProfile of
tratado's case (b).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import platform
import pstats
import resource
import statistics
import sys
import time
import tracemalloc
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    check_utilities_agree,
    index_to_row,
    linear_domain,
    negmas_available,
    negmas_version,
    to_negmas,
    to_tratado,
)

from tratado.negotiators.registry import make  # noqa: E402
from tratado.parties import Rules  # noqa: E402
from tratado.scenario import Scenario  # noqa: E402
from tratado.session import Session  # noqa: E402

ROUNDS_A = 1000
ROUNDS_B = 100
N_DOMAINS_B = 20
TARGET_ROUNDS = 50.0
TARGET_SESSIONS = 100.0

# ------------------------------------------------------------------------------------
# Negotiators: the same curves in both tools
# ------------------------------------------------------------------------------------


def negmas_exponents() -> tuple[float, float]:
    """NegMAS's Boulware and Conceder aspiration exponents (1 - t ** x)."""
    try:
        from negmas.negotiators.helpers import PolyAspiration

        return PolyAspiration(1.0, "boulware").exponent, PolyAspiration(1.0, "conceder").exponent
    except Exception:  # noqa: BLE001 - NegMAS absent: its documented 0.16 values
        return 4.0, 0.25


def tratado_pair(xb: float, xc: float) -> list[Any]:
    """tratado's boulware / conceder with NegMAS's curves: t ** (1/e) = t ** x."""
    return [make("boulware", e=1.0 / xb), make("conceder", e=1.0 / xc)]


def tratado_session(scenario: Scenario, xb: float, xc: float, seed: int = 0):
    """What is timed for tratado: build the session (and negotiators), run it."""
    return Session(scenario, "alternating", tratado_pair(xb, xc), seed=seed).run()


def negmas_session(os_, ufuns, n_steps: int):
    """What is timed for NegMAS: build the mechanism and negotiators, run it."""
    from negmas.sao import BoulwareTBNegotiator, ConcederTBNegotiator, SAOMechanism

    m = SAOMechanism(outcome_space=os_, n_steps=n_steps)
    m.add(BoulwareTBNegotiator(name="boulware"), ufun=ufuns[0])
    m.add(ConcederTBNegotiator(name="conceder"), ufun=ufuns[1])
    state = m.run()
    return m, state


# ------------------------------------------------------------------------------------
# Domains
# ------------------------------------------------------------------------------------


@dataclass
class Domain:
    spec: Any
    scenario: Scenario
    negmas: tuple[Any, Any] | None  # (outcome space, ufuns)


def all_utilities(spec) -> np.ndarray:
    rows = index_to_row(spec, np.arange(spec.size))
    return to_tratado(spec).utilities(rows)


def no_deal_domain(seed: int = 2024) -> Any:
    """3 issues x 10 options, opposed option values; reservation values set at 90% of each
    party's range, checked so that no outcome gives both parties their reservation."""
    spec = linear_domain(2, 3, 10, seed=seed, conflict=1.0)
    u = all_utilities(spec)
    lo, hi = u.min(axis=0), u.max(axis=0)
    r = lo + 0.9 * (hi - lo)
    both = np.all(u >= r - 1e-3, axis=1)
    assert not both.any(), "some outcome is acceptable to both parties"
    parties = tuple(replace(p, reservation=float(r[j])) for j, p in enumerate(spec.parties))
    return replace(spec, parties=parties, name=spec.name + ", no deal")


def build(spec, rounds: int, with_negmas: bool) -> Domain:
    scenario = replace(to_tratado(spec), rules=Rules(deadline=rounds))
    return Domain(spec, scenario, to_negmas(spec) if with_negmas else None)


def session_domains(with_negmas: bool) -> list[Domain]:
    return [
        build(linear_domain(2, 2, 5, seed=100 + d, conflict=1.0, reservation=0.1), ROUNDS_B, with_negmas)
        for d in range(N_DOMAINS_B)
    ]


# ------------------------------------------------------------------------------------
# Results read the same way from both tools
# ------------------------------------------------------------------------------------


@dataclass
class Outcome:
    agreement: tuple[int, ...] | None
    rounds: int  # rounds played (1-based round of the last move)
    moves: int  # offers + acceptances
    offers: list[tuple[int, ...]]


def tratado_outcome(result, with_offers: bool = False) -> Outcome:
    offers = []
    if with_offers:
        for entry in result.log:
            if entry["kind"] == "propose":
                offers.append(tuple(int(v[1:]) for v in entry["outcome"].values()))
    agreement = None if result.agreement is None else tuple(result.outcome)
    return Outcome(agreement, result.round + 1, result.turns, offers)


def negmas_outcome(m, state, with_offers: bool = False) -> Outcome:
    agreement = None
    if state.agreement is not None:
        agreement = tuple(int(v[1:]) for v in state.agreement)
    offers = []
    if with_offers:
        offers = [tuple(int(v[1:]) for v in o) for _, _, o in m.extended_trace]
    # an agreement is an acceptance move after the last offer
    moves = len(m.extended_trace) + (1 if agreement is not None else 0)
    return Outcome(agreement, int(state.step), moves, offers)


# ------------------------------------------------------------------------------------
# Timing helpers
# ------------------------------------------------------------------------------------


def _once(fn) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def side_by_side(ours, theirs, repeat_ours: int, repeat_theirs: int) -> tuple[list[float], list[float]]:
    """Times of ``ours`` and ``theirs`` (None: not run), interleaved (a few of ours, then
    one of theirs, and so on) so that both see the same machine load; one warm-up each."""
    ours()
    if theirs is not None:
        theirs()
    t_ours: list[float] = []
    t_theirs: list[float] = []
    rounds = repeat_theirs if theirs is not None else 1
    per_round = max(1, -(-repeat_ours // rounds))
    for _ in range(rounds):
        t_ours.extend(_once(ours) for _ in range(per_round))
        if theirs is not None:
            t_theirs.append(_once(theirs))
    return t_ours, t_theirs


def rss_now() -> float:
    """Current resident set size in MiB (Linux; else the peak)."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return rss_peak()


def rss_peak() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


# ------------------------------------------------------------------------------------
# (a) rounds per second
# ------------------------------------------------------------------------------------


def case_a(args, xb, xc, with_negmas) -> dict[str, Any]:
    spec = no_deal_domain()
    dom = build(spec, ROUNDS_A, with_negmas)
    worst = check_utilities_agree(spec, 1000) if with_negmas else None
    out: dict[str, Any] = {"outcomes": spec.size, "utility_check": worst}

    res = tratado_outcome(tratado_session(dom.scenario, xb, xc), with_offers=True)
    assert res.agreement is None and res.rounds == ROUNDS_A and res.moves == 2 * ROUNDS_A, res
    ours, theirs = side_by_side(
        lambda: tratado_session(dom.scenario, xb, xc),
        (lambda: negmas_session(*dom.negmas, ROUNDS_A)) if with_negmas else None,
        args.repeat_fast,
        args.repeat_slow,
    )
    out["tratado"] = ROUNDS_A / statistics.median(ours)
    if with_negmas:
        out["negmas"] = ROUNDS_A / statistics.median(theirs)

    # cold: a fresh scenario (new preference objects) each time, so the negotiators'
    # sorted tables are built inside the timed session
    cold = []
    for _ in range(max(3, args.repeat_fast // 2)):
        fresh = build(spec, ROUNDS_A, False).scenario
        gc.collect()
        start = time.perf_counter()
        tratado_session(fresh, xb, xc)
        cold.append(time.perf_counter() - start)
    out["tratado_cold"] = ROUNDS_A / statistics.median(cold)

    if with_negmas:
        m, state = negmas_session(*dom.negmas, ROUNDS_A)
        theirs = negmas_outcome(m, state, with_offers=True)
        assert theirs.agreement is None and theirs.rounds == ROUNDS_A, theirs
        assert len(theirs.offers) == 2 * ROUNDS_A and state.timedout, len(theirs.offers)
        same = sum(a == b for a, b in zip(res.offers, theirs.offers, strict=True))
        out["same_offers"] = same / len(res.offers)
    return out


# ------------------------------------------------------------------------------------
# (b) sessions per second
# ------------------------------------------------------------------------------------


def run_tratado_block(domains: list[Domain], n: int, xb, xc) -> list[Outcome]:
    return [
        tratado_outcome(tratado_session(domains[i % len(domains)].scenario, xb, xc, seed=i)) for i in range(n)
    ]


def run_negmas_block(domains: list[Domain], n: int) -> list[Outcome]:
    return [negmas_outcome(*negmas_session(*domains[i % len(domains)].negmas, ROUNDS_B)) for i in range(n)]


def summary(outcomes: list[Outcome]) -> tuple[int, float]:
    agreed = [o.rounds for o in outcomes if o.agreement is not None]
    return len(agreed), (statistics.fmean(agreed) if agreed else float("nan"))


def case_b(args, xb, xc, with_negmas, domains) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if with_negmas:
        out["utility_check"] = max(check_utilities_agree(d.spec, 300) for d in domains)
    n_t = args.sessions_tratado
    n_n = args.sessions_negmas
    ours, theirs = side_by_side(
        lambda: run_tratado_block(domains, n_t, xb, xc),
        (lambda: run_negmas_block(domains, n_n)) if with_negmas else None,
        args.repeat_fast,
        args.repeat_slow,
    )
    out["tratado"] = n_t / statistics.median(ours)
    ours = run_tratado_block(domains, len(domains), xb, xc)
    out["tratado_agreed"], out["tratado_round"] = summary(ours)
    out["n_domains"] = len(domains)
    if with_negmas:
        out["negmas"] = n_n / statistics.median(theirs)
        theirs = run_negmas_block(domains, len(domains))
        out["negmas_agreed"], out["negmas_round"] = summary(theirs)
        out["same"] = sum(
            a.agreement == b.agreement and a.rounds == b.rounds for a, b in zip(ours, theirs, strict=True)
        )
    return out


# ------------------------------------------------------------------------------------
# (c) memory
# ------------------------------------------------------------------------------------


def memory_rows(run_one, blocks: list[int]) -> list[dict[str, float]]:
    """Run ``run_one(i)`` session after session in ``blocks``; after each block (and before
    the first) record traced memory (tracemalloc), current and peak RSS."""
    gc.collect()
    tracemalloc.start()

    def row(done: int) -> dict[str, float]:
        return {"sessions": done, "traced": tracemalloc.get_traced_memory()[0] / 2**20,
                "rss": rss_now(), "peak": rss_peak()}

    rows = [row(0)]
    done = 0
    for block in blocks:
        for i in range(block):  # results dropped, as a tournament keeping summaries would
            run_one(done + i)
        done += block
        gc.collect()
        rows.append(row(done))
    tracemalloc.stop()
    return rows


def case_c(args, xb, xc, domains) -> list[dict[str, float]]:
    run_tratado_block(domains, 200, xb, xc)  # warm caches and imports
    return memory_rows(
        lambda i: tratado_session(domains[i % len(domains)].scenario, xb, xc, seed=i),
        args.memory_blocks)


def case_c_fresh(args, xb, xc) -> list[dict[str, float]]:
    """Like (c), but every session on a freshly built scenario (new agenda, parties and
    preference objects, as in a tournament over generated domains): the per-scenario and
    per-preferences caches must let go of them."""
    specs = [linear_domain(2, 2, 5, seed=100 + d, conflict=1.0) for d in range(N_DOMAINS_B)]

    def one(i: int) -> None:
        scenario = replace(to_tratado(specs[i % len(specs)]), rules=Rules(deadline=ROUNDS_B))
        tratado_session(scenario, xb, xc, seed=i)

    for i in range(100):  # warm caches and imports
        one(i)
    return memory_rows(one, args.fresh_blocks)


def memory_table(rows: list[dict[str, float]]) -> bool:
    print(f"    {'sessions':>8} {'traced MiB':>11} {'RSS MiB':>8} {'peak RSS':>9}")
    for row in rows:
        print(f"    {row['sessions']:8,} {row['traced']:11.3f} {row['rss']:8.1f} {row['peak']:9.1f}")
    grow_traced = rows[-1]["traced"] - rows[1]["traced"]
    grow_rss = rows[-1]["rss"] - rows[1]["rss"]
    flat = grow_traced < 0.25 and grow_rss < 2.0
    print(
        f"    after the first block: traced {grow_traced:+.3f} MiB, RSS {grow_rss:+.1f} MiB"
        f" -> {'flat' if flat else 'GROWING'}"
    )
    return flat


# ------------------------------------------------------------------------------------
# Profile of tratado's (b)
# ------------------------------------------------------------------------------------


def fixed_and_per_move(domains: list[Domain], xb, xc, repeat: int, n: int) -> tuple[float, float, float]:
    """Unprofiled split of a session's cost: run the sessions of (b) with deadlines of 1 to
    100 rounds (sessions end at the deadline or at their agreement) and fit
    ``time per session = fixed + moves * per_move``. Returns (fixed us, per-move us, r^2)."""
    xs, ys = [], []
    for d in (1, 5, 10, 25, 50, 75, 100):
        cut = [Domain(x.spec, replace(x.scenario, rules=Rules(deadline=d)), None) for x in domains]
        outcomes = run_tratado_block(cut, len(cut), xb, xc)
        times = [_once(lambda cut=cut: run_tratado_block(cut, n, xb, xc)) / n for _ in range(repeat)]
        xs.append(statistics.fmean(o.moves for o in outcomes))
        ys.append(statistics.median(times) * 1e6)
    slope, intercept = np.polyfit(xs, ys, 1)
    fit = np.polyval([slope, intercept], xs)
    r2 = 1 - float(np.sum((np.array(ys) - fit) ** 2) / np.sum((np.array(ys) - np.mean(ys)) ** 2))
    return float(intercept), float(slope), r2


def profile_b(args, xb, xc, domains, negmas_rate: float | None) -> str:
    n = args.sessions_tratado
    outcomes = run_tratado_block(domains, n, xb, xc)  # warm
    moves = statistics.fmean(o.moves for o in outcomes)
    gc.collect()
    start = time.perf_counter()
    run_tratado_block(domains, n, xb, xc)
    per_session = (time.perf_counter() - start) / n * 1e6
    fixed, per_move, r2 = fixed_and_per_move(
        domains, xb, xc, 3 if args.quick else 7, 200 if args.quick else 400
    )
    lines = [
        f"unprofiled: {per_session:.0f} us per session of (b), {moves:.1f} moves per session",
        f"  fit over deadlines 1..100 rounds (domains of (b), r^2 {r2:.3f}):"
        f" {fixed:.0f} us fixed per session + {per_move:.2f} us per move",
        f"  so in (b): setup+result ~{fixed:.0f} us ({100 * fixed / (fixed + per_move * moves):.0f}%),"
        f" moves ~{per_move * moves:.0f} us ({100 * per_move * moves / (fixed + per_move * moves):.0f}%)",
    ]
    if negmas_rate:
        budget = 1e6 / (TARGET_SESSIONS * negmas_rate)
        lines.append(
            f"  100x NegMAS ({negmas_rate:.1f} sessions/s) needs <= {budget:.0f} us per"
            f" session, e.g. {budget / 4:.0f} us fixed + {0.75 * budget / moves:.2f} us per move"
        )
    prof = cProfile.Profile()
    prof.enable()
    run_tratado_block(domains, n, xb, xc)
    prof.disable()
    stats = pstats.Stats(prof)
    total = stats.total_tt  # type: ignore[attr-defined]
    rows: list[tuple[float, float, float, str]] = []
    for (file, line, func), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        short = file.split("/src/")[-1] if "/src/" in file else Path(file).name
        rows.append((tt / n * 1e6, ct / n * 1e6, nc / n, f"{short}:{line}({func})"))
    # per move: functions called about once per move or more, and Session.run's own time
    # (its body is the move loop)
    per_move_own = sum(
        tt for tt, _, calls, name in rows if calls >= 0.25 * moves or ("session" in name and "(run" in name)
    )
    lines.append(
        f"cProfile (its overhead inflates small calls): {1e6 * total / n:.0f} us/session;"
        f" per-move work (functions called once per move or more, plus Session.run's"
        f" own loop): {per_move_own:.0f} us ({100 * per_move_own / (1e6 * total / n):.0f}%),"
        f" the rest (setup, result): {1e6 * total / n - per_move_own:.0f} us"
    )
    lines.append(f"  {'own us/sess':>11} {'cum us/sess':>11} {'calls/sess':>10}  function")
    for tt, ct, calls, name in sorted(rows, reverse=True)[:30]:
        lines.append(f"  {tt:11.2f} {ct:11.2f} {calls:10.1f}  {name}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------
# Report
# ------------------------------------------------------------------------------------


def fmt(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}"


def ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or b is None else f"{a / b:,.0f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and sessions (~30 s)")
    parser.add_argument("--markdown", action="store_true", help="also print a markdown table")
    parser.add_argument("--no-negmas", action="store_true", help="tratado only")
    parser.add_argument("--profile", action="store_true", help="cProfile tratado's case (b)")
    parser.add_argument("--repeat", type=int, default=None, help="repeats of the slow (NegMAS) runs")
    args = parser.parse_args()
    quick = args.quick
    args.repeat_slow = args.repeat or (2 if quick else 5)
    args.repeat_fast = 5 if quick else 15
    args.sessions_tratado = 500 if quick else 2000
    args.sessions_negmas = 40 if quick else 200
    args.memory_blocks = (500, 2000, 5000) if quick else (1000, 5000, 20000)
    args.fresh_blocks = (200, 500, 1000) if quick else (500, 2000, 5000)
    with_negmas = not args.no_negmas and negmas_available()
    warnings.filterwarnings("ignore")
    xb, xc = negmas_exponents()

    started = time.perf_counter()
    print(
        f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs;"
        f" NegMAS {negmas_version() if with_negmas else 'not used'}"
    )
    print(f"negotiators: boulware (t**{xb:g}) vs conceder (t**{xc:g}), boulware moves first\n")

    a = case_a(args, xb, xc, with_negmas)
    print(
        f"(a) one session, {a['outcomes']:,} outcomes, {ROUNDS_A} rounds, no agreement"
        f" (both ran all rounds: checked)"
    )
    if with_negmas:
        print(
            f"    utilities agree to {a['utility_check']:.1e}; identical offers in"
            f" {100 * a['same_offers']:.1f}% of the {2 * ROUNDS_A} moves"
        )
    print(
        f"    tratado  {fmt(a['tratado'])} rounds/s (warm tables), {fmt(a['tratado_cold'])}"
        f" rounds/s (fresh scenario)"
    )
    if with_negmas:
        print(
            f"    NegMAS   {fmt(a['negmas'])} rounds/s   -> {ratio(a['tratado'], a['negmas'])}"
            f" (cold {ratio(a['tratado_cold'], a['negmas'])}), target {TARGET_ROUNDS:g}x"
        )

    domains = session_domains(with_negmas)
    b = case_b(args, xb, xc, with_negmas, domains)
    print(f"\n(b) full sessions, 25 outcomes, {ROUNDS_B} rounds, {b['n_domains']} domains in turn")
    if with_negmas:
        print(f"    utilities agree to {b['utility_check']:.1e}")
    print(
        f"    tratado  {fmt(b['tratado'])} sessions/s; agreed {b['tratado_agreed']}/"
        f"{b['n_domains']}, mean agreement round {b['tratado_round']:.1f}"
    )
    if with_negmas:
        print(
            f"    NegMAS   {fmt(b['negmas'])} sessions/s; agreed {b['negmas_agreed']}/"
            f"{b['n_domains']}, mean agreement round {b['negmas_round']:.1f}"
        )
        print(
            f"    same agreement in the same round: {b['same']}/{b['n_domains']} domains"
            f"   -> {ratio(b['tratado'], b['negmas'])}, target {TARGET_SESSIONS:g}x"
        )

    c = case_c(args, xb, xc, domains)
    print(
        "\n(c) memory, tratado sessions of (b) back to back (results dropped;"
        " traced = live allocations since the start of the loop)"
    )
    flat = memory_table(c)
    c2 = case_c_fresh(args, xb, xc)
    print("    the same, with a freshly built scenario for every session")
    flat_fresh = memory_table(c2)

    if args.profile:
        print("\nprofile of tratado's (b)")
        print(profile_b(args, xb, xc, domains, b.get("negmas")))

    if args.markdown:
        nm = f"NegMAS {negmas_version()}" if with_negmas else "NegMAS"
        print("\n| case | tratado | " + nm + " | tratado / NegMAS | target |")
        print("|---|---:|---:|---:|---:|")
        print(
            f"| (a) rounds/s, 10^3 outcomes, {ROUNDS_A} rounds, no agreement | {fmt(a['tratado'])}"
            f" ({fmt(a['tratado_cold'])} cold) | {fmt(a.get('negmas'))} |"
            f" {ratio(a['tratado'], a.get('negmas'))} | {TARGET_ROUNDS:g}x |"
        )
        agreed_t = f"{b['tratado_agreed']}/{b['n_domains']} agreed, mean round {b['tratado_round']:.1f}"
        agreed_n = (
            f"{b['negmas_agreed']}/{b['n_domains']} agreed, mean round {b['negmas_round']:.1f}"
            if with_negmas
            else "-"
        )
        print(
            f"| (b) sessions/s, 25 outcomes, {ROUNDS_B} rounds | {fmt(b['tratado'])}"
            f" ({agreed_t}) | {fmt(b.get('negmas'))} ({agreed_n}) |"
            f" {ratio(b['tratado'], b.get('negmas'))} | {TARGET_SESSIONS:g}x |"
        )
        counts = ", ".join(f"{r['sessions']:,}" for r in c[1:])
        traced = " / ".join(f"{r['traced']:.2f}" for r in c[1:])
        rss = " / ".join(f"{r['rss']:.0f}" for r in c[1:])
        print(
            f"| (c) memory after {counts} sessions | traced {traced} MiB, RSS {rss} MiB"
            f" | - | - | {'flat' if flat else 'growing'} |"
        )
        counts = ", ".join(f"{r['sessions']:,}" for r in c2[1:])
        traced = " / ".join(f"{r['traced']:.2f}" for r in c2[1:])
        rss = " / ".join(f"{r['rss']:.0f}" for r in c2[1:])
        print(
            f"| (c) the same, a fresh scenario each session, after {counts} | traced {traced}"
            f" MiB, RSS {rss} MiB | - | - | {'flat' if flat_fresh else 'growing'} |"
        )
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
