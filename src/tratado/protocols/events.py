"""Events: the moves a participant can make, one frozen dataclass per kind.

An event names the participant that makes it (``party``: a party id, the mediator's
id, or ``""`` for the clock) and, where it concerns a package, the ``outcome`` as a
tuple of option indices (one per issue, in agenda order). Every event may carry a
``note`` (e.g. the session writes ``"failure: ..."`` on the move it substitutes for a
negotiator that crashed). Events are immutable and hashable, so they can be kept,
compared and replayed.

==================  ===============================================================
kind                meaning
==================  ===============================================================
``propose``         a party puts a package on the table
``accept``          a party accepts the package on the table
``reject``          a party rejects the package on the table
``walk-away``       a party leaves the table (no agreement; allowed at any time)
``vote``            a party says whether it prefers a proposed change to the draft
``mediator-proposal`` the mediator puts a package (or a change to the draft) forward
``time-up``         the clock: the deadline in seconds has passed
==================  ===============================================================

The log format (entries as JSON-able dicts, and back) is :mod:`tratado.protocols.log`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

Outcome = tuple[int, ...]
"""A package: one option index per issue, in agenda order."""


class EventRefused(Exception):
    """A protocol refused an event; the state it was given is unchanged."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Event:
    """Base class of every move. ``kind`` is the name used in logs."""

    kind: ClassVar[str] = "event"
    party: str
    note: str = field(default="", kw_only=True)


@dataclass(frozen=True, slots=True)
class Propose(Event):
    """``party`` puts ``outcome`` on the table."""

    kind: ClassVar[str] = "propose"
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class Accept(Event):
    """``party`` accepts the package on the table."""

    kind: ClassVar[str] = "accept"


@dataclass(frozen=True, slots=True)
class Reject(Event):
    """``party`` rejects the package on the table."""

    kind: ClassVar[str] = "reject"


@dataclass(frozen=True, slots=True)
class WalkAway(Event):
    """``party`` leaves the table; the talks end without agreement."""

    kind: ClassVar[str] = "walk-away"


@dataclass(frozen=True, slots=True)
class Vote(Event):
    """``party`` says whether it prefers the proposed change (``prefers``) to the draft."""

    kind: ClassVar[str] = "vote"
    prefers: bool


@dataclass(frozen=True, slots=True)
class MediatorProposal(Event):
    """The mediator (``party`` is its id) puts ``outcome`` forward."""

    kind: ClassVar[str] = "mediator-proposal"
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class TimeUp(Event):
    """The clock: the deadline in seconds has passed. ``party`` is ``""``."""

    kind: ClassVar[str] = "time-up"
    party: str = ""


EVENT_KINDS: dict[str, type[Event]] = {
    cls.kind: cls for cls in (Propose, Accept, Reject, WalkAway, Vote, MediatorProposal, TimeUp)
}
"""Event class for each kind name (protocols may add their own kinds here)."""


def event_outcome(event: Event) -> Outcome | None:
    """The package an event carries, if any."""
    outcome: Outcome | None = getattr(event, "outcome", None)
    return outcome
