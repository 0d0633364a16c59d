"""Negotiators: produce events for one party, seeing only what that party may see.

See :mod:`tratado.negotiators.base` for the API and what a negotiator is given,
:mod:`tratado.negotiators.acceptance` for the acceptance rules, and
:mod:`tratado.negotiators.registry` for finding negotiators by name, ``module:Class``
or metadata, with parameters (``make("boulware:e=0.3")``, :func:`spec_of` gives the
spec back). Built-in: ``boulware``, ``linear``, ``conceder``, ``time-based``,
``hardliner``, ``tit-for-tat``, ``nice-tit-for-tat``, ``aspiration``, ``random`` and
the default ``frequency``. :func:`isolated` (:mod:`tratado.negotiators.isolated`) runs
a negotiator in a process of its own: budgets that hold on moves that never return, and
no other party's preferences within reach; in process, negotiators are trusted code.
Every built-in negotiator asks an :class:`OfferFinder` (:mod:`tratado.negotiators.search`)
for its offers: a sorted table on spaces small enough to list, a search of the
preferences on larger ones (:func:`check_searchable` says up front when it cannot).
"""

from __future__ import annotations

from tratado.negotiators._tables import (
    NEGOTIATOR_ENUMERATION_LIMIT,
    check_space,
    outcome_rows,
    table_utility,
)
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
from tratado.negotiators.registry import (
    SpecError,
    describe,
    find,
    make,
    make_mediator,
    mediator_class,
    negotiator_class,
    parse_spec,
    registered,
    registered_mediators,
    settable,
    spec_of,
)
from tratado.negotiators.search import OfferFinder, check_searchable, offer_finder

DEFAULT_NEGOTIATOR = "frequency"

__all__ = [
    "DEFAULT_NEGOTIATOR", "NEGOTIATOR_ENUMERATION_LIMIT", "check_space", "AcceptAbove",
    "AcceptAboveReservation", "AcceptAfter", "AcceptNext", "AcceptanceRule", "AllOf", "AnyOf",
    "Mediator", "MediatorView", "Negotiator",
    "NegotiatorView", "Never", "Participant", "PublicParty", "PublicScenario", "Record",
    "SpecError", "describe", "find", "make", "make_mediator", "mediator_class", "negotiator_class",
    "parse_spec", "registered", "registered_mediators", "settable", "spec_of", "table_utility",
    "Isolated", "NegotiatorError", "create", "describe_failure", "isolated",
    "OfferFinder", "check_searchable", "offer_finder", "outcome_rows",
]
