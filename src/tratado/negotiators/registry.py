"""Finding negotiators: by discovery, never by a hand-kept list.

:func:`registered` collects every :class:`~tratado.negotiators.base.Negotiator`
subclass that declares a ``name`` in the modules of :mod:`tratado.negotiators` and
every class published under the ``tratado.negotiators`` entry point group (so a
package can add negotiators by declaring, in its ``pyproject.toml``::

    [project.entry-points."tratado.negotiators"]
    mine = "my_package.strategies:Mine"

). :func:`negotiator_class` accepts a registered name or ``module:Class``;
:func:`find` filters by metadata (``find(stochastic=False, time_based=True)``).

Parameters: wherever a negotiator is named, a *spec* may set the arguments of its
class's ``__init__`` after the name, each as ``:key=value`` —
``boulware:e=0.3``, ``frequency:e=0.5:candidates=32``,
``my_package.strategies:Mine:patience=4``. Values are read as numbers,
``true``/``false``, ``none``, or else text, and checked against the annotation of the
parameter (:func:`parse_spec`, :func:`make`); an unknown parameter or a value of the
wrong type is a :class:`SpecError` that names the parameter and lists the accepted
ones (:func:`parameters`).

Plug-ins: a ``module:Class`` spec imports ``module``, which runs its code. Callers that
handle untrusted names (replay of a record someone sent) pass
``allow_plugins=False``: only registered names (built-ins and installed entry points)
are then resolved, and a ``module:Class`` is refused before anything is imported.
Mediators are found the same way (:func:`mediator_class`; entry point group
``tratado.mediators``).
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import pkgutil
import types
import typing
from collections.abc import Iterable
from functools import cache
from importlib.metadata import entry_points
from typing import Any

from tratado.negotiators.base import Mediator, Negotiator, Participant
from tratado.plugins import load_plugin

ENTRY_POINT_GROUP = "tratado.negotiators"
MEDIATOR_GROUP = "tratado.mediators"
METADATA = ("name", "stochastic", "uses_opponent_model", "time_based", "protocols")


class SpecError(ValueError):
    """A negotiator or mediator spec that cannot be used (unknown name, parameter or
    value); the message says which and what is accepted."""


class PluginRefused(SpecError):
    """A ``module:Class`` spec met with ``allow_plugins=False``: nothing was imported."""


def _declared(cls: object, module: str | None = None,
              base: type[Participant] = Negotiator) -> bool:
    return (
        isinstance(cls, type)
        and issubclass(cls, base)
        and bool(cls.__dict__.get("name"))
        and not inspect.isabstract(cls)
        and (module is None or cls.__module__ == module)
    )


def _discover(base: type[Participant], group: str) -> dict[str, type[Any]]:
    import tratado.negotiators as package

    found: dict[str, type[Any]] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for _, cls in inspect.getmembers(module):
            if _declared(cls, module.__name__, base):
                found[cls.name] = cls
    for ep in entry_points(group=group):
        try:
            cls = ep.load()
        except Exception:  # noqa: BLE001, S112 - a broken plug-in package is skipped
            continue
        if _declared(cls, None, base):
            found.setdefault(cls.name, cls)
    return dict(sorted(found.items()))


@cache
def registered() -> dict[str, type[Negotiator]]:
    """Every discoverable negotiator class, by name (sorted by name)."""
    return _discover(Negotiator, ENTRY_POINT_GROUP)


@cache
def registered_mediators() -> dict[str, type[Mediator]]:
    """Every discoverable mediator class, by name (built-ins and the
    ``tratado.mediators`` entry point group)."""
    return _discover(Mediator, MEDIATOR_GROUP)


def parse_spec(spec: str) -> tuple[str, dict[str, str]]:
    """``"boulware:e=0.3"`` -> ``("boulware", {"e": "0.3"})``; ``"pkg.mod:Cls:k=1"`` ->
    ``("pkg.mod:Cls", {"k": "1"})``. The values stay text (:func:`make` converts them)."""
    name_parts: list[str] = []
    params: dict[str, str] = {}
    for part in spec.strip().split(":"):
        key, sep, value = part.partition("=")
        if not sep:
            if params:
                raise SpecError(f"'{spec}': '{part}' follows the parameters; write the name"
                                " first, then :key=value for each parameter")
            name_parts.append(part.strip())
            continue
        key = key.strip()
        if not key.isidentifier():
            raise SpecError(f"'{spec}': '{key}' is not a parameter name")
        if key in params:
            raise SpecError(f"'{spec}' sets '{key}' twice")
        params[key] = value.strip()
    name = ":".join(name_parts)
    if not name or any(not p for p in name_parts) or len(name_parts) > 2:
        raise SpecError(f"'{spec}' is not NAME, NAME:key=value or module:Class")
    return name, params


def _load_plugin(spec: str, base: type[Participant], what: str,
                 allow_plugins: bool) -> type[Any]:
    if not allow_plugins:
        raise PluginRefused(
            f"'{spec}' names a plug-in {what} (module:Class), and plug-ins are not allowed"
            " here: loading one runs its code")
    return load_plugin(spec, base, what, SpecError)


def negotiator_class(spec: str, *, allow_plugins: bool = True) -> type[Negotiator]:
    """The class for a registered name (``boulware``) or ``module:Class`` (refused
    without importing anything when ``allow_plugins`` is false)."""
    if ":" in spec:
        cls: type[Negotiator] = _load_plugin(spec, Negotiator, "negotiator", allow_plugins)
        return cls
    classes = registered()
    if spec not in classes:
        raise SpecError(
            f"there is no negotiator named '{spec}'{_did_you_mean(spec, classes)}; known:"
            f" {', '.join(classes)}, or give one as module:Class"
        )
    return classes[spec]


def mediator_class(spec: str, *, allow_plugins: bool = True) -> type[Mediator]:
    """The mediator class for a registered name (``neutral``) or ``module:Class``."""
    if ":" in spec:
        cls: type[Mediator] = _load_plugin(spec, Mediator, "mediator", allow_plugins)
        return cls
    classes = registered_mediators()
    if spec not in classes:
        raise SpecError(f"there is no mediator named '{spec}'{_did_you_mean(spec, classes)};"
                        f" known: {', '.join(classes)}")
    return classes[spec]


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    """`` (did you mean 'conceder'?)`` for a near miss, else ``""``."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


