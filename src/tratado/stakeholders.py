"""Stakeholders outside the table: how their effects enter the parties' preferences.

A stakeholder (the holder of sanctions, a guarantor, a donor) does not negotiate, but
each of its :class:`~tratado.parties.Effect` s changes what one party gets: ``utility``
points for the agreements that meet a condition, and/or ``no_deal`` points on the
party's no-deal value. :func:`with_stakeholders` folds every effect into ordinary
preferences, so analysis, simulation and forecasts see the linkage without knowing it
exists; :func:`without_stakeholders` drops the effects.

For a party with utility ``u`` in [0, 1], reservation value ``r``, utility effects
``d_k`` on the agreements meeting condition ``C_k`` and no-deal effects summing to
``e``, the effective utility and reservation value are::

    v(x) = u(x) + sum_k d_k [x in C_k]          r' = r + e
    u*(x) = (v(x) - m) / (M - m)                r* = (r' - m) / (M - m)
    m = min(sum of negative d_k, r')            M = max(1 + sum of positive d_k, r')

``m`` and ``M`` bound ``v`` and ``r'`` whatever the agreement, so ``u*`` and ``r*``
stay in [0, 1]. The map is affine and the same for agreements and no deal, so it keeps
the party's ranking of every agreement and of no deal, who gains over no deal, and the
Nash and Kalai–Smorodinsky packages of the effective scenario; a clip at 1 would have
made the best packages tie instead. A party no effect touches keeps its preferences
exactly. The effective preferences are :class:`~tratado.preferences.Constraints`: the
party's own preferences as base (or its own rules, rescaled) plus one rule per effect.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TypeVar

import numpy as np

from tratado.errors import ScenarioError
from tratado.parties import Condition, Effect, Roles
from tratado.preferences import Constraints, LinearAdditive, Preferences, Rule
from tratado.scenario import Scenario
from tratado.uncertainty import shallow_copy

T = TypeVar("T")

__all__ = ["Linked", "effective", "effects_on", "has_effects", "linked_preferences",
           "with_effect", "with_effect_values", "with_stakeholders", "without_stakeholders"]


def has_effects(scenario: Scenario) -> bool:
    """True when some stakeholder of ``scenario`` has an effect not yet folded in."""
    return any(holder.effects for holder in scenario.roles.stakeholders)


def effects_on(scenario: Scenario, party_id: str) -> list[Effect]:
    """Every stakeholder effect on one party, in file order."""
    return [effect for holder in scenario.roles.stakeholders for effect in holder.effects
            if effect.party == party_id]


def with_stakeholders(scenario: Scenario) -> Scenario:
    """The effective scenario: every stakeholder effect folded into the parties'
    preferences (see the module docstring), and the stakeholders kept as description
    only (no effects left to fold in twice). The effective scenario is exact: the
    uncertainty, whose keys name the preferences and effects as the file states them,
    not as folded in, is left out (``scenario_at`` first, to fold in a draw). A
    scenario with no effects is returned as it is."""
    if not has_effects(scenario):
        return scenario
    parties = []
    for party in scenario.parties:
        effects = effects_on(scenario, party.id)
        if effects:
            party = _replace(party, preferences=linked_preferences(party.preferences, effects))
        parties.append(party)
    return _replace(scenario, parties=tuple(parties), roles=_descriptive(scenario.roles),
                    uncertainty=None)


def without_stakeholders(scenario: Scenario) -> Scenario:
    """The scenario as the table alone sees it: the stakeholders' effects dropped, and
    with them the uncertain inputs that were their numbers (the rest of the uncertainty
    stays: the table alone is as uncertain as it was)."""
    if not has_effects(scenario):
        return scenario
    uncertainty = scenario.uncertainty
    if uncertainty is not None:
        uncertainty = uncertainty.fixing(["stakeholders."])
    return _replace(scenario, roles=_descriptive(scenario.roles), uncertainty=uncertainty)


def effective(scenario: Scenario, stakeholders: bool = True) -> Scenario:
    """The scenario a session or an analysis runs on: :func:`with_stakeholders` (the
    world as it is, the default) or, with ``stakeholders=False``, the table alone
    (:func:`without_stakeholders`). A what-if on a party's own no-deal value is applied
    before this, so the stakeholders' no-deal effects still add to it. A session runs at
    the estimates, so a scenario with effects comes back without its uncertainty (whose
    keys name the preferences and effects as the file states them, not as folded in); a
    scenario without effects is returned as it is."""
    if not has_effects(scenario):
        return scenario
    changed = with_stakeholders(scenario) if stakeholders else without_stakeholders(scenario)
    return _replace(changed, uncertainty=None)


def with_effect(scenario: Scenario, stakeholder: str, index: int, *,
                utility: float | None = None, no_deal: float | None = None,
                when: Condition | None = None) -> Scenario:
    """A what-if on one stakeholder effect: effect ``index`` (from 0) of the stakeholder
    whose key (:attr:`~tratado.parties.Stakeholder.key`) is ``stakeholder``, with the
    numbers or the condition given; an uncertain number it sets becomes exact."""
    holders = list(scenario.roles.stakeholders)
    keys = [h.key for h in holders]
    if stakeholder not in keys:
        raise ScenarioError(f"there is no stakeholder '{stakeholder}'.", field="stakeholders",
                            fix=f"use one of: {', '.join(keys) or '(none)'}.")
    at = keys.index(stakeholder)
    effects = list(holders[at].effects)
    if not 0 <= index < len(effects):
        raise ScenarioError(f"stakeholder '{stakeholder}' has {len(effects)} effect(s); there is"
                            f" no effect {index}.", field="stakeholders",
                            fix="count the effects from 0, in file order.")
    old = effects[index]
    effects[index] = Effect(old.party, old.when if when is None else when,
                            old.utility if utility is None else float(utility),
                            old.no_deal if no_deal is None else float(no_deal), old.note)
    holders[at] = dataclasses.replace(holders[at], effects=tuple(effects))
    uncertainty = scenario.uncertainty
    if uncertainty is not None:
        uncertainty = uncertainty.fixing(f"stakeholders.{stakeholder}.effects.{index}.{name}"
                                         for name, value in (("utility", utility),
                                                             ("no_deal", no_deal))
                                         if value is not None)
    return dataclasses.replace(scenario, roles=dataclasses.replace(scenario.roles,
                                                                   stakeholders=tuple(holders)),
                               uncertainty=uncertainty)


def linked_preferences(prefs: Preferences, effects: Sequence[Effect]) -> Preferences:
    """One party's preferences with ``effects`` folded in (see the module docstring)."""
    gains = [effect.utility for effect in effects if effect.utility]
    reservation = prefs.reservation_value + sum(effect.no_deal for effect in effects)
    low = min(sum(d for d in gains if d < 0), reservation, 0.0)
    high = max(1.0 + sum(d for d in gains if d > 0), reservation)
    scale = 1.0 / (high - low)
    rules = tuple(Rule(dict(effect.when.allowed), effect.utility * scale, effect.note)
                  for effect in effects if effect.utility)
    effective = min(max((reservation - low) * scale, 0.0), 1.0)
    if isinstance(prefs, Constraints):
        own = tuple(Rule(rule.allowed, rule.bonus * scale, rule.note) for rule in prefs.rules)
        return Constraints(own + rules, prefs.base, prefs.base_weight * scale, effective,
                           prefs.discount, (prefs.offset - low) * scale)
    if isinstance(prefs, LinearAdditive):
        return Constraints(rules, prefs, scale, effective, prefs.discount, -low * scale)
    return Linked(prefs, rules, scale, -low * scale, effective, prefs.discount)


