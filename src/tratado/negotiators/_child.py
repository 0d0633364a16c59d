"""The child program of a process-isolated negotiator (:func:`main`, run in a fresh
interpreter); see :mod:`tratado.negotiators.isolated`.

It keeps the protocol's pipes to itself (the plug-in's ``print`` goes to stderr, and
its standard input reads nothing), then answers the parent's requests one at a time:

* ``("create", spec, params, sys_path)`` — import and construct the negotiator;
* ``("begin", party, preferences, scenario, protocol, seed)`` — hand it its view: its
  own party's preferences, the public scenario and the rules (never another party's
  preferences: the parent never sends them);
* ``("move", state, new_events)`` — add the events since the last request to its public
  record, and ask for its move.

Requests arrive pickled (the parent is trusted); answers leave as JSON, never pickle,
so an answer cannot run code in the parent. Each message is framed by its length
(8 bytes, big-endian).
"""

from __future__ import annotations

import json
import os
import pickle
import sys
import traceback
from typing import IO, Any

#: The most lines of a plug-in's traceback sent back (for ``--debug``).
TRACEBACK_LINES = 12


def read_message(stream: IO[bytes]) -> bytes | None:
    """One framed message, or None at the end of the stream."""
    header = stream.read(8)
    if len(header) < 8:
        return None
    size = int.from_bytes(header, "big")
    body = stream.read(size)
    return body if len(body) == size else None


def write_message(stream: IO[bytes], body: bytes) -> None:
    stream.write(len(body).to_bytes(8, "big") + body)
    stream.flush()


def event_to_json(event: Any) -> dict[str, Any]:
    """An event as the plain JSON the parent parses (and checks) again."""
    from tratado.protocols.events import Event

    if not isinstance(event, Event):
        return {"invalid": f"{type(event).__name__} {str(event)[:80]!r}"}
    answer: dict[str, Any] = {"kind": event.kind, "party": event.party, "note": event.note}
    outcome = getattr(event, "outcome", None)
    if outcome is not None:
        try:
            answer["outcome"] = [int(i) if not isinstance(i, bool) else i for i in outcome]
        except (TypeError, ValueError):
            return {"invalid": f"a package that is not option indices: {str(outcome)[:80]!r}"}
    elif hasattr(event, "outcome"):
        answer["outcome"] = None
    if hasattr(event, "prefers"):
        answer["prefers"] = event.prefers
    return answer


def _error(error: BaseException) -> dict[str, Any]:
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    text = "".join(lines).rstrip().splitlines()[-TRACEBACK_LINES:]
    return {"error": type(error).__name__, "message": str(error)[:500],
            "traceback": "\n".join(text)}


class _Child:
    def __init__(self) -> None:
        self.negotiator: Any = None
        self.record: list[Any] = []
        self.move: Any = None

    def handle(self, request: tuple[Any, ...]) -> dict[str, Any]:
        kind = request[0]
        if kind == "create":
            return self.create(*request[1:])
        if kind == "begin":
            return self.begin(*request[1:])
        if kind == "move":
            state, events = request[1:]
            self.record.extend(events)
            return {"event": event_to_json(self.move(state))}
        return {"error": "ValueError", "message": f"unknown request {kind!r}", "traceback": ""}

    def create(self, spec: str, params: dict[str, Any], path: list[str]) -> dict[str, Any]:
        sys.path[:] = path
        from tratado.negotiators.registry import make

        self.negotiator = make(spec, **params)
        cls = type(self.negotiator)
        name = cls.__dict__.get("name") or cls.__name__
        recorded = {key: value for key, value in self.negotiator.params.items()
                    if value is None or isinstance(value, bool | int | float | str)}
        return {"ok": True, "name": str(name), "params": recorded,
                "stochastic": bool(cls.stochastic),
                "uses_opponent_model": bool(cls.uses_opponent_model),
                "time_based": bool(cls.time_based),
                "protocols": [str(p) for p in cls.protocols],
                "description": str(cls.description or "")}

    def begin(self, party: str, preferences: Any, scenario: Any, protocol: Any,
              seed: tuple[int, int]) -> dict[str, Any]:
        from tratado.negotiators.base import NegotiatorView, Record

        self.record = []
        view = NegotiatorView(party, preferences, scenario, protocol, Record(self.record))
        self.negotiator.seed(*seed)
        self.negotiator.begin(view)
        self.move = self.negotiator.mover()
        return {"ok": True}


def main() -> None:
    requests = os.fdopen(os.dup(0), "rb")
    answers = os.fdopen(os.dup(1), "wb")
    with open(os.devnull, "rb") as nothing:
        os.dup2(nothing.fileno(), 0)
    os.dup2(2, 1)  # the plug-in's print() goes to stderr, not into the protocol
    sys.stdout = sys.stderr
    child = _Child()
    while True:
        body = read_message(requests)
        if body is None:
            return
        try:
            answer = child.handle(pickle.loads(body))  # noqa: S301 - from the parent
        except BaseException as error:  # noqa: BLE001 - everything is the plug-in's
            answer = _error(error)
        try:
            text = json.dumps(answer, allow_nan=False, default=str)
        except (TypeError, ValueError) as error:
            text = json.dumps(_error(error))
        write_message(answers, text.encode())