def spec_name(participant: Participant) -> str:
    """The name that finds ``participant``'s class again: its registered name when the
    registry gives back this very class, else ``module:Class``; for a process-isolated
    negotiator, the name in the spec it runs."""
    spec = getattr(participant, "spec", None)
    if getattr(participant, "isolated", False) and isinstance(spec, str):
        return parse_spec(spec)[0]
    cls = type(participant)
    name = cls.__dict__.get("name")
    registry: dict[str, type[Any]] = (
        registered() if isinstance(participant, Negotiator) else registered_mediators())
    if name and registry.get(name) is cls:
        return str(name)
    return f"{cls.__module__}:{cls.__qualname__}"


def spec_of(participant: Participant) -> str | None:
    """The spec that builds ``participant`` again: ``"boulware:e=0.3"`` (its
    :func:`spec_name` and every parameter as ``:key=value``); ``None`` when a parameter
    cannot be written in a spec (an object, or text holding ``:``, ``,`` or ``=``, or
    text that would read as a number, flag or none)."""
    parts = [spec_name(participant)]
    for key, value in participant.params.items():
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif value is None:
            text = "none"
        elif isinstance(value, int | float):
            text = repr(value)
        elif isinstance(value, str) and value.strip() == value and value and not any(
                c in value for c in ":,=") and _convert(value, ()) == value:
            text = value
        else:
            return None
        parts.append(f"{key}={text}")
    return ":".join(parts)


