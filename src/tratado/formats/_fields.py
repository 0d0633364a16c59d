"""Reading nested mappings with errors that name the file, the field path and the line.

Shared by every file format: a :class:`Document` wraps the parsed data of one file,
and its ``get`` helpers raise :class:`~tratado.errors.ScenarioError` with the field
path (``parties[0].preferences.weights``) and, when known, the line.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from typing import Any, NoReturn

from tratado.errors import ScenarioError
from tratado.formats._input import HugeNumber
from tratado.labels import clean_text
from tratado.limits import excerpt

Path = tuple[str | int, ...]


def field_name(path: Path) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + excerpt(part)
    return text


class Document:
    """One input file's parsed data plus what is needed to point at a field in it."""

    def __init__(self, file: str, lines: Mapping[tuple[str, ...], int] | None = None) -> None:
        self.file = file
        self.lines = dict(lines or {})

    def line(self, path: Path) -> int | None:
        key = tuple(str(p) for p in path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return None

    def fail(self, path: Path, message: str, fix: str | None = None) -> NoReturn:
        raise ScenarioError(
            message, file=self.file, field=field_name(path) or None, line=self.line(path), fix=fix
        )

    # -- typed getters ---------------------------------------------------------
    def mapping(self, value: Any, path: Path) -> Mapping[Any, Any]:
        if not isinstance(value, Mapping):
            self.fail(path, f"expected a mapping of 'key: value' lines, found {_kind(value)}.")
        return value

    def sequence(self, value: Any, path: Path) -> list[Any]:
        if not isinstance(value, list):
            self.fail(path, f"expected a list, found {_kind(value)}.", "write it as '[a, b]' or '- a' lines.")
        return value

    def text(self, value: Any, path: Path, *, multiline: bool = False) -> str:
        """Text (numbers are taken as their text), normalised to NFC and refused when it
        holds control or bidirectional-override characters (:mod:`tratado.labels`)."""
        if isinstance(value, HugeNumber):
            value = value.text
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(path, f"expected text, found {_kind(value)}.", _yes_no_fix(value))
        try:
            return clean_text(str(value), multiline=multiline)
        except ScenarioError as exc:
            self.fail(path, exc.message, exc.fix)

    def number(self, value: Any, path: Path, fix: str | None = None) -> float:
        self._refuse_huge(value, path)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(path, f"expected a number, found {_kind(value)}.", fix or _yes_no_fix(value))
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            self.fail(path, f"expected a finite number, found {excerpt(value)}.",
                      fix or "write a number of ordinary size.")
        return number

    def integer(self, value: Any, path: Path) -> int:
        self._refuse_huge(value, path)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, f"expected a whole number, found {_kind(value)}.", _yes_no_fix(value))
        return int(value)

    def _refuse_huge(self, value: Any, path: Path) -> None:
        if isinstance(value, HugeNumber):
            self.fail(path, *value.refusal())

    def check_keys(self, data: Mapping[Any, Any], allowed: Iterable[str], path: Path) -> None:
        allowed = list(allowed)
        for key in data:
            if key not in allowed:
                near = difflib.get_close_matches(str(key)[:100], allowed, n=1)
                hint = f"did you mean '{near[0]}'?" if near else f"known fields: {', '.join(allowed)}."
                self.fail((*path, str(key)), f"unknown field '{excerpt(key)}'.", hint)

    def required(self, data: Any, key: str, path: Path, fix: str | None = None) -> Any:
        data = self.mapping(data, path)
        if key not in data or data[key] is None:
            self.fail((*path, key), f"the required field '{key}' is missing.", fix)
        return data[key]


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (a yes/no value)"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, HugeNumber):
        return f"a number with {value.digits:,} digits"
    if isinstance(value, str):
        return f"text '{excerpt(value)}'"
    return f"'{excerpt(value)}'"


def _yes_no_fix(value: Any) -> str | None:
    """YAML reads yes, no, on, off, true and false as yes/no values, not as text."""
    if isinstance(value, bool):
        return ("YAML reads yes/no/on/off/true/false as a yes/no value; put quotes around it"
                " to mean the word (e.g. 'yes').")
    return None
