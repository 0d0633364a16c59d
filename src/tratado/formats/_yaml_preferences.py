"""Reading one party's preferences in the tratado scenario YAML format (any type).

Split from :mod:`tratado.formats.yaml_format`: linear-additive weights and values,
constraints (rules and their base), tables, and the uncertain numbers any of them may
hold (:mod:`tratado.formats._uncertain`), each checked with the field path in errors.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from tratado.agenda import Agenda, Issue
from tratado.errors import ScenarioError
from tratado.formats._fields import Document
from tratado.formats._fields import Path as FieldPath
from tratado.formats._stakeholders import read_when
from tratado.formats._uncertain import Estimate, Estimates, nominal
from tratado.limits import excerpt
from tratado.preferences import Constraints, LinearAdditive, Preferences, Rule, Table

COMMON_PREF_FIELDS = ("type", "reservation_value", "discount")
LINEAR_FIELDS = ("weights", "values", "normalize", "weights_concentration")
PREFERENCE_TYPES = ("linear-additive", "constraints", "table")
EXACT_ONLY = ("give one number here: a range or an estimate with its range is for weights, option"
              " values, no-deal values, rule bonuses, table utilities and stakeholders' effects.")


def preferences_from_dict(doc: Document, agenda: Agenda, raw: Any, path: FieldPath,
                          estimates: Estimates | None = None,
                          party: tuple[str, str] = ("parties.party", "party")) -> Preferences:
    """Read one party's preferences (any type) at ``path``; uncertain numbers go into
    ``estimates`` under keys that start with ``party[0]`` and labels with ``party[1]``."""
    item = doc.mapping(raw, path)
    kind = item.get("type", "linear-additive")
    estimates = estimates if estimates is not None else Estimates(doc)
    prefix, label = party
    raw_reservation = estimates.read(item.get("reservation_value", 0.0),
                                     (*path, "reservation_value"), (0.0, 1.0), "a no-deal value")
    if isinstance(raw_reservation, Estimate):
        estimates.add(raw_reservation, f"{prefix}.reservation", f"{label}: no-deal value")
    reservation = nominal(raw_reservation)
    discount = item.get("discount")
    discount = None if discount is None else doc.number(discount, (*path, "discount"), EXACT_ONLY)
    try:
        if kind == "linear-additive":
            doc.check_keys(item, COMMON_PREF_FIELDS + LINEAR_FIELDS, path)
            return _linear(doc, agenda, item, path, reservation, discount, estimates, prefix, label)
        if kind == "constraints":
            doc.check_keys(item, COMMON_PREF_FIELDS + ("base", "base_weight", "rules", "offset"),
                           path)
            base = None
            if item.get("base") is not None:
                bpath = (*path, "base")
                b = doc.mapping(item["base"], bpath)
                doc.check_keys(b, LINEAR_FIELDS, bpath)
                base = _linear(doc, agenda, b, bpath, 0.0, None, estimates, f"{prefix}.base", label)
            read = [_rule(doc, agenda, r, (*path, "rules", k), estimates, f"{prefix}.rules.{k}",
                          label) for k, r in
                    enumerate(doc.sequence(item.get("rules") or [], (*path, "rules")))]
            rules = tuple(rule for rule, _ in read)
            # With a base and no base_weight, the base takes whatever the bonuses leave.
            default_weight = 0.0 if base is None else max(0.0, 1.0 - sum(r.bonus for r in rules))
            base_weight = doc.number(item.get("base_weight", default_weight), (*path, "base_weight"),
                                     EXACT_ONLY)
            offset = doc.number(item.get("offset", 0.0), (*path, "offset"), EXACT_ONLY)
            result = Constraints(rules, base, base_weight, reservation, discount, offset)
            _check_bonus_ranges(read, base, base_weight, offset)
            return result
        if kind == "table":
            doc.check_keys(item, COMMON_PREF_FIELDS + ("default", "outcomes"), path)
            entries: dict[tuple[int, ...], float] = {}
            for k, row in enumerate(doc.sequence(item.get("outcomes") or [], (*path, "outcomes"))):
                rpath = (*path, "outcomes", k)
                entry = doc.mapping(row, rpath)
                doc.check_keys(entry, ("outcome", "utility"), rpath)
                choices = doc.mapping(doc.required(entry, "outcome", rpath), (*rpath, "outcome"))
                try:
                    key = tuple(int(i) for i in agenda.outcome(choices))
                except ScenarioError as exc:
                    doc.fail((*rpath, "outcome"), exc.message, exc.fix)
                if key in entries:
                    doc.fail(rpath, "this outcome is listed twice.", "keep one entry per outcome.")
                utility = estimates.read(doc.required(entry, "utility", rpath), (*rpath, "utility"),
                                         (0.0, 1.0), "a utility")
                if isinstance(utility, Estimate):
                    estimates.add(utility, f"{prefix}.outcomes.{k}.utility",
                                  f"{label}: utility of listed package {k}")
                entries[key] = nominal(utility)
            default = estimates.read(item.get("default", 0.0), (*path, "default"), (0.0, 1.0),
                                     "a utility")
            if isinstance(default, Estimate):
                estimates.add(default, f"{prefix}.default", f"{label}: utility of unlisted packages")
            return Table(agenda.shape, entries, nominal(default), reservation, discount)
    except ScenarioError as exc:
        if exc.file is not None:
            raise
        doc.fail((*path, *(exc.field.split(".") if exc.field else ())), exc.message, exc.fix)
    doc.fail((*path, "type"), f"unknown preference type '{excerpt(kind)}'.",
             f"use one of: {', '.join(PREFERENCE_TYPES)}.")


def _linear(doc: Document, agenda: Agenda, item: Mapping[Any, Any], path: FieldPath,
            reservation: float, discount: float | None, estimates: Estimates, prefix: str,
            label: str) -> LinearAdditive:
    wpath = (*path, "weights")
    raw_weights = doc.mapping(doc.required(
        item, "weights", path, "give each issue a weight, e.g. 'weights: {price: 0.6, delivery: 0.4}'."),
        wpath)
    for key in raw_weights:
        if str(key) not in agenda.names:
            doc.fail((*wpath, str(key)), f"'{excerpt(key)}' is not an issue on the agenda.",
                     f"use one of: {excerpt(', '.join(agenda.names))}.")
    normalize = item.get("normalize", False)
    if not isinstance(normalize, bool):
        doc.fail((*path, "normalize"), "expected true or false.")
    read: list[float | Estimate] = []
    for issue in agenda:
        if issue.name not in raw_weights:
            doc.fail(wpath, f"issue '{issue.name}' has no weight.",
                     f"add '{issue.name}: 0' if it does not matter to this party.")
        value = estimates.read(raw_weights[issue.name], (*wpath, issue.name),
                               (0.0, math.inf if normalize else 1.0), "a weight")
        if nominal(value) < 0:
            doc.fail((*wpath, issue.name), f"the weight {nominal(value):g} is negative.",
                     "give every issue a weight of 0 or more.")
        read.append(value)
    weights = np.array([nominal(v) for v in read])
    uncertain = any(isinstance(v, Estimate) for v in read)
    total = float(weights.sum())
    if normalize:
        if total <= 0:
            doc.fail(wpath, "the weights sum to 0.", "give at least one issue a positive weight.")
        weights = weights / total
    else:
        lows = sum(v.low if isinstance(v, Estimate) else v for v in read)
        highs = sum(v.high if isinstance(v, Estimate) else v for v in read)
        if uncertain and (lows > 1 + 1e-6 or highs < 1 - 1e-6):
            doc.fail(wpath, f"the weights cannot sum to 1 within their ranges: the low ends sum to"
                     f" {lows:g} and the high ends to {highs:g}.",
                     "widen the ranges so that the low ends sum to at most 1 and the high ends to"
                     " at least 1.")
        if abs(total - 1.0) > 1e-6:
            doc.fail(wpath, f"the weights{' (estimates)' if uncertain else ''} sum to {total:g}, "
                     "not 1.",
                     ("give estimates ({estimate: 0.3, low: 0.2, high: 0.4}) that sum to 1 — a "
                      "range's estimate is its midpoint — or add 'normalize: true'." if uncertain else
                      "make them sum to 1, or add 'normalize: true' to divide them by their sum."))
    _weight_estimates(doc, agenda, item, path, read, weights, total if normalize else None,
                      estimates, prefix, label)
    vpath = (*path, "values")
    raw_values = doc.mapping(item.get("values") or {}, vpath)
    for key in raw_values:
        if str(key) not in agenda.names:
            doc.fail((*vpath, str(key)), f"'{excerpt(key)}' is not an issue on the agenda.",
                     f"use one of: {excerpt(', '.join(agenda.names))}.")
    values = []
    for position, issue in enumerate(agenda):
        if issue.name not in raw_values:
            if weights[position] > 0 or isinstance(read[position], Estimate):
                doc.fail(vpath, f"issue '{issue.name}' has a weight but no option values.",
                         f"add 'values: {{{issue.name}: {{option: value, ...}}}}'.")
            values.append(np.zeros(len(issue)))
            continue
        values.append(_issue_values(doc, issue, raw_values[issue.name], (*vpath, issue.name),
                                    estimates, f"{prefix}.values.{issue.name}", label))
    return LinearAdditive(weights, tuple(values), reservation, discount)


def _weight_estimates(doc: Document, agenda: Agenda, item: Mapping[Any, Any], path: FieldPath,
                      read: list[float | Estimate], weights: np.ndarray, total: float | None,
                      estimates: Estimates, prefix: str, label: str) -> None:
    """Record uncertain weights: each of its own, or all of them with a concentration."""
    if item.get("weights_concentration") is not None:
        cpath = (*path, "weights_concentration")
        concentration = doc.number(item["weights_concentration"], cpath, EXACT_ONLY)
        if concentration <= 0:
            doc.fail(cpath, f"the concentration {concentration:g} is not positive.",
                     "give e.g. 'weights_concentration: 50' (larger: the weights vary less).")
        if any(isinstance(v, Estimate) for v in read):
            doc.fail(cpath, "the weights vary as a whole here, and some also have a range.",
                     "give the weights as single numbers (their estimates) with "
                     "'weights_concentration', or ranges without it.")
        if np.count_nonzero(weights) > 1:
            estimates.add_weights(prefix, list(agenda.names), [float(w) for w in weights],
                                  concentration, label)
        return
    for issue, value in zip(agenda, read, strict=True):
        if isinstance(value, Estimate):
            estimates.add(value if total is None else value.divided(total),
                          f"{prefix}.weights.{issue.name}", f"{label}: weight of {issue.name}")


def _issue_values(doc: Document, issue: Issue, raw: Any, path: FieldPath, estimates: Estimates,
                  key: str, label: str) -> np.ndarray:
    table = doc.mapping(raw, path)
    points: dict[int, float] = {}
    uncertain = False
    for option, value in table.items():
        try:
            position = issue.index(option)
        except ScenarioError as exc:
            doc.fail((*path, str(option)), exc.message, exc.fix)
        number = estimates.read(value, (*path, str(option)), (0.0, 1.0), "a value")
        if not 0.0 <= nominal(number) <= 1.0:
            doc.fail((*path, str(option)), f"the value {nominal(number):g} is outside [0, 1].",
                     "rate every option between 0 (worst) and 1 (best).")
        if isinstance(number, Estimate):
            uncertain = True
            shown = issue.options[position]
            estimates.add(number, f"{key}.{shown}", f"{label}: value of '{shown}' ({issue.name})")
        points[position] = nominal(number)
    if not issue.is_numeric:
        missing = [str(o) for j, o in enumerate(issue.options) if j not in points]
        if missing:
            doc.fail(path, f"no value for option(s) {excerpt(', '.join(missing))} of issue '{issue.name}'.",
                     "rate every option between 0 and 1.")
        return np.array([points[j] for j in range(len(issue))])
    last = len(issue) - 1
    if 0 not in points or last not in points:
        doc.fail(path, f"numeric issue '{issue.name}' needs values at its min ({issue.options[0]}) "
                 f"and max ({issue.options[last]}).",
                 "give at least those two points; values between are interpolated linearly.")
    xs = issue.numeric_values()
    known = sorted(points)
    if uncertain and len(known) < len(issue):
        estimates.anchors[key] = tuple(known)
    return np.asarray(np.interp(xs, xs[known], [points[j] for j in known]), dtype=float)


def _rule(doc: Document, agenda: Agenda, raw: Any, path: FieldPath, estimates: Estimates,
          key: str, label: str) -> tuple[Rule, Estimate | None]:
    item = doc.mapping(raw, path)
    doc.check_keys(item, ("when", "bonus", "note"), path)
    allowed = read_when(doc, agenda, doc.required(item, "when", path, "say which options the rule"
                                                  " needs."), (*path, "when"))
    bonus = estimates.read(doc.required(item, "bonus", path), (*path, "bonus"), (-1.0, 1.0),
                           "a bonus")
    note = item.get("note")
    note = None if note is None else doc.text(note, (*path, "note"), multiline=True)
    if isinstance(bonus, Estimate):
        estimates.add(bonus, f"{key}.bonus", f"{label}: bonus of {note or key.rpartition('.')[0]}")
        return Rule(allowed, bonus.estimate, note), bonus
    return Rule(allowed, bonus, note), None


def _check_bonus_ranges(read: list[tuple[Rule, Estimate | None]], base: LinearAdditive | None,
                        base_weight: float, offset: float) -> None:
    """Utilities stay in [0, 1] with every uncertain bonus at either end of its range."""
    if not any(estimate for _, estimate in read):
        return
    for end in ("low", "high"):
        rules = tuple(Rule(rule.allowed, getattr(estimate, end), rule.note) if estimate else rule
                      for rule, estimate in read)
        try:
            Constraints(rules, base, base_weight, 0.0, None, offset)
        except ScenarioError as exc:
            raise ScenarioError(f"with the uncertain bonuses at the {end} ends of their ranges, "
                                f"{exc.message}", field=exc.field, fix=exc.fix) from None
