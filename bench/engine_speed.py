"""Informal timing of the negotiation engine (no thresholds; machines are noisy).

    PYTHONPATH=src python bench/engine_speed.py [--repeat N]

1. rounds/s: one alternating-offers session, Boulware vs Conceder, 10^3 outcomes
   (three issues of ten options, opposed preferences), 1000 rounds, reservation values
   high enough that there is no agreement.
2. sessions/s: full sessions, Boulware vs Conceder, 25 outcomes (two issues of five
   options), 100 rounds, reservation value 0 (they usually agree).

Each figure is the best of ``--repeat`` runs. The lead adds the NegMAS side-by-side.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from tratado import Agenda, Issue, LinearAdditive, Party, Rules, Scenario
from tratado.session import Session


def opposed_scenario(sizes: tuple[int, ...], reservation: float, deadline: int) -> Scenario:
    """Two parties with opposed linear preferences over ``sizes`` options per issue."""
    rng = np.random.default_rng(2024)
    agenda = Agenda(tuple(Issue.integer(f"issue{k}", 0, n - 1) for k, n in enumerate(sizes)))
    parties = []
    for j in range(2):
        weights = rng.random(len(sizes)) + 0.1
        values = [np.linspace(0, 1, n) if j == 0 else np.linspace(1, 0, n) for n in sizes]
        preferences = LinearAdditive.normalized(weights, values, reservation_value=reservation)
        parties.append(Party(f"party{j}", preferences))
    return Scenario("bench", agenda, tuple(parties), rules=Rules(deadline=deadline))


def rounds_per_second(repeat: int) -> tuple[float, str]:
    scenario = opposed_scenario((10, 10, 10), reservation=0.97, deadline=1000)
    session = Session(scenario, "alternating", ["boulware", "conceder"], seed=1)
    best = float("inf")
    result = session.run()
    for _ in range(repeat):
        start = time.perf_counter()
        result = session.run()
        best = min(best, time.perf_counter() - start)
    assert result.reason == "deadline", result.reason
    return (result.round + 1) / best, result.reason


def sessions_per_second(repeat: int, sessions: int = 2000) -> tuple[float, float]:
    scenario = opposed_scenario((5, 5), reservation=0.0, deadline=100)
    best = float("inf")
    rounds = 0
    for _ in range(repeat):
        start = time.perf_counter()
        rounds = 0
        for seed in range(sessions):
            result = Session(scenario, "alternating", ["boulware", "conceder"], seed=seed).run()
            rounds += result.round + 1
        best = min(best, time.perf_counter() - start)
    return sessions / best, rounds / sessions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rate, reason = rounds_per_second(args.repeat)
    print(f"boulware vs conceder, 10^3 outcomes, 1000 rounds ({reason}): {rate:,.0f} rounds/s")
    per_s, mean_rounds = sessions_per_second(args.repeat)
    print(f"full sessions, 25 outcomes, 100 rounds (mean {mean_rounds:.1f} rounds): {per_s:,.0f} sessions/s")


if __name__ == "__main__":
    main()
