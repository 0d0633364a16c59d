"""The in-process engine cases, side by side with NegMAS: (a) rounds/s of one long
session, (b) full sessions/s, (c) memory over many sessions; and a profile of (b).
Each case returns :class:`rows.Row` values; ``bench_engine.py`` lists and renders them.
"""

from __future__ import annotations

import cProfile
import gc
import pstats
import statistics
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from common import check_utilities_agree, linear_domain, to_tratado
from engine_common import (
    N_DOMAINS_B,
    ROUNDS_A,
    ROUNDS_B,
    TARGET_ROUNDS,
    TARGET_SESSIONS,
    Domain,
    Outcome,
    _once,
    build,
    negmas_outcome,
    negmas_session,
    no_deal_domain,
    rss_now,
    rss_peak,
    session_domains,
    side_by_side,
    tratado_outcome,
    tratado_session,
)
from rows import Row

from tratado.parties import Rules


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
    """Flat: after the first block, traced memory grows < 0.25 MiB and RSS < 2 MiB."""
    grow_traced = rows[-1]["traced"] - rows[1]["traced"]
    grow_rss = rows[-1]["rss"] - rows[1]["rss"]
    return grow_traced < 0.25 and grow_rss < 2.0



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
# As rows
# ------------------------------------------------------------------------------------


def rows_a(args: Any, xb: float, xc: float, with_negmas: bool) -> list[Row]:
    a = case_a(args, xb, xc, with_negmas)
    notes = [f"{a['outcomes']:,} outcomes, both run all {ROUNDS_A} rounds (checked);"
             f" fresh scenario (cold tables): {a['tratado_cold']:,.0f} rounds/s"]
    if with_negmas:
        notes.append(f"utilities agree to {a['utility_check']:.1e}; identical offers in"
                     f" {100 * a['same_offers']:.1f}% of the {2 * ROUNDS_A} moves")
    return [Row(f"(a) rounds/s, 10^3 outcomes, {ROUNDS_A} rounds, no agreement", "",
                a["tratado"], a.get("negmas"), TARGET_ROUNDS, notes=tuple(notes))]


def rows_b(args: Any, xb: float, xc: float, with_negmas: bool) -> list[Row]:
    domains = session_domains(with_negmas)
    b = case_b(args, xb, xc, with_negmas, domains)
    notes = [f"tratado agreed {b['tratado_agreed']}/{b['n_domains']}, mean round"
             f" {b['tratado_round']:.1f}"]
    if with_negmas:
        notes.append(f"NegMAS agreed {b['negmas_agreed']}/{b['n_domains']}, mean round"
                     f" {b['negmas_round']:.1f}; same agreement in the same round on"
                     f" {b['same']}/{b['n_domains']} domains; utilities agree to"
                     f" {b['utility_check']:.1e}")
    if getattr(args, "profile", False):
        notes.extend(profile_b(args, xb, xc, domains, b.get("negmas")).split("\n"))
    return [Row(f"(b) sessions/s, 25 outcomes, {ROUNDS_B} rounds", "", b["tratado"],
                b.get("negmas"), TARGET_SESSIONS, notes=tuple(notes))]


def _memory_row(case: str, rows: list[dict[str, float]]) -> Row:
    flat = memory_table(rows)
    counts = ", ".join(f"{r['sessions']:,}" for r in rows[1:])
    traced = " / ".join(f"{r['traced']:.2f}" for r in rows[1:])
    rss = " / ".join(f"{r['rss']:.0f}" for r in rows[1:])
    return Row(f"{case} after {counts} sessions", text=f"traced {traced} MiB, RSS {rss} MiB",
               flag="flat" if flat else "growing")


def rows_c(args: Any, xb: float, xc: float, with_negmas: bool) -> list[Row]:
    domains = session_domains(False)
    return [_memory_row("(c) memory", case_c(args, xb, xc, domains)),
            _memory_row("(c) memory, a fresh scenario each session", case_c_fresh(args, xb, xc))]
