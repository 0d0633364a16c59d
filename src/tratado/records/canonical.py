"""Canonical JSON of a session record: one byte sequence per record, written in pieces.

The canonical form is what replay compares, byte for byte, and what a signature or a
hash will cover. Its rules:

* UTF-8, no byte-order mark; text is written as itself (``ensure_ascii`` off), with
  JSON's escapes for quotes, backslashes and control characters only.
* The top-level object lists its members in the documented order
  (:data:`TOP_LEVEL_ORDER`; members a record does not have are left out, members no
  record has come last, sorted), one member per line: ``{"tratado_record":1,\\n"view":...``.
* ``log`` holds one event per line: ``"log":[\\n{...},\\n{...}\\n]`` (``"log":[]`` when
  empty), so a long log can be written event by event (:func:`iter_canonical`) and read
  with line tools.
* Every nested object has its keys sorted (by code point), no spaces: ``{"a":1,"b":[1,2]}``.
* Numbers: integers as integers; floats as Python's shortest round-tripping ``repr``
  (``0.1``, ``1.0``, ``1e-07``, ``1e+16``); NaN and infinities are refused.
* The document ends with ``}`` and one newline.

:func:`canonical_json` gives the whole document, :func:`iter_canonical` the same bytes
in pieces (whatever writes a long record event by event must produce the same pieces),
:func:`read_record` parses a record that may come from a stranger within
:mod:`tratado.limits` (``input_bytes``, ``nesting``, ``number_digits``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from tratado.errors import TratadoError
from tratado.files import read_input
from tratado.limits import env_name, excerpt, limit

TOP_LEVEL_ORDER = (
    "tratado_record", "view", "scenario", "what_if", "stakeholders", "protocol", "move_budget",
    "parties", "negotiators", "seed", "log", "agreement", "result", "items", "source", "timing",
)
"""The order of a record's top-level members in the canonical form."""


def _default(value: Any) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"a record holds JSON values only, not {type(value).__name__}")


_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, sort_keys=True,
                            separators=(",", ":"), default=_default)


def canonical_value(value: Any) -> str:
    """One JSON value in canonical form (sorted keys, no spaces, shortest floats)."""
    return _ENCODER.encode(value)


def _order(record: Mapping[str, Any]) -> list[str]:
    known = [key for key in TOP_LEVEL_ORDER if key in record]
    return known + sorted(key for key in record if key not in TOP_LEVEL_ORDER)


def iter_canonical(record: Mapping[str, Any]) -> Iterator[str]:
    """The canonical form of ``record`` in pieces (the ``log`` event by event); joined,
    they are :func:`canonical_json`. ``record["log"]`` may be any iterable of entries,
    consumed once."""
    first = True
    for key in _order(record):
        yield ("{" if first else ",\n") + canonical_value(key) + ":"
        first = False
        if key == "log":
            yield from iter_log(record[key])
        else:
            yield canonical_value(record[key])
    yield ("{" if first else "") + "}\n"


def iter_log(entries: Iterable[Any]) -> Iterator[str]:
    """The canonical ``log`` array, one entry per piece (a block of entries per piece
    for a lazy log, which builds its canonical texts itself)."""
    opened = False
    blocks = getattr(entries, "encoded_blocks", None)
    if callable(blocks):
        for block in blocks(canonical_value, True, (",", ":")):
            if block:
                yield ("[\n" if not opened else ",\n") + ",\n".join(block)
                opened = True
        yield "\n]" if opened else "[]"
        return
    for entry in entries:
        yield ("[\n" if not opened else ",\n") + canonical_value(entry)
        opened = True
    yield "\n]" if opened else "[]"


def canonical_json(record: Mapping[str, Any]) -> str:
    """The whole canonical document (see the module docstring)."""
    return "".join(iter_canonical(record))


# -- reading a record that may come from anyone ------------------------------------------


class RecordError(TratadoError):
    """A record that cannot be read: too big, too deep, malformed JSON, not an object."""


