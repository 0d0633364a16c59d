"""The trusted neutral's frontier on spaces too large to list and too costly to walk exactly.

:class:`~tratado.negotiators.mediators.Neutral` proposes packages of the Pareto frontier.
Where the exact frontier is out of reach within a session — non-linear preferences
(constraints, GENIUS hyper-rectangles) over more than :data:`EXACT_WALK_ISSUES` issues,
whose exact walk (:mod:`tratado.analysis.milp`) takes tens of seconds at 40 issues — it
uses :func:`search_frontier` instead: an **approximate** frontier, the non-dominated
packages among those met by weighted-sum hill-climbs.

For each of :data:`WEIGHTS` weightings of the parties (evenly spread for two parties;
each party alone, all equal, then drawn from a fixed seed for more), a best-improvement
hill-climb by single-issue changes maximises the weighted sum of the parties' utilities,
starting from the exact best package of the party weighted most
(:func:`~tratado.negotiators.programme.extreme_package`), at most four changes per issue.
Every package it passes is kept; the non-dominated ones, evaluated by the scenario itself,
form the frontier. Deterministic; nothing in it is proven optimal, and a package the
neutral proposes may be dominated by one it did not find.
"""

from __future__ import annotations

import numpy as np

from tratado.analysis.frontier import Frontier, frontier_from_points
from tratado.analysis.milp import solvable
from tratado.negotiators.landscape import TOLERANCE, Landscape
from tratado.negotiators.programme import extreme_package
from tratado.scenario import Scenario

#: Non-linear spaces of at most this many issues get the exact frontier walk.
EXACT_WALK_ISSUES = 16
#: Weightings of the parties the search climbs.
WEIGHTS = 33


def needs_search(scenario: Scenario, enumeration_limit: int) -> bool:
    """Whether the neutral should search rather than compute the exact frontier: a space
    too large to list, preferences that are not additive, and either no exact walk for
    them or more than :data:`EXACT_WALK_ISSUES` issues."""
    if scenario.agenda.size <= enumeration_limit or scenario.is_additive:
        return False
    return not solvable(scenario) or len(scenario.agenda) > EXACT_WALK_ISSUES


def _weightings(parties: int) -> np.ndarray:
    if parties == 2:
        share = np.linspace(0.0, 1.0, WEIGHTS)
        return np.column_stack([share, 1.0 - share])
    fixed = [np.eye(parties), np.full((1, parties), 1.0 / parties)]
    drawn = np.random.default_rng(parties).dirichlet(np.ones(parties), WEIGHTS)
    return np.vstack([*fixed, drawn])


def search_frontier(scenario: Scenario) -> Frontier:
    """An approximate Pareto frontier of ``scenario`` found by search (see the module
    docstring); every party's preferences must be made of option values and rules."""
    shape = scenario.agenda.shape
    lands = [Landscape(p.preferences, shape) for p in scenario.parties]
    bests = [extreme_package(p.preferences, shape) for p in scenario.parties]
    steps = 4 * len(shape)
    seen: dict[tuple[int, ...], None] = {}
    for weights in _weightings(len(lands)):
        row = bests[int(np.argmax(weights))].copy()
        seen[tuple(int(v) for v in row)] = None
        value = sum(w * land.value(row) for w, land in zip(weights, lands, strict=True))
        for _ in range(steps):
            values = sum(w * land.changes(row) for w, land in zip(weights, lands, strict=True)
                         if w)
            values = np.where(lands[0].valid, values, -np.inf)
            flat = int(np.argmax(values))
            i, j = divmod(flat, values.shape[1])
            if not values[i, j] > value + TOLERANCE:
                break
            row[i] = j
            value = float(values[i, j])
            seen[tuple(int(v) for v in row)] = None
    rows = np.array(list(seen), dtype=np.int64)
    return frontier_from_points(scenario.utilities(rows), rows)
