"""The outcome space of a scenario in utility terms: its frontier and its rational set.

Linear-additive scenarios get their exact frontier by dynamic programming over the
issues (:func:`~tratado.analysis.frontier.additive_frontier`), so spaces far too large
to enumerate are analysed exactly. Other preferences are enumerated in chunks with
bounded memory (:class:`~tratado.analysis.frontier.FrontierBuilder`) -- unless
enumeration would be refused and every party's preferences are made of option values
and package rules (constraints, GENIUS non-linear spaces, mixed): those take the exact
mixed-integer programmes of :mod:`tratado.analysis.milp` (SciPy needed): a walk for two
parties, search zones for three or more.

The frontier depends only on the parties' preferences (as objects: they are immutable)
and the agenda's shape, so the last frontier found for the same preference objects is
reused (held weakly, with the first party's preferences): a mediator that computes it
at the start of every session of one scenario, and a forecast that needs the Nash
package of the same sampled preferences, compute it once.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from weakref import WeakKeyDictionary

import numpy as np

from tratado.agenda import DEFAULT_ENUMERATION_LIMIT, Agenda
from tratado.analysis.budget import WorkBudget, WorkEstimate, check, estimate
from tratado.analysis.counting import count_rational_additive
from tratado.analysis.frontier import Frontier, FrontierBuilder, additive_frontier
from tratado.analysis.milp import milp_frontier, solvable
from tratado.analysis.ties import RATIONAL_TOLERANCE, snap
from tratado.limits import limit
from tratado.preferences import Preferences, column_major
from tratado.scenario import Scenario

#: Outcomes evaluated per chunk when a space is enumerated.
CHUNK = 1 << 18



def rational_threshold(scenario: Scenario) -> np.ndarray:
    """The per-party utility an outcome needs to count as rational (acceptable)."""
    return scenario.reservation_values - RATIONAL_TOLERANCE


def issue_contributions(scenario: Scenario) -> list[np.ndarray]:
    """Per issue, an ``(n_options, n_parties)`` array of each option's contribution."""
    per_party = [p.preferences.contributions() for p in scenario.parties]
    return [np.column_stack([c[i] for c in per_party]) for i in range(len(scenario.agenda))]


def evaluation_terms(scenario: Scenario) -> int:
    """Rough cost of evaluating one package for every party (rules and tables touched)."""
    terms = 0
    for party in scenario.parties:
        prefs = party.preferences
        terms += 1 + len(getattr(prefs, "rules", ())) if not prefs.is_additive else len(scenario.agenda)
    return terms


def work_estimate(scenario: Scenario) -> WorkEstimate:
    """The predicted cost of the exact frontier (see :mod:`tratado.analysis.budget`)."""
    return estimate(scenario.agenda.shape, scenario.n_parties, scenario.is_additive,
                    0 if scenario.is_additive else evaluation_terms(scenario))


def check_frontier_work(scenario: Scenario, what: str = "") -> WorkEstimate:
    """Refuse now (:class:`~tratado.analysis.budget.AnalysisTooCostly`) a scenario whose
    exact frontier is predicted to exceed the ``analysis_work`` limit; return the estimate.

    For callers that will need the frontier after other long work (a simulation that
    reports distances to the frontier), so that the refusal comes before that work.
    """
    est = work_estimate(scenario)
    if not scenario.is_additive and _needs_milp(scenario, DEFAULT_ENUMERATION_LIMIT):
        return est  # walked by mixed-integer programmes, not enumerated: no such cost
    check(est, what or f"the Pareto frontier of '{scenario.name}'")
    return est


def pareto_frontier(scenario: Scenario, max_outcomes: int = DEFAULT_ENUMERATION_LIMIT) -> Frontier:
    """The exact Pareto frontier of all outcomes (distinct utility vectors).

    Refuses up front (:class:`~tratado.analysis.budget.AnalysisTooCostly`, with the
    estimate) a problem predicted to take more than the ``analysis_work`` limit, and
    stops one that passes the limit while running.
    """
    what = f"the Pareto frontier of '{scenario.name}'"
    if not scenario.is_additive and _needs_milp(scenario, max_outcomes):
        walked = milp_frontier(scenario)
        if not walked.exact:
            warnings.warn(AnalysisNote(
                f"the frontier of '{scenario.name}' was walked in steps of 1e-6 utility (its"
                " utilities do not rescale to whole numbers): two frontier points closer"
                " than that may be reported as one."), stacklevel=2)
        return walked.frontier
    if not scenario.is_additive:
        scenario.agenda.check_enumerable(max_outcomes, "the Pareto frontier of non-linear preferences")
    check_frontier_work(scenario, what)
    first, *others = (party.preferences for party in scenario.parties)
    cached = _FRONTIERS.get(first)
    if (cached is not None and cached[1] == scenario.agenda.shape
            and len(cached[0]) == len(others)
            and all(a is b for a, b in zip(cached[0], others, strict=True))):
        return cached[2]
    budget = WorkBudget(limit("analysis_work"), what)
    if scenario.is_additive:
        found = additive_frontier(issue_contributions(scenario), budget)
    else:
        builder = FrontierBuilder(scenario.n_parties, len(scenario.agenda), budget)
        # One chunk: every party's utilities as its negotiators' tables share them.
        listed = [u for u in (listed_utilities(scenario.agenda, prefs)
                              for prefs in (first, *others)) if u is not None]
        for rows in _chunks(scenario.agenda):
            builder.add(np.column_stack(listed) if len(listed) == scenario.n_parties
                        else scenario.utilities(rows), rows)
        found = builder.result()
    _FRONTIERS[first] = (tuple(others), scenario.agenda.shape, found)
    return found


