"""Shared helpers for the tamper tests (records, bundles): where a value can be changed."""

from __future__ import annotations

from typing import Any


def paths_in(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path into a JSON value (the first three items of each list), for a test
    to pick one and change what is there."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += paths_in(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value[:3]):
            found += paths_in(inner, (*prefix, index))
    return found
