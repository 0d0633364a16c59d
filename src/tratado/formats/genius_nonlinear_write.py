"""Writing a GENIUS non-linear profile (see :mod:`tratado.formats.genius_nonlinear`)."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import numpy as np

from tratado.agenda import Issue
from tratado.formats._genius_common import original_name
from tratado.preferences import Constraints, Rule, SourceScale
from tratado.scenario import Scenario

__all__ = ["nonlinear_element"]


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """The maximal runs of True in ``mask`` as (first, last) positions."""
    runs: list[tuple[int, int]] = []
    for position in np.flatnonzero(mask):
        if runs and runs[-1][1] == position - 1:
            runs[-1] = (runs[-1][0], int(position))
        else:
            runs.append((int(position), int(position)))
    return runs


Bound = tuple[str, int, int, int]  # INCLUDES/EXCLUDES, issue position, min value, max value


def _boxes(rule: Rule, issues: tuple[Issue, ...]) -> list[list[Bound]]:
    """The rule as disjoint boxes, each a list of bounds.

    A GENIUS bound is one interval per issue, included or excluded; an allowed set
    that is neither is split into one box per combination of runs (disjoint, so their
    bonuses add up to the rule's; the sum of the penalties then grows, and with it the
    scale tratado reads the file on). An issue allowed whole needs no bound.
    """
    per_issue: list[list[Bound]] = []
    for position, mask in sorted(rule.allowed.items()):
        if bool(np.all(mask)):
            continue
        values = issues[position].numeric_values()
        runs, gaps = _runs(mask), _runs(~mask)
        if len(runs) > 1 and len(gaps) == 1:
            per_issue.append([("EXCLUDES", position, int(values[gaps[0][0]]),
                               int(values[gaps[0][1]]))])
            continue
        per_issue.append([("INCLUDES", position, int(values[a]), int(values[b]))
                          for a, b in runs])
    return [list(box) for box in itertools.product(*per_issue)]


def nonlinear_element(scenario: Scenario, prefs: Constraints) -> ET.Element:
    """The ``<utility_space type="nonlinear">`` of ``prefs`` (no linear base), in GENIUS units."""
    scale = prefs.scale or SourceScale("GENIUS", 0.0, 1.0, 1.0)
    span = scale.high - scale.low
    space = ET.Element("utility_space", type="nonlinear")
    objective = ET.SubElement(space, "objective", index="0", etype="objective", type="objective",
                              description="", name=scenario.name)
    for k, issue in enumerate(scenario.agenda):
        ET.SubElement(objective, "issue", index=str(k + 1), etype="integer", type="integer",
                      vtype="integer", name=original_name(issue),
                      lowerbound=str(issue.options[0]), upperbound=str(issue.options[-1]))
    utility = ET.SubElement(objective, "utility", maxutility=repr(float(scale.divisor)))
    ufun = ET.SubElement(utility, "ufun", type="PlainUfun", weight="1", aggregation="sum")
    constant = scale.low + span * prefs.offset  # what every package earns
    if abs(constant) > 1e-12 * max(1.0, abs(span)):
        ET.SubElement(ufun, "hyperRectangle", utility=repr(float(constant)))
    for rule in prefs.rules:
        for box in _boxes(rule, scenario.agenda.issues):
            rect = ET.SubElement(ufun, "hyperRectangle", utility=repr(float(rule.bonus * span)))
            for tag, position, low, high in box:
                ET.SubElement(rect, tag, index=str(position + 1), min=str(low), max=str(high))
    if prefs.discount is not None:
        ET.SubElement(space, "discount_factor", value=repr(float(prefs.discount)))
    reservation = min(max(float(scale.source_utility(prefs.reservation_value)), 0.0), 1.0)
    ET.SubElement(space, "reservation", value=repr(reservation))
    return space
