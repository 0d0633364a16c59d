"""How much each forecast moves when the estimates move: the models rerun on tables
whose numbers are shaken within a stated spread.

Every capability, position and salience in an actor table is an estimate. Each sample
moves every one of them independently and uniformly within ``spread`` (a share):

* a position by up to ``spread`` of the scale's width, kept on the scale;
* a salience by up to ``spread`` (salience is already a share), kept in [0, 1];
* a capability by a factor between ``1 - spread`` and ``1 + spread``.

The draws come from ``numpy.random.default_rng(seed)``, so the same table, spread and
seed give the same samples. Reported per model: the 10th, 50th and 90th percentiles of
the forecast over the samples — a narrow band says the forecast does not hang on the
exact numbers; a wide one says which estimates deserve more work.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tratado.actors.expected_utility import DEFAULT_ROUNDS, Variant
from tratado.actors.forecast import MODELS, forecast
from tratado.actors.table import IssueTable

PERCENTILES = (10, 50, 90)


@dataclass(frozen=True)
class Robustness:
    """``bands[model] = (p10, median, p90)`` of the forecasts over ``samples`` shaken
    tables (``spread``, ``seed`` as given)."""

    samples: int
    spread: float
    seed: int
    bands: dict[str, tuple[float, float, float]]


def shaken(table: IssueTable, spread: float, rng: np.random.Generator) -> IssueTable:
    """One sample: ``table`` with every estimate moved within ``spread`` (see above)."""
    n = len(table.actors)
    low, high = table.low, table.high
    position = np.clip(table.position + rng.uniform(-spread, spread, n) * (high - low), low, high)
    salience = np.clip(table.salience + rng.uniform(-spread, spread, n), 0.0, 1.0)
    capability = table.capability * (1 + rng.uniform(-spread, spread, n))
    if not (capability * salience > 0).any():  # every weight shaken to zero: keep the inputs'
        capability, salience = table.capability, table.salience
    return IssueTable(table.issue, table.actors, capability, position, salience,
                      table.question, table.scale, table.status_quo, table.notes)


def robustness(table: IssueTable, samples: int = 200, spread: float = 0.1, seed: int = 0,
               rounds: int = DEFAULT_ROUNDS, variant: Variant = "replication") -> Robustness:
    """Every model on ``samples`` shaken copies of ``table``; their percentiles."""
    if samples < 1 or not 0 <= spread < 1:
        raise ValueError("samples must be at least 1 and spread in [0, 1)")
    rng = np.random.default_rng(seed)
    found = np.empty((samples, len(MODELS)))
    for k in range(samples):
        result = forecast(shaken(table, spread, rng), rounds, variant)
        found[k] = [getattr(result, model) for model in MODELS]
    cuts = np.percentile(found, PERCENTILES, axis=0)
    bands = {model: (float(cuts[0, m]), float(cuts[1, m]), float(cuts[2, m]))
             for m, model in enumerate(MODELS)}
    return Robustness(samples, spread, seed, bands)
