"""What-if changes to an uncertain scenario, applied to every sample of a forecast.

A forecast can be run again with a change — "what if the government's no-deal value
were 0.70?", "what if the United States relieved sanctions for any election date?" —
against the *same* samples and the same session seeds, so that the difference between
the two forecasts is the change's and not sampling noise (common random numbers).

One what-if is text: changes separated by semicolons, each ``NAME=VALUE``:

* ``PARTY=VALUE`` (a party's id): that party's own no-deal (reservation) value, as
  ``--reservation`` does for one scenario; it replaces the sampled value (stakeholders'
  no-deal effects still add to it);
* ``KEY=VALUE`` (the key of an uncertain input, as ``tratado forecast --json`` lists
  them in ``inputs``): the input pinned at VALUE, within its range, in every sample
  (what the forecast would be if that estimate were known exactly); a pinned weight
  leaves the party's other uncertain weights their share of the rest, in proportion,
  so that the weights still sum to one;
* ``STAKEHOLDER=off`` (a stakeholder's id, e.g. ``united-states``): its effects dropped;
* ``stakeholders.ID.effects.K.utility=VALUE`` or ``...no_deal=VALUE``: that effect's
  number (K counts the stakeholder's effects from 0), whether or not it is uncertain;
* ``stakeholders.ID.effects.K.when.ISSUE=OPTION|OPTION...``: the options of ISSUE
  that meet the effect's condition (``any``: the condition no longer names ISSUE).

:func:`parse_what_if` checks the text against the scenario and its inputs (a mistake is
a :class:`~tratado.errors.TratadoError` naming ``--what-if``); :meth:`WhatIf.row` and
:meth:`WhatIf.apply` change one sample, before the stakeholders' effects are folded in.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tratado.errors import TratadoError
from tratado.parties import Condition
from tratado.scenario import Scenario

FIELD = "--what-if"
SYNTAX = ("write changes as NAME=VALUE separated by semicolons: a party's id for its no-deal"
          " value (government=0.7), the key of an uncertain input to pin it, STAKEHOLDER=off,"
          " or stakeholders.ID.effects.K.utility / .no_deal / .when.ISSUE=OPTION|OPTION")

Change = tuple[int, int, str, Any]
"""``(stakeholder, effect, "utility" | "no_deal", number)`` or ``(stakeholder, effect,
"when", (issue position, mask of the options that meet it | None))``."""


@dataclass(frozen=True)
class WhatIf:
    """One what-if: no-deal values to set, uncertain inputs to pin, stakeholders to drop
    and stakeholder effects to change."""

    text: str
    reservations: tuple[tuple[str, float], ...] = ()
    pins: tuple[tuple[int, float], ...] = ()  # (input column, value)
    off: tuple[int, ...] = ()  # stakeholders whose effects are dropped
    effects: tuple[Change, ...] = ()
    groups: tuple[tuple[int, ...], ...] = ()  # weights drawn together that a pin touches

    def row(self, row: np.ndarray) -> np.ndarray:
        """The sample ``row`` with the pinned inputs set (and the other weights of a
        pinned weight's party rescaled to keep their sum)."""
        if not self.pins:
            return row
        changed = np.array(row, dtype=np.float64)
        pinned = dict(self.pins)
        for column, value in self.pins:
            changed[column] = value
        for group in self.groups:
            free = [c for c in group if c not in pinned]
            total = float(np.sum(np.asarray(row)[list(group)]))
            rest = float(np.sum(np.asarray(row)[free])) if free else 0.0
            left = total - sum(pinned[c] for c in group if c in pinned)
            if free and rest > 0:
                changed[free] = np.asarray(row)[free] * (max(left, 0.0) / rest)
        return changed

    def apply(self, scenario: Scenario) -> Scenario:
        """``scenario`` (one sample, stakeholders not yet folded in) with the changes."""
        if self.reservations:
            scenario = scenario.with_reservation_values(dict(self.reservations))
        if self.off or self.effects:
            holders = list(scenario.roles.stakeholders)
            fixed = [f"stakeholders.{holders[index].key}.effects.{position}.{name}"
                     for index, position, name, _ in self.effects if name != "when"]
            fixed += [f"stakeholders.{holders[index].key}." for index in self.off]
            for index, position, name, value in self.effects:
                effects = list(holders[index].effects)
                effect = effects[position]
                if name in ("utility", "no_deal"):
                    effects[position] = dataclasses.replace(effect, **{name: value})
                else:
                    allowed = dict(effect.when.allowed)
                    issue, mask = value
                    if mask is None:
                        allowed.pop(issue, None)
                    else:
                        allowed[issue] = mask
                    effects[position] = dataclasses.replace(effect, when=Condition(allowed))
                holders[index] = dataclasses.replace(holders[index], effects=tuple(effects))
            for index in self.off:
                holders[index] = dataclasses.replace(holders[index], effects=())
            roles = dataclasses.replace(scenario.roles, stakeholders=tuple(holders))
            uncertainty = scenario.uncertainty  # (None on a sample) the numbers set are exact
            scenario = dataclasses.replace(scenario, roles=roles, uncertainty=(
                None if uncertainty is None else uncertainty.fixing(fixed)))
        return scenario


NONE = WhatIf("")
"""The forecast itself: no change."""


def _fail(message: str, fix: str = SYNTAX + ".") -> TratadoError:
    return TratadoError(message, field=FIELD, fix=fix)


def _number(text: str, change: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not np.isfinite(value):
        raise _fail(f"'{change}' does not end in a number.")
    return value


def _stakeholder(scenario: Scenario, key: str) -> int | None:
    for index, holder in enumerate(scenario.roles.stakeholders):
        if holder.key == key:
            return index
    return None


def _effect_change(scenario: Scenario, name: str, value: str, change: str) -> Change:
    """``stakeholders.ID.effects.K.FIELD[.ISSUE]=VALUE`` as a change."""
    parts = name.split(".")
    if len(parts) < 5 or parts[0] != "stakeholders" or parts[2] != "effects":
        raise _fail(f"'{change}' does not name a stakeholder's effect.")
    index = _stakeholder(scenario, parts[1])
    if index is None:
        raise _fail(f"there is no stakeholder '{parts[1]}'.",
                    fix="use a stakeholder's id: " + ", ".join(
                        h.key for h in scenario.roles.stakeholders) + ".")
    effects = scenario.roles.stakeholders[index].effects
    if not parts[3].isdigit() or int(parts[3]) >= len(effects):
        raise _fail(f"stakeholder '{parts[1]}' has no effect {parts[3]}.",
                    fix=f"count its effects from 0 (it has {len(effects)}).")
    position = int(parts[3])
    if parts[4] in ("utility", "no_deal") and len(parts) == 5:
        number = _number(value, change)
        if not -1.0 <= number <= 1.0:
            raise _fail(f"'{change}': an effect lies in [-1, 1].",
                        fix="give the change in the party's utility points, between -1 and 1.")
        return index, position, parts[4], number
    if parts[4] == "when" and len(parts) == 6:
        issues = [issue.name for issue in scenario.agenda.issues]
        if parts[5] not in issues:
            raise _fail(f"there is no issue '{parts[5]}'.", fix=f"use one of: {', '.join(issues)}.")
        issue = scenario.agenda.issues[issues.index(parts[5])]
        if value.strip() == "any":
            return index, position, "when", (issues.index(parts[5]), None)
        labels = [str(option) for option in issue.options]
        mask = np.zeros(len(labels), dtype=bool)
        for option in (o.strip() for o in value.split("|")):
            if option not in labels:
                raise _fail(f"issue '{issue.name}' has no option '{option}'.",
                            fix="give options as the agenda words them, separated by '|': "
                            + " | ".join(labels) + ".")
            mask[labels.index(option)] = True
        return index, position, "when", (issues.index(parts[5]), mask)
    raise _fail(f"'{change}' does not name an effect's utility, no_deal or when.ISSUE.")


def parse_what_if(text: str, scenario: Scenario, inputs: Sequence[Any] = (),
                  groups: Sequence[Sequence[int]] = ()) -> WhatIf:
    """The what-if ``text`` (see the module docstring), checked against ``scenario``'s
    parties and stakeholders and the uncertain ``inputs`` (each with a ``key`` and, when
    it has one, a range ``low`` to ``high``); ``groups``: the columns of the weights
    drawn together (a party's)."""
    keys = [str(item.key) for item in inputs]
    reservations: dict[str, float] = {}
    pins: dict[int, float] = {}
    off: list[int] = []
    effects: dict[tuple[Any, ...], Change] = {}
    changes = [part.strip() for part in text.split(";") if part.strip()]
    if not changes:
        raise _fail("an empty what-if.")
    seen: set[str] = set()
    for change in changes:
        name, sep, value = (part.strip() for part in change.partition("="))
        if not sep or not name:
            raise _fail(f"'{change}' is not NAME=VALUE.")
        if name in seen:
            raise _fail(f"'{name}' is changed twice in one what-if.", "give each change once.")
        seen.add(name)
        if name in scenario.party_ids:
            reservations[name] = _number(value, change)
        elif name in keys:
            column = keys.index(name)
            number = _number(value, change)
            low = float(getattr(inputs[column], "low", -np.inf))
            high = float(getattr(inputs[column], "high", np.inf))
            if not low <= number <= high:
                raise _fail(f"'{change}' is outside the input's range [{low:g}, {high:g}].",
                            "pin an input to a value within its range (widen the range in"
                            " the scenario file to go beyond it).")
            pins[column] = number
        elif _stakeholder(scenario, name) is not None and value == "off":
            off.append(_stakeholder(scenario, name))  # type: ignore[arg-type]
        elif name.startswith("stakeholders."):
            found = _effect_change(scenario, name, value, change)
            key = found[:3] if found[2] != "when" else (*found[:3], found[3][0])
            effects[key] = found
        else:
            holders = [h.key for h in scenario.roles.stakeholders]
            known = [*scenario.party_ids, *holders, *keys]
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            listing = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
            raise _fail(f"'{name}' is neither a party, a stakeholder nor an uncertain input of"
                        f" the scenario{hint}.", fix=f"use one of: {listing} (`tratado forecast"
                        " --json` lists the uncertain inputs); " + SYNTAX + ".")
    try:
        scenario.with_reservation_values(reservations)
    except TratadoError as error:
        raise _fail(error.message, error.fix or SYNTAX + ".") from None
    touched = tuple(tuple(group) for group in groups if any(c in pins for c in group))
    return WhatIf("; ".join(changes), tuple(reservations.items()), tuple(sorted(pins.items())),
                  tuple(sorted(off)), tuple(effects.values()), touched)
