"""Plug-in negotiators that misbehave, one kind each, importable as ``misbehaving:Class``
(the test folder is on ``sys.path``; spawned children inherit it).

``KINDS`` maps a short name to each class; ``SENTINEL`` is a weight no scenario but the
spy test's holds, so a spy that finds it has read another party's preferences.
"""

from __future__ import annotations

import gc
import sys
import time
from typing import Any

from tratado.negotiators import Negotiator
from tratado.protocols import Event, Outcome, Propose

SENTINEL = 0.123456789012


class RaisingInit(Negotiator):
    name = "raising-init"

    def __init__(self) -> None:
        raise RuntimeError("no constructor for me")


class Raises(Negotiator):
    name = "raises"

    def act(self, state: Any) -> Event:
        raise RuntimeError("boom")


class Loops(Negotiator):
    """An endless loop: only a stopped process ends it."""

    name = "loops"

    def act(self, state: Any) -> Event:
        while True:
            time.sleep(0.01)


class Exits(Negotiator):
    name = "exits"

    def act(self, state: Any) -> Event:
        sys.exit(0)


class Interrupts(Negotiator):
    name = "interrupts"

    def act(self, state: Any) -> Event:
        raise KeyboardInterrupt


class ProposesNone(Negotiator):
    name = "proposes-none"

    def propose(self, t: float) -> Outcome:
        return None  # type: ignore[return-value]


class Nonsense(Negotiator):
    name = "nonsense"

    def act(self, state: Any) -> Event:
        return "not an event"  # type: ignore[return-value]


class AppendsToRecord(Negotiator):
    name = "appends-to-record"

    def propose(self, t: float) -> Outcome:
        forged = Propose(self.view.opponents[0], self.best_outcome)
        self.view.record._events.append(forged)  # type: ignore[attr-defined]
        return self.best_outcome


class ClearsRecord(Negotiator):
    name = "clears-record"

    def propose(self, t: float) -> Outcome:
        self.view.record._events.clear()  # type: ignore[attr-defined]
        return self.best_outcome


class SetsDeadline(Negotiator):
    name = "sets-deadline"

    def propose(self, t: float) -> Outcome:
        self.view.protocol.deadline = 1  # type: ignore[attr-defined]
        self.view.protocol._valid.add(None)
        return self.best_outcome


class HacksAgenda(Negotiator):
    name = "hacks-agenda"

    def propose(self, t: float) -> Outcome:
        for issue in self.view.scenario.agenda.issues:
            object.__setattr__(issue, "options", tuple("HACKED" for _ in issue.options))
            object.__setattr__(issue, "title", "HACKED")
        return self.best_outcome


class HacksOwnPreferences(Negotiator):
    name = "hacks-own-preferences"

    def propose(self, t: float) -> Outcome:
        weights = getattr(self.view.preferences, "weights", None)
        if weights is not None:
            weights[:] = 0.0
        return self.best_outcome


class Spy(Negotiator):
    """Walks every object the interpreter holds and every stack frame, looking for a
    preferences object carrying ``SENTINEL``; proposes its best package, and records
    what it found in ``note`` of its first offer (``found`` or ``nothing``)."""

    name = "spy"

    def act(self, state: Any) -> Event:
        found = _sentinel_in(gc.get_objects()) or _sentinel_in_frames()
        return Propose(self.party, self.best_outcome, note="found" if found else "nothing")


def _sentinel_in(objects: list[Any]) -> bool:
    for obj in objects:
        try:
            weights = getattr(obj, "weights", None) if not isinstance(obj, type) else None
            if weights is not None and any(abs(float(w) - SENTINEL) < 1e-12 for w in weights):
                return True
        except Exception:  # noqa: BLE001, S112 - any object may refuse to be read
            continue
    return False


def _sentinel_in_frames() -> bool:
    frame = sys._getframe()
    while frame is not None:
        if _sentinel_in(list(frame.f_locals.values())):
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


KINDS: dict[str, type[Negotiator]] = {
    cls.name: cls for cls in (Raises, Loops, Exits, Interrupts, ProposesNone, Nonsense,
                              AppendsToRecord, ClearsRecord, SetsDeadline, HacksAgenda,
                              HacksOwnPreferences)
}


class Dies(Negotiator):
    """Ends its own process at once (only meaningful in a process of its own)."""

    name = "dies"

    def act(self, state: Any) -> Event:
        import os

        os._exit(3)
