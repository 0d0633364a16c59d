"""Writing the tratado scenario YAML format (version 1) in the documented field order.

Numeric issues' value tables are written as their piecewise-linear breakpoints, so a
file read and written again stays as short as its author wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from tratado.agenda import Agenda, Issue
from tratado.errors import ScenarioError
from tratado.files import atomic_write, refuse_overwrite
from tratado.formats._uncertain import estimate_to_yaml
from tratado.formats.yaml_format import FORMAT_VERSION
from tratado.parties import Effect, Party, Role, Stakeholder
from tratado.preferences import Constraints, LinearAdditive, Preferences, Rule, Table
from tratado.scenario import Scenario


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The YAML document for ``scenario``, fields in the documented order."""
    agenda = scenario.agenda
    out: dict[str, Any] = {"tratado": FORMAT_VERSION, "name": scenario.name}
    if scenario.description:
        out["description"] = scenario.description
    out["agenda"] = {"issues": [_issue_dict(i) for i in agenda]}
    if agenda.off_agenda:
        out["agenda"]["off_agenda"] = [_drop_none({"topic": t.topic, "note": t.note})
                                       for t in agenda.off_agenda]
    out["parties"] = [_party_dict(agenda, p) for p in scenario.parties]
    roles = scenario.roles
    if roles.mediator:
        out["mediator"] = _role_dict(roles.mediator)
    if roles.host:
        out["host"] = _role_dict(roles.host)
    if roles.observers:
        out["observers"] = [_role_dict(r) for r in roles.observers]
    if roles.stakeholders:
        out["stakeholders"] = [_stakeholder_dict(agenda, s) for s in roles.stakeholders]
    rules = scenario.rules
    out["rules"] = _drop_none({"deadline": rules.deadline, "agreement": rules.agreement,
                               "deadline_seconds": rules.deadline_seconds, "notes": rules.notes})
    if scenario.sources:
        out["sources"] = list(scenario.sources)
    if scenario.uncertainty is not None:
        _write_uncertainty(scenario, out)
    return out


def _write_uncertainty(scenario: Scenario, out: dict[str, Any]) -> None:
    """Put each uncertain input back where the file had it, as the estimate it was (after
    checking that the estimates are still the scenario's numbers: a scenario put together
    without its checks must not be written with stale ones)."""
    assert scenario.uncertainty is not None
    scenario.uncertainty.check(scenario)
    parties = {p.id: d["preferences"] for p, d in zip(scenario.parties, out["parties"], strict=True)}
    holders = {h.key: d for h, d in zip(scenario.roles.stakeholders, out.get("stakeholders", []),
                                        strict=True)}
    for item in scenario.uncertainty.inputs:
        head, name, rest = item.key.split(".", 2)
        if head == "stakeholders":
            _, effect, field = rest.split(".")
            holders[name]["effects"][int(effect)][field] = estimate_to_yaml(item)
            continue
        prefs = parties[name]
        in_base = rest.startswith("base.")
        if in_base:
            prefs, rest = prefs["base"], rest[len("base."):]
        kind, _, rest = rest.partition(".")
        if kind == "reservation":
            prefs["reservation_value"] = estimate_to_yaml(item)
        elif kind == "outcomes":
            prefs["outcomes"][int(rest.partition(".")[0])]["utility"] = estimate_to_yaml(item)
        elif kind == "default":
            prefs["default"] = estimate_to_yaml(item)
        elif kind == "rules":
            prefs["rules"][int(rest.partition(".")[0])]["bonus"] = estimate_to_yaml(item)
        elif item.distribution == "dirichlet":
            prefs["weights_concentration"] = item.concentration
        elif kind == "weights":
            prefs["weights"][rest] = estimate_to_yaml(item)
        else:
            issue_name, _, option = rest.partition(".")
            issue = scenario.agenda.issue(issue_name)
            table = prefs["values"][issue_name]
            if issue.is_numeric:
                anchors = scenario.uncertainty.anchors.get(item.key.rpartition(".")[0])
                if anchors is None:
                    anchors = tuple(range(len(issue)))
                full = dict(zip(issue.options, _party_values(scenario, name, in_base, issue_name),
                                strict=True))
                for j in anchors:
                    table.setdefault(issue.options[j], full[issue.options[j]])
            table[issue.options[issue.index(option)]] = estimate_to_yaml(item)


class _Dumper(yaml.SafeDumper):
    """Writes text of several lines as a ``|`` block, the way people write it by hand."""


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text.rstrip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _text)


def dumps_yaml(scenario: Scenario) -> str:
    """The scenario as tratado YAML text (descriptions and notes of several lines as blocks)."""
    return yaml.dump(scenario_to_dict(scenario), Dumper=_Dumper, sort_keys=False,
                     allow_unicode=True, width=100)


