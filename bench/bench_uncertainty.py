"""Drawing uncertain scenarios: what a forecast pays per sample before any session runs.

For the Venezuela example (21 uncertain inputs, two U.S. effects), prints the median
wall time of:

* ``Uncertainty.sample(rng, n)``: n joint draws (the opposition's weights by Dirichlet,
  the government's projected onto weights that sum to one);
* ``Uncertainty.scenario_at(nominal, row)``: the exact scenario of one draw (array
  updates of the preferences);
* the same followed by ``with_stakeholders`` (the linkage folded in);
* the naive way to get the same scenario: building it again from the file's data with
  the drawn numbers written in (``scenario_from_dict``), which validates every field.

and the ratio naive / ``scenario_at``. No timing thresholds: the numbers are for
docs/performance.md.

Usage::

    python bench/bench_uncertainty.py            # 10,000 draws, 5 repeats
    python bench/bench_uncertainty.py --quick    # 1,000 draws, 3 repeats
"""

from __future__ import annotations

import argparse
import copy
import statistics
import time
from collections.abc import Callable

import numpy as np
import yaml

import tratado
from tratado.formats import bundled_examples
from tratado.formats.yaml_format import scenario_from_dict
from tratado.stakeholders import with_stakeholders


def median_time(work: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n, repeats = (1_000, 3) if args.quick else (10_000, 5)
    path = bundled_examples()["venezuela-2021"]
    nominal = tratado.load(path)
    uncertainty = nominal.uncertainty
    assert uncertainty is not None
    rows = uncertainty.sample(np.random.default_rng(1), n)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    government = data["parties"][0]["preferences"]
    keys = [(k, i) for i, k in enumerate(uncertainty.keys)
            if k.startswith("parties.government.weights.")]

    def naive() -> None:
        # only the government's weights rewritten: a lower bound on the naive cost
        for row in rows[: n // 10]:
            document = copy.deepcopy(data)
            weights = document["parties"][0]["preferences"]["weights"]
            for key, column in keys:
                weights[key.rsplit(".", 1)[1]] = float(row[column])
            scenario_from_dict(document)

    assert government["weights"]
    cases = {
        f"sample({n:,})": lambda: uncertainty.sample(np.random.default_rng(2), n),
        f"scenario_at x {n:,}": lambda: [uncertainty.scenario_at(nominal, r) for r in rows],
        f"scenario_at + with_stakeholders x {n:,}":
            lambda: [with_stakeholders(uncertainty.scenario_at(nominal, r)) for r in rows],
        f"scenario_from_dict x {n // 10:,} (naive)": naive,
    }
    print(f"Venezuela 2021: {len(uncertainty)} uncertain inputs; {n:,} draws; "
          f"median of {repeats} runs")
    medians = {}
    for label, work in cases.items():
        medians[label] = median_time(work, repeats)
        print(f"  {label:<45} {medians[label] * 1e3:9.1f} ms")
    per_at = medians[f"scenario_at x {n:,}"] / n
    per_naive = medians[f"scenario_from_dict x {n // 10:,} (naive)"] / (n // 10)
    print(f"  per draw: scenario_at {per_at * 1e6:.1f} us, naive {per_naive * 1e6:.1f} us "
          f"(ratio naive / scenario_at: {per_naive / per_at:.0f}x)")


if __name__ == "__main__":
    main()
