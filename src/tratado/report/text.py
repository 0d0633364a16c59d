"""Plain-text helpers shared by the terminal reports."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence


def table(header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """A fixed-width table; columns listed in ``right`` are right-aligned."""
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        out = []
        for j, cell in enumerate(cells):
            out.append(str(cell).rjust(widths[j]) if j in right else str(cell).ljust(widths[j]))
        return "  " + "  ".join(out).rstrip()

    rule = "  " + "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def wrap(text: str, indent: str = "  ", width: int = 88, hang: str | None = None) -> str:
    """Fill ``text`` to ``width``; continuation lines take ``hang`` (default: ``indent``)."""
    return textwrap.fill(" ".join(text.split()), width=width, initial_indent=indent,
                         subsequent_indent=indent if hang is None else hang)


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def heading(text: str) -> str:
    return f"\n{text}\n{'=' * len(text)}" if text else ""


def section(text: str) -> str:
    return f"\n{text}\n{'-' * len(text)}"
