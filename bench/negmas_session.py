"""NegMAS's side of the whole-process case: one process that builds the domain, runs one
session and prints it — what ``tratado simulate`` does, for ``bench/engine_process.py``.

    PYTHONPATH=src python bench/negmas_session.py --rounds 200000 [--json]

The domain and negotiators are those of case (a) (``engine_common.no_deal_domain``,
Boulware first against Conceder, no agreement possible). Without ``--json`` it prints the
ending; with ``--json`` it also writes every offer with each party's utility for it, one
JSON object per line (as tratado's record does). The domain is built with tratado's
seeded generator, so this process also imports tratado (about 0.1 s).
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import to_negmas  # noqa: E402
from engine_common import negmas_session, no_deal_domain  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=200_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    os_, ufuns = to_negmas(no_deal_domain())
    m, state = negmas_session(os_, ufuns, args.rounds)
    out = sys.stdout
    out.write(f"agreement: {state.agreement}, steps: {state.step}\n")
    if args.json:
        for step, negotiator, offer in m.extended_trace:
            out.write(json.dumps({"step": step, "negotiator": negotiator, "offer": list(offer),
                                  "utilities": [float(u(offer)) for u in ufuns]}) + "\n")


if __name__ == "__main__":
    main()
