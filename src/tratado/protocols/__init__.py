"""Protocols: the rules of each way to negotiate, as pure state machines.

See :mod:`tratado.protocols.base` for the API every protocol follows and
:mod:`tratado.protocols.events` for the events. Built-in: ``alternating``
(:class:`AlternatingOffers`), ``single-text`` (:class:`SingleText`, the mediator's
single negotiating text) and ``mediated`` (:class:`Mediated`, confidential-preference
mediation with post-settlement). Find a protocol class by name with
:func:`protocol_class` (built-ins, then the ``tratado.protocols`` entry point group,
then ``module:Class``).
"""

from __future__ import annotations

import difflib
from importlib.metadata import entry_points
from typing import Any

from tratado.plugins import load_plugin
from tratado.protocols.alternating import AlternatingOffers, AlternatingState
from tratado.protocols.base import (
    AGREEMENT_MODES,
    REASONS,
    DeadlineRefused,
    EndsByReason,
    Protocol,
    ProtocolResult,
    checked_deadline,
    protocol_registry,
)
from tratado.protocols.events import (
    EVENT_KINDS,
    Accept,
    Event,
    EventRefused,
    MediatorProposal,
    Outcome,
    Propose,
    Reject,
    TimeUp,
    Vote,
    WalkAway,
    event_outcome,
)
from tratado.protocols.log import event_from_entry, render_log
from tratado.protocols.mediated import Mediated, MediatedState
from tratado.protocols.single_text import SingleText, SingleTextState


def protocol_class(name: str, *, allow_plugins: bool = True) -> type[Protocol[Any]]:
    """The protocol class called ``name`` (or given as ``module:Class``). A
    ``module:Class`` imports ``module`` (running its code): with ``allow_plugins=False``
    (replay of a record from someone else) it is refused with ``ValueError`` before
    anything is imported, and only built-ins and installed entry points are found."""
    if ":" in name:
        if not allow_plugins:
            raise ValueError(f"'{name}' names a plug-in protocol (module:Class), and plug-ins"
                             " are not allowed here: loading one runs its code")
        found: type[Protocol[Any]] = load_plugin(name, Protocol, "protocol")
        return found
    registry = protocol_registry()
    if not allow_plugins:  # only the built-ins (entry points are looked up below)
        registry = {key: cls for key, cls in registry.items()
                    if cls.__module__.startswith("tratado.")}
    if name not in registry:
        for ep in entry_points(group="tratado.protocols"):
            if ep.name == name:
                try:
                    cls = ep.load()
                except Exception as error:  # noqa: BLE001
                    raise ValueError(f"cannot load protocol '{name}': {error}") from None
                if isinstance(cls, type) and issubclass(cls, Protocol):
                    return cls
    if name not in registry:
        known = ", ".join(sorted(registry))
        close = difflib.get_close_matches(name, list(registry), n=1, cutoff=0.75)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ValueError(f"there is no protocol named '{name}'{hint}; known: {known}")
    return registry[name]


__all__ = [
    "AGREEMENT_MODES", "EVENT_KINDS", "REASONS", "Accept", "AlternatingOffers",
    "AlternatingState", "DeadlineRefused", "EndsByReason", "Event", "EventRefused", "Mediated",
    "MediatedState", "MediatorProposal", "Outcome", "Propose", "Protocol", "ProtocolResult",
    "Reject", "SingleText", "SingleTextState", "TimeUp", "Vote", "WalkAway", "checked_deadline",
    "event_from_entry", "event_outcome", "protocol_class", "protocol_registry", "render_log",
]