_PLAIN_STRING = re.compile(r'"[^"]*"')
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = np.zeros(256, dtype=np.int8)
_BRACKETS[[ord("["), ord("{")]] = 1
_BRACKETS[[ord("]"), ord("}")]] = -1
_CHUNK = 1 << 20


def _depth(skeleton: str) -> int:
    """The deepest nesting of brackets in ``skeleton`` (JSON with its strings emptied),
    in chunks: bounded memory, numpy speed."""
    data = skeleton.encode("ascii", "replace")
    deepest = level = 0
    for start in range(0, len(data), _CHUNK):
        steps = _BRACKETS[np.frombuffer(data, np.uint8, min(_CHUNK, len(data) - start), start)]
        if not steps.any():
            continue
        levels = np.cumsum(steps, dtype=np.int64) + level
        deepest = max(deepest, int(levels.max()))
        level = int(levels[-1])
    return deepest


def _skeleton(text: str) -> str:
    """``text`` with every JSON string emptied (what is left is structure and numbers)."""
    if "\\" not in text:  # no escapes: a string runs from one quote to the next
        return _PLAIN_STRING.sub('""', text)
    return _STRING.sub('""', text)


def parse_record(text: str | bytes, source: str = "the record") -> dict[str, Any]:
    """Parse an untrusted record (text or bytes) within the limits, or
    :class:`RecordError` saying which limit or what is malformed. The limits are
    checked on the text before it is parsed: nesting (100,000 ``[`` never reach the
    parser), number length, and numbers beyond floating point (``1e999``)."""
    size = len(text)
    if size > limit("input_bytes"):
        raise RecordError(
            f"the record is {size:,} bytes, over the limit of {limit('input_bytes'):,}.",
            file=source, fix=f"raise the limit with {env_name('input_bytes')} if you trust it.")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise RecordError(f"the record is not UTF-8 text ({error.reason}).", file=source,
                              fix="give the JSON saved by `tratado simulate --log FILE`.") from None
    skeleton = _skeleton(text)
    nesting = limit("nesting")
    if _depth(skeleton) > nesting:
        raise RecordError(f"the record nests lists or objects more than {nesting} deep.",
                          file=source, fix=f"a session record nests a few levels only; raise"
                          f" the limit with {env_name('nesting')} if you trust it.")
    digits = limit("number_digits")
    long = re.search(r"[-+0-9.eE]{" + str(digits + 1) + ",}", skeleton)
    if long is not None:
        token = long.group()
        raise RecordError(f"a number in the record has {len(token):,} characters"
                          f" ({excerpt(token)}), over the limit of {digits}.", file=source,
                          fix="records hold short numbers only; raise the limit with"
                          f" {env_name('number_digits')} if you trust it.")
    for match in re.finditer(r"-?[0-9.]+[eE][-+]?[0-9]{3,}", skeleton):
        if not math.isfinite(float(match.group())):
            raise RecordError(f"a number in the record is out of range ({excerpt(match.group())}).",
                              file=source, fix="records hold finite numbers only.")

    def constant(token: str) -> Any:
        raise RecordError(f"the record holds {token}, which is not a JSON number.", file=source,
                          fix="records hold finite numbers only.")

    try:
        value = json.loads(text, parse_constant=constant)
    except json.JSONDecodeError as error:
        raise RecordError(f"this is not JSON ({error.msg}, line {error.lineno}).", file=source,
                          fix="give the JSON saved by `tratado simulate --log FILE`.") from None
    except (RecursionError, ValueError) as error:
        raise RecordError(f"the record cannot be read ({type(error).__name__}).", file=source,
                          fix="give the JSON saved by `tratado simulate --log FILE`.") from None
    if not isinstance(value, dict):
        raise RecordError("this JSON is not a session record (not an object).", file=source,
                          fix="give the JSON saved by `tratado simulate --log FILE`.")
    return value


def read_record(path: str | Path) -> dict[str, Any]:
    """Read and parse the record file ``path`` (:func:`parse_record`), refusing a file
    over the ``input_bytes`` limit before reading it."""
    data = read_input(path, error=RecordError, what="record file",
                      fix="give the JSON saved by `tratado simulate --log FILE`.")
    return parse_record(data, str(path))
