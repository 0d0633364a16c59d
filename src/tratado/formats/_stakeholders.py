"""Reading stakeholders, their effects, and the package conditions rules and effects share.

A condition (``when``) names, per issue, the options an agreement must settle on: one
option, a list, or for a numeric issue a ``{min, max}`` range. Stakeholder effects
(``docs/scenario-format.md``, "Stakeholders") take a party, an optional ``when``, and
``utility`` and/or ``no_deal`` points, each of which may be uncertain.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from tratado.agenda import MAX_NAME_LENGTH, NAME_PATTERN, Agenda
from tratado.errors import ScenarioError
from tratado.formats._fields import Document
from tratado.formats._fields import Path as FieldPath
from tratado.formats._uncertain import Estimate, Estimates, nominal
from tratado.limits import excerpt
from tratado.parties import Condition, Effect, Stakeholder, stakeholder_key

STAKEHOLDER_FIELDS = ("name", "id", "stance", "note", "effects")
EFFECT_FIELDS = ("party", "when", "utility", "no_deal", "note")


def read_when(doc: Document, agenda: Agenda, raw: Any, path: FieldPath) -> dict[int, np.ndarray]:
    """``{issue position: mask of the options that meet the condition}``."""
    when = doc.mapping(raw, path)
    allowed: dict[int, np.ndarray] = {}
    for key, spec in when.items():
        cpath = (*path, str(key))
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
    return allowed


def read_stakeholders(doc: Document, agenda: Agenda, parties: tuple[str, ...], raw: Any,
                      estimates: Estimates) -> tuple[Stakeholder, ...]:
    """The ``stakeholders`` list, with any effects on the parties named in ``parties``."""
    out: list[Stakeholder] = []
    for k, item in enumerate(doc.sequence(raw or [], ("stakeholders",))):
        holder = _stakeholder(doc, agenda, parties, item, ("stakeholders", k), estimates)
        if holder.key in {h.key for h in out}:
            doc.fail(("stakeholders", k, "id" if holder.id else "name"),
                     f"two stakeholders have the id '{excerpt(holder.key)}'.",
                     "give each stakeholder a unique 'id'.")
        out.append(holder)
    return tuple(out)


def _stakeholder(doc: Document, agenda: Agenda, parties: tuple[str, ...], raw: Any,
                 path: FieldPath, estimates: Estimates) -> Stakeholder:
    item = doc.mapping(raw, path)
    doc.check_keys(item, STAKEHOLDER_FIELDS, path)
    name = doc.text(doc.required(item, "name", path), (*path, "name"))
    holder_id = None
    if item.get("id") is not None:
        holder_id = doc.text(item["id"], (*path, "id"))
        if len(holder_id) > MAX_NAME_LENGTH or not NAME_PATTERN.match(holder_id):
            doc.fail((*path, "id"), f"the stakeholder id '{excerpt(holder_id)}' has spaces or "
                     "special characters.", "use letters, digits, '_' and '-' only.")
    key = holder_id or stakeholder_key(name)
    effects = tuple(
        _effect(doc, agenda, parties, e, (*path, "effects", j), estimates,
                f"stakeholders.{key}.effects.{j}", name)
        for j, e in enumerate(doc.sequence(item.get("effects") or [], (*path, "effects"))))

    def optional_text(field: str) -> str | None:
        value = item.get(field)
        return None if value is None else doc.text(value, (*path, field), multiline=True)

    return Stakeholder(name, optional_text("stance"), optional_text("note"), effects, holder_id)


def _effect(doc: Document, agenda: Agenda, parties: tuple[str, ...], raw: Any, path: FieldPath,
            estimates: Estimates, key: str, holder: str) -> Effect:
    item = doc.mapping(raw, path)
    doc.check_keys(item, EFFECT_FIELDS, path)
    party = doc.text(doc.required(item, "party", path, "name the party the effect is on."),
                     (*path, "party"))
    if party not in parties:
        doc.fail((*path, "party"), f"'{excerpt(party)}' is not a party of this scenario.",
                 f"use one of: {excerpt(', '.join(parties))}.")
    if item.get("utility") is None and item.get("no_deal") is None:
        doc.fail(path, "this effect changes nothing.",
                 "give 'utility' (points for the agreements that meet 'when') and/or 'no_deal' "
                 "(points on the party's no-deal value).")
    if item.get("when") is not None and item.get("utility") is None:
        doc.fail((*path, "when"), "'when' says which agreements 'utility' applies to, and there"
                 " is no 'utility'.", "add 'utility', or remove 'when'.")
    numbers: dict[str, float] = {}
    for field, words in (("utility", "utility of agreements"), ("no_deal", "no-deal value")):
        value = estimates.read(item.get(field, 0.0), (*path, field), (-1.0, 1.0),
                               "utility points")
        if not -1.0 <= nominal(value) <= 1.0:
            doc.fail((*path, field), f"{nominal(value):g} utility points is outside [-1, 1].",
                     "give the change in the party's utility, between -1 and 1.")
        if isinstance(value, Estimate):
            estimates.add(value, f"{key}.{field}", f"{holder}: effect on {party}'s {words}")
        numbers[field] = nominal(value)
    when = Condition(read_when(doc, agenda, item["when"], (*path, "when"))
                     if item.get("when") is not None else {})
    note = item.get("note")
    return Effect(party, when, numbers["utility"], numbers["no_deal"],
                  None if note is None else doc.text(note, (*path, "note"), multiline=True))
