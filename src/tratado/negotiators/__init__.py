"""Negotiators: produce events for one party, seeing only what that party may see.

See :mod:`tratado.negotiators.base` for the API and what a negotiator is given,
:mod:`tratado.negotiators.acceptance` for the acceptance rules, and
:mod:`tratado.negotiators.registry` for finding negotiators by name, ``module:Class``
or metadata. Built-in: ``boulware``, ``linear``, ``conceder``, ``time-based``,
``hardliner``, ``tit-for-tat``, ``nice-tit-for-tat``, ``aspiration``, ``random`` and
the default ``frequency``.
"""

from __future__ import annotations

from tratado.negotiators._tables import NEGOTIATOR_ENUMERATION_LIMIT, table_utility
from tratado.negotiators.acceptance import (
    AcceptAbove,
    AcceptAboveReservation,
    AcceptAfter,
    AcceptanceRule,
    AcceptNext,
    AllOf,
    AnyOf,
    Never,
)
from tratado.negotiators.base import (
    Mediator,
    MediatorView,
    Negotiator,
    NegotiatorView,
    Participant,
    PublicParty,
    PublicScenario,
    Record,
)
from tratado.negotiators.registry import describe, find, make, negotiator_class, registered

DEFAULT_NEGOTIATOR = "frequency"

__all__ = [
    "DEFAULT_NEGOTIATOR", "NEGOTIATOR_ENUMERATION_LIMIT", "AcceptAbove",
    "AcceptAboveReservation", "AcceptAfter", "AcceptNext", "AcceptanceRule", "AllOf", "AnyOf",
    "Mediator", "MediatorView", "Negotiator",
    "NegotiatorView", "Never", "Participant", "PublicParty", "PublicScenario", "Record",
    "describe", "find", "make", "negotiator_class", "registered", "table_utility",
]
