"""Exact negotiation analysis: pure functions from a scenario to frontier, solutions, metrics."""

from tratado.analysis.frontier import (
    Frontier,
    FrontierBuilder,
    additive_frontier,
    frontier_from_points,
    pareto_mask,
)
from tratado.analysis.linkage import Linkage
from tratado.analysis.metrics import distance_to_frontier, opposition
from tratado.analysis.solutions import (
    egalitarian_solution,
    kalai_smorodinsky_solution,
    nash_solution,
    utilitarian_solution,
)
from tratado.analysis.space import count_rational, issue_contributions, pareto_frontier
from tratado.analysis.summary import (
    SOLUTION_TITLES,
    SOLUTIONS,
    Analysis,
    analyze,
    outcome_quality,
)
from tratado.analysis.tables import Package, Packages, TradeoffTable
from tratado.analysis.tradeoffs import IssueTradeoff, Trade, issue_tradeoffs, suggested_trades

__all__ = [
    "SOLUTIONS", "SOLUTION_TITLES", "Analysis", "Frontier", "FrontierBuilder", "IssueTradeoff",
    "Linkage", "Package", "Packages", "Trade", "TradeoffTable", "additive_frontier", "analyze",
    "count_rational", "distance_to_frontier",
    "egalitarian_solution", "frontier_from_points", "issue_contributions", "issue_tradeoffs",
    "kalai_smorodinsky_solution", "nash_solution", "opposition", "outcome_quality", "pareto_frontier",
    "pareto_mask", "suggested_trades", "utilitarian_solution",
]