def save_yaml(scenario: Scenario, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write ``scenario`` to ``path`` atomically; an existing file is replaced only when
    ``overwrite`` is set."""
    path = Path(path)
    if path.is_dir():
        raise ScenarioError("this is a folder; a YAML scenario is written to a file.",
                            file=str(path), fix="name a .yaml file as the target.")
    refuse_overwrite(path, overwrite)
    return atomic_write(path, dumps_yaml(scenario))


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != ()}


def _issue_dict(issue: Issue) -> dict[str, Any]:
    out: dict[str, Any] = {"name": issue.name}
    if issue.title:
        out["title"] = issue.title
    if issue.description:
        out["description"] = issue.description
    if issue.kind == "categorical":
        out["options"] = list(issue.options)
    else:
        out["type"] = issue.kind
        out.update({"min": issue.options[0], "max": issue.options[-1]})
        step = issue.step if issue.step is not None else 1
        if issue.kind == "continuous" or step != 1:
            out["step"] = step
    return out


def _party_dict(agenda: Agenda, party: Party) -> dict[str, Any]:
    out: dict[str, Any] = {"id": party.id}
    if party.name:
        out["name"] = party.name
    if party.short_name:
        out["short_name"] = party.short_name
    if party.delegation:
        out["delegation"] = _drop_none({"head": party.delegation.head,
                                        "members": list(party.delegation.members) or None})
    out["preferences"] = preferences_to_dict(agenda, party.preferences)
    if party.notes:
        out["notes"] = party.notes
    return out


def preferences_to_dict(agenda: Agenda, prefs: Preferences) -> dict[str, Any]:
    out: dict[str, Any]
    if isinstance(prefs, LinearAdditive):
        out = {"type": "linear-additive", **_linear_dict(agenda, prefs)}
    elif isinstance(prefs, Constraints):
        out = {"type": "constraints"}
        if prefs.offset:
            out["offset"] = float(prefs.offset)
        if prefs.base is not None:
            out["base"] = _linear_dict(agenda, prefs.base)
            out["base_weight"] = float(prefs.base_weight)
        out["rules"] = [_rule_dict(agenda, r) for r in prefs.rules]
    elif isinstance(prefs, Table):
        out = {"type": "table", "default": float(prefs.default), "outcomes": [
            {"outcome": agenda.describe(key), "utility": float(u)} for key, u in prefs.entries.items()
        ]}
    else:
        raise TypeError(f"cannot write {type(prefs).__name__} preferences to YAML")
    out["reservation_value"] = float(prefs.reservation_value)
    if prefs.discount is not None:
        out["discount"] = float(prefs.discount)
    return out


def _linear_dict(agenda: Agenda, prefs: LinearAdditive) -> dict[str, Any]:
    weights = {issue.name: float(w) for issue, w in zip(agenda, prefs.weights, strict=True)}
    values: dict[str, Any] = {}
    for issue, v in zip(agenda, prefs.values, strict=True):
        keep = range(len(issue)) if not issue.is_numeric else _kinks(issue.numeric_values(), v)
        values[issue.name] = {issue.options[j]: float(v[j]) for j in keep}
    return {"weights": weights, "values": values}


def _kinks(xs: np.ndarray, v: np.ndarray) -> list[int]:
    """Indices where a piecewise-linear function of ``xs`` changes slope (plus both ends)."""
    keep = [0]
    for j in range(1, len(xs) - 1):
        left = (v[j] - v[keep[-1]]) / (xs[j] - xs[keep[-1]])
        right = (v[j + 1] - v[j]) / (xs[j + 1] - xs[j])
        if abs(left - right) > 1e-12:
            keep.append(j)
    if len(xs) > 1:
        keep.append(len(xs) - 1)
    return keep


def _rule_dict(agenda: Agenda, rule: Rule) -> dict[str, Any]:
    return _drop_none({"when": _when_dict(agenda, rule.allowed), "bonus": float(rule.bonus),
                       "note": rule.note})


def _when_dict(agenda: Agenda, allowed: Mapping[int, np.ndarray]) -> dict[str, Any]:
    when: dict[str, Any] = {}
    for position, mask in allowed.items():
        issue = agenda.issues[position]
        chosen = np.flatnonzero(mask)
        contiguous = chosen.size > 0 and chosen[-1] - chosen[0] + 1 == chosen.size
        if issue.is_numeric and contiguous:
            when[issue.name] = {"min": issue.options[chosen[0]], "max": issue.options[chosen[-1]]}
        else:
            when[issue.name] = [issue.options[j] for j in chosen]
    return when


def _party_values(scenario: Scenario, party_id: str, in_base: bool, issue_name: str) -> list[float]:
    prefs = scenario.party(party_id).preferences
    if isinstance(prefs, Constraints) and prefs.base is not None and in_base:
        prefs = prefs.base
    assert isinstance(prefs, LinearAdditive)
    return [float(v) for v in prefs.values[scenario.agenda.position(issue_name)]]


def _stakeholder_dict(agenda: Agenda, holder: Stakeholder) -> dict[str, Any]:
    return _drop_none({"name": holder.name, "id": holder.id, "stance": holder.stance,
                       "note": holder.note,
                       "effects": [_effect_dict(agenda, e) for e in holder.effects] or None})


def _effect_dict(agenda: Agenda, effect: Effect) -> dict[str, Any]:
    out: dict[str, Any] = {"party": effect.party}
    if effect.when.allowed:
        out["when"] = _when_dict(agenda, effect.when.allowed)
    if effect.utility or not effect.no_deal:
        out["utility"] = float(effect.utility)
    if effect.no_deal:
        out["no_deal"] = float(effect.no_deal)
    if effect.note:
        out["note"] = effect.note
    return out


def _role_dict(role: Role) -> dict[str, Any]:
    return _drop_none({"name": role.name, "people": list(role.people) or None, "role": role.role,
                       "note": role.note})
