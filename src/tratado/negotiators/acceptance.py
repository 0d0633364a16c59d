"""Acceptance rules: small combinable pieces that decide whether to accept an offer.

A rule is called as ``rule(negotiator, offer, t, mine)`` — ``offer`` the package on the
table, ``t`` relative time, ``mine`` what the negotiator would propose instead — and
returns a bool. Combine with ``|`` (any) and ``&`` (all), or :class:`AnyOf` /
:class:`AllOf`::

    AcceptNext() | (AcceptAfter(0.95) & AcceptAboveReservation())
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

from tratado.protocols.events import Outcome

if TYPE_CHECKING:
    from tratado.negotiators.base import Negotiator


class AcceptanceRule(ABC):
    """Base class: ``rule(negotiator, offer, t, mine) -> bool``."""

    @abstractmethod
    def __call__(self, negotiator: Negotiator, offer: Outcome, t: float, mine: Outcome) -> bool:
        """Whether to accept ``offer``."""

    def __or__(self, other: AcceptanceRule) -> AnyOf:
        return AnyOf(self, other)

    def __and__(self, other: AcceptanceRule) -> AllOf:
        return AllOf(self, other)


class AcceptNext(AcceptanceRule):
    """Accept when the offer is worth at least ``factor`` x my next offer (+ ``margin``)."""

    def __init__(self, factor: float = 1.0, margin: float = 0.0) -> None:
        self.factor = factor
        self.margin = margin

    def __call__(self, negotiator: Negotiator, offer: Outcome, t: float, mine: Outcome) -> bool:
        utility = negotiator.utility
        return utility(offer) >= self.factor * utility(mine) + self.margin

    def __repr__(self) -> str:
        return f"AcceptNext(factor={self.factor}, margin={self.margin})"


class AcceptAbove(AcceptanceRule):
    """Accept offers worth at least ``level``."""

    def __init__(self, level: float) -> None:
        self.level = level

    def __call__(self, negotiator: Negotiator, offer: Outcome, t: float, mine: Outcome) -> bool:
        return negotiator.utility(offer) >= self.level

    def __repr__(self) -> str:
        return f"AcceptAbove({self.level})"


class AcceptAboveReservation(AcceptanceRule):
    """Accept offers worth at least my reservation value (better than no deal)."""

    def __call__(self, negotiator: Negotiator, offer: Outcome, t: float, mine: Outcome) -> bool:
        return negotiator.utility(offer) >= negotiator.reservation_value

    def __repr__(self) -> str:
        return "AcceptAboveReservation()"


class AcceptAfter(AcceptanceRule):
    """True once relative time reaches ``time`` (combine with a utility rule)."""

    def __init__(self, time: float) -> None:
        self.time = time

    def __call__(self, negotiator: Negotiator, offer: Outcome, t: float, mine: Outcome) -> bool:
        return t >= self.time

    def __repr__(self) -> str:
        return f"AcceptAfter({self.time})"


class Never(AcceptanceRule):
    """Never accept."""

    def __call__(self, negotiator: Negotiator, offer: Outcome, t: float, mine: Outcome) -> bool:
        return False

    def __repr__(self) -> str:
        return "Never()"


class AnyOf(AcceptanceRule):
    """Accept when any of the rules accepts."""

    def __init__(self, *rules: AcceptanceRule) -> None:
        self.rules = rules

    def __call__(self, negotiator: Negotiator, offer: Outcome, t: float, mine: Outcome) -> bool:
        return any(rule(negotiator, offer, t, mine) for rule in self.rules)

    def __repr__(self) -> str:
        return " | ".join(map(repr, self.rules)).join("()")


class AllOf(AcceptanceRule):
    """Accept when all of the rules accept."""

    def __init__(self, *rules: AcceptanceRule) -> None:
        self.rules = rules

    def __call__(self, negotiator: Negotiator, offer: Outcome, t: float, mine: Outcome) -> bool:
        return all(rule(negotiator, offer, t, mine) for rule in self.rules)

    def __repr__(self) -> str:
        return " & ".join(map(repr, self.rules)).join("()")
