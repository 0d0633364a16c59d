"""Negotiators: produce events for one party, seeing only what that party may see.

See :mod:`tratado.negotiators.base` for the API and what a negotiator is given,
:mod:`tratado.negotiators.acceptance` for the acceptance rules, and
:mod:`tratado.negotiators.registry` for finding negotiators by name, ``module:Class``
or metadata. Built-in: ``boulware``, ``linear``, ``conceder``, ``time-based``,
``hardliner``, ``tit-for-tat``, ``nice-tit-for-tat``, ``aspiration``, ``random`` and
the default ``frequency``. :func:`isolated` (:mod:`tratado.negotiators.isolated`) runs
a negotiator in a process of its own: budgets that hold on moves that never return, and
no other party's preferences within reach; in process, negotiators are trusted code.
"""

from __future__ import annotations

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
from tratado.negotiators.isolated import Isolated, isolated
from tratado.negotiators.plugins import NegotiatorError, create, describe_failure
from tratado.negotiators.registry import describe, find, make, negotiator_class, registered

DEFAULT_NEGOTIATOR = "frequency"

__all__ = [
    "DEFAULT_NEGOTIATOR", "AcceptAbove", "AcceptAboveReservation", "AcceptAfter",
    "AcceptNext", "AcceptanceRule", "AllOf", "AnyOf", "Isolated", "Mediator", "MediatorView",
    "Negotiator", "NegotiatorError", "NegotiatorView", "Never", "Participant", "PublicParty",
    "PublicScenario", "Record", "create", "describe", "describe_failure", "find", "isolated",
    "make", "negotiator_class", "registered",
]
