"""Negotiator specs in a tournament: ``boulware``, ``boulware:e=0.2``, ``module:Class``,
``module:Class:k=1`` — the specs of :mod:`tratado.negotiators.registry`.

A spec is text, so it travels to worker processes and into result rows as it is. Each
spec is checked once, in the main process, before any session runs (:func:`check_spec`):
the class must exist, every parameter must be one its constructor takes, of a type it
takes, and the constructor must accept them. With ``isolate``, a plug-in is checked in
a process of its own (:func:`tratado.negotiators.isolated.isolated`) and never imported
here. :func:`canonical_spec` writes a spec back with its parameters sorted, which is the
name a negotiator has in the results (``conceder:e=3``); the row's ``params_k`` holds
every parameter the negotiator was built with, defaults included
(:attr:`Negotiator.params`).
"""

from __future__ import annotations

import json
import os
import sys
from functools import lru_cache
from typing import Any

from tratado.errors import TratadoError
from tratado.limits import excerpt
from tratado.negotiators.base import Negotiator
from tratado.negotiators.plugins import create, is_plugin
from tratado.negotiators.registry import make
from tratado.negotiators.registry import parse_spec as _parse


def parse_spec(spec: str) -> tuple[str, dict[str, str]]:
    """``"boulware:e=0.2"`` -> ``("boulware", {"e": "0.2"})`` (values as text);
    ``ValueError`` (:class:`~tratado.negotiators.registry.SpecError`) when malformed."""
    return _parse(spec)


def canonical_spec(name: str, params: dict[str, str]) -> str:
    """The spec of ``name`` with ``params``, parameters sorted: ``boulware:e=0.2``."""
    return ":".join([name] + [f"{k}={v}" for k, v in sorted(params.items())])


def params_json(params: dict[str, Any]) -> str:
    """Parameters as canonical JSON (sorted keys), the form result rows keep."""
    return json.dumps(params, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=repr)


def plugin(spec: str) -> bool:
    """Whether the spec names code from outside tratado (``module:Class``, or a name
    another package registered)."""
    try:
        name, _ = parse_spec(spec)
    except ValueError:
        return False
    return is_plugin(name)


def plugins_from_cwd(specs: list[str]) -> None:
    """Let ``module:Class`` specs be found from the current folder (as ``simulate`` does)."""
    if any(plugin(s) for s in specs) and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())


def check_spec(spec: str, *, isolate: bool = False, field: str = "negotiators",
               file: str | None = None) -> tuple[str, str]:
    """``(canonical spec, its parameters as JSON)`` after checking that ``spec`` builds a
    negotiator (in a process of its own for a plug-in with ``isolate``); a
    :class:`TratadoError` naming the spec, the field and the fix otherwise."""
    try:
        name, given = parse_spec(spec)
        if isolate and is_plugin(name):
            from tratado.negotiators.isolated import isolated

            negotiator: Negotiator = isolated(spec)
            try:
                params = negotiator.params
            finally:
                getattr(negotiator, "close", lambda: None)()
        else:
            params = create(spec).params
    except Exception as error:  # a user's class may fail to build in any way
        reason = (error.message if isinstance(error, TratadoError) else str(error)).rstrip(".")
        raise TratadoError(f"the negotiator '{excerpt(spec)}' cannot be used: {reason}.",
                           file=file, field=field,
                           fix="`tratado negotiators` lists the negotiators and their"
                           " parameters; parameters are written name:key=value"
                           " (boulware:e=0.2).") from None
    return canonical_spec(name, given), params_json(params)


def build(spec: str, isolate: bool = False, budget: float | None = None) -> Negotiator:
    """A new negotiator from a (checked) spec; a plug-in in a process of its own with
    ``isolate`` (``budget``: seconds one of its moves may take)."""
    if isolate and _is_plugin(spec):
        from tratado.negotiators.isolated import isolated

        return isolated(spec, budget)
    return make(spec)


@lru_cache(maxsize=1024)
def _is_plugin(spec: str) -> bool:
    return plugin(spec)
