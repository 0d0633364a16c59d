"""The session log, made when it is read: a lazy ``Sequence`` of log entries.

A record's ``log`` (:mod:`tratado.protocols.log` describes an entry) can hold millions of
entries. A :class:`LogView` builds them only when asked — ``len`` costs nothing, ``log[i]``
and ``log[a:b]`` fold the protocol from the nearest checkpoint of the
:class:`~tratado.session.eventlog.EventLog` to ``a`` and build ``b - a`` entries, and
iteration builds them block by block, evaluating the utilities of each block's distinct
packages in one vectorised call — so memory stays flat however long the talks were.
:meth:`LogView.encoded` gives each entry's JSON text directly, byte for byte what
``json.dumps(entry, ensure_ascii=False)`` gives, reusing the text of a package seen before.

A log view compares equal to any sequence of the same entries (a list, another view).
The entries are fresh dicts; the view itself cannot be changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from typing import Any, ClassVar

import numpy as np

from tratado.protocols import Event, Outcome, Protocol, Vote, event_outcome
from tratado.scenario import Scenario
from tratado.session.eventlog import EventLog
from tratado.session.ranged import Ranged

BLOCK = 4096
"""Entries built (and utilities evaluated) per block."""

_ABOUT_THE_TABLE = ("accept", "reject", "vote")
_Step = tuple[int, float, Event, Outcome | None]


class LogView(Ranged[dict[str, Any]]):
    """The log entries of ``events`` (a session's :class:`EventLog` or any sequence of
    events) under ``protocol`` on ``scenario``; ``discounts`` per party (``d ** round``);
    ``extra``: keys added to every entry (e.g. ``{"item": issue}``)."""

    __slots__ = ("scenario", "protocol", "events", "_discounts", "_extra")

    fast_fold: ClassVar[bool] = True
    """Use the protocol's fused ``fold_log`` where it has one (same steps as folding
    ``step``; ``tests/test_driver.py`` checks it)."""

    def __init__(self, scenario: Scenario, protocol: Protocol[Any], events: Sequence[Event],
                 discounts: Sequence[float] | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        self.scenario = scenario
        self.protocol = protocol
        self.events = events
        self._discounts = None if discounts is None or all(d == 1.0 for d in discounts) \
            else tuple(discounts)
        self._extra = dict(extra or {})

    # -- the fold ----------------------------------------------------------------------
    def _state_before(self, position: int) -> Any:
        """The protocol state before event ``position`` (from the nearest checkpoint)."""
        events, protocol = self.events, self.protocol
        start, state = 0, protocol.initial_state()
        if isinstance(events, EventLog):
            point = events.checkpoint(position)
            if point is not None:
                start, state = point
        step = protocol.step
        between = events[start:position] if isinstance(events, EventLog) \
            else islice(events, start, position)
        for event in between:
            state = step(state, event)
        return state

    def _steps(self, start: int, stop: int) -> Iterator[list[_Step]]:
        """``(round, time, event, package concerned)`` for events ``start..stop``, in
        blocks of :data:`BLOCK`."""
        protocol, events = self.protocol, self.events
        state = self._state_before(start)
        fused = getattr(protocol, "fold_log", None) if self.fast_fold else None
        step, round_of, time_of, subject = (protocol.step, protocol.round, protocol.time,
                                            protocol.subject)
        for begin in range(start, stop, BLOCK):
            if fused is not None:  # the protocol's own fold, fused (alternating offers)
                steps, state = fused(state, events[begin:min(stop, begin + BLOCK)])
                yield steps
                continue
            block = []
            for event in events[begin:min(stop, begin + BLOCK)]:
                outcome = event_outcome(event)
                if outcome is None and event.kind in _ABOUT_THE_TABLE:
                    outcome = subject(state)
                block.append((round_of(state), time_of(state), event, outcome))
                state = step(state, event)
            yield block

    def _utilities(self, block: list[_Step]) -> dict[Outcome, list[float]]:
        distinct = list(dict.fromkeys(o for _, _, _, o in block if o is not None))
        if not distinct:
            return {}
        values: list[list[float]] = self.scenario.utilities(
            np.array(distinct, dtype=np.int64)).tolist()
        return dict(zip(distinct, values, strict=True))

    # -- entries -----------------------------------------------------------------------
    def entries(self, start: int, stop: int) -> Iterator[dict[str, Any]]:
        """The entries of events ``start..stop``, built a block at a time."""
        ids, describe = self.scenario.party_ids, self.scenario.agenda.describe
        factors, extra = self._discounts, self._extra
        turn = start
        for block in self._steps(start, stop):
            table = self._utilities(block)
            for round_, time, event, outcome in block:
                entry: dict[str, Any] = {"turn": turn, "round": round_, "time": time,
                                         "kind": event.kind, "party": event.party}
                if outcome is not None:
                    entry["outcome"] = describe(outcome)
                    values = table[outcome]
                    if factors is not None:
                        values = [u * d**round_ for u, d in zip(values, factors, strict=True)]
                    entry["utilities"] = dict(zip(ids, values, strict=True))
                if isinstance(event, Vote):
                    entry["prefers"] = event.prefers
                if event.note:
                    entry["note"] = event.note
                if extra:
                    entry.update(extra)
                yield entry
                turn += 1

    def encoded(self, encode: Callable[[Any], str] | None = None, sort_keys: bool = False,
                separators: tuple[str, str] = (", ", ": ")) -> Iterator[str]:
        """Each entry as JSON text — by default ``json.dumps(entry, ensure_ascii=False)``;
        with ``encode`` (how one value is written), ``sort_keys`` and ``separators``, the
        text ``encode(entry)`` gives when ``encode`` uses those settings (e.g. the
        canonical form of :mod:`tratado.records`). The text of each package, its
        utilities and each name is made once per log, not once per entry."""
        for block in self.encoded_blocks(encode, sort_keys, separators):
            yield from block

    def encoded_blocks(self, encode: Callable[[Any], str] | None = None,
                       sort_keys: bool = False, separators: tuple[str, str] = (", ", ": "),
                       ) -> Iterator[list[str]]:
        """:meth:`encoded`, a block of entries (a list of their texts) at a time: for a
        writer that joins them (a long log is written in a few thousand pieces, not one
        per entry)."""
        ids, describe = self.scenario.party_ids, self.scenario.agenda.describe
        factors = self._discounts
        dumps: Callable[[Any], str] = encode or json.JSONEncoder(ensure_ascii=False).encode
        extra = {k: dumps(v) for k, v in self._extra.items()}
        templates: dict[tuple[bool, bool, bool], str] = {}
        packages: dict[Outcome, tuple[str, str]] = {}
        # (id(event), id(package)) -> (event, package, the entry's text with turn, round
        # and time left open, as its format method); the objects are kept so that their
        # ids stay theirs while cached
        texts: dict[tuple[int, int], tuple[Event, Outcome | None, Callable[..., str]]] = {}
        time_text = float.__repr__
        turn = 0
        for block in self._steps(0, len(self)):
            table = self._utilities(block)
            out: list[str] = []
            add = out.append
            for round_, time, event, outcome in block:
                hit = texts.get((id(event), id(outcome)))
                if hit is None or factors is not None:
                    shape = (outcome is not None, isinstance(event, Vote), bool(event.note))
                    template = templates.get(shape)
                    if template is None:
                        template = templates[shape] = _template(shape, extra, dumps, sort_keys,
                                                                separators)
                    package = values = ""
                    if outcome is not None:
                        known = packages.get(outcome)
                        if known is None:
                            known = packages[outcome] = (
                                dumps(describe(outcome)),
                                dumps(dict(zip(ids, table[outcome], strict=True))))
                        package, values = known
                        if factors is not None:
                            values = dumps({p: u * d**round_ for p, u, d
                                            in zip(ids, table[outcome], factors, strict=True)})
                    # turn, round and time held by control characters, which JSON text
                    # never holds raw, then opened as format fields
                    text = template.format(
                        "\x00", "\x01", "\x02", dumps(event.kind), dumps(event.party),
                        package, values, dumps(bool(getattr(event, "prefers", False))),
                        dumps(event.note)).replace("{", "{{").replace("}", "}}") \
                        .replace("\x00", "{0}").replace("\x01", "{1}").replace("\x02", "{2}")
                    if len(texts) >= BLOCK:
                        texts.clear()
                    hit = texts[id(event), id(outcome)] = (event, outcome, text.format)
                add(hit[2](turn, round_, time_text(time)))
                turn += 1
            yield out

    # -- Sequence ------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.events)

    def _range(self, start: int, stop: int) -> Iterator[dict[str, Any]]:
        return self.entries(start, stop)

    def __repr__(self) -> str:
        return f"<log of {len(self)} entries>"


_FIELDS = ("turn", "round", "time", "kind", "party", "outcome", "utilities", "prefers", "note")


def _template(shape: tuple[bool, bool, bool], extra: dict[str, str],
              dumps: Callable[[Any], str], sort_keys: bool,
              separators: tuple[str, str]) -> str:
    """The ``str.format`` template of one kind of entry (with or without a package, a
    vote, a note): positional fields in :data:`_FIELDS` order, keys in entry order or
    sorted."""
    has_outcome, is_vote, has_note = shape
    present = [(k, f"{{{n}}}") for n, k in enumerate(_FIELDS)
               if (k not in ("outcome", "utilities") or has_outcome)
               and (k != "prefers" or is_vote) and (k != "note" or has_note)]
    present += [(k, v.replace("{", "{{").replace("}", "}}")) for k, v in extra.items()]
    if sort_keys:
        present.sort()
    item, key = separators
    body = item.join(dumps(k).replace("{", "{{").replace("}", "}}") + key + v
                     for k, v in present)
    return "{{" + body + "}}"


class ItemLogs(Ranged[dict[str, Any]]):
    """The log of an item-by-item session: each item's log in turn (entries carry
    ``item``), lazily like :class:`LogView`."""

    __slots__ = ("parts", "_starts")

    def __init__(self, parts: Sequence[LogView]) -> None:
        self.parts = tuple(parts)
        starts = [0]
        for part in self.parts:
            starts.append(starts[-1] + len(part))
        self._starts = starts

    def __len__(self) -> int:
        return self._starts[-1]

    def _range(self, start: int, stop: int) -> Iterator[dict[str, Any]]:
        for part, first in zip(self.parts, self._starts, strict=False):
            lo, hi = max(start - first, 0), min(stop - first, len(part))
            if lo < hi:
                yield from part.entries(lo, hi)

    def encoded(self, encode: Callable[[Any], str] | None = None, sort_keys: bool = False,
                separators: tuple[str, str] = (", ", ": ")) -> Iterator[str]:
        """Each entry as JSON text (see :meth:`LogView.encoded`)."""
        for part in self.parts:
            yield from part.encoded(encode, sort_keys, separators)

    def encoded_blocks(self, encode: Callable[[Any], str] | None = None,
                       sort_keys: bool = False, separators: tuple[str, str] = (", ", ": "),
                       ) -> Iterator[list[str]]:
        """Entries' JSON texts a block at a time (see :meth:`LogView.encoded_blocks`)."""
        for part in self.parts:
            yield from part.encoded_blocks(encode, sort_keys, separators)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for part in self.parts:
            yield from part

    def __repr__(self) -> str:
        return f"<log of {len(self)} entries over {len(self.parts)} items>"


