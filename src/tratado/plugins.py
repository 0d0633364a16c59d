"""Loading a plug-in class named ``module:Class`` (a negotiator, a mediator, a protocol).

Loading imports ``module``, which runs its code: callers decide first whether plug-ins are
allowed here (a record from someone else never loads one; see docs/security.md).
"""

from __future__ import annotations

import importlib
from typing import Any


def load_plugin(spec: str, base: type[Any], what: str,
                error: type[ValueError] = ValueError) -> type[Any]:
    """The class ``spec`` (``module:Class``) names, a subclass of ``base``; ``error``
    (naming ``what`` it was meant to be) when the module fails to import in any way, or
    the name is not such a class."""
    module_name, _, attr = spec.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), attr)
    except Exception as failure:  # noqa: BLE001 - a user's module may fail in any way
        raise error(f"cannot load {what} '{spec}': {type(failure).__name__}: {failure}") from None
    if not (isinstance(cls, type) and issubclass(cls, base)):
        raise error(f"'{spec}' is not a {base.__name__} class")
    return cls