def parameters(cls: type[Participant]) -> dict[str, inspect.Parameter]:
    """The parameters of ``cls.__init__`` a spec can set, by name (no ``self``, no
    ``*args`` / ``**kwargs``)."""
    from tratado.negotiators.base import _signature

    signature = _signature(cls)
    if signature is None:
        return {}
    plain = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return {name: p for name, p in list(signature.parameters.items())[1:] if p.kind in plain}


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type[Participant]) -> dict[str, Any]:
    """The annotations of ``cls.__init__``, resolved once per class ({} when they do not
    resolve)."""
    if cls not in _HINTS:
        from tratado.negotiators import acceptance

        try:
            _HINTS[cls] = typing.get_type_hints(inspect.getattr_static(cls, "__init__"),
                                                localns=vars(acceptance))
        except Exception:  # noqa: BLE001 - a plug-in's annotations may not resolve
            _HINTS[cls] = {}
    return _HINTS[cls]


_SCALARS = (bool, int, float, str, type(None))


def _accepted(hint: Any) -> tuple[type, ...] | None:
    """The scalar types a parameter annotated ``hint`` takes (None: no scalar at all;
    an empty tuple: not annotated, anything goes)."""
    if hint is None or hint is inspect.Parameter.empty or hint is Any:
        return ()
    if hint in _SCALARS:
        return (hint,)
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        found = [arg for arg in typing.get_args(hint) if arg in _SCALARS]
        return tuple(found) if any(t is not type(None) for t in found) else None
    return None


def _convert(text: str, accepted: tuple[type, ...]) -> Any:
    lowered = text.lower()
    if lowered in ("none", "null") and (not accepted or type(None) in accepted):
        return None
    if lowered in ("true", "false") and (not accepted or bool in accepted):
        return lowered == "true"
    if not accepted or int in accepted or float in accepted:
        try:
            number = int(text) if len(text) <= 64 else None
        except ValueError:
            number = None
        if number is not None and (not accepted or int in accepted):
            return number
        try:
            real = float(text) if len(text) <= 64 else None
        except ValueError:
            real = None
        if real is not None and (not accepted or float in accepted):
            return real
    if not accepted or str in accepted:
        return text
    raise TypeError


def _type_names(accepted: tuple[type, ...]) -> str:
    words = {bool: "true or false", int: "a whole number", float: "a number", str: "text",
             type(None): "none"}
    return " or ".join(words[t] for t in accepted)


def convert_params(cls: type[Participant], spec: str,
                   params: dict[str, Any]) -> dict[str, Any]:
    """``params`` checked against ``cls.__init__``: text values converted (numbers,
    flags, none, text), other values type-checked. An unknown parameter, or a value of
    a type the parameter does not take, is a :class:`SpecError` naming both and the
    accepted parameters."""
    known = parameters(cls)
    hints = _hints(cls)
    out: dict[str, Any] = {}
    for key, value in params.items():
        if key not in known:
            accepted_names = ", ".join(f"{k}={v!r}" for k, v in settable(cls).items()) or "none"
            raise SpecError(f"'{spec}': {cls.__name__} has no parameter '{key}'"
                            f" (its parameters: {accepted_names})")
        accepted = _accepted(hints.get(key))
        if accepted is None:
            raise SpecError(f"'{spec}': parameter '{key}' of {cls.__name__} takes an object,"
                            " which a spec cannot give (set it from Python)")
        try:
            if isinstance(value, str):
                value = _convert(value, accepted)
            elif accepted and not isinstance(value, accepted) and not (
                    float in accepted and isinstance(value, int)):  # 4 for a float: 4.0
                raise TypeError
            if isinstance(value, bool) and accepted and bool not in accepted:
                raise TypeError
        except TypeError:
            raise SpecError(f"'{spec}': parameter '{key}' of {cls.__name__} takes"
                            f" {_type_names(accepted)}, not {value!r}") from None
        if isinstance(value, int) and not isinstance(value, bool) and float in accepted \
                and int not in accepted:
            value = float(value)
        out[key] = value
    return out


