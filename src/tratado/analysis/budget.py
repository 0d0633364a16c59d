"""How much work an exact frontier may take: an estimate up front, a hard stop during.

One or two parties cost ``O(m log m)`` for ``m`` candidate packages and three parties the
same (a staircase sweep), whatever the frontier.  Four or more parties compare each
candidate with the frontier found so far while it is small, and then with the rows of the
few leaves of a tree of boxes that could hold a dominator
(:mod:`tratado.analysis.dominance_tree`), so the work grows like ``m x parties x
min(frontier, 4 x parties x log2 m)``.  The unit of work here is one comparison of one
party's utilities ("party comparisons").

* :func:`estimate` predicts that work before anything runs, from the shape of the problem,
  with a model of the frontier's size: the expected number of maxima of ``m`` independent
  random points in ``k`` dimensions, ``E_k(m) = sum_{i <= m} E_{k-1}(i) / i`` with
  ``E_1 = 1`` (about ``(ln m)^(k-1) / (k-1)!`` for large ``m``, and nearly ``m`` when
  ``k`` is large).  For linear-additive scenarios it follows the dynamic programme issue
  by issue (each step filters the previous frontier plus one issue's options, and is
  expected to keep the frontier of the space of the issues so far); for other
  preferences it adds the cost of evaluating every package.  Sums of independent issues
  have larger frontiers than independent random points, so this is an optimistic
  estimate: it refuses the hopeless cases at once, and the budget below catches the rest.
* :class:`WorkBudget` counts the work actually done and stops it, with a clear error, when
  the limit ``analysis_work`` (:mod:`tratado.limits`) is passed: the estimate is a model,
  and opposed preferences can have frontiers far larger than random ones.

Either way the user gets, within seconds, a refusal that says how large the problem is
and how to allow more (``TRATADO_LIMIT_ANALYSIS_WORK``), instead of a machine that hangs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tratado.errors import OutcomeSpaceTooLarge
from tratado.limits import env_name, limit

__all__ = ["AnalysisTooCostly", "WorkBudget", "WorkEstimate", "estimate", "expected_frontier"]

_EXACT_UP_TO = 100_000  # E_k(m) by its recursion up to here, by its growth rate beyond


class AnalysisTooCostly(OutcomeSpaceTooLarge):
    """An exact frontier would take more work than the ``analysis_work`` limit allows."""


def _message_fix() -> str:
    return (f"analyse fewer parties or options, or allow more work with"
            f" {env_name('analysis_work')}=N (now {limit('analysis_work'):,}; about 10^9 party"
            " comparisons take several seconds).")


class WorkBudget:
    """Counts party comparisons and raises :class:`AnalysisTooCostly` past ``limit``."""

    def __init__(self, limit_: int, what: str = "the Pareto frontier") -> None:
        self.limit = limit_
        self.what = what
        self.used = 0

    def spend(self, units: int) -> None:
        self.used += units
        if self.used > self.limit:
            raise AnalysisTooCostly(
                f"{self.what} needs more than {self.limit:,} party comparisons (the"
                " 'analysis_work' limit); stopped before finishing, so nothing is reported.",
                fix=_message_fix())


def expected_frontier(k: int, m: int) -> float:
    """Expected number of maxima of ``m`` independent random points in ``k`` dimensions."""
    if m <= 0:
        return 0.0
    if k <= 1:
        return 1.0
    n = min(m, _EXACT_UP_TO)
    inv = 1.0 / np.arange(1, n + 1, dtype=np.float64)
    e = np.ones(n)
    for _ in range(k - 1):
        e = np.cumsum(e * inv)
    value = float(e[-1])
    if m > n:  # E_k grows like (ln m)^(k-1)
        value *= (math.log(m) / math.log(n)) ** (k - 1)
    return min(float(m), value)


@dataclass(frozen=True)
class WorkEstimate:
    """What :func:`estimate` predicts for one scenario."""

    outcomes: int
    parties: int
    frontier: float  # expected frontier size (random-preferences model; nan: not needed)
    work: float  # party comparisons, plus package evaluations x terms for non-linear ones

    def describe(self) -> str:
        front = ("" if math.isnan(self.frontier)
                 else f", a frontier of about {self.frontier:,.0f} packages expected")
        return (f"{self.outcomes:,} packages x {self.parties} parties{front}: about"
                f" {self.work:.2g} party comparisons")


def _filter_work(k: int, m: float, frontier: float) -> float:
    """Work of one dominance filter of ``m`` candidates.

    From four parties each candidate is compared with the frontier found so far while it
    is small, and with the rows in a few leaves of the tree of boxes once it is large
    (:mod:`tratado.analysis.dominance_tree`): about ``4 k log2(m)`` rows each, measured
    on near constant-sum and on random utilities of 4 to 20 parties.
    """
    log_m = max(1.0, math.log2(max(m, 2.0)))
    if k <= 3:
        return m * log_m * k
    return m * k * min(frontier / 2, 4 * k * log_m)


def estimate(shape: Sequence[int], parties: int, additive: bool,
             evaluation_terms: int = 0) -> WorkEstimate:
    """Predicted work of the exact frontier of a scenario of this shape.

    ``evaluation_terms`` is, for non-linear preferences, the cost of evaluating one
    package for all parties (rules and table entries touched, summed over parties).
    """
    outcomes = math.prod(shape)
    k = parties
    if k <= 3:  # O(m log m) filters: the frontier's size does not matter
        if additive:
            return WorkEstimate(outcomes, k, float("nan"), float(sum(shape)) * k)
        m = float(outcomes)
        work = m * k + m * max(1, evaluation_terms)
        return WorkEstimate(outcomes, k, float("nan"), work)
    if additive:  # issue by issue: the frontier of the prefix space, times the options
        states, prefix, work = 1.0, 1, 0.0
        for n in shape:
            m = states * n
            prefix *= n
            states = expected_frontier(k, min(prefix, 2**62))
            work += _filter_work(k, m, states)
        return WorkEstimate(outcomes, k, states, work)
    front = expected_frontier(k, int(min(outcomes, 2**62)))
    work = _filter_work(k, float(outcomes), front) + float(outcomes) * max(1, evaluation_terms)
    return WorkEstimate(outcomes, k, front, work)


def check(est: WorkEstimate, what: str = "the Pareto frontier") -> None:
    """Refuse up front when the estimate is beyond the ``analysis_work`` limit."""
    allowed = limit("analysis_work")
    if est.work > allowed:
        raise AnalysisTooCostly(
            f"{what} would take too long: {est.describe()}, more than the {allowed:,}"
            " allowed (the 'analysis_work' limit).", fix=_message_fix())
