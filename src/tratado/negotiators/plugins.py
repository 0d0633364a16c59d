"""Creating negotiators by name, with plug-in failures said in words.

:func:`create` builds a negotiator from a registered name or ``module:Class`` like
:func:`~tratado.negotiators.registry.make`, but a constructor that raises (a plug-in's
``__init__`` may fail in any way) becomes a :class:`NegotiatorError` naming the
negotiator and what it raised, which the command line prints as one paragraph.
:func:`describe_failure` turns a session's failure entry into a sentence.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from typing import Any

from tratado.errors import TratadoError
from tratado.negotiators.base import Negotiator
from tratado.negotiators.registry import SpecError, make, registered


class NegotiatorError(TratadoError):
    """A negotiator could not be found or created."""


def create(spec: str, *, allow_plugins: bool = True, **params: Any) -> Negotiator:
    """A new negotiator from a spec (a name or ``module:Class``, with ``:key=value``
    parameters; see :func:`~tratado.negotiators.registry.make`); a constructor that raises
    becomes a :class:`NegotiatorError` naming ``spec`` (a spec tratado cannot use stays a
    :class:`~tratado.negotiators.registry.SpecError`)."""
    try:
        return make(spec, allow_plugins=allow_plugins, **params)
    except SpecError:
        raise
    except BaseException as error:  # noqa: BLE001 - a plug-in's constructor may do anything
        if isinstance(error, KeyboardInterrupt):
            raise
        raise NegotiatorError(
            f"the negotiator '{spec}' could not be created: its constructor raised"
            f" {_said(error)}.",
            field="--negotiators",
            fix="fix the negotiator's __init__, or choose another negotiator"
                " (`tratado negotiators` lists the built-in ones).",
        ) from None


def is_plugin(spec: str) -> bool:
    """Whether ``spec`` names code from outside tratado: a ``module:Class``, or a name
    another package registered (an entry point). Unknown names are not plug-ins."""
    if ":" in spec:
        return True
    cls = registered().get(spec)
    return cls is not None and not cls.__module__.startswith("tratado.")


def _said(error: BaseException) -> str:
    text = str(error)
    return f"{type(error).__name__} ({text})" if text else type(error).__name__


_WHAT = {
    "raised": "raised {detail}",
    "refused": "made a move the rules refuse: {detail}",
    "invalid": "answered something that is not a move of its own: {detail}",
    "timeout": "ran past its time budget: {detail}",
    "exit": "tried to end the program ({detail}), which counts as failing",
    "ended": "ended its own process {detail}",
    "stopped": "could not move: its process had been stopped {detail}",
}


def describe_failure(failure: Mapping[str, Any]) -> str:
    """One sentence for a session's failure entry (``party``, ``negotiator``, ``error``):
    which party, which negotiator, what it did."""
    party = failure.get("party", "?")
    negotiator = failure.get("negotiator", "?")
    error = str(failure.get("error", ""))
    kind, detail = failure_kind(error)
    what = _WHAT[kind].format(detail=detail)
    return f"{party}'s negotiator ({negotiator}) failed: it {what}."


def failure_kind(error: str) -> tuple[str, str]:
    """``(kind, detail)`` of a failure's ``error`` text: ``raised``, ``refused``,
    ``invalid``, ``timeout``, ``exit``, or — for a process-isolated negotiator —
    ``ended`` (its process ended by itself) or ``stopped``."""
    if error.startswith("refused: "):
        detail = error.removeprefix("refused: ")
        if detail.startswith(("it answered as", "it did not answer")):
            return "invalid", detail
        return "refused", detail
    name, _, message = error.partition(": ")
    if name == "TimeoutError":
        return "timeout", message or "no answer in time"
    if name == "ProcessEnded":
        return "ended", message
    if name == "ProcessStopped":
        return "stopped", message
    if name in ("SystemExit", "KeyboardInterrupt", "GeneratorExit"):
        return "exit", f"{name}{' ' + message if message else ''}"
    if name and name.isidentifier():
        return "raised", f"{name}" + (f" ({message})" if message else "")
    return "raised", error


def failure_traceback(error: BaseException, lines: int = 12) -> str:
    """The last ``lines`` lines of the traceback of ``error`` (a process-isolated
    negotiator's comes from its child); for ``--debug``, never for the record."""
    text = getattr(error, "traceback_text", None)
    if not text:
        text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return "\n".join(str(text).rstrip().splitlines()[-lines:])