_CHECKED: dict[tuple[Any, ...], dict[str, Any]] = {}


def _checked_params(cls: type[Any], spec: str, params: dict[str, Any]) -> dict[str, Any]:
    """:func:`convert_params`, kept per class, spec and (plain) parameters: a tournament
    builds the same negotiators again and again. Refusals are not kept."""
    try:
        key = (cls, spec, tuple((k, type(v), v) for k, v in params.items()))  # 1 is not True
        hit = _CHECKED.get(key)
    except TypeError:  # a value that cannot be a key: check it afresh
        return convert_params(cls, spec, params)
    if hit is None:
        hit = convert_params(cls, spec, params)
        if len(_CHECKED) >= 4096:
            _CHECKED.clear()
        _CHECKED[key] = hit
    return dict(hit)


def build(cls: type[Any], spec: str, params: dict[str, Any],
          objects: dict[str, Any] | None = None) -> Any:
    """``cls(**params, **objects)``: ``params`` (text or JSON values) checked by
    :func:`convert_params`, ``objects`` (Python objects, e.g. an acceptance rule) passed
    as they are. A value the class itself refuses is a :class:`SpecError` saying so."""
    checked = _checked_params(cls, spec, params)
    try:
        return cls(**checked, **(objects or {}))
    except (TypeError, ValueError) as error:
        raise SpecError(f"'{spec}': {error}") from None


def make(spec: str, *, allow_plugins: bool = True, **params: Any) -> Negotiator:
    """A new negotiator from a spec (a name or ``module:Class``, optionally with
    ``:key=value`` parameters) and keyword parameters (which win over the spec's)."""
    name, given = parse_spec(spec)
    cls = negotiator_class(name, allow_plugins=allow_plugins)
    negotiator: Negotiator = build(cls, spec, _plain({**given, **params}), _objects(params))
    return negotiator


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if isinstance(v, _SCALARS)}


def _objects(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if not isinstance(v, _SCALARS)}


def make_mediator(spec: str, *, allow_plugins: bool = True, **params: Any) -> Mediator:
    """A new mediator from a spec, like :func:`make`."""
    name, given = parse_spec(spec)
    cls = mediator_class(name, allow_plugins=allow_plugins)
    mediator: Mediator = build(cls, spec, _plain({**given, **params}), _objects(params))
    return mediator


def find(**metadata: Any) -> list[type[Negotiator]]:
    """Registered classes whose metadata match, e.g. ``find(stochastic=False)``."""
    unknown = set(metadata) - set(METADATA)
    if unknown:
        raise ValueError(f"unknown metadata: {', '.join(sorted(unknown))}")
    return [
        cls for cls in registered().values()
        if all(getattr(cls, key) == value for key, value in metadata.items())
    ]


def describe(cls: type[Negotiator]) -> dict[str, Any]:
    """A negotiator class's metadata as a dict (for listings)."""
    info = {key: getattr(cls, key) for key in METADATA}
    info["description"] = cls.description or (cls.__doc__ or "").strip().split("\n")[0]
    info["class"] = f"{cls.__module__}:{cls.__qualname__}"
    info["params"] = settable(cls)
    info["large_spaces"] = cls.large_spaces or (
        "refused: it lists every package" if cls.lists_outcomes else "")
    return info


def settable(cls: type[Participant]) -> dict[str, Any]:
    """The parameters a spec can set on ``cls``, with their defaults (``None`` where the
    class resolves the default itself; a required parameter shows ``None`` too). A
    ``None`` default that a class attribute ``default_<name>`` stands for shows that
    value (``e`` of ``boulware``: 0.2)."""
    hints = _hints(cls)
    out: dict[str, Any] = {}
    for key, p in parameters(cls).items():
        if _accepted(hints.get(key)) is None:
            continue
        default = None if p.default is inspect.Parameter.empty else p.default
        if default is None:
            fallback = getattr(cls, f"default_{key}", None)
            default = fallback if isinstance(fallback, _SCALARS) else None
        out[key] = default
    return out