def as_list(value: Any) -> list[Any]:
    """``json.dumps``'s ``default`` for a lazy log: the whole list, in memory (stream it
    with :func:`write_json` instead)."""
    if isinstance(value, LogView | ItemLogs):
        return list(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def write_json(document: Any, write: Callable[[str], Any], level: int = 0) -> None:
    """Write ``document`` as ``json.dumps(document, indent=2, ensure_ascii=False)`` would,
    except that a lazy log is written one entry per line, entry by entry (memory stays
    flat however long the log)."""
    pad = "  " * level
    if isinstance(document, LogView | ItemLogs):
        if not len(document):
            write("[]")
            return
        inner = "\n" + pad + "  "
        write("[" + inner)
        first = True
        for block in document.encoded_blocks():
            if block:
                write(("" if first else "," + inner) + ("," + inner).join(block))
                first = False
        write("\n" + pad + "]")
        return
    if isinstance(document, dict) and document:
        write("{")
        for k, (key, value) in enumerate(document.items()):
            write(("\n" if k == 0 else ",\n") + pad + "  " + json.dumps(str(key), ensure_ascii=False)
                  + ": ")
            write_json(value, write, level + 1)
        write("\n" + pad + "}")
        return
    write(json.dumps(document, indent=2, ensure_ascii=False, default=as_list)
          .replace("\n", "\n" + pad))