_FRONTIERS: WeakKeyDictionary[Preferences, tuple[tuple[Preferences, ...], tuple[int, ...],
                                                 Frontier]] = WeakKeyDictionary()
"""The last frontier found per first party's preferences: ``(the other parties'
preferences, the agenda's shape, the frontier)`` (the key itself is not in the value, so
the entry goes when the preferences do)."""


def _chunks(agenda: Agenda) -> Iterator[np.ndarray]:
    """``agenda.chunks(CHUNK)``; a space of one chunk is listed once per shape and kept
    (read-only; the last :data:`_SHAPES_KEPT` shapes), since a forecast finds the frontier
    of thousands of sampled preferences over one agenda."""
    if agenda.size > CHUNK:
        yield from agenda.chunks(CHUNK)
        return
    rows = _ONE_CHUNK.pop(agenda.shape, None)
    if rows is None:
        rows = column_major(agenda.outcomes())
        while len(_ONE_CHUNK) >= _SHAPES_KEPT:
            del _ONE_CHUNK[next(iter(_ONE_CHUNK))]
    _ONE_CHUNK[agenda.shape] = rows  # the most recent last
    yield rows


_ONE_CHUNK: dict[tuple[int, ...], np.ndarray] = {}
_SHAPES_KEPT = 4


def listed_utilities(agenda: Agenda, preferences: Preferences) -> np.ndarray | None:
    """Every package's utility for ``preferences``, in enumeration order, read-only, when
    the agenda is listed in one chunk (None for a larger one).

    Kept per preferences object (weakly: the entry goes with the preferences) for the
    last agenda shape it was asked for: in a forecast the frontier of a sample and its
    negotiators' tables (:mod:`tratado.negotiators._tables`) need the same utilities of
    the same preferences, and evaluate them once. The utilities depend only on the
    preferences and the listing, which depends only on the agenda's shape.
    """
    if agenda.size > CHUNK:
        return None
    cached = _UTILITIES.get(preferences)
    if cached is not None and cached[0] == agenda.shape:
        return cached[1]
    rows = next(_chunks(agenda))
    values = np.asarray(preferences.utility(rows), dtype=np.float64)
    values.setflags(write=False)
    _UTILITIES[preferences] = (agenda.shape, values)
    return values


_UTILITIES: WeakKeyDictionary[Preferences, tuple[tuple[int, ...], np.ndarray]] = (
    WeakKeyDictionary())
"""The last :func:`listed_utilities` per preferences: ``(agenda shape, utilities)``."""


class AnalysisNote(UserWarning):
    """Something a user should know about how a result was found (the command line
    prints it as a ``tratado: note:`` line on stderr)."""


def _needs_milp(scenario: Scenario, max_outcomes: int) -> bool:
    """True when the space is too large to enumerate (more than ``max_outcomes``
    packages) and the mixed-integer programmes apply (preferences made of option values
    and package rules). A space small enough to list is listed, within
    the ``analysis_work`` limit, as before."""
    return scenario.agenda.size > max_outcomes and solvable(scenario)


def count_rational(scenario: Scenario, max_outcomes: int = DEFAULT_ENUMERATION_LIMIT) -> int | None:
    """How many outcomes give every party at least its reservation value (exactly).

    Linear-additive scenarios are counted without enumerating the space (a
    meet-in-the-middle count over the two halves of the agenda, see
    :mod:`tratado.analysis.counting`): for one or two parties up to about 10^10
    outcomes, for three or more parties up to ``max_outcomes``.
    Other preferences are enumerated in chunks, up to ``max_outcomes``.  Returns None
    beyond these limits.
    """
    reservation = snap(rational_threshold(scenario))
    if scenario.is_additive:
        return count_rational_additive(issue_contributions(scenario), reservation,
                                       scenario.utilities, max_outcomes)
    if scenario.agenda.size > max_outcomes:
        return None
    count = 0
    for rows in _chunks(scenario.agenda):
        count += int(np.count_nonzero(np.all(snap(scenario.utilities(rows)) >= reservation, axis=1)))
    return count
