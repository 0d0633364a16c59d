"""One call that answers "what agreements are possible, and which are fair?".

:func:`analyze` returns an :class:`Analysis`: the size of the outcome space, the
rational set and whether a zone of possible agreement exists, the exact frontier (of
all outcomes and of the rational set), the Nash, Kalai–Smorodinsky, egalitarian and
utilitarian packages, the opposition level and the per-issue trade-off table.

It is also the notebook entry point, ``tratado.analyze``::

    import tratado
    a = tratado.analyze("venezuela-2021")     # a bundled example, a path or a Scenario
    a.pareto                                  # the frontier, as Packages
    a.nash.by_party                           # {party id: utility}
    a.pareto_rational.to_pandas()             # with pandas installed
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tratado.agenda import DEFAULT_ENUMERATION_LIMIT
from tratado.analysis.frontier import Frontier
from tratado.analysis.linkage import Linkage
from tratado.analysis.metrics import distance, distance_to_frontier, opposition
from tratado.analysis.solutions import (
    egalitarian_solution,
    kalai_smorodinsky_solution,
    nash_solution,
    utilitarian_solution,
)
from tratado.analysis.space import count_rational, pareto_frontier, rational_threshold
from tratado.analysis.tables import Package as Package
from tratado.analysis.tables import Packages, TradeoffTable
from tratado.analysis.tradeoffs import IssueTradeoff, Trade, issue_tradeoffs, suggested_trades
from tratado.scenario import Scenario
from tratado.stakeholders import has_effects, with_stakeholders, without_stakeholders
from tratado.uncertainty import Uncertainty

SOLUTIONS = {
    "nash": nash_solution,
    "kalai_smorodinsky": kalai_smorodinsky_solution,
    "egalitarian": egalitarian_solution,
    "utilitarian": utilitarian_solution,
}

SOLUTION_TITLES = {
    "nash": "Nash bargaining solution (max product of gains)",
    "kalai_smorodinsky": "Kalai–Smorodinsky (gains proportional to ideal gains)",
    "egalitarian": "Egalitarian (max of the minimum gain)",
    "utilitarian": "Utilitarian (max total utility)",
}


@dataclass(frozen=True)
class Analysis:
    """Everything :func:`analyze` finds about one scenario."""

    scenario: Scenario
    frontier: Frontier
    rational_frontier: Frontier
    n_rational: int | None
    solutions: dict[str, Package | None]
    opposition: float
    tradeoffs: list[IssueTradeoff]
    trades: list[Trade]
    ideal: tuple[float, ...] = field(default=())
    linkage: Linkage | None = None
    #: The uncertainty of the file analysed (at its estimates): the analysed scenario
    #: itself is exact once the stakeholders' effects are folded in.
    uncertainty: Uncertainty | None = None

    def __repr__(self) -> str:
        s = self.scenario
        rational = "not counted" if self.n_rational is None else f"{self.n_rational:,}"
        return (f"<Analysis of '{s.name}': {s.n_parties} parties, {self.n_outcomes:,} packages,"
                f" {rational} rational, frontier {len(self.frontier):,}"
                f" ({len(self.rational_frontier):,} rational); .pareto, .nash, .to_dict()>")

    @property
    def n_outcomes(self) -> int:
        return self.scenario.agenda.size

    @property
    def ideal_by_party(self) -> dict[str, float]:
        """``{party id: the most it can get inside the zone}`` (empty without a zone)."""
        return dict(zip(self.scenario.party_ids, self.ideal, strict=True)) if self.ideal else {}

    @property
    def has_zopa(self) -> bool:
        """A zone of possible agreement exists: some outcome is rational for every party."""
        return len(self.rational_frontier) > 0

    def package(self, frontier: Frontier, index: int) -> Package:
        """Point ``index`` of ``frontier`` as a :class:`Package`."""
        row = tuple(int(i) for i in frontier.outcomes[index])
        return Package(self.scenario.agenda.describe(row),
                       tuple(float(u) for u in frontier.utilities[index]), row,
                       int(frontier.ties[index]), self.scenario.party_ids)

    def _packages(self, frontier: Frontier) -> Packages:
        return Packages((self.package(frontier, i) for i in range(len(frontier))),
                        self.scenario.party_ids, self.scenario.agenda.names)

    @property
    def pareto(self) -> Packages:
        """The Pareto frontier, one package per distinct utility vector."""
        return self._packages(self.frontier)

    @property
    def pareto_rational(self) -> Packages:
        """The frontier packages in the zone of possible agreement."""
        return self._packages(self.rational_frontier)

    @property
    def nash(self) -> Package | None:
        """The Nash bargaining package (None without a zone of possible agreement)."""
        return self.solutions["nash"]

    @property
    def kalai_smorodinsky(self) -> Package | None:
        """The Kalai–Smorodinsky package (None without a zone of possible agreement)."""
        return self.solutions["kalai_smorodinsky"]

    @property
    def egalitarian(self) -> Package | None:
        """The egalitarian package (None without a zone of possible agreement)."""
        return self.solutions["egalitarian"]

    @property
    def utilitarian(self) -> Package | None:
        """The utilitarian package (None without a zone of possible agreement)."""
        return self.solutions["utilitarian"]

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` document (see docs/cli.md for every field)."""
        scenario = self.scenario
        out: dict[str, Any] = {
            "scenario": scenario.name,
            "parties": list(scenario.party_ids),
            "issues": list(scenario.agenda.names),
            "outcomes": self.n_outcomes,
            "reservation_values": [float(r) for r in scenario.reservation_values],
            "rational": self.n_rational,
            "zopa": self.has_zopa,
            "pareto": [dict(p.to_dict(), ties=p.ties) for p in self.pareto],
            "pareto_rational": len(self.rational_frontier),
        }
        for name, package in self.solutions.items():
            out[name] = None if package is None else package.to_dict()
        out["opposition"] = self.opposition
        out["ideal"] = list(self.ideal)
        out["tradeoffs"] = [
            {"issue": t.issue, "shares": dict(zip(scenario.party_ids, t.shares, strict=True)),
             "alignment": t.alignment, "kind": t.kind, "cares_most": t.cares_most}
            for t in self.tradeoffs
        ]
        out["trades"] = [
            {"parties": [t.first, t.second], "gets": {t.first: t.first_gets, t.second: t.second_gets}}
            for t in self.trades
        ]
        uncertainty = self.uncertainty
        out["uncertainty"] = None if uncertainty is None else {
            "inputs": [{"key": i.key, "label": i.label, "estimate": i.nominal, "low": i.low,
                        "high": i.high, "distribution": i.distribution}
                       for i in uncertainty.inputs],
            "analysed": "the estimates",
            "forecast": f"tratado forecast answers for the {len(uncertainty)} uncertain inputs",
        }
        out["stakeholders"] = None if self.linkage is None else self.linkage.to_dict(self)
        return out


