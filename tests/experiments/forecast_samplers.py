"""Small samplers for the forecast tests (a forecast takes any sampler: these stand in
for a scenario file's uncertainty)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tratado.scenario import Scenario


@dataclass(frozen=True)
class Input:
    key: str
    label: str
    nominal: float
    low: float
    high: float


@dataclass(frozen=True)
class Reservations:
    """Each party's no-deal value, uniform on ``[low, high]``; ``dummies`` more inputs
    drawn the same way that change nothing."""

    ranges: tuple[tuple[str, float, float, float], ...]  # party, nominal, low, high
    dummies: int = 0

    @property
    def inputs(self) -> list[Input]:
        found = [Input(f"{party}.reservation", f"{party}'s no-deal value", nominal, low, high)
                 for party, nominal, low, high in self.ranges]
        found += [Input(f"dummy{k}", f"an input that changes nothing ({k})", 0.5, 0.0, 1.0)
                  for k in range(self.dummies)]
        return found

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        inputs = self.inputs
        low = np.array([item.low for item in inputs])
        high = np.array([item.high for item in inputs])
        return low + (high - low) * rng.random((n, len(inputs)))

    def scenario_at(self, nominal: Scenario, row: np.ndarray) -> Scenario:
        values = {party: float(row[k]) for k, (party, *_) in enumerate(self.ranges)}
        return nominal.with_reservation_values(values)
