"""The negotiation engine, side by side with NegMAS: rounds/s, sessions/s, memory.

    PYTHONPATH=src python bench/bench_engine.py [--quick] [--markdown] [--no-negmas]
                                                [--profile] [--repeat N] [--only TEXT]

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
(d) the whole process: ``tratado simulate`` on the domain of (a) for 200,000 rounds,
    with and without ``--json``, as a child process (imports, loading, the session,
    evaluating it, writing the transcript or the record to a pipe), against the same
    session in a NegMAS process (``negmas_session.py``); wall time and peak RSS of each
    child (``engine_process.py``).

Timing: ``time.perf_counter`` around the whole session (building the mechanism/session
and the negotiators, running, reading the result); domains, ufuns and scenarios are built
once, untimed, and reused (so tratado's per-preferences tables are warm after the first
session; (a) also reports tratado with a fresh scenario, i.e. a cold table). Medians over
repeats, after ``gc.collect()``, one warm-up run each. ``--profile`` adds a cProfile of
tratado's case (b).

The cases are data (:data:`CASES`: a label and a function returning rows); every row goes
through one renderer (``rows.render``): medians, and the ratio tratado / NegMAS against
its target.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import negmas_available, negmas_version  # noqa: E402
from engine_cases import rows_a, rows_b, rows_c  # noqa: E402
from engine_common import negmas_exponents  # noqa: E402
from engine_process import rows_process  # noqa: E402
from rows import Row, render  # noqa: E402

Case = Callable[[Any, float, float, bool], list[Row]]

CASES: list[tuple[str, Case]] = [
    ("(a) rounds/s", rows_a),
    ("(b) sessions/s", rows_b),
    ("(c) memory", rows_c),
    ("(d) whole process", rows_process),
]
"""Every case: a label (``--only`` matches it) and the function that measures it."""


def settings(quick: bool, repeat: int | None) -> dict[str, Any]:
    """Repeats and sizes, quick or full."""
    return {
        "repeat_slow": repeat or (2 if quick else 5),
        "repeat_fast": 5 if quick else 15,
        "sessions_tratado": 500 if quick else 2000,
        "sessions_negmas": 40 if quick else 200,
        "memory_blocks": (500, 2000, 5000) if quick else (1000, 5000, 20000),
        "fresh_blocks": (200, 500, 1000) if quick else (500, 2000, 5000),
        "process_rounds": 200_000,
        "repeat_process": 3 if quick else 5,
        "repeat_negmas_process": 1 if quick else (repeat or 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and sessions")
    parser.add_argument("--markdown", action="store_true", help="also print a markdown table")
    parser.add_argument("--no-negmas", action="store_true", help="tratado only")
    parser.add_argument("--profile", action="store_true", help="cProfile tratado's case (b)")
    parser.add_argument("--repeat", type=int, default=None, help="repeats of the slow (NegMAS) runs")
    parser.add_argument("--only", default="", help="run the cases whose label contains TEXT")
    args = parser.parse_args()
    for key, value in settings(args.quick, args.repeat).items():
        setattr(args, key, value)
    with_negmas = not args.no_negmas and negmas_available()
    warnings.filterwarnings("ignore")
    xb, xc = negmas_exponents()
    started = time.perf_counter()
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs;"
          f" NegMAS {negmas_version() if with_negmas else 'not used'}")
    print(f"negotiators: boulware (t**{xb:g}) vs conceder (t**{xc:g}), boulware moves first\n")
    rows: list[Row] = []
    for label, case in CASES:
        if args.only in label:
            rows.extend(case(args, xb, xc, with_negmas))
    print(render(rows, markdown=args.markdown))
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
