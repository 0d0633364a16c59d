"""Every model on one issue: the forecast an analyst compares side by side."""

from __future__ import annotations

from dataclasses import dataclass

from tratado.actors.baselines import weighted_mean, weighted_median
from tratado.actors.expected_utility import (
    DEFAULT_ROUNDS,
    ExpectedUtilityRun,
    Variant,
    expected_utility,
)
from tratado.actors.nash import nash_bargaining
from tratado.actors.table import IssueTable

MODELS = ("weighted_mean", "weighted_median", "nash_bargaining", "expected_utility")
"""The forecasts of :class:`IssueForecast`, in the order reports show them."""


@dataclass(frozen=True)
class IssueForecast:
    """The four forecasts of one issue and the expected utility model's rounds.

    ``expected_utility`` is the weighted median of the positions after the model's last
    round: the outcome Bueno de Mesquita forecasts (the position the pivotal actor holds
    once the challenges, compromises and capitulations are over)."""

    table: IssueTable
    weighted_mean: float
    weighted_median: float
    nash_bargaining: float
    expected_utility: float
    run: ExpectedUtilityRun

    def forecasts(self) -> dict[str, float]:
        """``{model: position}`` in the order of :data:`MODELS`."""
        return {name: getattr(self, name) for name in MODELS}


def forecast(table: IssueTable, rounds: int = DEFAULT_ROUNDS,
             variant: Variant = "replication") -> IssueForecast:
    """Run every model on ``table`` (the expected utility model for at most ``rounds``)."""
    run = expected_utility(table, rounds, variant)
    return IssueForecast(table, weighted_mean(table), weighted_median(table),
                         nash_bargaining(table), weighted_median(run.final), run)
