"""Session records: one document that says what happened in a negotiation, in a
canonical form that can be hashed, shared, checked and replayed.

Two views of the same session:

* the **analyst's record** (``"view": "analyst"``) — what ``tratado simulate --log``
  saves and ``--json`` prints, and :meth:`SessionResult.to_dict` returns: the scenario's
  fingerprint, the protocol and its parameters, every negotiator's name and
  parameters, the seed, the event log with every party's utility for each package,
  the agreement and the result (utilities, gains, welfare, distances). It holds
  confidential values: it is for whoever may see every party's preferences.
* the **public record** (``"view": "public"``, :func:`public_record`) — what a
  delegation may see and what the live service will hash: who proposed or answered
  what and when, the agreement and how the talks ended; no utilities, no negotiators
  or seed, no preference fingerprint, no file paths.

    from tratado.records import build_record, canonical_json, public_record
    record = build_record(result)                 # the analyst's record (a dict)
    canonical_json(record)                        # its canonical bytes (as text)
    canonical_json(public_record(record))         # what may be shared

:func:`write_record` writes a record (or a result) to a text stream piece by piece, the
log event by event, with exactly the bytes of :func:`canonical_json`. Replay
(:mod:`tratado.session.replay`) rebuilds the session from a record and requires the
same canonical bytes. The format, field by field: ``docs/record-format.md`` and
``schema/record.schema.json``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any

from tratado.records.build import (
    ANALYST,
    INCLUDED,
    PROVENANCE,
    PUBLIC,
    RECORD_VERSION,
    TABLE_ALONE,
    build_record,
    fingerprint,
    item_summary,
    negotiator_entry,
    negotiator_label,
    public_entries,
    public_fingerprint,
    public_record,
    public_scenario,
    result_member,
)
from tratado.records.canonical import (
    TOP_LEVEL_ORDER,
    RecordError,
    canonical_json,
    canonical_value,
    iter_canonical,
    parse_record,
    read_record,
)
from tratado.records.compare import first_difference
from tratado.records.source import resolve_source, scenario_source

if TYPE_CHECKING:
    from tratado.session.result import SessionResult


def write_record(record: SessionResult | Mapping[str, Any], out: IO[str], *,
                 public: bool = False) -> None:
    """Write ``record`` (a record mapping, or a :class:`SessionResult` whose analyst's
    record is built on the way) to the text stream ``out`` in canonical form, piece by
    piece; ``public=True`` writes the public record instead."""
    from tratado.session.result import SessionResult

    if isinstance(record, SessionResult):
        record = build_record(record, lazy_log=True)
    if public:
        record = public_record(record)
    for piece in iter_canonical(record):
        out.write(piece)


__all__ = [
    "ANALYST", "INCLUDED", "PROVENANCE", "PUBLIC", "RECORD_VERSION", "TABLE_ALONE",
    "TOP_LEVEL_ORDER", "RecordError",
    "build_record", "canonical_json", "canonical_value", "fingerprint", "first_difference",
    "item_summary", "iter_canonical", "negotiator_entry", "negotiator_label", "parse_record",
    "public_entries", "public_fingerprint", "public_record", "public_scenario", "read_record",
    "resolve_source", "result_member", "scenario_source", "write_record",
]
