"""Reading the tratado scenario YAML format (version 1), checking every field.

The format is documented field by field in ``docs/scenario-format.md`` and published
as a JSON Schema in ``schema/scenario.schema.json``. Errors name the file, the field path,
the line and the fix. Writing is in :mod:`tratado.formats.yaml_write`.
"""

from __future__ import annotations

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
from tratado.formats._yaml_loader import load_text
from tratado.limits import env_name, excerpt, limit
from tratado.parties import Delegation, Party, Role, Roles, Rules, Stakeholder
from tratado.preferences import Constraints, LinearAdditive, Preferences, Rule, Table
from tratado.scenario import Scenario

FORMAT_VERSION = 1

TOP_FIELDS = ("tratado", "name", "description", "agenda", "parties", "mediator", "host",
              "observers", "stakeholders", "rules", "sources", "actors")
ISSUE_FIELDS = ("name", "title", "description", "type", "options", "min", "max", "step")
PARTY_FIELDS = ("id", "name", "short_name", "delegation", "preferences", "notes")
COMMON_PREF_FIELDS = ("type", "reservation_value", "discount")
LINEAR_FIELDS = ("weights", "values", "normalize")
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
    for k, raw in enumerate(raw_parties):
        party = _party(doc, agenda, raw, ("parties", k))
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
        stakeholders=tuple(
            _stakeholder(doc, item, ("stakeholders", k))
            for k, item in enumerate(doc.sequence(top.get("stakeholders") or [], ("stakeholders",)))
        ),
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


def _party(doc: Document, agenda: Agenda, raw: Any, path: FieldPath) -> Party:
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
    prefs = preferences_from_dict(
        doc, agenda, doc.required(item, "preferences", path, "state how this party values outcomes."),
        (*path, "preferences"))

    def optional_text(key: str) -> str | None:
        return None if item.get(key) is None else doc.text(item[key], (*path, key),
                                                           multiline=key == "notes")

    return Party(party_id, prefs, optional_text("name"), optional_text("short_name"), delegation,
                 optional_text("notes"))


def preferences_from_dict(doc: Document, agenda: Agenda, raw: Any, path: FieldPath) -> Preferences:
    """Read one party's preferences (any type) at ``path``."""
    item = doc.mapping(raw, path)
    kind = item.get("type", "linear-additive")
    reservation = doc.number(item.get("reservation_value", 0.0), (*path, "reservation_value"))
    discount = item.get("discount")
    discount = None if discount is None else doc.number(discount, (*path, "discount"))
    try:
        if kind == "linear-additive":
            doc.check_keys(item, COMMON_PREF_FIELDS + LINEAR_FIELDS, path)
            return _linear(doc, agenda, item, path, reservation, discount)
        if kind == "constraints":
            doc.check_keys(item, COMMON_PREF_FIELDS + ("base", "base_weight", "rules", "offset"),
                           path)
            base = None
            if item.get("base") is not None:
                bpath = (*path, "base")
                b = doc.mapping(item["base"], bpath)
                doc.check_keys(b, LINEAR_FIELDS, bpath)
                base = _linear(doc, agenda, b, bpath, 0.0, None)
            rules = tuple(_rule(doc, agenda, r, (*path, "rules", k)) for k, r in
                          enumerate(doc.sequence(item.get("rules") or [], (*path, "rules"))))
            # With a base and no base_weight, the base takes whatever the bonuses leave.
            default_weight = 0.0 if base is None else max(0.0, 1.0 - sum(r.bonus for r in rules))
            base_weight = doc.number(item.get("base_weight", default_weight), (*path, "base_weight"))
            offset = doc.number(item.get("offset", 0.0), (*path, "offset"))
            return Constraints(rules, base, base_weight, reservation, discount, offset)
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
            reservation: float, discount: float | None) -> LinearAdditive:
    wpath = (*path, "weights")
    raw_weights = doc.mapping(doc.required(
        item, "weights", path, "give each issue a weight, e.g. 'weights: {price: 0.6, delivery: 0.4}'."),
        wpath)
    for key in raw_weights:
        if str(key) not in agenda.names:
            doc.fail((*wpath, str(key)), f"'{excerpt(key)}' is not an issue on the agenda.",
                     f"use one of: {excerpt(', '.join(agenda.names))}.")
    weights = np.zeros(len(agenda))
    for position, issue in enumerate(agenda):
        if issue.name not in raw_weights:
            doc.fail(wpath, f"issue '{issue.name}' has no weight.",
                     f"add '{issue.name}: 0' if it does not matter to this party.")
        weights[position] = doc.number(raw_weights[issue.name], (*wpath, issue.name))
        if weights[position] < 0:
            doc.fail((*wpath, issue.name), f"the weight {weights[position]:g} is negative.",
                     "give every issue a weight of 0 or more.")
    normalize = item.get("normalize", False)
    if not isinstance(normalize, bool):
        doc.fail((*path, "normalize"), "expected true or false.")
    total = float(weights.sum())
    if normalize:
        if total <= 0:
            doc.fail(wpath, "the weights sum to 0.", "give at least one issue a positive weight.")
        weights = weights / total
    elif abs(total - 1.0) > 1e-6:
        doc.fail(wpath, f"the weights sum to {total:g}, not 1.",
                 "make them sum to 1, or add 'normalize: true' to divide them by their sum.")
    vpath = (*path, "values")
    raw_values = doc.mapping(item.get("values") or {}, vpath)
    for key in raw_values:
        if str(key) not in agenda.names:
            doc.fail((*vpath, str(key)), f"'{excerpt(key)}' is not an issue on the agenda.",
                     f"use one of: {excerpt(', '.join(agenda.names))}.")
    values = []
    for position, issue in enumerate(agenda):
        if issue.name not in raw_values:
            if weights[position] > 0:
                doc.fail(vpath, f"issue '{issue.name}' has a weight but no option values.",
                         f"add 'values: {{{issue.name}: {{option: value, ...}}}}'.")
            values.append(np.zeros(len(issue)))
            continue
        values.append(_issue_values(doc, issue, raw_values[issue.name], (*vpath, issue.name)))
    return LinearAdditive(weights, tuple(values), reservation, discount)


