"""Plain-text helpers shared by the terminal reports."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence


def table(header: Sequence[str], rows: Sequence[Sequence[str] | str],
          right: Sequence[int] = ()) -> str:
    """A fixed-width table; columns listed in ``right`` are right-aligned. A cell may
    hold several lines (``"\n"``): its row then takes as many lines, the other cells on
    the first. A row given as one string is a heading line across the table (a group of
    the rows below it)."""
    cells = [[str(c).split("\n") for c in row] if not isinstance(row, str) else [[row]]
             for row in [header, *rows]]
    grid = [row for row, given in zip(cells, [header, *rows], strict=True)
            if not isinstance(given, str)]
    widths = [max(len(line) for cell in col for line in cell) for col in zip(*grid, strict=True)]

    def lines(row: Sequence[list[str]]) -> list[str]:
        if len(row) == 1 and len(widths) > 1:  # a heading line
            return ["  " + row[0][0]]
        out = []
        for k in range(max(len(cell) for cell in row)):
            parts = []
            for j, cell in enumerate(row):
                text = cell[k] if k < len(cell) else ""
                parts.append(text.rjust(widths[j]) if j in right else text.ljust(widths[j]))
            out.append("  " + "  ".join(parts).rstrip())
        return out

    rule = "  " + "  ".join("-" * w for w in widths)
    return "\n".join([*lines(cells[0]), rule, *(line for row in cells[1:] for line in lines(row))])


def fill(text: str, width: int, hang: str = "  ") -> str:
    """``text`` as lines of at most ``width`` characters (continuation lines indented by
    ``hang``), for a table cell: nothing is cut."""
    return textwrap.fill(" ".join(text.split()), width=width, subsequent_indent=hang,
                         break_on_hyphens=False)


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