def analyze(scenario: Scenario, max_outcomes: int = DEFAULT_ENUMERATION_LIMIT,
            count_limit: int = 10_000_000,
            reservation_values: Mapping[str, float] | None = None,
            stakeholders: bool = True) -> Analysis:
    """Analyse ``scenario`` exactly.

    ``scenario`` is a :class:`~tratado.scenario.Scenario` (analysis does no I/O;
    :func:`tratado.analyze` also takes a file, a folder or a bundled example's name).
    ``reservation_values`` (``{party id: value}``) is a what-if: those no-deal values
    replace the scenario's for this analysis.  ``max_outcomes`` bounds enumeration
    (non-linear preferences; linear-additive frontiers never enumerate). The rational
    packages are counted exactly, without enumerating them for one or two
    linear-additive parties (up to about 10^10 packages), and otherwise only up to
    ``count_limit`` (and ``max_outcomes``) packages; the frontier and the solutions are
    exact regardless.
    Problems predicted to take too long are refused with an estimate (see
    :mod:`tratado.analysis.budget`).

    Stakeholders' effects (:mod:`tratado.stakeholders`) are folded into the
    preferences (``stakeholders=True``, the default: the world as it is), and the table
    alone is analysed too, for :attr:`Analysis.linkage`; ``stakeholders=False``
    analyses the table alone. A ``reservation_values`` what-if sets the no-deal values
    before any stakeholder's no-deal effect. An uncertain scenario is analysed at its
    estimates.
    """
    if reservation_values:
        scenario = scenario.with_reservation_values(reservation_values)
    if has_effects(scenario):
        holders = tuple(h for h in scenario.roles.stakeholders if h.effects)
        alone = without_stakeholders(scenario)
        if not stakeholders:
            return _replace_linkage(analyze(alone, max_outcomes, count_limit),
                                    Linkage(holders, applied=False))
        without = analyze(alone, max_outcomes, count_limit)
        return _replace_linkage(analyze(with_stakeholders(scenario), max_outcomes, count_limit),
                                Linkage(holders, applied=True, without=without),
                                scenario.uncertainty)
    frontier = pareto_frontier(scenario, max_outcomes)
    reservation = rational_threshold(scenario)
    rational = frontier.rational(reservation)
    solutions: dict[str, Package | None] = {}
    probe = Analysis(scenario, frontier, rational, None, {}, 0.0, [], [])
    for name, solve in SOLUTIONS.items():
        index = solve(rational, scenario.reservation_values)
        solutions[name] = None if index is None else probe.package(rational, index)
    table = issue_tradeoffs(scenario)
    ideal = tuple(float(x) for x in rational.utilities.max(axis=0)) if len(rational) else ()
    counted = count_rational(scenario, min(count_limit, max_outcomes))
    return Analysis(
        scenario=scenario,
        frontier=frontier,
        rational_frontier=rational,
        n_rational=counted,
        solutions=solutions,
        opposition=opposition(frontier),
        tradeoffs=TradeoffTable(table, scenario.party_ids),
        trades=suggested_trades(scenario, table),
        ideal=ideal,
        uncertainty=scenario.uncertainty,
    )


def _replace_linkage(analysis: Analysis, linkage: Linkage,
                     uncertainty: Uncertainty | None = None) -> Analysis:
    return dataclasses.replace(analysis, linkage=linkage,
                               uncertainty=uncertainty or analysis.uncertainty)


def utilities_of(scenario: Scenario, rows: np.ndarray) -> np.ndarray:
    """Utilities of outcome rows (convenience re-export for reports)."""
    return scenario.utilities(rows)


def outcome_quality(scenario: Scenario, utilities: np.ndarray,
                    frontier: Frontier | None = None) -> dict[str, Any]:
    """How good a result is: distance to the Pareto frontier and to the Nash package.

    ``utilities`` is the result's utility vector (the reservation values when there was
    no agreement). Distances are Euclidean in utility space; the Nash distance is None
    when no package is acceptable to every party.
    """
    frontier = pareto_frontier(scenario) if frontier is None else frontier
    reservation = rational_threshold(scenario)
    rational = frontier.rational(reservation)
    nash = nash_solution(rational, scenario.reservation_values)
    point = np.asarray(utilities, dtype=float)
    return {
        "distance_to_pareto": distance_to_frontier(frontier, point),
        "distance_to_nash": None if nash is None else distance(rational.utilities[nash], point),
        "nash_utilities": None if nash is None else tuple(map(float, rational.utilities[nash])),
    }
