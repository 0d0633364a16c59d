"""Building a session record from a :class:`~tratado.session.result.SessionResult`:
the analyst's record, and the public record cut from it.

See :mod:`tratado.records` for the two views and ``docs/record-format.md`` for every
field. Building never reads a file: where the scenario came from (``source``) is
passed in by whoever loaded it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from tratado.records.canonical import canonical_value

if TYPE_CHECKING:
    from tratado.negotiators.base import Participant
    from tratado.scenario import Scenario
    from tratado.session.result import SessionResult

RECORD_VERSION = 1
"""The record format version (``tratado_record``); bumped on any change to the fields
or the canonical form."""

ANALYST = "analyst"
PUBLIC = "public"

PROVENANCE = ("source", "timing")
"""Members that say where and how fast a record was made, not what happened: left out
of the reproduction check (a replay elsewhere or on another machine differs there)."""

_SCALARS = (bool, int, float, str, type(None))

INCLUDED = "effects-included"
TABLE_ALONE = "table-alone"
"""The values of a record's ``stakeholders`` member: the stakeholders' effects were
folded into the parties' preferences (:mod:`tratado.stakeholders`), or the table ran
alone. The member is written only for a scenario with effects; a record without it
ran the table alone (records made before the member existed did)."""


_FINGERPRINTS: WeakKeyDictionary[Any, tuple[str, str]] = WeakKeyDictionary()


def _fingerprints(scenario: Scenario) -> tuple[str, str]:
    """Both fingerprints, computed once per scenario object (scenarios are immutable)."""
    cached = _FINGERPRINTS.get(scenario)
    if cached is None:
        cached = _FINGERPRINTS[scenario] = (_model_fingerprint(scenario),
                                            _public_fingerprint(scenario))
    return cached


def fingerprint(scenario: Scenario) -> str:
    """sha256 (hex) of the scenario's model in canonical JSON: the agenda, every party's
    preferences and reservation value, roles and rules, as tratado's YAML writer states
    the model (:func:`tratado.formats.yaml_write.scenario_to_dict`) — so comments,
    layout, key order and number spelling in the file do not count, and any change to
    what the model says does. Computed once per scenario object."""
    return _fingerprints(scenario)[0]


def public_fingerprint(scenario: Scenario) -> str:
    """sha256 (hex) of the scenario's public part only: its name, agenda, rules and the
    parties' ids and names — no preferences. The public record carries this one: a
    hash of the whole model would let anyone test guesses of a party's confidential
    values against it."""
    return _fingerprints(scenario)[1]


def _model_fingerprint(scenario: Scenario) -> str:
    from tratado.formats.yaml_write import scenario_to_dict

    return _sha256(scenario_to_dict(scenario))


def public_scenario(scenario: Scenario) -> dict[str, Any]:
    """The scenario's public part, what :func:`public_fingerprint` hashes: its name,
    agenda (issues and options, as tratado's YAML writer states them), rules and the
    parties' ids and names — no preferences. A verifiable bundle carries it so that
    anyone can check the events against the rules without the confidential file."""
    from tratado.formats.yaml_write import scenario_to_dict

    model = scenario_to_dict(scenario)
    return {
        "name": model.get("name"), "agenda": model.get("agenda"), "rules": model.get("rules"),
        "parties": [{"id": p.id, "name": p.name, "short_name": p.short_name}
                    for p in scenario.parties],
    }


def public_part_sha256(public: Mapping[str, Any]) -> str:
    """sha256 (hex) of a scenario's public part (:func:`public_scenario`)."""
    return _sha256(public)


def _public_fingerprint(scenario: Scenario) -> str:
    return _sha256(public_scenario(scenario))


def _sha256(value: Any) -> str:
    return hashlib.sha256(canonical_value(value).encode("utf-8")).hexdigest()


def negotiator_entry(participant: Participant) -> dict[str, Any]:
    """``{"name": ..., "params": {...}}`` for a negotiator or mediator: the name that finds
    its class again (:func:`~tratado.negotiators.registry.spec_name`) and the arguments it
    was built with. Arguments that are not plain JSON values (an acceptance rule object)
    cannot be written down: they are listed under ``"unrecorded"``, and replay can then
    check the rules only."""
    from tratado.negotiators.registry import spec_name

    params: dict[str, Any] = {}
    unrecorded: list[str] = []
    for key, value in participant.params.items():
        if isinstance(value, _SCALARS) or (
                isinstance(value, list) and all(isinstance(v, _SCALARS) for v in value)):
            params[key] = value
        else:
            unrecorded.append(key)
    entry: dict[str, Any] = {"name": spec_name(participant), "params": params}
    if unrecorded:
        entry["unrecorded"] = sorted(unrecorded)
    return entry


def negotiator_label(entry: Any) -> str:
    """A short label for a record's negotiator entry: ``boulware(e=0.3)``; a plain name
    as it is (older records)."""
    if not isinstance(entry, Mapping):
        return str(entry)
    params = entry.get("params") or {}
    shown = ", ".join(f"{k}={v}" for k, v in params.items()) if isinstance(params, Mapping) else ""
    return f"{entry.get('name')}({shown})" if shown else str(entry.get("name"))


def result_member(result: SessionResult) -> dict[str, Any]:
    """The ``result`` member: how the talks ended and what each party got."""
    member: dict[str, Any] = {
        "reason": result.reason,
        "round": result.round,
        "turns": result.turns,
        "ended_by": result.ended_by,
        "utilities": dict(result.utilities),
        "gains": dict(result.gains),
        "welfare": result.welfare,
        "failures": [dict(f) for f in result.failures],
        "distance_to_pareto": result.distance_to_pareto,
        "distance_to_nash": result.distance_to_nash,
        **result.metrics,
    }
    if result.details:
        member["details"] = dict(result.details)
    return member


def item_summary(item: SessionResult) -> dict[str, Any]:
    """One item's part of an item-by-item record (its events live in the main log)."""
    return {
        "issue": item.scenario.agenda.names[0],
        "protocol": {"name": item.protocol.name, **item.protocol.params()},
        "seed": item.seed,
        "agreement": item.agreement,
        "result": result_member(item),
    }


def build_record(
    result: SessionResult,
    *,
    base: Scenario | None = None,
    what_if: Mapping[str, Any] | None = None,
    source: Mapping[str, Any] | None = None,
    timing: bool = False,
    lazy_log: bool = False,
    stakeholders: bool | None = None,
) -> dict[str, Any]:
    """The analyst's record of ``result`` (a dict in canonical member order).

    ``base``: the scenario as loaded, before any what-if (default: the one the session
    ran on); its :func:`fingerprint` is recorded. ``what_if``: the changes applied to it
    (``{"reservation_values": {party: value}}``), which replay applies again.
    ``source``: where the scenario can be found again (:mod:`tratado.records.source`).
    ``timing``: add the wall-clock seconds (provenance, not compared by replay).
    ``lazy_log``: ``log`` is an iterator of entries (for :func:`write_record`) instead of
    a list. ``stakeholders``: whether the session ran with the stakeholders' effects of
    ``base`` folded in (``True``) or on the table alone (``False``); recorded as
    ``"stakeholders"`` (:data:`INCLUDED` or :data:`TABLE_ALONE`) when ``base`` has
    effects, and not at all when it has none or ``stakeholders`` is ``None``."""
    scenario = result.scenario
    model = base if base is not None else scenario
    record: dict[str, Any] = {
        "tratado_record": RECORD_VERSION,
        "view": ANALYST,
        "scenario": {"name": model.name, "sha256": fingerprint(model),
                     "public_sha256": public_fingerprint(model)},
    }
    if what_if:
        record["what_if"] = {key: dict(value) if isinstance(value, Mapping) else value
                             for key, value in what_if.items()}
    if stakeholders is not None:
        from tratado.stakeholders import has_effects

        if has_effects(model):
            record["stakeholders"] = INCLUDED if stakeholders else TABLE_ALONE
    record.update({
        "protocol": {"name": _protocol_name(result), **result.protocol.params()},
        "move_budget": result.move_budget,
        "parties": list(scenario.party_ids),
        "negotiators": {party: dict(entry) for party, entry in result.negotiators.items()},
        "seed": result.seed,
        "log": result.log if lazy_log else list(result.log),
        "agreement": result.agreement,
        "result": result_member(result),
    })
    if result.items is not None:
        record["items"] = [item_summary(item) for item in result.items]
    if source:
        record["source"] = dict(source)
    if timing:
        record["timing"] = {"elapsed_seconds": result.elapsed}
    return record


def _protocol_name(result: SessionResult) -> str:
    from tratado.protocols import protocol_registry

    cls = type(result.protocol)
    if protocol_registry().get(cls.name) is cls:
        return cls.name
    return f"{cls.__module__}:{cls.__qualname__}"


_PUBLIC_ENTRY = ("turn", "round", "time", "kind", "party", "outcome", "prefers", "note", "item")
_PUBLIC_RESULT = ("reason", "round", "turns", "ended_by")


def _public_note(note: Any) -> Any:
    from tratado.session.result import FAILURE

    if isinstance(note, str) and note.startswith(FAILURE):
        return "failure"
    return note


def public_entries(entries: Any) -> Iterator[dict[str, Any]]:
    """The log entries without anyone's utilities (and failure notes cut to ``failure``:
    a crash message may quote what the failing negotiator knew)."""
    for entry in entries:
        kept = {key: entry[key] for key in _PUBLIC_ENTRY if key in entry}
        if "note" in kept:
            kept["note"] = _public_note(kept["note"])
        yield kept


def _public_result(member: Mapping[str, Any]) -> dict[str, Any]:
    kept = {key: member.get(key) for key in _PUBLIC_RESULT}
    kept["failures"] = [{"party": f.get("party")} for f in member.get("failures") or []
                        if isinstance(f, Mapping)]
    details = member.get("details")
    if isinstance(details, Mapping):
        kept["details"] = {
            key: ({"outcome": value.get("outcome")} if isinstance(value, Mapping) else value)
            for key, value in details.items()}
    return kept


def public_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """The public record cut from an analyst's record: what happened — the protocol and
    its parameters, the parties, who proposed or answered what and when, the agreement,
    how the talks ended — and nothing confidential: no utilities, gains, welfare or
    distances, no what-if reservation values, no negotiators or seed (a party's
    strategy is its own), no scenario fingerprint of the preferences (only of the public
    part), no file paths, and failure messages cut to ``failure``."""
    scenario = record.get("scenario") or {}
    out: dict[str, Any] = {
        "tratado_record": record.get("tratado_record", RECORD_VERSION),
        "view": PUBLIC,
        "scenario": {"name": scenario.get("name"), "public_sha256": scenario.get("public_sha256")},
        "protocol": dict(record["protocol"]),
        "parties": list(record["parties"]),
        "log": public_entries(record["log"]) if not isinstance(record["log"], list)
        else list(public_entries(record["log"])),
        "agreement": record.get("agreement"),
        "result": _public_result(record.get("result") or {}),
    }
    if record.get("items") is not None:
        out["items"] = [
            {"issue": i.get("issue"), "protocol": i.get("protocol"), "agreement": i.get("agreement"),
             "result": _public_result(i.get("result") or {})}
            for i in record["items"]]
    return out
