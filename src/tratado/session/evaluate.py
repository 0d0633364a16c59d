"""Where a session's outcome lies in utility space: distance to the Pareto frontier
and to the Nash package (Nash 1950), Euclidean in the parties' utilities.

Computed after the talks, never in their loop: :func:`evaluate` fills
``distance_to_pareto`` and ``distance_to_nash`` of a result (the CLI calls it). The
frontier and the Nash point are computed once per scenario and cached (weakly). With
no agreement the point measured is the disagreement point (every party's reservation
value); with discounting, the discounted utilities. ``distance_to_nash`` stays ``None``
when no package is rational (no Nash package exists).
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

import numpy as np

from tratado.analysis import outcome_quality, pareto_frontier
from tratado.analysis.frontier import Frontier
from tratado.analysis.metrics import distance, distance_to_frontier
from tratado.scenario import Scenario
from tratado.session.result import SessionResult

_CACHE: WeakKeyDictionary[Scenario, tuple[Frontier, tuple[float, ...] | None]] = WeakKeyDictionary()


def frontier_and_nash(scenario: Scenario) -> tuple[Frontier, tuple[float, ...] | None]:
    """The scenario's exact Pareto frontier and its Nash package's utilities (cached per
    scenario; None when no package is acceptable to every party)."""
    cached = _CACHE.get(scenario)
    if cached is None:
        frontier = pareto_frontier(scenario)
        nash = outcome_quality(scenario, scenario.reservation_values, frontier)["nash_utilities"]
        cached = (frontier, nash)
        _CACHE[scenario] = cached
    return cached


def evaluate(result: SessionResult, scenario: Scenario | None = None) -> SessionResult:
    """Fill ``result.distance_to_pareto`` and ``result.distance_to_nash`` (in place) and
    return ``result``. ``scenario`` defaults to the result's own."""
    scenario = scenario if scenario is not None else result.scenario
    frontier, nash = frontier_and_nash(scenario)  # computed once per scenario
    point = np.array([result.utilities[p] for p in scenario.party_ids], dtype=float)
    result.distance_to_pareto = distance_to_frontier(frontier, point)
    result.distance_to_nash = None if nash is None else distance(np.asarray(nash), point)
    return result
