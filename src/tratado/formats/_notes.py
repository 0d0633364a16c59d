"""Notes a reader or writer gives without failing: files ignored, what a conversion lost.

They are Python warnings of category :class:`FormatNote`, so a library user sees
them (or filters them) as usual; the command line prints each one on stderr as a
``tratado: note:`` line.
"""

from __future__ import annotations


class FormatNote(UserWarning):
    """Something a user should know about a file read or written (it was not an error)."""


def report(lines: list[str]) -> None:
    """Give each line as a :class:`FormatNote` warning, attributed to the first caller
    outside ``tratado.formats`` (the user's ``load`` or ``save`` line)."""
    import sys
    import warnings

    level, frame = 1, sys._getframe(0)
    while frame.f_back is not None and str(frame.f_globals.get("__name__", "")).startswith(
            "tratado.formats"):
        frame, level = frame.f_back, level + 1
    for line in lines:
        warnings.warn(line, FormatNote, stacklevel=level)
