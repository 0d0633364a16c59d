"""Telling a participant's escape from the user's Ctrl-C.

A negotiator's move may end in any exception, including the ones that are not
``Exception`` — ``SystemExit`` from ``sys.exit()``, ``KeyboardInterrupt`` raised by hand,
``GeneratorExit``. The session counts each as that participant's failure, so a plug-in
cannot end the run silently. A *real* Ctrl-C must still stop the run: while a session
runs in the main thread, :func:`watching_interrupts` notes every SIGINT that arrives
before passing it on, and :func:`is_real_interrupt` tells the two apart.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

_arrived = 0  # SIGINTs noted while a session watched


def _note(signum: int, frame: FrameType | None, previous: Any) -> None:
    global _arrived
    _arrived += 1
    if callable(previous):
        previous(signum, frame)
    else:
        raise KeyboardInterrupt


@contextmanager
def watching_interrupts() -> Iterator[None]:
    """Note SIGINTs while the block runs (main thread only; elsewhere none can arrive)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    if getattr(previous, "_tratado_watch", False):  # a session inside a session
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        _note(signum, frame, previous)

    handler._tratado_watch = True  # type: ignore[attr-defined]
    signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def is_real_interrupt(error: BaseException, before: int | None) -> bool:
    """True when ``error`` is the user's Ctrl-C, which must stop the run, not fail a
    participant: a ``KeyboardInterrupt`` when a SIGINT arrived since ``before`` (a count
    from :func:`interrupts`), or any ``KeyboardInterrupt`` when nobody watched
    (``before`` is None: the session runs only built-in participants, which never raise
    one themselves)."""
    if not isinstance(error, KeyboardInterrupt):
        return False
    return before is None or _arrived > before


def interrupts() -> int:
    """How many SIGINTs have been noted so far."""
    return _arrived
