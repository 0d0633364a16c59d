"""The event log: one JSON-able entry per event, and back.

An entry holds ``turn`` (position in the log), ``round`` and ``time`` (relative, by
rounds) before the event, ``kind``, ``party``, and where the event concerns a package
(a proposal, or an accept / reject / vote on the package on the table) the
``outcome`` as ``{issue: option}`` with ``utilities`` — every party's utility for it,
discounted by ``discount ** round`` when the protocol discounts. ``prefers`` (votes)
and ``note`` appear when set. The protocol never sees preferences: whoever renders a
log (the session) passes a function that evaluates utilities.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from tratado.agenda import Agenda
from tratado.protocols.base import Protocol
from tratado.protocols.events import (
    EVENT_KINDS,
    Event,
    MediatorProposal,
    Outcome,
    Propose,
    Vote,
    event_outcome,
)

UtilityFunction = Callable[[list[Outcome]], list[list[float]]]
"""Every party's utility (a row per outcome, parties in order) for a list of outcomes."""

_ABOUT_THE_TABLE = ("accept", "reject", "vote")


def render_log(
    agenda: Agenda,
    protocol: Protocol[Any],
    events: Sequence[Event],
    utilities: UtilityFunction,
    discounts: Sequence[float] | None = None,
) -> list[dict[str, Any]]:
    """The log entries of ``events`` (folded through ``protocol`` for the round, time and
    the package each event concerns). ``discounts``: per party, applied as ``d ** round``."""
    state = protocol.initial_state()
    steps = []
    for event in events:
        outcome = event_outcome(event)
        if outcome is None and event.kind in _ABOUT_THE_TABLE:
            outcome = protocol.subject(state)
        steps.append((protocol.round(state), protocol.time(state), outcome))
        state = protocol.step(state, event)
    distinct = list(dict.fromkeys(o for _, _, o in steps if o is not None))
    table = dict(zip(distinct, utilities(distinct), strict=True))
    ids = protocol.parties
    factors = [1.0] * len(ids) if discounts is None else list(discounts)
    log = []
    for turn, (event, (round_, time, outcome)) in enumerate(zip(events, steps, strict=True)):
        entry: dict[str, Any] = {"turn": turn, "round": round_, "time": time,
                                 "kind": event.kind, "party": event.party}
        if outcome is not None:
            entry["outcome"] = agenda.describe(outcome)
            entry["utilities"] = {
                p: u * d**round_ for p, u, d in zip(ids, table[outcome], factors, strict=True)
            }
        if isinstance(event, Vote):
            entry["prefers"] = event.prefers
        if event.note:
            entry["note"] = event.note
        log.append(entry)
    return log


def event_from_entry(entry: Mapping[str, Any], agenda: Agenda) -> Event:
    """Rebuild the event of one log entry (used by replay)."""
    kind = entry["kind"]
    cls = EVENT_KINDS.get(kind)
    if cls is None:
        raise ValueError(f"unknown event kind {kind!r} in the log")
    kwargs: dict[str, Any] = {"party": entry.get("party", ""), "note": entry.get("note", "")}
    if cls is Propose or cls is MediatorProposal:
        row = agenda.outcome(entry["outcome"])
        kwargs["outcome"] = tuple(int(i) for i in row)
    if cls is Vote:
        kwargs["prefers"] = bool(entry["prefers"])
    return cls(**kwargs)
