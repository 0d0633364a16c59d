"""One row per measured case, and the one renderer every engine case goes through.

A :class:`Row` holds what was measured for tratado and for NegMAS (a rate: higher is
better), the target ratio, and free text for the details; :func:`render` prints the rows
as a text table (and, with ``markdown=True``, the table for docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class Row:
    """One measured case. ``tratado`` / ``negmas``: medians of a rate in ``unit`` (None:
    not run); ``target``: the ratio tratado/NegMAS to reach (None: no target); ``text``:
    what to print instead of a number for tratado (e.g. memory figures); ``flag``: a
    verdict for rows without a ratio (e.g. ``flat``); ``notes``: lines printed under it."""

    case: str
    unit: str = ""
    tratado: float | None = None
    negmas: float | None = None
    target: float | None = None
    text: str | None = None
    negmas_text: str | None = None
    flag: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def ratio(self) -> float | None:
        if self.tratado is None or self.negmas is None or not self.negmas:
            return None
        return self.tratado / self.negmas

    @property
    def met(self) -> str:
        if self.flag is not None:
            return self.flag
        if self.target is None or self.ratio is None:
            return "-"
        return "yes" if self.ratio >= self.target else "NO"


def number(x: float | None) -> str:
    """A rate, to 3 significant digits or whole thousands."""
    if x is None:
        return "-"
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}"


def times(x: float | None) -> str:
    return "-" if x is None else f"{x:,.0f}x" if x >= 10 else f"{x:,.1f}x"


def _cells(row: Row) -> list[str]:
    ours = row.text if row.text is not None else f"{number(row.tratado)} {row.unit}".strip()
    theirs = (row.negmas_text if row.negmas_text is not None
              else f"{number(row.negmas)} {row.unit}".strip() if row.negmas is not None else "-")
    target = "-" if row.target is None else f">= {row.target:g}x"
    return [row.case, ours, theirs, times(row.ratio), target, row.met]


HEADER = ["case", "tratado", "NegMAS", "tratado / NegMAS", "target", "met"]


def render(rows: Sequence[Row], markdown: bool = False) -> str:
    """The rows as an aligned text table with their notes; with ``markdown``, also the
    markdown table (no notes) for docs/performance.md."""
    cells = [HEADER] + [_cells(row) for row in rows]
    widths = [max(len(line[k]) for line in cells) for k in range(len(HEADER))]
    out = []
    for k, line in enumerate(cells):
        out.append("  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True))
                   .rstrip())
        if k == 0:
            out.append("  ".join("-" * width for width in widths))
        elif rows[k - 1].notes:
            out.extend(f"    {note}" for note in rows[k - 1].notes)
    if markdown:
        out.append("")
        out.append("| " + " | ".join(HEADER) + " |")
        out.append("|---|---:|---:|---:|---:|---|")
        out.extend("| " + " | ".join(line) + " |" for line in cells[1:])
    return "\n".join(out)
