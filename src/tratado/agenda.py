"""The things to decide: issues, their options, and the agenda that orders them.

An *outcome* picks one option per issue. Internally it is a row of option indices
(issue 0 first); a whole outcome space is enumerated in mixed radix, issue 0 most
significant, so outcome index order is the lexicographic order of those rows.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np

from tratado.errors import OutcomeSpaceTooLarge, ScenarioError
from tratado.labels import check_option_labels, clean_text
from tratado.limits import excerpt

IssueKind = Literal["categorical", "integer", "continuous"]
Option = str | int | float

NAME_PATTERN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")

#: Largest outcome space that exact operations enumerate by default.
DEFAULT_ENUMERATION_LIMIT = 50_000_000

#: Most options one numeric issue may have (its range divided by its step).
MAX_OPTIONS = 1_000_000

#: Longest issue name or party id (identifiers; the wording people read goes in titles).
MAX_NAME_LENGTH = 200


def _texts(title: str | None, description: str | None) -> tuple[str | None, str | None]:
    """An issue's title and description in NFC, refusing invisible formatting characters."""
    return (None if title is None else clean_text(title),
            None if description is None else clean_text(description, multiline=True))


def _check_count(name: str, count: float) -> None:
    if not count < MAX_OPTIONS:
        shown = (f"about 10^{int(count.bit_length() * math.log10(2))}"
                 if isinstance(count, int) and count > 10**15 else f"{count:.3g}")
        raise ScenarioError(
            f"issue '{name}' would have {shown} options, more than the {MAX_OPTIONS:,} an"
            " issue may have.",
            fix="use a larger step or a narrower range.",
        )