@dataclasses.dataclass(eq=False, repr=False)
class Linked(Preferences):
    """``u*(x) = offset + scale * inner(x) + bonuses of the rules x meets``: stakeholder
    effects on preferences of any other form (e.g. a table)."""

    inner: Preferences
    rules: tuple[Rule, ...]
    scale: float
    offset: float
    reservation_value: float = 0.0
    discount: float | None = None

    def utility(self, outcomes: np.ndarray) -> np.ndarray:
        total = self.offset + self.scale * self.inner.utility(outcomes)
        for rule in self.rules:
            total = total + rule.bonus * rule.holds(outcomes)
        return np.asarray(np.clip(total, 0.0, 1.0), dtype=float)


def with_effect_values(roles: Roles, changes: Sequence[tuple[int, int, str, int]],
                       row: np.ndarray) -> Roles:
    """``roles`` with effect numbers set from ``row``: ``(stakeholder, effect, field,
    column)`` per change (what :meth:`Uncertainty.scenario_at` uses)."""
    holders = list(roles.stakeholders)
    for index, position, name, column in changes:
        effects = list(holders[index].effects)
        effect = shallow_copy(effects[position])
        object.__setattr__(effect, name, float(row[column]))
        effects[position] = effect
        holders[index] = _replace(holders[index], effects=tuple(effects))
    return _replace(roles, stakeholders=tuple(holders))


def _descriptive(roles: Roles) -> Roles:
    return _replace(roles, stakeholders=tuple(_replace(h, effects=()) for h in roles.stakeholders))


def _replace(obj: T, **changes: object) -> T:
    """A shallow copy with some fields changed, without re-running the checks of a value
    already checked (names, notes): the hot path of forecasts."""
    new = shallow_copy(obj)
    for name, value in changes.items():
        object.__setattr__(new, name, value)
    return new

