"""Reading the tratado scenario YAML format (version 1), checking every field.

The format is documented field by field in ``docs/scenario-format.md`` and published
as a JSON Schema in ``schema/scenario.schema.json``. Errors name the file, the field path,
the line and the fix. Writing is in :mod:`tratado.formats.yaml_write`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tratado.agenda import MAX_NAME_LENGTH, NAME_PATTERN, Agenda, Issue, OffAgendaTopic
from tratado.errors import ScenarioError
from tratado.formats._fields import Document
from tratado.formats._fields import Path as FieldPath
from tratado.formats._input import STDIN_NAME, decode, read_bytes, read_stdin
from tratado.formats._stakeholders import read_stakeholders
from tratado.formats._uncertain import Estimates
from tratado.formats._yaml_loader import load_text
from tratado.formats._yaml_preferences import (
    preferences_from_dict,
)
from tratado.limits import env_name, excerpt, limit
from tratado.parties import Delegation, Party, Role, Roles, Rules
from tratado.scenario import Scenario

FORMAT_VERSION = 1

TOP_FIELDS = ("tratado", "name", "description", "agenda", "parties", "mediator", "host",
              "observers", "stakeholders", "rules", "sources", "actors")
ISSUE_FIELDS = ("name", "title", "description", "type", "options", "min", "max", "step")
PARTY_FIELDS = ("id", "name", "short_name", "delegation", "preferences", "notes")


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