@dataclass(frozen=True, repr=False)
class Issue:
    """One thing to decide, with its ordered options.

    Build issues with :meth:`categorical`, :meth:`integer` or :meth:`continuous`.
    """

    name: str
    kind: IssueKind
    options: tuple[Option, ...]
    title: str | None = None
    description: str | None = None
    low: float | None = None
    high: float | None = None
    step: float | None = None

    @classmethod
    def categorical(
        cls,
        name: str,
        options: Sequence[str],
        *,
        title: str | None = None,
        description: str | None = None,
    ) -> Issue:
        """An issue whose options are named, in a meaningful order (e.g. worst to best for one side)."""
        labels = tuple(clean_text(str(o)) for o in options)
        if not labels:
            raise ScenarioError(f"issue '{name}' has no options.", fix="list at least one option.")
        seen: set[str] = set()
        for label in labels:
            if label in seen:
                raise ScenarioError(
                    f"issue '{name}' lists option '{excerpt(label)}' twice.",
                    fix="give each option a distinct label.",
                )
            seen.add(label)
        check_option_labels(name, labels)
        return cls(name, "categorical", labels, *_texts(title, description))

    @classmethod
    def integer(
        cls,
        name: str,
        low: int,
        high: int,
        step: int = 1,
        *,
        title: str | None = None,
        description: str | None = None,
    ) -> Issue:
        """Whole numbers from ``low`` to ``high`` by ``step`` (both ends included)."""
        if step <= 0:
            raise ScenarioError(f"issue '{name}' has step {step}.", fix="use a positive step.")
        if high < low:
            raise ScenarioError(
                f"issue '{name}' has max {high} below min {low}.", fix="swap min and max."
            )
        _check_count(name, (int(high) - int(low)) // int(step) + 1)  # exact: bounds may be huge
        options = tuple(range(int(low), int(high) + 1, int(step)))
        if options[-1] != high:
            raise ScenarioError(
                f"issue '{name}': max - min ({high - low}) is not a multiple of step {step}.",
                fix=f"use max: {options[-1]} or another step.",
            )
        return cls(name, "integer", options, *_texts(title, description), low, high, step)

    @classmethod
    def continuous(
        cls,
        name: str,
        low: float,
        high: float,
        step: float,
        *,
        title: str | None = None,
        description: str | None = None,
    ) -> Issue:
        """A continuous range, enumerated on a grid of ``step`` for exact analysis."""
        if not step > 0:
            raise ScenarioError(
                f"issue '{name}' is continuous and needs a positive step for exact analysis.",
                fix="add e.g. 'step: 0.1' (the grid on which outcomes are enumerated).",
            )
        if high < low:
            raise ScenarioError(
                f"issue '{name}' has max {high} below min {low}.", fix="swap min and max."
            )
        count = (high - low) / step
        if not math.isfinite(count):
            raise ScenarioError(f"issue '{name}' spans {high - low:g} in steps of {step:g}.",
                                fix="use finite bounds of ordinary size and a finite step.")
        _check_count(name, count + 1)
        n = round(count)
        if abs(count - n) > 1e-9 * max(1.0, count):
            raise ScenarioError(
                f"issue '{name}': max - min ({high - low:g}) is not a multiple of step {step:g}.",
                fix="choose a step that divides the range.",
            )
        values = tuple(float(round(low + k * step, 12)) for k in range(n + 1))
        return cls(name, "continuous", values, *_texts(title, description), float(low), float(high),
                   step)

    def __len__(self) -> int:
        return len(self.options)

    def __repr__(self) -> str:
        return f"Issue({self.name!r}, {self.kind}, {len(self.options):,} options)"

    @property
    def is_numeric(self) -> bool:
        """True for integer and continuous issues."""
        return self.kind != "categorical"

    @property
    def label(self) -> str:
        """The wording to show people: the title when there is one."""
        return self.title or self.name

    def numeric_values(self) -> np.ndarray:
        """The options as floats (numeric issues only)."""
        if not self.is_numeric:
            raise TypeError(f"issue '{self.name}' is categorical")
        return np.asarray(self.options, dtype=float)

    def index(self, option: object) -> int:
        """Position of ``option``; numbers match numeric options by value."""
        if self.is_numeric and not isinstance(option, bool):
            try:
                value = float(option)  # type: ignore[arg-type]
            except (TypeError, ValueError, OverflowError):
                value = math.nan
            if not math.isnan(value):
                values = self.numeric_values()
                hits = np.flatnonzero(np.isclose(values, value, rtol=0, atol=1e-9))
                if hits.size:
                    return int(hits[0])
        else:
            text = unicodedata.normalize("NFC", str(option))
            for position, label in enumerate(self.options):
                if label == text:
                    return position
        shown = ", ".join(str(o) for o in self.options[:8])
        more = ", ..." if len(self.options) > 8 else ""
        raise ScenarioError(
            f"'{excerpt(option)}' is not an option of issue '{self.name}'.",
            fix=f"use one of: {excerpt(shown)}{more}.",
        )


@dataclass(frozen=True)
class OffAgendaTopic:
    """A topic the parties explicitly keep off the agenda."""

    topic: str
    note: str | None = None


@dataclass(frozen=True, repr=False)
class Agenda:
    """The ordered issues (the outcome space) and the topics kept off it."""

    issues: tuple[Issue, ...]
    off_agenda: tuple[OffAgendaTopic, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.issues:
            raise ScenarioError("the agenda has no issues.", fix="add at least one issue.")
        seen: set[str] = set()
        for issue in self.issues:
            if issue.name in seen:
                raise ScenarioError(
                    f"two issues are named '{issue.name}'.", fix="give each issue a unique name."
                )
            seen.add(issue.name)

    def __len__(self) -> int:
        return len(self.issues)

    def __repr__(self) -> str:
        names = list(self.names[:8]) + (["..."] if len(self.issues) > 8 else [])
        return f"Agenda({len(self.issues)} issues: {', '.join(names)}; {self.size:,} outcomes)"

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.issues)

    @cached_property
    def names(self) -> tuple[str, ...]:
        """The issues' names, in agenda order (an agenda does not change: kept)."""
        return tuple(issue.name for issue in self.issues)

    @cached_property
    def shape(self) -> tuple[int, ...]:
        """Number of options of each issue, in agenda order (kept: a forecast asks for it
        dozens of times per sample)."""
        return tuple(len(issue) for issue in self.issues)

    @property
    def size(self) -> int:
        """Number of outcomes (an exact Python integer, however large)."""
        return math.prod(self.shape)

    def issue(self, name: str) -> Issue:
        """The issue called ``name`` (a clear error naming the known issues otherwise)."""
        for issue in self.issues:
            if issue.name == name:
                return issue
        raise ScenarioError(
            f"there is no issue named '{name}'.",
            fix=f"use one of: {excerpt(', '.join(self.names))}.",
        )

    def position(self, name: str) -> int:
        """Where the issue called ``name`` stands on the agenda (0-based)."""
        return self.names.index(self.issue(name).name)

    # -- outcomes ---------------------------------------------------------------
    def outcome(self, choices: Mapping[str, object]) -> np.ndarray:
        """The option-index row for ``{issue: option}``; every issue must be given."""
        row = np.empty(len(self.issues), dtype=np.int64)
        missing = [name for name in self.names if name not in choices]
        if missing:
            raise ScenarioError(
                f"the outcome does not choose an option for {', '.join(missing)}.",
                fix="name one option for every issue on the agenda.",
            )
        for name in choices:
            self.issue(name)
        for position, issue in enumerate(self.issues):
            row[position] = issue.index(choices[issue.name])
        return row

    def describe(self, row: Sequence[int] | np.ndarray) -> dict[str, Option]:
        """``{issue: option}`` for an option-index row."""
        return {
            issue.name: issue.options[int(i)] for issue, i in zip(self.issues, row, strict=True)
        }

    def outcomes(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Rows of option indices for outcome indices ``start`` to ``stop`` (mixed radix)."""
        stop = self.size if stop is None else min(stop, self.size)
        index = np.arange(start, stop, dtype=np.int64)
        rows = np.empty((index.size, len(self.issues)), dtype=np.int64)
        for position in range(len(self.issues) - 1, -1, -1):
            n = len(self.issues[position])
            rows[:, position] = index % n
            index //= n
        return rows

    def all_outcomes(self, limit: int = DEFAULT_ENUMERATION_LIMIT, purpose: str = "") -> np.ndarray:
        """Every outcome as rows, refusing spaces larger than ``limit``."""
        self.check_enumerable(limit, purpose)
        return self.outcomes()

    def chunks(self, chunk_size: int = 1 << 20) -> Iterator[np.ndarray]:
        """The whole space, ``chunk_size`` rows at a time (bounded memory)."""
        if self.size >= 2**63:
            raise OutcomeSpaceTooLarge(
                f"the outcome space has {self.size:.3g} outcomes, more than can be enumerated.",
                fix="use linear-additive preferences (analysed without enumeration) or fewer options.",
            )
        for start in range(0, self.size, chunk_size):
            yield self.outcomes(start, start + chunk_size)

    def index_of(self, rows: np.ndarray) -> np.ndarray:
        """Mixed-radix outcome indices of option-index rows."""
        rows = np.atleast_2d(rows)
        index = np.zeros(rows.shape[0], dtype=np.int64)
        for position, issue in enumerate(self.issues):
            index = index * len(issue) + rows[:, position]
        return index

    def check_enumerable(self, limit: int, purpose: str = "", fix: str | None = None) -> None:
        """Refuse (with the size and what to do instead: ``fix``, or by default the
        analysis's options) a space larger than ``limit``."""
        if self.size > limit:
            doing = f" for {purpose}" if purpose else ""
            raise OutcomeSpaceTooLarge(
                f"the outcome space has {self.size:,} outcomes ({' x '.join(map(str, self.shape))}),"
                f" more than the {limit:,} that tratado enumerates{doing}.",
                fix=fix or "use linear-additive preferences (their frontier is found without"
                " enumerating), fewer options or a coarser step, or raise the limit"
                " (--max-outcomes).",
            )
