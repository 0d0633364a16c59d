"""A delegation states its confidential preferences, the way negotiation support systems
ask for them (Inspire: Kersten & Noronha 1999; Smartsettle: Thiessen & McMahon 2000).

Four steps, each a pure function here (the pages only collect the numbers):

1. **Points.** The delegation spreads 100 points over the issues: how much each matters.
   Issue *i*'s weight is ``w_i = points_i / 100`` (:func:`weights_from_points`).
2. **Ratings.** For each issue it rates the options from 0 (the worst it could accept
   on this issue) to 100 (the best); option *o*'s value is ``v_i(o) = rating / 100``
   (:func:`values_from_ratings`). On a numeric issue it may rate a few options (the two
   ends at least); the others are interpolated linearly between their neighbours.
   A package's **score** is ``100 · Σ_i w_i · v_i(x_i)``: tratado's linear-additive
   preferences (:class:`~tratado.preferences.LinearAdditive`) on a 0–100 scale.
3. **Ranking check** (:mod:`tratado.service.ranking`). tratado picks a few whole
   packages with well-separated scores, shown in an order that gives nothing away; the
   delegation ranks them, and a ranking that contradicts the points and ratings is
   reported with the fix. Ranking whole packages catches what rating issue by issue
   hides (a mis-set weight).
4. **Reservation.** What no agreement is worth: a score from 0 to 100, or "no worse
   than this package" — the score of a package the delegation names
   (:func:`reservation_score`).

Or it imports all of this from a tratado scenario file that holds its party's
linear-additive preferences over the same agenda (:func:`from_scenario`).

Only the delegation itself and the neutral computation may read what is stated here:
a :class:`StatedPreferences` is never shown to another party or to the mediator.
Every mistake is a :class:`~tratado.errors.TratadoError` naming the field and the fix.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from tratado.errors import TratadoError
from tratado.preferences import LinearAdditive

if TYPE_CHECKING:
    from tratado.agenda import Agenda, Issue
    from tratado.scenario import Scenario

POINTS = 100
"""The points a delegation spreads over the issues."""

TOP = 100
"""The rating of the best option of an issue (the worst acceptable is 0)."""

TOLERANCE = 1e-6
"""Scores closer than this are a tie (no contradiction)."""

POINTS_TOLERANCE = 1e-3
"""How far from 100 the points may sum (points imported from a file are not whole)."""


@dataclass(frozen=True)
class StatedPreferences:
    """What a delegation stated: ``points`` per issue, ``ratings`` per issue and option
    label (0–100), and its reservation: a ``reservation`` score (0–100) or a
    ``reservation_package`` (``{issue: option label}``, "no worse than this package")."""

    points: Mapping[str, float]
    ratings: Mapping[str, Mapping[str, float]]
    reservation: float | None = None
    reservation_package: Mapping[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        """A plain JSON value (what the service stores, encrypted or not)."""
        return {"points": dict(self.points),
                "ratings": {issue: dict(r) for issue, r in self.ratings.items()},
                "reservation": self.reservation,
                "reservation_package": (None if self.reservation_package is None
                                        else dict(self.reservation_package))}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StatedPreferences:
        """The inverse of :meth:`to_dict` (checked against an agenda by
        :func:`preferences_of`)."""
        package = data.get("reservation_package")
        return cls(dict(data.get("points") or {}),
                   {str(k): dict(v) for k, v in (data.get("ratings") or {}).items()},
                   data.get("reservation"), None if package is None else dict(package))


# -- points and ratings -------------------------------------------------------------------


def _number(value: Any, what: str, field_name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TratadoError(f"{what} is {value!r}, not a number.", field=field_name,
                           fix="give a number.") from None
    if not math.isfinite(number):
        raise TratadoError(f"{what} is {value!r}.", field=field_name, fix="give a finite number.")
    return number


def weights_from_points(agenda: Agenda, points: Mapping[str, Any]) -> np.ndarray:
    """Issue weights (summing to one, in agenda order) from the points given to each
    issue, which must be 0 or more and sum to 100."""
    unknown = sorted(set(points) - set(agenda.names))
    if unknown:
        raise TratadoError(f"there is no issue '{unknown[0]}' on the agenda.", field="points",
                           fix=f"give points to the issues: {', '.join(agenda.names)}.")
    given = []
    for issue in agenda:
        if issue.name not in points:
            raise TratadoError(f"no points were given to '{issue.label}'.",
                               field=f"points.{issue.name}",
                               fix="give it a number of points (0 if it does not matter to you).")
        value = _number(points[issue.name], f"the points of '{issue.label}'", f"points.{issue.name}")
        if value < 0:
            raise TratadoError(f"'{issue.label}' has {value:g} points.", field=f"points.{issue.name}",
                               fix="give 0 points or more.")
        given.append(value)
    total = math.fsum(given)
    if abs(total - POINTS) > POINTS_TOLERANCE:
        left = POINTS - total
        state = (f"{left:g} points are still to give" if left > 0
                 else f"that is {-left:g} too many")
        raise TratadoError(f"the points add up to {total:g}, not {POINTS}: {state}.", field="points",
                           fix=f"change the points so that they add up to exactly {POINTS}.")
    weights: np.ndarray = np.asarray(given, dtype=float) / total
    return weights / float(weights.sum())


def _rating(value: Any, issue: Issue, label: str) -> float:
    where = f"ratings.{issue.name}.{label}"
    number = _number(value, f"the rating of '{label}' on '{issue.label}'", where)
    if not 0 <= number <= TOP:
        raise TratadoError(f"the rating of '{label}' on '{issue.label}' is {number:g}.", field=where,
                           fix=f"rate each option from 0 (worst acceptable) to {TOP} (best).")
    return number


def values_from_ratings(issue: Issue, ratings: Mapping[str, Any]) -> np.ndarray:
    """The value (0–1) of each option of ``issue`` from its ratings (0–100, by option
    label). Every option of a named issue must be rated; on a numeric issue, options not
    rated are interpolated between the nearest rated ones, and both ends must be rated."""
    labels = [str(option) for option in issue.options]
    unknown = sorted(set(map(str, ratings)) - set(labels))
    if unknown:
        raise TratadoError(f"'{issue.label}' has no option '{unknown[0]}'.", field=f"ratings.{issue.name}",
                           fix=f"rate the options: {', '.join(labels[:12])}.")
    if not issue.is_numeric:
        missing = [label for label in labels if label not in ratings]
        if missing:
            raise TratadoError(f"the option '{missing[0]}' of '{issue.label}' is not rated.",
                               field=f"ratings.{issue.name}.{missing[0]}",
                               fix=f"rate it from 0 (worst acceptable) to {TOP} (best).")
        return np.array([_rating(ratings[label], issue, label) for label in labels]) / TOP
    for end in (labels[0], labels[-1]):
        if end not in ratings:
            raise TratadoError(f"the end {end} of '{issue.label}' is not rated.",
                               field=f"ratings.{issue.name}.{end}",
                               fix="rate both ends of the range; options between are interpolated.")
    at = [k for k, label in enumerate(labels) if label in ratings]
    known = [_rating(ratings[labels[k]], issue, labels[k]) for k in at]
    values: np.ndarray = np.interp(np.arange(len(labels)), at, known) / TOP
    return values


def preferences_of(agenda: Agenda, stated: StatedPreferences) -> LinearAdditive:
    """The linear-additive preferences ``stated`` gives on ``agenda``, with its
    reservation value (what the neutral computation uses)."""
    weights = weights_from_points(agenda, stated.points)
    ratings = stated.ratings
    unknown = sorted(set(ratings) - set(agenda.names))
    if unknown:
        raise TratadoError(f"there is no issue '{unknown[0]}' on the agenda.", field="ratings",
                           fix=f"rate the options of: {', '.join(agenda.names)}.")
    values = []
    for issue in agenda:
        if issue.name not in ratings:
            raise TratadoError(f"the options of '{issue.label}' are not rated.",
                               field=f"ratings.{issue.name}",
                               fix=f"rate each option from 0 (worst acceptable) to {TOP} (best).")
        values.append(values_from_ratings(issue, ratings[issue.name]))
    preferences = LinearAdditive(weights, tuple(values))
    reservation = reservation_score(agenda, stated, preferences) / TOP
    return LinearAdditive(weights, tuple(values), reservation_value=min(1.0, max(0.0, reservation)))


def score(agenda: Agenda, preferences: LinearAdditive, package: Mapping[str, Any]) -> float:
    """A package's score, 0–100, under ``preferences``."""
    row = package_row(agenda, package)
    return float(preferences.utility(row[None, :])[0]) * TOP


