"""The analysts' multi-actor models of collective decisions: pure functions from the
actors' capabilities, positions and saliences on one issue to a forecast.

* :func:`weighted_mean` and :func:`weighted_median` — the baselines of Thomson et al.,
  *The European Union Decides* (2006);
* :func:`nash_bargaining` — the asymmetric Nash bargaining solution over the positions
  (:func:`veto_range`: where unanimity from the status quo lets it lie);
* :func:`expected_utility` — Bueno de Mesquita's expected utility model as reconstructed
  by Scholz, Calbert and Smith (2011), round by round, in two variants;
* :func:`forecast` — all four on one :class:`IssueTable`;
* :func:`robustness` — how far each forecast moves when the estimates move.

The theory, with the equations as implemented, is in docs/actors-models.md; reading
tables from files is :mod:`tratado.formats.actors_file`.
"""

from tratado.actors.baselines import weighted_mean, weighted_median
from tratado.actors.expected_utility import (
    DEFAULT_ROUNDS,
    MOVES,
    VARIANTS,
    ExpectedUtilityRun,
    Variant,
    expected_utility,
)
from tratado.actors.forecast import MODELS, IssueForecast, forecast
from tratado.actors.nash import VetoRange, nash_bargaining, veto_range
from tratado.actors.robustness import Robustness, robustness
from tratado.actors.table import IssueTable

__all__ = ["DEFAULT_ROUNDS", "MODELS", "MOVES", "VARIANTS", "ExpectedUtilityRun", "IssueForecast",
           "IssueTable", "Robustness", "Variant", "VetoRange", "expected_utility", "forecast",
           "nash_bargaining", "robustness", "veto_range", "weighted_mean", "weighted_median"]
