"""Negotiators in a process of their own: budgets that hold, preferences kept apart.

An in-process negotiator is trusted code: the session can judge a move only once it
returns, and Python lets it reach anything in the interpreter (``gc.get_objects()``,
stack frames), other parties' preferences included. :class:`Isolated` runs a
negotiator given as a name or ``module:Class`` in a child process instead::

    Session(scenario, "alternating", ["boulware", isolated("mymod:Mine", budget=1.0)])

The child (:mod:`tratado.negotiators._child` in a fresh interpreter that imports only
tratado and the plug-in) receives its own party's preferences, the public
scenario, the rules, and the public record incrementally, before each move — nothing
else exists there to be found. The parent never imports the plug-in. Each move waits
at most ``budget`` seconds (default: the session's ``move_budget``) and never past the
session's deadline in seconds; a move that runs past its budget is stopped by killing
the child, and counts as the negotiator's failure (``TimeoutError``, the party named);
one stopped by the session's deadline ends the talks as the clock does (``time-up``).
After a failure the child is gone and any later move fails at once.

Answers come back as JSON, checked field by field (never unpickled: an answer cannot
run code in the session's process) and capped at :data:`ANSWER_LIMIT` bytes. What the
child raised comes back as its exception's name, message and the last lines of its
traceback (``--debug`` shows them; the record keeps only the name and message).

Costs: starting a child takes a fraction of a second (a fresh interpreter importing
numpy); each move adds a round trip through a pipe (of the order of 0.1 ms). One
child per negotiator per session: it is stopped when the talks end, so nothing learned
in one session (another role's preferences) survives into the next.

Limits of the isolation: the child runs with the user's rights (files, network,
memory are not confined — use the operating system's means, a container or a
separate account, for code you do not trust at all); its output on stderr reaches the
terminal.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import pickle
import queue
import subprocess
import sys
import threading
import weakref
from time import perf_counter
from typing import Any, ClassVar

from tratado.negotiators._child import write_message
from tratado.negotiators.base import Negotiator, NegotiatorView
from tratado.negotiators.plugins import NegotiatorError
from tratado.protocols.events import EVENT_KINDS, Event, EventRefused

#: The most bytes one answer from a child may take (an event is a few hundred).
ANSWER_LIMIT = 1_000_000
#: The longest note a child's event may carry, in characters.
NOTE_LIMIT = 1_000
#: Seconds a child may take to start and construct its negotiator, or to ``begin``.
START_BUDGET = 60.0


class PluginFailure(Exception):
    """What a process-isolated negotiator raised: ``kind`` (its exception's name),
    the message, and ``traceback_text`` (the last lines of its traceback)."""

    def __init__(self, kind: str, message: str, traceback_text: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.traceback_text = traceback_text


class MoveTimeout(TimeoutError):
    """A process-isolated move ran past its budget; its process was stopped."""

    kind = "TimeoutError"


class DeadlineReached(TimeoutError):
    """The session's deadline in seconds passed while a process-isolated move ran."""


_ENDED: dict[str, Any] = {"error": "ProcessEnded"}  # by identity: the child is gone
_PIPE_SAFE = 32_768  # requests up to this size are written directly (a pipe holds 64 KiB)


class _Child:
    """One child process, its pipes, and a thread that reads its answers."""

    def __init__(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-c", "from tratado.negotiators._child import main; main()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
            start_new_session=True,  # the user's Ctrl-C reaches tratado, which stops it
        )
        self.answers: queue.Queue[dict[str, Any] | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self._stop = weakref.finalize(self, _kill, self.process)

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            try:
                header = stream.read(8)
                if len(header) < 8:
                    break
                size = int.from_bytes(header, "big")
                if size > ANSWER_LIMIT:
                    self.answers.put({"error": "ValueError", "message":
                                      f"its answer took {size} bytes, over {ANSWER_LIMIT}"})
                    break
                body = stream.read(size)
                answer = json.loads(body)
                if not isinstance(answer, dict):
                    raise ValueError("not an object")  # noqa: TRY301
            except (OSError, ValueError):
                answer = {"error": "ValueError", "message": "its answer was not readable"}
            self.answers.put(answer)
        self.answers.put(None)

    def ask(self, request: tuple[Any, ...], timeout: float | None) -> dict[str, Any] | None:
        """Send ``request``; the answer, :data:`_ENDED` when the child ended without one,
        or None when none came within ``timeout`` seconds (``None``: no limit)."""
        stdin = self.process.stdin
        assert stdin is not None
        body = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        if len(body) <= _PIPE_SAFE:  # fits the pipe's buffer: the write cannot block
            try:
                write_message(stdin, body)
            except OSError:
                return _ENDED
        else:  # a child that stops reading must not hang the session: write aside
            sent: list[bool] = []
            writer = threading.Thread(target=_write, args=(stdin, body, sent), daemon=True)
            writer.start()
            writer.join(timeout)
            if writer.is_alive():
                return None
            if not sent:
                return _ENDED
        try:
            answer = self.answers.get(timeout=None if timeout is None else max(timeout, 0.0))
        except queue.Empty:
            return None
        return _ENDED if answer is None else answer

    def exit_code(self) -> int | None:
        """The child's exit code once it has ended (waiting a moment for it)."""
        try:
            return self.process.wait(timeout=5.0)
        except subprocess.TimeoutExpired:
            return None

    def stop(self) -> None:
        self._stop()

    @property
    def running(self) -> bool:
        return self.process.poll() is None


def _write(stream: Any, body: bytes, sent: list[bool]) -> None:
    try:
        write_message(stream, body)
        sent.append(True)
    except OSError:
        pass


def _kill(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


class Isolated(Negotiator):
    """Runs the negotiator ``spec`` (a name or ``module:Class``, with ``params``) in a
    child process (see the module docstring). ``budget``: seconds one move may take
    (default: the session's ``move_budget``; none: only the session's deadline in
    seconds bounds it). Construction starts a child, which imports and constructs the
    negotiator: a constructor that raises is a :class:`NegotiatorError` here, as in
    process. The record names the negotiator as the child's class declares it."""

    isolated: ClassVar[bool] = True
    lists_outcomes: ClassVar[bool] = False  # the child does, if anything: it says so itself

    def __init__(self, spec: str, budget: float | None = None, *,
                 start_budget: float = START_BUDGET, **params: Any) -> None:
        if budget is not None and not budget > 0:
            raise ValueError("a move budget is a positive number of seconds")
        self.spec = spec
        self._plugin_params = params
        self.budget = budget
        self.start_budget = float(start_budget)
        self._session_budget: float | None = None
        self._deadline: float | None = None
        self._child: _Child | None = None
        self._stopped = ""
        info = self._create()
        given = info.get("params")
        self._recorded_params: dict[str, Any] = dict(given) if isinstance(given, dict) else {}
        self.__class__ = _proxy_class(info)

    def __repr__(self) -> str:
        return f"isolated({self.spec!r}, budget={self.budget})"

    @property
    def params(self) -> dict[str, Any]:
        """The plug-in's own parameters as its child built it (defaults filled in), so
        that a record of an isolated run names the plug-in and its parameters exactly as
        an in-process run does (and replay rebuilds it)."""
        return dict(self._recorded_params)

    # -- the child ----------------------------------------------------------------------
    def _create(self) -> dict[str, Any]:
        child = self._child = _Child()
        answer = child.ask(("create", self.spec, self._plugin_params, list(sys.path)),
                           self.start_budget)
        if answer is None or "error" in answer:
            child.stop()
            self._child = None
            what = ("gave no answer within its start budget"
                    f" of {self.start_budget:g} s") if answer is None else (
                f"raised {answer['error']} ({answer.get('message', '')})")
            raise NegotiatorError(
                f"the negotiator '{self.spec}' could not be created in its own process: it"
                f" {what}.", field="--negotiators",
                fix="check the module:Class name and the negotiator's __init__.")
        return answer

    def clock(self, move_budget: float | None, deadline: float | None) -> None:
        self._session_budget = move_budget
        self._deadline = deadline

    def _limit(self, budget: float | None) -> tuple[float, bool]:
        """Seconds to wait, and whether the session's deadline is what bounds them."""
        wait = float("inf") if budget is None else budget
        if self._deadline is not None and self._deadline - perf_counter() <= wait:
            return max(self._deadline - perf_counter(), 0.0), True
        return wait, False

    def _ask(self, request: tuple[Any, ...], budget: float | None, what: str) -> dict[str, Any]:
        child = self._child
        if child is None or not child.running:
            if self._deadline is not None and perf_counter() >= self._deadline:
                raise DeadlineReached("the talks' deadline in seconds has passed")
            raise PluginFailure("ProcessStopped", f"earlier: {self._stopped}")
        wait, by_deadline = self._limit(budget)
        answer = child.ask(request, wait if wait != float("inf") else None)
        if answer is _ENDED:  # the child ended without answering
            code = child.exit_code()
            child.stop()
            self._stopped = f"it ended with exit code {code}"
            raise PluginFailure("ProcessEnded", f"during {what}, with exit code {code}")
        if answer is None:
            child.stop()
            if by_deadline:
                self._stopped = "the talks' deadline passed"
                raise DeadlineReached("the talks' deadline in seconds passed during its move")
            self._stopped = f"it ran past its budget of {wait:g} s"
            raise MoveTimeout(f"{what} took longer than its budget of {wait:g} s;"
                              " its process was stopped")
        if "error" in answer:
            raise PluginFailure(str(answer["error"])[:100], str(answer.get("message", "")),
                                str(answer.get("traceback", "")))
        return answer

    # -- the session's calls --------------------------------------------------------------
    def begin(self, view: NegotiatorView) -> None:
        self.view = view
        self.party = view.party
        self._sent = 0
        if self._child is None or not self._child.running:
            self._create()
        self._ask(("begin", view.party, view.preferences, view.scenario, view.protocol,
                   self._seed), self.start_budget, "its start")

    def mover(self) -> Any:
        return self.act

    def act(self, state: Any) -> Event:
        events = self.view.record.since(self._sent)
        self._sent += len(events)
        budget = self.budget if self.budget is not None else self._session_budget
        answer = self._ask(("move", state, events), budget, "its move")
        return event_from_answer(answer.get("event"))

    def end(self) -> None:
        if self._child is not None:
            self._child.stop()
            self._child = None
            self._stopped = "the talks were over"

    close = end


_PROXIES: dict[tuple[Any, ...], type[Isolated]] = {}


def _proxy_class(info: dict[str, Any]) -> type[Isolated]:
    """A subclass of :class:`Isolated` carrying the child's class name and metadata (so
    the record and the listings name the negotiator, not the proxy)."""
    key = (str(info.get("name")), bool(info.get("stochastic")),
           bool(info.get("uses_opponent_model")), bool(info.get("time_based")),
           tuple(str(p) for p in info.get("protocols", ())), str(info.get("description", "")))
    cls = _PROXIES.get(key)
    if cls is None:
        name, stochastic, model, timed, protocols, description = key
        cls = _PROXIES[key] = type("Isolated", (Isolated,), {
            "name": name, "stochastic": stochastic, "uses_opponent_model": model,
            "time_based": timed, "protocols": protocols, "description": description,
            "__module__": __name__,
        })
    return cls


def isolated(spec: str, budget: float | None = None, **params: Any) -> Isolated:
    """The negotiator ``spec`` (with its ``params``) in a process of its own; see
    :class:`Isolated`."""
    return Isolated(spec, budget, **params)


def event_from_answer(data: Any) -> Event:
    """The event a child answered, checked field by field; anything else is refused."""
    if not isinstance(data, dict):
        raise EventRefused("it answered something that is not an event")
    if "invalid" in data:
        # the same words as in process (a record must not depend on where the
        # negotiator ran); what it was is in the child's traceback text
        raise EventRefused("it answered something that is not an event")
    cls = EVENT_KINDS.get(data.get("kind"))  # type: ignore[arg-type]
    party, note = data.get("party"), data.get("note", "")
    if cls is None or not isinstance(party, str) or not isinstance(note, str):
        raise EventRefused("it answered something that is not an event")
    if len(note) > NOTE_LIMIT:
        raise EventRefused(f"its note is longer than {NOTE_LIMIT} characters")
    values: dict[str, Any] = {"party": party}
    for field in dataclasses.fields(cls):
        if field.name == "outcome":
            outcome = data.get("outcome")
            if not (isinstance(outcome, list)
                    and all(type(i) is int for i in outcome)):
                raise EventRefused(f"its package {str(outcome)[:80]} is not option indices")
            values["outcome"] = tuple(outcome)
        elif field.name == "prefers":
            if type(data.get("prefers")) is not bool:
                raise EventRefused("its vote is neither true nor false")
            values["prefers"] = data["prefers"]
    event: Event = cls(**values, note=note)
    return event


__all__ = ["ANSWER_LIMIT", "DeadlineReached", "Isolated", "MoveTimeout", "PluginFailure",
           "event_from_answer", "isolated"]