def package_row(agenda: Agenda, package: Mapping[str, Any], field_name: str = "package") -> np.ndarray:
    """The outcome row of a package given as ``{issue: option}`` (labels as text or
    options), refusing a missing issue or an unknown option with the fix."""
    for issue in agenda:
        if issue.name not in package:
            raise TratadoError(f"the package has no option for '{issue.label}'.",
                               field=f"{field_name}.{issue.name}", fix="choose one option per issue.")
    row = []
    for issue in agenda:
        chosen = package[issue.name]
        labels = [str(option) for option in issue.options]
        if str(chosen) not in labels:
            raise TratadoError(f"'{issue.label}' has no option '{chosen}'.",
                               field=f"{field_name}.{issue.name}",
                               fix=f"choose one of: {', '.join(labels[:12])}.")
        row.append(labels.index(str(chosen)))
    return np.asarray(row, dtype=np.int64)


def reservation_score(agenda: Agenda, stated: StatedPreferences,
                      preferences: LinearAdditive | None = None) -> float:
    """What no agreement is worth, 0–100: the ``reservation`` given, or the score of the
    ``reservation_package`` ("no worse than this package"); 0 when neither is given."""
    if stated.reservation is not None and stated.reservation_package is not None:
        raise TratadoError("both a reservation score and a reservation package were given.",
                           field="reservation", fix="give one of the two.")
    if stated.reservation_package is not None:
        if preferences is None:
            preferences = preferences_of(agenda, StatedPreferences(stated.points, stated.ratings))
        return score(agenda, preferences, package_row_labels(agenda, stated.reservation_package))
    if stated.reservation is None:
        return 0.0
    value = _number(stated.reservation, "the reservation score", "reservation")
    if not 0 <= value <= TOP:
        raise TratadoError(f"the reservation score is {value:g}.", field="reservation",
                           fix=f"give a score from 0 (any agreement is better than none) to {TOP}.")
    return value


