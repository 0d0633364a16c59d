"""The first difference between two records, said precisely.

Replay compares records byte for byte in canonical form; when the bytes differ,
:func:`first_difference` names where, in the words a user reads a record in:
``event 12 (propose by opposition): outcome differs`` or
``result.welfare: 1.456 in the record, 1.501 when replayed``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tratado.limits import excerpt
from tratado.records.canonical import TOP_LEVEL_ORDER, canonical_value


def _show(value: Any) -> str:
    return excerpt(canonical_value(value))


def _entry_name(index: int, entry: Any) -> str:
    if isinstance(entry, Mapping):
        kind, party = entry.get("kind"), entry.get("party")
        who = f" by {party}" if party else ""
        return f"event {index} ({kind}{who})"
    return f"event {index}"


def first_difference(given: Mapping[str, Any], again: Mapping[str, Any]) -> str | None:
    """Where ``given`` (the record) and ``again`` (the replayed one) first differ, in
    canonical member order; ``None`` when they are equal."""
    keys = [k for k in TOP_LEVEL_ORDER if k in given or k in again]
    keys += sorted((set(given) | set(again)) - set(TOP_LEVEL_ORDER))
    for key in keys:
        if key not in again:
            return f"the record has '{key}', which the replayed session does not"
        if key not in given:
            return f"the record has no '{key}'"
        if key == "log":
            problem = _log_difference(given[key], again[key])
        else:
            problem = _value_difference(key, given[key], again[key])
        if problem is not None:
            return problem
    return None


def _log_difference(given: Any, again: list[Any]) -> str | None:
    if not isinstance(given, list):
        return "log: the record's log is not a list"
    for index, (mine, theirs) in enumerate(zip(given, again, strict=False)):
        if canonical_value(mine) == canonical_value(theirs):
            continue
        name = _entry_name(index, theirs)
        if not isinstance(mine, Mapping):
            return f"{name}: the record's entry is not an object"
        fields = sorted(set(mine) | set(theirs))
        for field in fields:
            if field not in theirs:
                return f"{name}: the record has '{field}', which the replayed event does not"
            if field not in mine:
                return f"{name}: '{field}' is missing from the record"
            if canonical_value(mine[field]) != canonical_value(theirs[field]):
                detail = _value_difference(field, mine[field], theirs[field])
                return f"{name}: {detail}"
    if len(given) > len(again):
        return (f"the record logs {len(given)} events, the replayed session {len(again)}:"
                f" {_entry_name(len(again), given[len(again)])} never happened")
    if len(given) < len(again):
        return (f"the record logs {len(given)} events, the replayed session {len(again)}:"
                f" {_entry_name(len(given), again[len(given)])} is missing from the record")
    return None


def _value_difference(path: str, given: Any, again: Any) -> str | None:
    if canonical_value(given) == canonical_value(again):
        return None
    if isinstance(given, Mapping) and isinstance(again, Mapping):
        for key in sorted(set(given) | set(again), key=str):
            if key not in again:
                return f"{path}.{key}: in the record, not in the replayed session"
            if key not in given:
                return f"{path}.{key}: missing from the record"
            inner = _value_difference(f"{path}.{key}", given[key], again[key])
            if inner is not None:
                return inner
    if isinstance(given, list) and isinstance(again, list) and len(given) == len(again):
        for index, (a, b) in enumerate(zip(given, again, strict=True)):
            inner = _value_difference(f"{path}[{index}]", a, b)
            if inner is not None:
                return inner
    return f"{path}: {_show(given)} in the record, {_show(again)} when replayed"
