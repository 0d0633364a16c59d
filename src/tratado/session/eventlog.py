"""The events of a session, kept compact: a few bytes per event, whatever the length.

A session of 10^7 rounds makes 2 * 10^7 events. Kept as Python objects, that is gigabytes;
an :class:`EventLog` keeps each event as one integer that packs its kind, who made it and
what it carries (an index into the distinct packages proposed so far, or a vote) — 4 bytes
per event in an ``array`` (8 past a million distinct packages) — and one shared, immutable
:class:`Event` object per distinct code, which readers get back. Events the code cannot
hold (a note, a kind a plug-in protocol defined, a participant it does not know) are kept
as they are; they are rare (a failure note ends the talks).

The hot loop appends plain events to :attr:`EventLog.pending` (a list, so appending is a
C call) and the session calls :meth:`EventLog.settle` every few thousand events, which
moves them into the columns and remembers the protocol state at that point (a
*checkpoint*), so that a reader can fold the protocol from the nearest checkpoint instead
of from the start (:mod:`tratado.session.log_view`).

The log is append-only and is read as a ``Sequence[Event]``: ``len``, indexing, slices
(a list) and iteration, oldest first.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from typing import Any

from tratado.protocols.events import (
    Accept,
    Event,
    MediatorProposal,
    Outcome,
    Propose,
    Reject,
    TimeUp,
    Vote,
    WalkAway,
)
from tratado.session.ranged import Ranged

SETTLE_EVERY = 4096
"""Events the hot loop gathers in :attr:`EventLog.pending` before they are compacted."""

_OTHER = -1
_KINDS: tuple[type[Event], ...] = (Propose, Accept, Reject, WalkAway, Vote, MediatorProposal,
                                   TimeUp)
_CODE = {cls: code for code, cls in enumerate(_KINDS)}
_PROPOSE, _VOTE, _MEDIATOR = 0, 4, 5
_INT32 = 2**31 - 1
_CARRIES_OUTCOME = (_PROPOSE, _MEDIATOR)


class EventLog(Ranged[Event]):
    """An append-only, compact sequence of the events accepted so far (see the module
    docstring). ``participants``: who may make events (the clock, ``""``, is added);
    ``initial_state``: the protocol state before any event (the first checkpoint)."""

    __slots__ = ("pending", "_codes", "_other", "_outcomes", "_index", "_events", "_seen",
                 "_remember", "_settled",
                 "_participants", "_party_index", "_checkpoints")

    def __init__(self, participants: Sequence[str], initial_state: Any = None) -> None:
        self.pending: list[Event] = []
        # per event: (what + 1) << 11 | kind << 8 | who, or -1 (kept in _other); 4 bytes
        # each until a code needs more (over a million distinct packages), then 8
        self._codes = array("i")
        self._other: dict[int, Event] = {}
        self._outcomes: list[Outcome] = []
        self._index: dict[Outcome, int] = {}
        self._events: dict[int, Event] = {}  # one shared (immutable) event per code
        self._seen: dict[int, tuple[Event, int]] = {}  # id(event) -> (event, code)
        self._remember, self._settled = 1, 0
        self._participants = (*participants, "")
        self._party_index = {p: k for k, p in enumerate(self._participants)}
        self._checkpoints: list[tuple[int, Any]] = []
        if initial_state is not None:
            self._checkpoints.append((0, initial_state))

    @classmethod
    def of(cls, participants: Sequence[str], events: Sequence[Event]) -> EventLog:
        """A settled log holding ``events``."""
        log = cls(participants)
        log.pending.extend(events)
        log.settle()
        return log

    def append(self, event: Event) -> None:
        """Add one accepted event (the hot loop appends to :attr:`pending` directly)."""
        self.pending.append(event)

    def settle(self, state: Any = None, *, compact: bool = True) -> None:
        """Move the pending events into the compact column (unless ``compact`` is false:
        at the end of a run, fewer than :data:`SETTLE_EVERY` events may as well stay as
        they are); ``state`` (the protocol state after every event so far) becomes a
        checkpoint for readers."""
        pending = self.pending
        if pending and compact:
            codes, shared, seen = self._codes, self._events, self._seen
            index, outcomes, parties = self._index, self._outcomes, self._party_index
            other, code_of = self._other, _CODE
            position = len(codes)
            # negotiators often hand the same (immutable) event object back again and again;
            # when they do not, looking events up by identity is skipped (tried again now
            # and then)
            remember = self._remember > 0 or self._settled % 8 == 0
            hits = 0
            for event in pending:
                if remember:
                    hit = seen.get(id(event))
                    if hit is not None and hit[0] is event:
                        codes.append(hit[1])
                        position += 1
                        hits += 1
                        continue
                kind = code_of.get(type(event), _OTHER)
                party = parties.get(event.party)
                if kind == _OTHER or party is None or party > 255 or event.note:
                    other[position] = event
                    codes.append(-1)
                else:
                    if kind in _CARRIES_OUTCOME:
                        outcome = event.outcome  # type: ignore[attr-defined]
                        what = index.get(outcome)
                        if what is None:
                            what = index[outcome] = len(outcomes)
                            outcomes.append(outcome)
                    elif kind == _VOTE:
                        what = 1 if event.prefers else 0  # type: ignore[attr-defined]
                    else:
                        what = -1
                    code = (what + 1) << 11 | kind << 8 | party
                    if code > _INT32 and codes.typecode == "i":
                        codes = self._codes = array("q", codes)
                    codes.append(code)
                    if code not in shared:
                        shared[code] = event
                    if remember:
                        if len(seen) >= SETTLE_EVERY:
                            seen.clear()
                        seen[id(event)] = (event, code)  # the event kept: its id stays its own
                position += 1
            self._remember = 1 if remember and 4 * hits >= len(pending) else 0
            self._settled += 1
            pending.clear()
        if state is not None and (not self._checkpoints or self._checkpoints[-1][0] < len(self)):
            self._checkpoints.append((len(self), state))

    def checkpoint(self, position: int) -> tuple[int, Any] | None:
        """The latest ``(position, state)`` checkpoint at or before ``position``."""
        points = self._checkpoints
        k = bisect_right(points, position, key=lambda point: point[0]) - 1
        return points[k] if k >= 0 else None

    @property
    def packages(self) -> int:
        """How many distinct packages the events carry."""
        return len(self._outcomes)

    def nbytes(self) -> int:
        """Bytes held per event by the compact column (for the curious and the benchmarks)."""
        return self._codes.itemsize * len(self._codes)

    # -- Sequence ------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._codes) + len(self.pending)

    def _range(self, start: int, stop: int) -> list[Event]:
        settled = len(self._codes)
        shared, other = self._events, self._other
        out = [shared[code] if code >= 0 else other[start + k]
               for k, code in enumerate(self._codes[start:min(stop, settled)])]
        if stop > settled:
            out.extend(self.pending[max(start - settled, 0):stop - settled])
        return out

    def __iter__(self) -> Iterator[Event]:
        for start in range(0, len(self), SETTLE_EVERY):
            yield from self._range(start, start + SETTLE_EVERY)

    def __repr__(self) -> str:
        return f"<EventLog of {len(self)} events>"