def package_row_labels(agenda: Agenda, package: Mapping[str, Any]) -> dict[str, str]:
    """``package`` checked against the agenda, as ``{issue: option label}``."""
    row = package_row(agenda, package, "reservation_package")
    return {issue.name: str(issue.options[k]) for issue, k in zip(agenda, row, strict=True)}


# -- importing from a scenario file -------------------------------------------------------


def from_scenario(scenario: Scenario, party: str, agenda: Agenda,
                  file: str = "the scenario file") -> StatedPreferences:
    """The preferences of ``party`` in ``scenario`` (a tratado scenario file the
    delegation holds), as points and ratings on ``agenda`` (the talks' agenda, which the
    file's must match issue for issue and option for option)."""
    if party not in scenario.party_ids:
        raise TratadoError(f"the file has no party '{party}'.", file=file, field="parties",
                           fix=f"choose one of: {', '.join(scenario.party_ids)}.")
    mine = scenario.party(party).preferences
    if not isinstance(mine, LinearAdditive):
        raise TratadoError(f"the preferences of '{party}' are not issue weights and option values.",
                           file=file, field=f"parties.{party}.preferences",
                           fix="enter them by points and ratings on the page instead.")
    theirs = {issue.name: issue for issue in scenario.agenda}
    for issue in agenda:
        other = theirs.get(issue.name)
        if other is None:
            raise TratadoError(f"the file's agenda has no issue '{issue.name}'.", file=file,
                               field="agenda.issues", fix="import a file made for these talks' agenda.")
        if [str(o) for o in other.options] != [str(o) for o in issue.options]:
            raise TratadoError(f"the options of '{issue.name}' differ from the talks' agenda.", file=file,
                               field=f"agenda.issues.{issue.name}.options",
                               fix="import a file made for these talks' agenda.")
    if len(theirs) != len(agenda):
        extra = sorted(set(theirs) - set(agenda.names))[0]
        raise TratadoError(f"the file's agenda has an issue '{extra}' that the talks do not.", file=file,
                           field="agenda.issues", fix="import a file made for these talks' agenda.")
    positions = [k for name in agenda.names for k, issue in enumerate(scenario.agenda)
                 if issue.name == name]
    weights = np.asarray(mine.weights, dtype=float)[positions]
    return from_preferences(agenda, LinearAdditive(weights / float(weights.sum()),
                                                   tuple(mine.values[k] for k in positions),
                                                   reservation_value=mine.reservation_value))


def from_preferences(agenda: Agenda, preferences: LinearAdditive) -> StatedPreferences:
    """Linear-additive ``preferences`` on ``agenda`` as points and ratings (what a
    delegation's page shows of the preferences it entered)."""
    weights = np.asarray(preferences.weights, dtype=float)
    weights = weights / float(weights.sum())
    points = {issue.name: float(w) * POINTS for issue, w in zip(agenda, weights, strict=True)}
    ratings = {issue.name: {str(option): float(value) * TOP for option, value in
                            zip(issue.options, values, strict=True)}
               for issue, values in zip(agenda, preferences.values, strict=True)}
    return StatedPreferences(points, ratings, reservation=float(preferences.reservation_value) * TOP)


__all__ = ["POINTS", "TOP", "StatedPreferences", "from_preferences", "from_scenario", "package_row",
           "preferences_of", "reservation_score", "score", "values_from_ratings",
           "weights_from_points"]
