"""What the engine benchmarks share: the negotiators (the same curves in both tools), the
seeded domains, results read the same way from both tools, and the timing helpers.

See ``bench_engine.py`` for the cases and how they are timed.
"""

from __future__ import annotations

import gc
import os
import resource
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import index_to_row, linear_domain, to_negmas, to_tratado  # noqa: E402

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

