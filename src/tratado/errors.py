"""Errors that reach users: each names the file, the field, what is wrong and how to fix it.

The command line turns any :class:`TratadoError` into one paragraph on stderr and exit
code 2; the library raises them so that callers can do the same.
"""

from __future__ import annotations


class TratadoError(Exception):
    """A mistake in the user's input, reported without a traceback."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        field: str | None = None,
        line: int | None = None,
        fix: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.field = field
        self.line = line
        self.fix = fix

    def located(self, file: str | None = None, line: int | None = None) -> TratadoError:
        """Fill in the file (and line) when the raiser did not know them."""
        if self.file is None:
            self.file = file
        if self.line is None:
            self.line = line
        return self

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f", line {self.line}"
            where += ": "
        field = f"field '{self.field}': " if self.field else ""
        text = f"{where}{field}{self.message}"
        if self.fix:
            text += f" Fix: {self.fix}"
        return text


class ScenarioError(TratadoError):
    """A scenario file (YAML, GENIUS XML, GeniusWeb JSON) is not valid."""


class OutcomeSpaceTooLarge(TratadoError):
    """An exact operation would have to enumerate more outcomes than allowed."""
