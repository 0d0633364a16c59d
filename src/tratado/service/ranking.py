"""The ranking check of a delegation's stated preferences: tratado picks a few whole
packages, the delegation ranks them, and a ranking that contradicts its points and ratings
(:mod:`tratado.service.elicitation`) is reported with the fix.

:func:`packages_to_rank` picks ``count`` packages whose scores are near evenly spaced
between the worst and the best (the ends excluded, no two equal: a tie would test
nothing), in an order drawn from a seed, so that the order shown hints at nothing.
:func:`check_ranking` finds every pair ranked one way and scored strictly the other —
package *A* above *B* while *u(A) < u(B)* — and says the fix: put the two the other way
round, or change one named option's rating by the least that removes the contradiction
(on a point *i* where they differ, by *100 · (u(B) − u(A)) / wᵢ*, on the point of largest
weight where the rating stays within 0–100), or, when no single rating can, move points.
"""

from __future__ import annotations

import math
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from tratado.errors import TratadoError
from tratado.preferences import LinearAdditive
from tratado.service.elicitation import POINTS, TOLERANCE, TOP, package_row

if TYPE_CHECKING:
    from tratado.agenda import Agenda, Option

MAX_RANKED = len(string.ascii_uppercase)
"""At most this many packages to rank (they are named A, B, C, ...)."""

CANDIDATES = 20_000
"""Packages drawn (with the seed) when the agenda has more outcomes than this."""


@dataclass(frozen=True)
class Contradiction:
    """Package ``above`` was ranked above package ``below`` (both letters), yet its
    points and ratings give it the lower score. ``message`` says so; ``fix`` says what
    to change."""

    above: str
    below: str
    score_above: float
    score_below: float
    message: str
    fix: str
    rating: tuple[str, str, float] | None = field(default=None, compare=False)
    """The rating change the fix proposes, ``(issue, option label, new rating)``."""



def package_names(count: int) -> list[str]:
    """The names packages to rank are shown under: ``A``, ``B``, ..."""
    return list(string.ascii_uppercase[:count])


def packages_to_rank(agenda: Agenda, preferences: LinearAdditive, count: int = 4,
                     seed: int = 0) -> list[dict[str, Option]]:
    """``count`` whole packages to rank, chosen so that their scores under
    ``preferences`` are well apart (near evenly spaced points between the worst and the
    best score, ends excluded), in an order drawn with ``seed`` (so the order shown says
    nothing). Deterministic: same agenda, preferences and seed, same packages."""
    if not 2 <= count <= MAX_RANKED:
        raise TratadoError(f"{count} packages to rank.", field="count",
                           fix=f"ask for 2 to {MAX_RANKED} packages.")
    rng = np.random.default_rng(seed)
    if agenda.size <= CANDIDATES:
        rows = agenda.all_outcomes()
    else:
        rows = np.column_stack([rng.integers(0, len(issue), size=CANDIDATES) for issue in agenda])
    utilities = preferences.utility(rows)
    low, high = float(utilities.min()), float(utilities.max())
    targets = low + (high - low) * (np.arange(1, count + 1) / (count + 1))
    chosen: list[int] = []
    for target in targets:
        distance = np.abs(utilities - target)
        if chosen:
            taken = utilities[chosen]
            distance[np.isin(utilities, taken)] = np.inf  # a tie would say nothing
            distance[chosen] = np.inf
        k = int(np.argmin(distance))
        if not math.isfinite(float(distance[k])):
            break
        chosen.append(k)
    if len(chosen) < 2:
        raise TratadoError("every package scores the same under these points and ratings, so there"
                           " is nothing to rank.", field="ratings",
                           fix="rate the options of at least one issue with points so that they differ.")
    order = rng.permutation(len(chosen))
    return [agenda.describe(rows[chosen[k]]) for k in order]


def check_ranking(agenda: Agenda, preferences: LinearAdditive,
                  packages: Sequence[Mapping[str, Any]], ranking: Sequence[str],
                  ratings: Mapping[str, Mapping[str, Any]] | None = None) -> list[Contradiction]:
    """The contradictions between ``ranking`` (package names, best first, each once) and
    the scores ``preferences`` gives ``packages`` (named A, B, ... in the order given):
    every pair ranked one way and scored strictly the other. Each says the fix: put the
    two the other way round, or change one named rating (from ``ratings``, the ratings
    the preferences came from) by the least that removes the contradiction."""
    names = package_names(len(packages))
    if sorted(ranking) != sorted(names) or len(ranking) != len(names):
        raise TratadoError(f"the ranking {', '.join(map(str, ranking)) or '(empty)'} does not list"
                           f" each of the packages {', '.join(names)} once.", field="ranking",
                           fix="rank every package, each once, best first.")
    rows = {name: package_row(agenda, package) for name, package in zip(names, packages, strict=True)}
    scores = {name: float(preferences.utility(row[None, :])[0]) * TOP for name, row in rows.items()}
    found = []
    for i, above in enumerate(ranking):
        for below in ranking[i + 1:]:
            if scores[above] < scores[below] - TOLERANCE:
                found.append(_contradiction(agenda, preferences, rows, scores, above, below, ratings))
    return found


def _contradiction(agenda: Agenda, preferences: LinearAdditive, rows: Mapping[str, np.ndarray],
                   scores: Mapping[str, float], above: str, below: str,
                   ratings: Mapping[str, Mapping[str, Any]] | None) -> Contradiction:
    gap = scores[below] - scores[above]  # > 0, in score points
    message = (f"you ranked package {above} above package {below}, but your points and ratings"
               f" give package {above} {scores[above]:.1f} and package {below} {scores[below]:.1f}.")
    best: tuple[float, str, tuple[str, str, float]] | None = None
    for position, issue in enumerate(agenda):
        a, b = int(rows[above][position]), int(rows[below][position])
        weight = float(preferences.weights[position])
        if a == b or weight <= 0:
            continue
        change = gap / weight  # rating points on this issue that close the gap
        rated = ratings.get(issue.name, {}) if ratings is not None else {}
        now_a = float(preferences.values[position][a]) * TOP
        now_b = float(preferences.values[position][b]) * TOP
        label_a, label_b = str(issue.options[a]), str(issue.options[b])
        if issue.is_numeric and (label_a not in rated or label_b not in rated):
            continue  # an interpolated option has no rating of its own to change
        raised = math.ceil(now_a + change - 1e-9)
        if raised <= TOP and (best is None or change < best[0]):
            text = (f"raise your rating of '{label_a}' on '{issue.label}' (in package {above}) from"
                    f" {now_a:g} to at least {raised}")
            best = (change, text, (issue.name, label_a, float(raised)))
        lowered = math.floor(now_b - change + 1e-9)
        if lowered >= 0 and (best is None or change < best[0]):
            text = (f"lower your rating of '{label_b}' on '{issue.label}' (in package {below}) from"
                    f" {now_b:g} to at most {lowered}")
            best = (change, text, (issue.name, label_b, float(lowered)))
    if best is None:
        fix = (f"put package {below} above package {above}, or give more of your {POINTS} points to a"
               f" point of the agenda where package {above} does better than package {below}.")
        return Contradiction(above, below, scores[above], scores[below], message, fix)
    fix = f"put package {below} above package {above}, or {best[1]}."
    return Contradiction(above, below, scores[above], scores[below], message, fix, best[2])


__all__ = ["CANDIDATES", "MAX_RANKED", "Contradiction", "check_ranking", "package_names",
           "packages_to_rank"]
