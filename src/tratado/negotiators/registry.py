"""Finding negotiators: by discovery, never by a hand-kept list.

:func:`registered` collects every :class:`~tratado.negotiators.base.Negotiator`
subclass that declares a ``name`` in the modules of :mod:`tratado.negotiators` and
every class published under the ``tratado.negotiators`` entry point group (so a
package can add negotiators by declaring, in its ``pyproject.toml``::

    [project.entry-points."tratado.negotiators"]
    mine = "my_package.strategies:Mine"

). :func:`negotiator_class` accepts a registered name or ``module:Class``;
:func:`find` filters by metadata (``find(stochastic=False, time_based=True)``).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from functools import cache
from importlib.metadata import entry_points
from typing import Any

from tratado.negotiators.base import Negotiator

ENTRY_POINT_GROUP = "tratado.negotiators"
METADATA = ("name", "stochastic", "uses_opponent_model", "time_based", "protocols")


def _declared(cls: object, module: str | None = None) -> bool:
    return (
        isinstance(cls, type)
        and issubclass(cls, Negotiator)
        and bool(cls.__dict__.get("name"))
        and not inspect.isabstract(cls)
        and (module is None or cls.__module__ == module)
    )


@cache
def registered() -> dict[str, type[Negotiator]]:
    """Every discoverable negotiator class, by name (sorted by name)."""
    import tratado.negotiators as package

    found: dict[str, type[Negotiator]] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for _, cls in inspect.getmembers(module):
            if _declared(cls, module.__name__):
                found[cls.name] = cls
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        cls = ep.load()
        if _declared(cls):
            found.setdefault(cls.name, cls)
    return dict(sorted(found.items()))


def negotiator_class(spec: str) -> type[Negotiator]:
    """The class for a registered name (``boulware``) or ``module:Class``."""
    if ":" in spec:
        module_name, _, attr = spec.partition(":")
        try:
            cls = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError) as error:
            raise ValueError(f"cannot load negotiator '{spec}': {error}") from None
        if not (isinstance(cls, type) and issubclass(cls, Negotiator)):
            raise ValueError(f"'{spec}' is not a Negotiator class")
        return cls
    classes = registered()
    if spec not in classes:
        raise ValueError(
            f"there is no negotiator named '{spec}'; known: {', '.join(classes)},"
            " or give one as module:Class"
        )
    return classes[spec]


def make(spec: str, **params: Any) -> Negotiator:
    """A new negotiator from a name or ``module:Class``, with its parameters."""
    return negotiator_class(spec)(**params)


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
    return info
