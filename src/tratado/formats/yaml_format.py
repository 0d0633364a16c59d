"""Reading the tratado scenario YAML format (version 1), checking every field.

The format is documented field by field in ``docs/scenario-format.md`` and published
as a JSON Schema in ``schema/scenario.schema.json``. Errors name the file, the field path,
the line and the fix. Writing is in :mod:`tratado.formats.yaml_write`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from tratado.agenda import MAX_NAME_LENGTH, NAME_PATTERN, Agenda, Issue, OffAgendaTopic
from tratado.errors import ScenarioError
from tratado.formats._fields import Document
from tratado.formats._fields import Path as FieldPath
from tratado.formats._input import STDIN_NAME, decode, read_bytes, read_stdin
from tratado.formats._stakeholders import read_stakeholders, read_when
from tratado.formats._uncertain import Estimate, Estimates, nominal
from tratado.formats._yaml_loader import load_text
from tratado.limits import env_name, excerpt, limit
from tratado.parties import Delegation, Party, Role, Roles, Rules
from tratado.preferences import Constraints, LinearAdditive, Preferences, Rule, Table
from tratado.scenario import Scenario

FORMAT_VERSION = 1

TOP_FIELDS = ("tratado", "name", "description", "agenda", "parties", "mediator", "host",
              "observers", "stakeholders", "rules", "sources")
ISSUE_FIELDS = ("name", "title", "description", "type", "options", "min", "max", "step")
PARTY_FIELDS = ("id", "name", "short_name", "delegation", "preferences", "notes")
COMMON_PREF_FIELDS = ("type", "reservation_value", "discount")
LINEAR_FIELDS = ("weights", "values", "normalize", "weights_concentration")
PREFERENCE_TYPES = ("linear-additive", "constraints", "table")


# -- reading -------------------------------------------------------------------
def load_yaml(path: str | Path) -> Scenario:
    """Read a scenario YAML file, checking every field (``-`` reads standard input).

    The file is refused beyond the limits of :mod:`tratado.limits` (size, nesting,
    aliases, digits): see ``docs/security.md``.
    """
    if str(path) == "-":
        return loads_yaml(read_stdin(), STDIN_NAME)
    path = Path(path)
    return loads_yaml(decode(read_bytes(path), str(path), "utf-8-sig"), str(path))


def loads_yaml(text: str, file: str = "<string>") -> Scenario:
    """Parse scenario YAML text; ``file`` names it in error messages."""
    try:
        node, data = load_text(text, file)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + 1 if mark is not None else None
        raise ScenarioError(
            f"this is not valid YAML: {excerpt(problem)}.",
            file=file,
            line=line,
            fix="check the indentation and the ':' and '-' near that line"
            " (quote text that contains ': ' or starts with a special character).",
        ) from None
    doc = Document(file)
    if node is not None:
        _record_lines(node, (), doc)
    return scenario_from_dict(data, doc)


def _record_lines(node: yaml.Node, path: FieldPath, doc: Document) -> None:
    """Note the line of every field, and refuse keys given twice (PyYAML keeps the last)."""
    lines = doc.lines
    lines.setdefault(tuple(map(str, path)), node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            lines[tuple(map(str, (*path, name)))] = key.start_mark.line + 1
            if name in seen:
                doc.fail((*path, name), f"'{excerpt(name)}' is given twice.",
                     "keep one of the two entries.")
            seen.add(name)
            _record_lines(value, (*path, name), doc)
    elif isinstance(node, yaml.SequenceNode):
        for position, item in enumerate(node.value):
            _record_lines(item, (*path, position), doc)


def scenario_from_dict(data: Any, doc: Document | None = None) -> Scenario:
    """Build a :class:`Scenario` from parsed YAML/JSON data."""
    doc = doc or Document("<data>")
    if data is None:
        doc.fail((), "the file is empty.", "start from examples/job-offer.yaml.")
    top = doc.mapping(data, ())
    doc.check_keys(top, TOP_FIELDS, ())
    version = top.get("tratado", FORMAT_VERSION)
    if type(version) is not int or version != FORMAT_VERSION:
        doc.fail(("tratado",), f"format version {excerpt(version)} is not known.", "use 'tratado: 1'.")
    name = doc.text(doc.required(top, "name", ()), ("name",))
    agenda = _agenda(doc, doc.required(top, "agenda", (), "add an 'agenda' with 'issues'."))
    raw_parties = doc.sequence(doc.required(top, "parties", ()), ("parties",))
    if len(raw_parties) < 2:
        doc.fail(("parties",), f"a negotiation needs at least two parties; found {len(raw_parties)}.",
                 "add another party with its preferences.")
    parties = []
    seen: set[str] = set()
    estimates = Estimates(doc)
    for k, raw in enumerate(raw_parties):
        party = _party(doc, agenda, raw, ("parties", k), estimates)
        if party.id in seen:
            doc.fail(("parties", k, "id"), f"two parties have the id '{excerpt(party.id)}'.",
                     "give each party a unique id.")
        seen.add(party.id)
        parties.append(party)
    roles = Roles(
        mediator=_role(doc, top.get("mediator"), ("mediator",)),
        host=_role(doc, top.get("host"), ("host",)),
        observers=tuple(
            r for k, item in enumerate(doc.sequence(top.get("observers") or [], ("observers",)))
            if (r := _role(doc, item, ("observers", k))) is not None
        ),
        stakeholders=read_stakeholders(doc, agenda, tuple(seen), top.get("stakeholders"),
                                       estimates),
    )
    rules = read_rules(doc, top.get("rules"))
    sources = tuple(doc.text(s, ("sources", k))
                    for k, s in enumerate(doc.sequence(top.get("sources") or [], ("sources",))))
    description = top.get("description")
    return Scenario(
        name=name,
        agenda=agenda,
        parties=tuple(parties),
        description=None if description is None else doc.text(description, ("description",),
                                                               multiline=True),
        roles=roles,
        rules=rules,
        sources=sources,
        uncertainty=estimates.uncertainty(),
    )


def _name(doc: Document, value: Any, path: FieldPath, what: str) -> str:
    text = doc.text(value, path)
    if len(text) > MAX_NAME_LENGTH:
        doc.fail(path, f"the {what} '{excerpt(text)}' is longer than {MAX_NAME_LENGTH} characters.",
                 "use a short identifier (put the wording in 'title' or 'name').")
    if not NAME_PATTERN.match(text):
        doc.fail(path, f"the {what} '{excerpt(text)}' has spaces or special characters.",
                 "use letters, digits, '_' and '-' only (put the wording in 'title' or 'name').")
    return text


def _agenda(doc: Document, raw: Any) -> Agenda:
    agenda = doc.mapping(raw, ("agenda",))
    doc.check_keys(agenda, ("issues", "off_agenda"), ("agenda",))
    raw_issues = doc.sequence(doc.required(agenda, "issues", ("agenda",)), ("agenda", "issues"))
    if not raw_issues:
        doc.fail(("agenda", "issues"), "the agenda has no issues.", "add at least one issue.")
    issues: list[Issue] = []
    for k, item in enumerate(raw_issues):
        path: FieldPath = ("agenda", "issues", k)
        issue = _issue(doc, item, path)
        if issue.name in {i.name for i in issues}:
            doc.fail((*path, "name"), f"two issues are named '{excerpt(issue.name)}'.",
                     "give each issue a unique name.")
        issues.append(issue)
    off = []
    for k, item in enumerate(doc.sequence(agenda.get("off_agenda") or [], ("agenda", "off_agenda"))):
        path = ("agenda", "off_agenda", k)
        entry = doc.mapping(item, path)
        doc.check_keys(entry, ("topic", "note"), path)
        note = entry.get("note")
        off.append(OffAgendaTopic(doc.text(doc.required(entry, "topic", path), (*path, "topic")),
                                  None if note is None else doc.text(note, (*path, "note"), multiline=True)))
    return Agenda(tuple(issues), tuple(off))


def _issue(doc: Document, raw: Any, path: FieldPath) -> Issue:
    item = doc.mapping(raw, path)
    doc.check_keys(item, ISSUE_FIELDS, path)
    name = _name(doc, doc.required(item, "name", path), (*path, "name"), "issue name")
    kind = item.get("type", "categorical")
    misplaced = ("min", "max", "step") if kind == "categorical" else ("options",)
    for key in misplaced:
        if key in item:
            doc.fail((*path, key), f"'{key}' does not apply to a {excerpt(kind)} issue.",
                     "remove it, or set 'type: integer' / 'type: continuous' for a numeric range"
                     if kind == "categorical" else "remove it: numeric issues take min, max and step.")
    title = None if item.get("title") is None else doc.text(item["title"], (*path, "title"))
    description = item.get("description")
    description = (None if description is None
                   else doc.text(description, (*path, "description"), multiline=True))
    try:
        if kind == "categorical":
            options = doc.sequence(doc.required(item, "options", path, "list the options."),
                                   (*path, "options"))
            labels = [doc.text(o, (*path, "options", j)) for j, o in enumerate(options)]
            return Issue.categorical(name, labels, title=title, description=description)
        if kind == "integer":
            low = doc.integer(doc.required(item, "min", path), (*path, "min"))
            high = doc.integer(doc.required(item, "max", path), (*path, "max"))
            step = doc.integer(item.get("step", 1), (*path, "step"))
            return Issue.integer(name, low, high, step, title=title, description=description)
        if kind == "continuous":
            low_f = doc.number(doc.required(item, "min", path), (*path, "min"))
            high_f = doc.number(doc.required(item, "max", path), (*path, "max"))
            step_f = doc.number(doc.required(
                item, "step", path,
                "continuous issues need a 'step' (the grid used for exact analysis), e.g. 'step: 0.1'."),
                (*path, "step"))
            return Issue.continuous(name, low_f, high_f, step_f, title=title, description=description)
    except ScenarioError as exc:
        if exc.file is not None:
            raise
        doc.fail(path, exc.message, exc.fix)
    doc.fail((*path, "type"), f"unknown issue type '{excerpt(kind)}'.",
             "use categorical (the default), integer or continuous.")


def _party(doc: Document, agenda: Agenda, raw: Any, path: FieldPath, estimates: Estimates) -> Party:
    item = doc.mapping(raw, path)
    doc.check_keys(item, PARTY_FIELDS, path)
    party_id = _name(doc, doc.required(item, "id", path), (*path, "id"), "party id")
    delegation = None
    if item.get("delegation") is not None:
        dpath = (*path, "delegation")
        d = doc.mapping(item["delegation"], dpath)
        doc.check_keys(d, ("head", "members"), dpath)
        delegation = Delegation(
            head=None if d.get("head") is None else doc.text(d["head"], (*dpath, "head")),
            members=tuple(doc.text(m, (*dpath, "members", j))
                          for j, m in enumerate(doc.sequence(d.get("members") or [], (*dpath, "members")))),
        )

    def optional_text(key: str) -> str | None:
        return None if item.get(key) is None else doc.text(item[key], (*path, key),
                                                           multiline=key == "notes")

    name, short_name = optional_text("name"), optional_text("short_name")
    prefs = preferences_from_dict(
        doc, agenda, doc.required(item, "preferences", path, "state how this party values outcomes."),
        (*path, "preferences"), estimates, (f"parties.{party_id}", short_name or name or party_id))
    return Party(party_id, prefs, name, short_name, delegation, optional_text("notes"))


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
    discount = None if discount is None else doc.number(discount, (*path, "discount"))
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
            base_weight = doc.number(item.get("base_weight", default_weight), (*path, "base_weight"))
            offset = doc.number(item.get("offset", 0.0), (*path, "offset"))
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
                entries[key] = doc.number(doc.required(entry, "utility", rpath), (*rpath, "utility"))
            default = doc.number(item.get("default", 0.0), (*path, "default"))
            return Table(agenda.shape, entries, default, reservation, discount)
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
        concentration = doc.number(item["weights_concentration"], cpath)
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


def _role(doc: Document, raw: Any, path: FieldPath) -> Role | None:
    if raw is None:
        return None
    item = doc.mapping(raw, path)
    doc.check_keys(item, ("name", "people", "role", "note"), path)
    people = doc.sequence(item.get("people") or [], (*path, "people"))
    return Role(
        doc.text(doc.required(item, "name", path), (*path, "name")),
        tuple(doc.text(p, (*path, "people", j)) for j, p in enumerate(people)),
        None if item.get("role") is None else doc.text(item["role"], (*path, "role")),
        None if item.get("note") is None else doc.text(item["note"], (*path, "note"), multiline=True),
    )


def read_rules(doc: Document, raw: Any) -> Rules:
    """The ``rules`` mapping (deadline, agreement, deadline_seconds, notes), checked."""
    if raw is None:
        return Rules()
    path: FieldPath = ("rules",)
    item = doc.mapping(raw, path)
    doc.check_keys(item, ("deadline", "deadline_seconds", "agreement", "notes"), path)
    deadline = doc.integer(item.get("deadline", Rules.deadline), (*path, "deadline"))
    if deadline < 1:
        doc.fail((*path, "deadline"), f"the deadline {deadline} is not a positive number of rounds.",
                 "use e.g. 'deadline: 30'.")
    if deadline > limit("rounds"):
        shown = f"of {deadline:,} rounds" if deadline < 10**18 else f"({len(str(deadline))} digits)"
        doc.fail((*path, "deadline"), f"the deadline {shown} is more than the "
                 f"{limit('rounds'):,} rounds tratado runs.",
                 f"use a deadline of at most {limit('rounds'):,} rounds (talks rarely need more "
                 f"than a few hundred), or raise the limit with {env_name('rounds')}.")
    agreement = item.get("agreement", "package")
    if agreement not in Rules.AGREEMENT_MODES:
        doc.fail((*path, "agreement"), f"unknown agreement mode '{excerpt(agreement)}'.",
                 "use 'package' (nothing is agreed until everything is agreed) or 'item-by-item'.")
    seconds = item.get("deadline_seconds")
    if seconds is not None and doc.number(seconds, (*path, "deadline_seconds")) <= 0:
        doc.fail((*path, "deadline_seconds"), f"the time limit {excerpt(seconds)} is not positive.",
                 "give the limit in seconds, e.g. 'deadline_seconds: 600', or remove it.")
    return Rules(
        deadline,
        agreement,
        None if seconds is None else doc.number(seconds, (*path, "deadline_seconds")),
        None if item.get("notes") is None else doc.text(item["notes"], (*path, "notes"), multiline=True),
    )
