"""Running sessions where the work is: one chunk of the plan at a time.

A :class:`Job` is everything a worker needs (it is pickled once per worker: the
scenarios themselves, not their paths, so a Dask worker on another machine needs no
files; the plan; the session options). :func:`run_chunk` runs sessions ``start`` to
``stop - 1`` and returns their rows. The backends run any :class:`Work` — a tournament's
:class:`Job`, or a forecast's (:class:`~tratado.experiments.forecast_job.ForecastJob`,
whose unit is one sample of an uncertain scenario under every protocol asked for):
what they need is its ``timeout``, its ``path``, the row of unit ``index``
(:meth:`Work.row`) and the row that says a unit failed (:meth:`Work.failed_row`).

Per-process caches live here and in :mod:`tratado.session.evaluate` (the frontier and
Nash package of each scenario) and :mod:`tratado.negotiators._tables` (each party's
sorted outcomes): each worker computes them once per scenario and keeps them while it
lives.

Failures: a negotiator that raises, answers garbage or overruns ``move_budget`` fails
its session (the session records which, and why). A session still running after the
tournament's ``timeout`` is interrupted (``SIGALRM`` in a worker's main thread): the
interruption surfaces inside whichever negotiator is moving, which is then named. A
session that breaks outside any negotiator (or ``SystemExit`` from a plug-in) becomes
a failed row naming the session's plug-ins. Worker processes that never return control
(a plug-in stuck in C code, or one that swallows the interruption) are killed by the
local backend's watchdog (:mod:`tratado.experiments.backends`).
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter
from typing import Any, Protocol

from tratado.experiments.plan import Plan, Planned
from tratado.experiments.rows import failed_row, session_row
from tratado.experiments.sources import Entry


class SessionTimeout(Exception):
    """Raised inside a session that ran past the tournament's ``timeout``."""


class Work(Protocol):
    """What the backends run: numbered units (``0`` to ``len - 1``), each giving a row.
    A job may also offer ``rows(start, stop, watch, status)``, the rows of a whole chunk
    at once (a forecast's batched kernels); it then keeps ``status`` — the unit being run
    and since when — up to date for the local backend's watchdog itself."""

    timeout: float | None  # seconds one session may run
    path: list[str]  # added to sys.path in a worker (plug-ins' folder)

    def row(self, index: int, watch: _Watch | None = None) -> dict[str, Any]:
        """The row of unit ``index`` (never raises for a negotiator's fault)."""
        ...

    def failed_row(self, index: int, reason: str) -> dict[str, Any]:
        """The row of unit ``index`` when it could not finish (its worker died)."""
        ...


@dataclass
class Job:
    """What every worker needs to run any session of the plan."""

    entries: list[Entry]
    plan: Plan
    rounds: int | None = None
    seconds: float | None = None
    move_budget: float | None = None
    timeout: float | None = None
    records: str | None = None  # folder for each session's record, or None
    path: list[str] = field(default_factory=list)  # added to sys.path (plug-ins' folder)
    isolate: bool = False  # plug-ins each in a process of their own
    params: dict[str, str] = field(default_factory=dict)  # spec -> its parameters as JSON
    _best: dict[int, list[float]] = field(default_factory=dict, repr=False, compare=False)
    _protocols: dict[tuple[int, str], Any] = field(default_factory=dict, repr=False,
                                                   compare=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_best"], state["_protocols"] = {}, {}
        return state

    def protocol(self, scenario: int, name: str) -> Any:
        """The protocol ``name`` built for scenario ``scenario`` with the session options
        (built once: protocols are pure state machines, shared by sessions)."""
        found = self._protocols.get((scenario, name))
        if found is None:
            from tratado.protocols import protocol_class

            found = protocol_class(name).for_scenario(self.entries[scenario].scenario,
                                                      **self.options())
            self._protocols[(scenario, name)] = found
        return found

    def row(self, index: int, watch: _Watch | None = None) -> dict[str, Any]:
        """The row of session ``index`` of the plan."""
        return run_session(self, self.plan.session(index), watch)

    def failed_row(self, index: int, reason: str) -> dict[str, Any]:
        """The row of session ``index`` when its worker died or was killed."""
        planned = self.plan.session(index)
        entry = self.entries[planned.scenario]
        return failed_row(planned, entry.label, entry.fingerprint, entry.scenario, reason,
                          [self.params_of(spec) for spec in planned.assignment],
                          plugins(planned))

    def options(self) -> dict[str, Any]:
        options: dict[str, Any] = {}
        if self.rounds is not None:
            options["deadline"] = self.rounds
        if self.seconds is not None:
            options["deadline_seconds"] = self.seconds
        return options

    def params_of(self, spec: str, negotiator: Any = None) -> str:
        """The parameters of ``spec``'s negotiator as JSON: as checked before the run
        (the negotiator's own ``params`` when the spec was not checked)."""
        found = self.params.get(spec)
        if found is None:
            from tratado.experiments.specs import params_json

            found = params_json(getattr(negotiator, "params", {}) if negotiator else {})
        return found

    def best(self, scenario: int) -> list[float]:
        """Each party's best utility in scenario ``scenario`` (from the frontier, cached)."""
        found = self._best.get(scenario)
        if found is None:
            from tratado.session.evaluate import frontier_and_nash

            frontier = frontier_and_nash(self.entries[scenario].scenario)[0]
            utilities = frontier.utilities
            found = [float(utilities[:, k].max()) for k in range(utilities.shape[1])]
            self._best[scenario] = found
        return found


def plugins(planned: Planned) -> str | None:
    """The plug-in specs (``module:Class``) of a session, or None when all are built in."""
    from tratado.experiments.specs import plugin

    found = [s for s in planned.assignment if plugin(s)]
    return ", ".join(dict.fromkeys(found)) or None


class _Watch:
    """The per-session timeout without a system call per session: one interval timer
    ticks while a chunk runs (every ``timeout / 4`` seconds, at most every second), and
    its handler raises :class:`SessionTimeout` once the current session has run longer
    than ``timeout``. Only in a main thread (where signals are delivered)."""

    def __init__(self, timeout: float | None) -> None:
        self.timeout = timeout
        self.started = 0.0
        self.active = (timeout is not None and hasattr(signal, "setitimer")
                       and threading.current_thread() is threading.main_thread())
        self.previous: Any = None

    def __enter__(self) -> _Watch:
        if self.active:
            self.previous = signal.signal(signal.SIGALRM, self._tick)
            tick = min(1.0, (self.timeout or 1.0) / 4)
            signal.setitimer(signal.ITIMER_REAL, tick, tick)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0.0)
            signal.signal(signal.SIGALRM, self.previous)

    def _tick(self, signum: int, frame: Any) -> None:
        if self.started and time.monotonic() - self.started > (self.timeout or 0.0):
            self.started = 0.0  # once per session
            raise SessionTimeout(f"the session ran past the tournament's timeout"
                                 f" ({self.timeout:g} s)")


