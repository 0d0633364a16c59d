"""Replay: re-run a session record's events through its protocol and check that they
reproduce the record — the log, the agreement and the result. Item-by-item records
are replayed item by item, each on the sub-scenario its agreed items define."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from tratado.protocols import EventRefused, event_from_entry, protocol_class
from tratado.scenario import Scenario
from tratado.session.result import FAILURE, build_result


def check_replay(scenario: Scenario, record: Mapping[str, Any] | str | bytes) -> str | None:
    """Re-run the events of a session record (a ``to_dict()`` mapping or its JSON)
    through its protocol: ``None`` if it reproduces the log and the result, else
    what differs first. A record is untrusted input: one that is malformed anywhere
    (a missing field, a wrong type) does not reproduce, and the answer says why."""
    try:
        if isinstance(record, str | bytes):
            record = json.loads(record)
        if not isinstance(record, Mapping):
            return "the record is not a JSON object"
        return _check(scenario, record)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, ArithmeticError) as error:
        return f"the record is malformed ({type(error).__name__}: {error})"


def _check(scenario: Scenario, record: Mapping[str, Any]) -> str | None:
    options = dict(record["protocol"])
    if options.get("agreement") == "item-by-item":
        from tratado.session.items import check_item_replay

        return check_item_replay(scenario, record)
    cls = protocol_class(options.pop("name"))
    try:
        protocol = cls.from_params(scenario.party_ids, scenario.agenda.shape, options)
    except (TypeError, ValueError) as error:
        return f"the record's protocol cannot be rebuilt: {error}"
    events = []
    state = protocol.initial_state()
    for k, entry in enumerate(record["log"]):
        try:
            event = event_from_entry(entry, scenario.agenda)
            state = protocol.step(state, event)
        except (EventRefused, ValueError, KeyError) as error:
            return f"event {k} ({entry.get('kind')}) does not replay: {error}"
        events.append(event)
    if not protocol.is_over(state):
        return "the logged events do not end the talks"
    failures = [
        {"party": e.party, "negotiator": record["negotiators"].get(e.party, e.party),
         "error": e.note[len(FAILURE):]}
        for e in events if e.note.startswith(FAILURE)
    ]
    again = build_result(scenario, protocol, state, tuple(events), dict(record["negotiators"]),
                         int(record["seed"]), failures, 0.0).to_dict(timing=False)
    return compare_records(again, record)


def compare_records(again: Mapping[str, Any], record: Mapping[str, Any]) -> str | None:
    """What differs first between a replayed record and the stored one (or ``None``)."""
    for key in ("agreement", "log"):
        if _canonical(again[key]) != _canonical(record[key]):
            return f"the replayed {key} differs from the record"
    for key in ("reason", "round", "turns", "utilities", "failures", "details"):
        if _canonical(again["result"].get(key)) != _canonical(record["result"].get(key)):
            return f"the replayed result's {key} differs from the record"
    return None


def replay(scenario: Scenario, record: Mapping[str, Any] | str | bytes) -> bool:
    """True when the record's events, re-run through its protocol, reproduce it."""
    return check_replay(scenario, record) is None


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
