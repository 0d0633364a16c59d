"""``tratado.json``: what GENIUS and GeniusWeb folders cannot hold, kept beside them.

Neither format has a place for the rules of the talks (deadline, agreement mode, time
limit), GeniusWeb has none for a scenario name with spaces, and both can only write
a numeric issue whose utilities are not a straight line as a list of text items.
When tratado writes such a folder it adds this small
file, which GENIUS and GeniusWeb ignore (GENIUS reads ``.xml`` files only; GeniusWeb
is given its files one by one) and tratado reads back, so that YAML → GENIUS →
YAML keeps the deadline (30 rounds stay 30, not the default 100) and numeric options
stay numbers::

    {"tratado": 1,
     "note": "...",
     "name": "Job offer",
     "rules": {"deadline": 30, "agreement": "package"},
     "issues": {"salary": {"type": "integer", "min": 2000, "max": 4000, "step": 500}}}

``issues`` is keyed by the issue's name as written in the domain. An entry is used
only when the domain's items are exactly that range's options written as text;
otherwise it is ignored with a note (someone edited the domain since).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tratado.agenda import Agenda, Issue
from tratado.errors import ScenarioError
from tratado.files import atomic_write
from tratado.formats._fields import Document
from tratado.formats._input import decode, parse_json, read_bytes
from tratado.formats._notes import report
from tratado.scenario import Scenario

NAME = "tratado.json"
VERSION = 1


def is_sidecar(data: Any) -> bool:
    """True for the parsed content of a ``tratado.json`` file."""
    return isinstance(data, Mapping) and "tratado" in data and "issuesValues" not in data


def find(paths: Sequence[Path]) -> Path | None:
    """The ``tratado.json`` among the given files, or in the given folder."""
    for path in paths:
        candidate = path / NAME if path.is_dir() else path
        if candidate.name == NAME and candidate.is_file():
            return candidate
    return None


def document(scenario: Scenario, as_text: Sequence[bool], names: Sequence[str]) -> dict[str, Any]:
    """The sidecar for ``scenario``; ``as_text[k]`` says issue ``k`` was written as text items,
    ``names[k]`` is its name in the domain file."""
    from tratado.formats.yaml_write import scenario_to_dict

    issues: dict[str, Any] = {}
    for issue, text, name in zip(scenario.agenda, as_text, names, strict=True):
        if text and issue.is_numeric:
            spec: dict[str, Any] = {"type": issue.kind, "min": issue.options[0],
                                    "max": issue.options[-1]}
            spec["step"] = issue.step if issue.step is not None else 1
            issues[name] = spec
    out: dict[str, Any] = {
        "tratado": VERSION,
        "note": "Written by tratado beside a GENIUS/GeniusWeb folder: what those formats cannot "
        "hold (the rules of the talks, numeric issues written as text items). Other tools "
        "ignore this file; tratado reads it back.",
        "name": scenario.name,
        "rules": scenario_to_dict(scenario)["rules"]}
    if issues:
        out["issues"] = issues
    return out


def write(folder: Path, content: dict[str, Any]) -> Path:
    return atomic_write(folder / NAME, json.dumps(content, indent=2, ensure_ascii=False) + "\n")


def apply(scenario: Scenario, path: Path, names: Sequence[str]) -> Scenario:
    """``scenario`` with the rules and numeric issues of the sidecar at ``path``;
    ``names[k]`` is issue ``k``'s name in the domain file."""
    from tratado.formats.yaml_format import read_rules

    doc = Document(str(path))
    data = doc.mapping(parse_json(decode(read_bytes(path), doc.file, "utf-8-sig"), doc.file), ())
    doc.check_keys(data, ("tratado", "note", "name", "rules", "issues"), ())
    if data.get("tratado") != VERSION:
        doc.fail(("tratado",), "this sidecar version is not known.", f"use 'tratado: {VERSION}'.")
    rules = read_rules(doc, data.get("rules"))
    agenda = scenario.agenda
    raw = doc.mapping(data.get("issues") or {}, ("issues",))
    issues = list(agenda.issues)
    for key, spec in raw.items():
        ipath = ("issues", str(key))
        if str(key) not in names:
            _note(path, f"issue '{key}' is not in the domain; its entry was ignored.")
            continue
        position = list(names).index(str(key))
        issue = issues[position]
        spec = doc.mapping(spec, ipath)
        doc.check_keys(spec, ("type", "min", "max", "step"), ipath)
        kind = spec.get("type")
        try:
            if kind == "integer":
                numeric = Issue.integer(issue.name, doc.integer(spec.get("min"), (*ipath, "min")),
                                        doc.integer(spec.get("max"), (*ipath, "max")),
                                        doc.integer(spec.get("step", 1), (*ipath, "step")),
                                        title=issue.title, description=issue.description)
            elif kind == "continuous":
                numeric = Issue.continuous(
                    issue.name, doc.number(spec.get("min"), (*ipath, "min")),
                    doc.number(spec.get("max"), (*ipath, "max")),
                    doc.number(spec.get("step"), (*ipath, "step")), title=issue.title,
                    description=issue.description)
            else:
                doc.fail((*ipath, "type"), "expected 'integer' or 'continuous'.")
        except ScenarioError as exc:
            if exc.file is not None:
                raise
            doc.fail(ipath, exc.message, exc.fix)
        if [str(o) for o in numeric.options] != [str(o) for o in issue.options]:
            _note(path, f"issue '{key}': the domain's items are no longer the range "
                  f"{numeric.options[0]}..{numeric.options[-1]}; it stays a list of text items.")
            continue
        issues[position] = numeric
    if issues != list(agenda.issues):
        # Option values are held per option index, so the preferences carry over as they are.
        scenario = dataclasses.replace(scenario, agenda=Agenda(tuple(issues), agenda.off_agenda))
    name = scenario.name if data.get("name") is None else doc.text(data["name"], ("name",))
    return dataclasses.replace(scenario, name=name, rules=rules)


def _note(path: Path, text: str) -> None:
    report([f"{path}: {text}"])