def run_session(job: Job, planned: Planned, watch: _Watch | None = None) -> dict[str, Any]:
    """The row of one session (never raises for a negotiator's fault)."""
    from tratado.experiments.specs import build
    from tratado.session import Session, evaluate

    entry = job.entries[planned.scenario]
    scenario = entry.scenario
    started = perf_counter()
    try:
        if watch is not None:
            watch.started = time.monotonic()
        try:
            negotiators = [build(spec, job.isolate, job.move_budget)
                           for spec in planned.assignment]
            session = Session(scenario, job.protocol(planned.scenario, planned.protocol),
                              negotiators, planned.seed, move_budget=job.move_budget)
            result = session.run()
        finally:
            if watch is not None:
                watch.started = 0.0
        evaluate(result, scenario)
        row = session_row(planned, entry.label, entry.fingerprint, scenario, result,
                          job.best(planned.scenario), perf_counter() - started,
                          [job.params_of(spec, n) for spec, n in zip(planned.assignment,
                                                                     negotiators, strict=True)])
        if job.records is not None:
            _write_record(job, planned, entry, result)
        return row
    except BaseException as error:  # noqa: BLE001 - whatever a plug-in does fails this session only
        if isinstance(error, KeyboardInterrupt):
            raise
        reason = f"{type(error).__name__}: {error}"
        return failed_row(planned, entry.label, entry.fingerprint, scenario, reason,
                          [job.params_of(spec) for spec in planned.assignment],
                          plugins(planned), seconds=perf_counter() - started)


def _write_record(job: Job, planned: Planned, entry: Entry, result: Any) -> None:
    """The session's analyst record (:mod:`tratado.records`), canonical, atomically."""
    from tratado.files import atomic_writer
    from tratado.records import build_record, scenario_source, write_record

    folder = Path(job.records or ".")
    record = build_record(result, base=entry.base, stakeholders=entry.stakeholders,
                          source=scenario_source(entry.source, folder), lazy_log=True)
    with atomic_writer(folder / f"{planned.session:09d}.json") as out:
        write_record(record, out)  # type: ignore[arg-type]


def prepare(job: Work) -> None:
    """Make a worker process ready: plug-ins importable from the user's folder."""
    for folder in job.path:
        if folder not in sys.path:
            sys.path.insert(0, folder)


def run_chunk(job: Work, start: int, stop: int,
              status: Any = None) -> list[dict[str, Any]]:
    """The rows of units ``start`` to ``stop - 1``. ``status`` (a shared array of two
    doubles, or None) receives the session being run and when it started, for the
    watchdog."""
    prepare(job)
    rows = []
    batched = getattr(job, "rows", None)
    with _Watch(job.timeout) as watch:
        if batched is not None:  # the job runs its units together (a forecast's kernels)
            rows = batched(start, stop, watch, status)
        for index in range(start, stop) if batched is None else ():
            if status is not None:
                status[0] = float(index)
                status[1] = time.monotonic()
            rows.append(job.row(index, watch))
    if status is not None:
        status[1] = 0.0
    return rows
