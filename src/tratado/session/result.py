"""A session's result and its record: :class:`SessionResult`, built from a finished
protocol state by :func:`build_result`, with the JSON-able log of :func:`session_log`.

The record (:meth:`SessionResult.to_dict`): ``scenario``, ``protocol`` (name and
options), ``parties``, ``negotiators``, ``seed``, ``agreement``, ``result`` (reason,
round, turns, ended_by, utilities, gains over reservation, welfare, failures,
``distance_to_pareto`` / ``distance_to_nash`` — ``None`` until
:func:`tratado.session.evaluate` fills them — and the protocol's ``details``, e.g. a
mediated settlement before post-settlement), ``log`` (see
:mod:`tratado.protocols.log`), ``items`` (item-by-item sessions only: one summary per
issue, whose log entries carry ``item``), and ``timing`` (wall-clock seconds).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np

from tratado.negotiators.base import Participant, PublicScenario
from tratado.protocols import Event, Protocol
from tratado.scenario import Scenario
from tratado.session.log_view import ItemLogs, LogView

FAILURE = "failure: "
_PUBLIC: WeakKeyDictionary[Scenario, PublicScenario] = WeakKeyDictionary()


def public_scenario(scenario: Scenario) -> PublicScenario:
    """The (cached) public part of ``scenario``."""
    public = _PUBLIC.get(scenario)
    if public is None:
        public = _PUBLIC[scenario] = PublicScenario.of(scenario)
    return public


def participant_name(participant: Participant) -> str:
    """The name that finds a participant's class again: its registered name, else
    ``module:Class`` (:func:`tratado.negotiators.registry.spec_name`)."""
    from tratado.negotiators.registry import spec_name

    return spec_name(participant)


@dataclass(repr=False)
class SessionResult:
    """The outcome of one session; ``to_dict()`` / ``to_json()`` give the record
    (:mod:`tratado.records`). ``negotiators``, ``utilities`` and ``gains`` are keyed by
    party id; each negotiator as ``{"name": ..., "params": {...}}``. The ``repr`` is
    short and shows no utilities (they derive from confidential preferences)."""

    scenario: Scenario
    protocol: Protocol[Any]
    negotiators: dict[str, dict[str, Any]]
    seed: int
    events: Sequence[Event]
    agreement: dict[str, Any] | None
    outcome: tuple[int, ...] | None
    reason: str
    round: int
    turns: int
    ended_by: str | None
    utilities: dict[str, float]
    gains: dict[str, float]
    welfare: float
    failures: list[dict[str, str]]
    elapsed: float
    distance_to_pareto: float | None = None
    distance_to_nash: float | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    _log: list[dict[str, Any]] | None = None
    details: dict[str, Any] = field(default_factory=dict)
    items: list[SessionResult] | None = None
    move_budget: float | None = None

    def __repr__(self) -> str:
        from tratado.records import negotiator_label

        names = ", ".join(f"{p}={negotiator_label(e)}" for p, e in self.negotiators.items())
        return (f"SessionResult({self.scenario.name!r}, {self.protocol.name!r}, {names},"
                f" seed={self.seed}, reason={self.reason!r}, round={self.round},"
                f" agreement={'yes' if self.agreement is not None else 'none'})")

    @property
    def log(self) -> Sequence[dict[str, Any]]:
        """The event log as JSON-able entries, built lazily
        (:class:`~tratado.session.log_view.LogView`). Item by item: every item's entries in
        turn, each with ``item`` (the issue's name)."""
        if self.items is not None:
            return ItemLogs([LogView(item.scenario, item.protocol, item.events,
                                     discounts(item.scenario, item.protocol),
                                     {"item": item.scenario.agenda.names[0]})
                             for item in self.items])
        return LogView(self.scenario, self.protocol, self.events,
                       discounts(self.scenario, self.protocol))

    def to_dict(self, timing: bool = True) -> dict[str, Any]:
        """The analyst's record (:func:`tratado.records.build_record`); ``timing=False``
        leaves out the wall-clock part."""
        from tratado.records import build_record

        return build_record(self, timing=timing)

    def to_json(self, timing: bool = True, indent: int | None = None) -> str:
        """The record as JSON: its canonical form (:func:`tratado.records.canonical_json`;
        the same bytes for the same session when ``timing=False``), or indented for
        reading when ``indent`` is given."""
        from tratado.records import canonical_json

        record = self.to_dict(timing)
        if indent is None:
            return canonical_json(record)
        return json.dumps(record, ensure_ascii=False, indent=indent)


def item_summary(item: SessionResult) -> dict[str, Any]:
    """One item's part of an item-by-item record (its log lives in the main log)."""
    from tratado.records import item_summary as summary

    return summary(item)


def discounts(scenario: Scenario, protocol: Protocol[Any]) -> list[float]:
    """Per party, the discount factor applied as ``d ** round`` (1 without discounting)."""
    if not protocol.discounting:
        return [1.0] * scenario.n_parties
    return [p.preferences.discount or 1.0 for p in scenario.parties]


def session_log(
    scenario: Scenario, protocol: Protocol[Any], events: Sequence[Event]
) -> list[dict[str, Any]]:
    """The JSON-able log of ``events``, with every party's (discounted) utilities, as a
    list (:class:`~tratado.session.log_view.LogView` builds it lazily)."""
    return list(LogView(scenario, protocol, events, discounts(scenario, protocol)))


def utilities_of(scenario: Scenario, outcome: tuple[int, ...]) -> list[float]:
    """Every party's utility of one outcome: one vectorised evaluation, remembered per
    scenario (never read from a negotiator's tables, which a negotiator could change)."""
    known = _AGREED.get(scenario)
    if known is None:
        known = _AGREED[scenario] = {}
    values = known.get(outcome)
    if values is None:
        row = np.array([outcome], dtype=np.int64)
        values = [float(u) for u in scenario.utilities(row)[0]]
        if len(known) >= 4096:
            known.clear()
        known[tuple(int(i) for i in outcome)] = values
    return list(values)


_AGREED: WeakKeyDictionary[Scenario, dict[tuple[int, ...], list[float]]] = WeakKeyDictionary()


def render_details(scenario: Scenario, details: dict[str, Any]) -> dict[str, Any]:
    """A protocol's details with each package as ``{"outcome": {issue: option},
    "utilities": {party: u}}``."""
    rendered: dict[str, Any] = {}
    for key, value in details.items():
        if isinstance(value, tuple):
            values = utilities_of(scenario, value)
            rendered[key] = {"outcome": scenario.agenda.describe(value),
                             "utilities": dict(zip(scenario.party_ids, values, strict=True))}
        else:
            rendered[key] = value
    return rendered


def build_result(
    scenario: Scenario,
    protocol: Protocol[Any],
    state: Any,
    events: Sequence[Event],
    negotiators: dict[str, dict[str, Any]],
    seed: int,
    failures: list[dict[str, str]],
    elapsed: float,
) -> SessionResult:
    """The :class:`SessionResult` of a finished state."""
    ended = protocol.result(state)
    reason = ended.reason or "deadline"
    if failures and events and events[-1].note.startswith(FAILURE) and reason != "agreement":
        reason = "error"
    agreement, outcome, utilities = outcome_values(scenario, protocol, ended.agreement,
                                                   ended.round)
    _, gains, welfare = gains_and_welfare(scenario, utilities, protocol, ended.round)
    return SessionResult(
        scenario, protocol, negotiators, seed, events, agreement, outcome, reason,
        ended.round, ended.turns, ended.ended_by, utilities, gains, welfare, failures, elapsed,
        details=render_details(scenario, protocol.details(state)),
    )


def outcome_values(
    scenario: Scenario, protocol: Protocol[Any], outcome: tuple[int, ...] | None, round_: int
) -> tuple[dict[str, Any] | None, tuple[int, ...] | None, dict[str, float]]:
    """The agreement as ``{issue: option}``, the outcome, and each party's (discounted)
    utility of it — the (discounted) reservation value when there is no agreement.

    With discounting, time costs both sides of the choice, as in GENIUS: an agreement in
    round ``r`` is worth ``u * d**r`` and no agreement by then ``reservation * d**r``."""
    factors = [d**round_ for d in discounts(scenario, protocol)]
    if outcome is not None:
        raw = utilities_of(scenario, outcome)
        values = [u * f for u, f in zip(raw, factors, strict=True)]
        agreement: dict[str, Any] | None = scenario.agenda.describe(outcome)
    else:
        values = [p.preferences.reservation_value * f for p, f in zip(scenario.parties, factors,
                                                                       strict=True)]
        agreement = None
    return agreement, outcome, dict(zip(scenario.party_ids, values, strict=True))


def gains_and_welfare(
    scenario: Scenario, utilities: dict[str, float], protocol: Protocol[Any] | None = None,
    round_: int = 0,
) -> tuple[dict[str, float], dict[str, float], float]:
    """The utilities, each party's gain over its reservation value (discounted to
    ``round_`` like the utilities when ``protocol`` discounts), and their sum."""
    factors = [1.0] * scenario.n_parties if protocol is None else discounts(scenario, protocol)
    gains = {p.id: utilities[p.id] - p.preferences.reservation_value * d**round_
             for p, d in zip(scenario.parties, factors, strict=True)}
    return utilities, gains, float(sum(utilities.values()))
