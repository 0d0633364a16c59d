"""Reading input files within tratado's limits, so a hostile file is refused, not obeyed.

Every reader goes through here: the file's size is checked before it is read
(``limit("input_bytes")``), standard input (``-``) is read with the same cap, JSON is
scanned for its bracket depth before the parser (which recurses) sees it
(``limit("nesting")``), and numbers with more digits than ``limit("number_digits")``
are kept as :class:`HugeNumber` placeholders that the field readers refuse with the
field's name and line. A JSON key given twice in one object is refused (``json`` would
keep the last one silently). See ``docs/security.md``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np

from tratado.errors import ScenarioError, TratadoError
from tratado.files import read_input, too_large
from tratado.limits import env_name, excerpt, limit

#: How a scenario read from standard input is named in messages.
STDIN_NAME = "<standard input>"


class HugeNumber:
    """A number written with more digits than tratado reads (kept as its text).

    Readers refuse it where a number is expected, naming the field; its ``str`` is a
    short excerpt, so no message ever quotes the whole of it.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    @property
    def digits(self) -> int:
        return count_digits(self.text)

    def __str__(self) -> str:
        return excerpt(self.text)

    __repr__ = __str__

    def refusal(self) -> tuple[str, str]:
        """The message and the fix for a field that holds this number."""
        return (f"the number {excerpt(self.text)} has {self.digits:,} digits, more than the "
                f"{limit('number_digits'):,} tratado reads.",
                "write a number of ordinary size; if it really needs more digits, raise the limit "
                f"with {env_name('number_digits')}.")


_NOT_DIGITS = b"+-.,_: \t"


def count_digits(text: str) -> int:
    """Digits (and letters, as in 1e5 or 0xff) in a number's text; signs, points and
    separators are not counted. Linear and in C: a 50 MB attribute takes milliseconds."""
    return len(text.encode("ascii", "ignore").translate(None, _NOT_DIGITS))


def too_many_digits(text: str) -> bool:
    return len(text) > limit("number_digits") and count_digits(text) > limit("number_digits")


def size_refusal(file: str, size: int) -> TratadoError:
    return too_large(file, size, ScenarioError)


def read_bytes(path: str | Path) -> bytes:
    """The bytes of ``path``, within the ``input_bytes`` limit (:func:`tratado.files.read_input`)."""
    return read_input(path, error=ScenarioError)


def decode(data: bytes, file: str, encoding: str = "utf-8") -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"the file is not {encoding.upper()} text (byte {exc.start:,}).",
                            file=file, fix="save it as UTF-8.") from None


def read_text(path: str | Path, encoding: str = "utf-8") -> str:
    """The text of ``path`` (size-capped, see :func:`read_bytes`)."""
    return decode(read_bytes(path), str(path), encoding)


def read_stdin() -> str:
    """Standard input as text, refusing more than ``limit("input_bytes")`` bytes."""
    cap = limit("input_bytes")
    stream = getattr(sys.stdin, "buffer", None)
    data: bytes = (stream.read(cap + 1) if stream is not None
                   else sys.stdin.read(cap + 1).encode("utf-8"))
    if len(data) > cap:
        raise size_refusal(STDIN_NAME, len(data))
    return decode(data, STDIN_NAME, "utf-8-sig")


# -- JSON ------------------------------------------------------------------------------
_JSON_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_OPEN = np.zeros(256, dtype=np.int8)
_OPEN[[ord("["), ord("{")]] = 1
_OPEN[[ord("]"), ord("}")]] = -1


def json_depth(text: str) -> int:
    """How deeply the brackets of a JSON text nest (strings skipped), without parsing it."""
    data = np.frombuffer(_JSON_STRING.sub('""', text).encode("utf-8"), dtype=np.uint8)
    deepest, level, chunk = 0, 0, 1 << 20
    for start in range(0, data.size, chunk):
        steps = _OPEN[data[start:start + chunk]].astype(np.int32)
        if not steps.any():
            continue
        running = np.cumsum(steps) + level
        deepest = max(deepest, int(running.max()))
        level = int(running[-1])
    return deepest


def _int(text: str) -> int | HugeNumber:
    if too_many_digits(text):
        return HugeNumber(text)
    try:
        return int(text)
    except ValueError:  # beyond Python's own digit limit, when number_digits was raised
        return HugeNumber(text)


def _float(text: str) -> float | HugeNumber:
    return HugeNumber(text) if too_many_digits(text) else float(text)


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON objects whose keys are unique (the json module would keep the last silently)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def parse_json(text: str, file: str) -> Any:
    """Parse JSON text whose nesting and numbers stay within tratado's limits."""
    depth = json_depth(text)
    if depth > limit("nesting"):
        raise ScenarioError(
            f"the brackets nest {depth:,} levels deep, more than the {limit('nesting')} tratado "
            "reads.", file=file,
            fix=f"check that this is the right file; if it is, raise {env_name('nesting')}.")
    try:
        return json.loads(text, parse_int=_int, parse_float=_float,
                          object_pairs_hook=_unique_keys)
    except _DuplicateKey as exc:
        raise ScenarioError(f"the key '{excerpt(exc.key)}' is given twice in one object.",
                            file=file, fix="keep one of the two entries.") from None
    except json.JSONDecodeError as exc:
        raise ScenarioError(f"this is not valid JSON ({exc.msg}).", file=file, line=exc.lineno,
                            fix="check the brackets, commas and quotes there.") from None
    except RecursionError:  # only when the nesting limit was raised past Python's stack
        raise ScenarioError("the brackets nest too deeply for this Python to read.", file=file,
                            fix=f"lower {env_name('nesting')}, or flatten the file.") from None
