"""Negotiator specs in a tournament: ``boulware``, ``boulware:e=0.2``, ``module:Class``,
``module:Class:k=1``.

A spec is text, so it travels to worker processes and into result rows as it is. Each
spec is checked once, in the main process, before any session runs
(:func:`check_spec`): the class must exist and every parameter must be one its
constructor takes, of a type it takes. Values are read as YAML scalars would be
(``0.2`` a number, ``true`` a flag, ``none`` nothing, anything else text).
:func:`canonical_spec` writes a spec back with its parameters sorted and typed, which
is the name a negotiator gets in the results (``boulware:e=0.2``).
"""

from __future__ import annotations

import inspect
import json
import os
import sys
from functools import lru_cache
from typing import Any

from tratado.errors import TratadoError
from tratado.limits import excerpt
from tratado.negotiators.base import Negotiator
from tratado.negotiators.registry import negotiator_class


def parse_spec(spec: str) -> tuple[str, dict[str, Any]]:
    """``"boulware:e=0.2"`` -> ``("boulware", {"e": 0.2})``; ``"pkg.mod:Cls:k=1"`` ->
    ``("pkg.mod:Cls", {"k": 1})``. Raises ``ValueError`` for a malformed spec."""
    name, params = _parsed(spec)
    return name, dict(params)


@lru_cache(maxsize=1024)
def _parsed(spec: str) -> tuple[str, tuple[tuple[str, Any], ...]]:
    names: list[str] = []
    params: dict[str, Any] = {}
    for part in spec.strip().split(":"):
        key, sep, value = part.partition("=")
        if not sep:
            if params:
                raise ValueError(f"'{part}' follows the parameters; write the name first,"
                                 " then :key=value for each parameter")
            names.append(part.strip())
            continue
        key = key.strip()
        if not key.isidentifier():
            raise ValueError(f"'{key}' is not a parameter name")
        if key in params:
            raise ValueError(f"it sets '{key}' twice")
        params[key] = _scalar(value.strip())
    if not names or any(not n for n in names) or len(names) > 2:
        raise ValueError("it is not NAME, NAME:key=value or module:Class")
    return ":".join(names), tuple(params.items())


def _scalar(text: str) -> Any:
    lowered = text.lower()
    if lowered in ("none", "null"):
        return None
    if lowered in ("true", "false"):
        return lowered == "true"
    if len(text) <= 64:
        for kind in (int, float):
            try:
                return kind(text)
            except ValueError:
                pass
    return text


def canonical_spec(name: str, params: dict[str, Any]) -> str:
    """The spec of ``name`` with ``params``, parameters sorted: ``boulware:e=0.2``."""
    parts = [name] + [f"{k}={_text(v)}" for k, v in sorted(params.items())]
    return ":".join(parts)


def _text(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def params_json(params: dict[str, Any]) -> str:
    """Parameters as canonical JSON (sorted keys), the form result rows keep."""
    return json.dumps(params, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=1024)
def spec_params_json(spec: str) -> str:
    """The parameters of a (checked) spec as canonical JSON."""
    return params_json(parse_spec(spec)[1])


def _check_params(cls: type[Negotiator], params: dict[str, Any]) -> None:
    try:
        signature = inspect.signature(cls.__init__)
    except (TypeError, ValueError):
        return
    accepted = {name: p for name, p in list(signature.parameters.items())[1:]
                if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    open_ended = any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values())
    for key in params:
        if key not in accepted and not open_ended:
            names = ", ".join(accepted) or "none"
            raise ValueError(f"{cls.__name__} has no parameter '{key}' (its parameters: {names})")


def plugins_from_cwd(specs: list[str]) -> None:
    """Let ``module:Class`` specs be found from the current folder (as ``simulate`` does)."""
    if any(":" in parse_spec(s)[0] for s in specs) and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())


def check_spec(spec: str, *, field: str = "negotiators", file: str | None = None) -> str:
    """The canonical form of ``spec`` after checking that it builds a negotiator;
    a :class:`TratadoError` naming the spec, the field and the fix otherwise."""
    try:
        name, params = parse_spec(spec)
        cls = negotiator_class(name)
        _check_params(cls, params)
        cls(**params)
    except Exception as error:  # a user's class may fail to build in any way
        reason = str(error).rstrip(".")
        raise TratadoError(f"the negotiator '{excerpt(spec)}' cannot be used: {reason}.",
                           file=file, field=field,
                           fix="`tratado negotiators` lists the built-in ones; parameters are"
                           " written name:key=value (boulware:e=0.2).") from None
    return canonical_spec(name, params)


def build(spec: str) -> Negotiator:
    """A new negotiator from a (checked) spec."""
    name, params = _parsed(spec)
    negotiator: Negotiator = _class(name)(**dict(params))
    return negotiator


@lru_cache(maxsize=1024)
def _class(name: str) -> type[Negotiator]:
    return negotiator_class(name)
