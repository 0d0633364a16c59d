"""The push-style driver: one object that takes a negotiation's events as they come.

Whoever produces the events — a simulated negotiator, a record being replayed, a
delegation's request to the live service — hands them to a :class:`Driver` one at a time::

    driver = Driver(protocol)
    driver.expected()            # {"government": (Propose, WalkAway)}: who may send what now
    driver.submit(Propose("government", (0, 2, 1)))   # checked by the protocol
    driver.submit(Accept("opposition"))
    driver.is_over, driver.result()

:meth:`Driver.submit` steps the protocol: an event the rules refuse raises
:class:`~tratado.protocols.events.EventRefused` and changes nothing — not the state, not the
events. An accepted event is added to :attr:`Driver.events` (a compact
:class:`~tratado.session.eventlog.EventLog`), and :attr:`Driver.state` is always the fold
of the protocol over those events (``functools.reduce(protocol.step, events,
protocol.initial_state())``): the events are the truth, the state follows from them.

The driver knows nothing of negotiators, clocks or budgets: :class:`~tratado.session.Session`
asks its negotiators for moves and submits them (substituting the protocol's
``failure_event`` for a move that fails); replay submits the events of a record.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from tratado.protocols import Event, EventRefused, Protocol, ProtocolResult
from tratado.session.eventlog import SETTLE_EVERY, EventLog

S = TypeVar("S")


class Driver(Generic[S]):
    """Runs ``protocol`` on events pushed to it (see the module docstring)."""

    __slots__ = ("protocol", "_state", "events", "_pending")

    def __init__(self, protocol: Protocol[S]) -> None:
        self.protocol = protocol
        self._state: S = protocol.initial_state()
        self.events = EventLog(protocol.participants, self._state)
        self._pending = self.events.pending

    @classmethod
    def replaying(cls, protocol: Protocol[S], events: Iterable[Event]) -> Driver[S]:
        """A driver that has been submitted ``events``, in order (``EventRefused``, with
        the position of the first refused event, if the rules refuse one)."""
        driver = cls(protocol)
        for k, event in enumerate(events):
            try:
                driver.submit(event)
            except EventRefused as refused:
                raise EventRefused(f"event {k} ({getattr(event, 'kind', '?')}):"
                                   f" {refused.reason}") from None
        return driver

    @property
    def state(self) -> S:
        """The protocol state: the fold of the protocol over :attr:`events`."""
        return self._state

    def submit(self, event: Event) -> S:
        """Step the protocol with ``event`` and record it; return the new state. Raises
        ``EventRefused`` (nothing changes) when the rules do not allow it now."""
        if not isinstance(event, Event):
            raise EventRefused(f"{type(event).__name__} is not an event")
        state = self.protocol.step(self._state, event)
        self._state = state
        pending = self._pending
        pending.append(event)
        if len(pending) >= SETTLE_EVERY:
            self.events.settle(state)
        return state

    def adopt(self, state: S) -> None:
        """Take ``state`` as the state after events appended straight to
        ``events.pending`` by a fused loop that applies the protocol's own rules (the
        session's fast path, :meth:`AlternatingOffers.play`); checked against the generic
        path by ``tests/test_fast_path.py``."""
        self._state = state
        if len(self._pending) >= SETTLE_EVERY:
            self.events.settle(state)

    def whose_turn(self) -> tuple[str, ...]:
        """The participants asked to act now (empty once the talks are over)."""
        return self.protocol.whose_turn(self._state)

    def expected(self) -> dict[str, tuple[type[Event], ...]]:
        """For each participant asked now, the event kinds it may submit."""
        return self.protocol.expected(self._state)

    @property
    def is_over(self) -> bool:
        """True once the talks have ended."""
        return self.protocol.is_over(self._state)

    def result(self) -> ProtocolResult:
        """How the talks ended, as far as the rules know (``reason`` None while they go
        on)."""
        return self.protocol.result(self._state)

    def finish(self) -> EventLog:
        """Settle the events at the end of a run (the last few stay as they are) and
        return them."""
        self.events.settle(self._state, compact=len(self._pending) >= SETTLE_EVERY)
        return self.events

    def __repr__(self) -> str:
        return (f"<Driver of {self.protocol.name or type(self.protocol).__name__}:"
                f" {len(self.events)} events, {'over' if self.is_over else 'going on'}>")


def fold(protocol: Protocol[S], events: Iterable[Event]) -> Any:
    """The protocol state after ``events`` (``EventRefused`` if one is refused)."""
    return Driver.replaying(protocol, events).state