def _issue_values(doc: Document, issue: Issue, raw: Any, path: FieldPath) -> np.ndarray:
    table = doc.mapping(raw, path)
    points: dict[int, float] = {}
    for key, value in table.items():
        try:
            position = issue.index(key)
        except ScenarioError as exc:
            doc.fail((*path, str(key)), exc.message, exc.fix)
        number = doc.number(value, (*path, str(key)))
        if not 0.0 <= number <= 1.0:
            doc.fail((*path, str(key)), f"the value {number:g} is outside [0, 1].",
                     "rate every option between 0 (worst) and 1 (best).")
        points[position] = number
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
    return np.asarray(np.interp(xs, xs[known], [points[j] for j in known]), dtype=float)


def _rule(doc: Document, agenda: Agenda, raw: Any, path: FieldPath) -> Rule:
    item = doc.mapping(raw, path)
    doc.check_keys(item, ("when", "bonus", "note"), path)
    when = doc.mapping(doc.required(item, "when", path, "say which options the rule needs."),
                       (*path, "when"))
    allowed: dict[int, np.ndarray] = {}
    for key, spec in when.items():
        cpath = (*path, "when", str(key))
        if str(key) not in agenda.names:
            doc.fail(cpath, f"'{excerpt(key)}' is not an issue on the agenda.",
                     f"use one of: {excerpt(', '.join(agenda.names))}.")
        position = agenda.position(str(key))
        issue = agenda.issues[position]
        mask = np.zeros(len(issue), dtype=bool)
        if isinstance(spec, Mapping):
            if not issue.is_numeric:
                doc.fail(cpath, "a min/max range needs a numeric issue.", "list the allowed options.")
            doc.check_keys(spec, ("min", "max"), cpath)
            xs = issue.numeric_values()
            low = doc.number(spec.get("min", xs[0]), (*cpath, "min"))
            high = doc.number(spec.get("max", xs[-1]), (*cpath, "max"))
            mask = (xs >= low - 1e-9) & (xs <= high + 1e-9)
        else:
            for j, option in enumerate(doc.sequence(spec if isinstance(spec, list) else [spec], cpath)):
                try:
                    mask[issue.index(option)] = True
                except ScenarioError as exc:
                    doc.fail((*cpath, j), exc.message, exc.fix)
        allowed[position] = mask
    bonus = doc.number(doc.required(item, "bonus", path), (*path, "bonus"))
    note = item.get("note")
    return Rule(allowed, bonus, None if note is None else doc.text(note, (*path, "note"), multiline=True))


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


def _stakeholder(doc: Document, raw: Any, path: FieldPath) -> Stakeholder:
    item = doc.mapping(raw, path)
    doc.check_keys(item, ("name", "stance", "note"), path)
    return Stakeholder(
        doc.text(doc.required(item, "name", path), (*path, "name")),
        None if item.get("stance") is None else doc.text(item["stance"], (*path, "stance"), multiline=True),
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
