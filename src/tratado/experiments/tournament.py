"""Tournaments: many sessions over negotiators × scenarios × protocols × roles ×
repetitions, ranked with confidence intervals.

    from tratado.experiments.tournament import Tournament

    results = Tournament(["boulware", "conceder", "frequency"], ["job-offer"],
                         repetitions=2, seed=7).run()
    results.sessions          # one row per session (a pandas DataFrame with pandas)
    results.ranking()         # mean advantage with 95% intervals, pairwise tests

How it runs: :meth:`Tournament.prepare` reads every scenario and checks every
negotiator spec, protocol and option *before* any session runs (a mistake is a
:class:`~tratado.errors.TratadoError`: exit 2 on the command line); the
:class:`~tratado.experiments.plan.Plan` numbers the sessions and seeds each from its
identity; a backend (:mod:`~tratado.experiments.backends`) runs chunks of sessions;
with ``out`` the rows stream to a results folder (:mod:`~tratado.experiments.store`)
that an interrupted run resumes, and :class:`~tratado.experiments.results.Results`
reads them back. Without ``out`` the rows stay in memory (for small tournaments in a
notebook).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tratado.errors import TratadoError
from tratado.experiments.plan import Plan
from tratado.experiments.results import Results
from tratado.experiments.rows import columns
from tratado.experiments.sources import Entry, linked, load_all
from tratado.experiments.specs import check_spec, parse_spec, plugins_from_cwd
from tratado.experiments.store import Store
from tratado.experiments.tournament_file import Settings, dumps_settings, load_settings
from tratado.experiments.worker import Job

Progress = Callable[[int, int, int, int], None]  # done, total, agreements, failures
MAX_CHUNK = 1000


class Tournament:
    """A tournament (the arguments are the fields of
    :class:`~tratado.experiments.tournament_file.Settings`)."""

    def __init__(self, negotiators: Sequence[str], scenarios: Sequence[str],
                 protocols: Sequence[str] = ("alternating",), repetitions: int = 1, *,
                 rounds: int | None = None, seconds: float | None = None,
                 move_budget: float | None = None, timeout: float = 60.0, seed: int = 0,
                 self_play: bool = False, roles: str = "auto", name: str | None = None,
                 isolate: bool = False, stakeholders: bool = True) -> None:
        self.settings = Settings(tuple(negotiators), tuple(scenarios), tuple(protocols),
                                 repetitions, rounds, seconds, move_budget, timeout, seed,
                                 self_play, roles, name, isolate, stakeholders)
        self._prepared: tuple[list[Entry], Plan, str] | None = None
        self._params: dict[str, str] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> Tournament:
        """The tournament of a :class:`Settings` (what a tournament file holds)."""
        tournament = cls.__new__(cls)
        tournament.settings = settings
        tournament._prepared = None
        tournament._params = {}
        return tournament

    @classmethod
    def from_file(cls, path: str | Path) -> Tournament:
        """The tournament a tournament file describes."""
        return cls.from_settings(load_settings(path))

    # -- checking everything before anything runs ---------------------------------
    def prepare(self) -> tuple[list[Entry], Plan, str]:
        """Load the scenarios, check specs, protocols and options, and build the plan;
        returns ``(entries, plan, the tournament file as it will run)``."""
        if self._prepared is not None:
            return self._prepared
        s = self.settings
        plugins_from_cwd(list(s.negotiators))
        checked = [check_spec(spec, isolate=s.isolate) for spec in s.negotiators]
        specs = [spec for spec, _ in checked]
        self._params = dict(checked)
        seen: dict[tuple[str, str], str] = {}
        for spec, params in checked:
            same = seen.setdefault((parse_spec(spec)[0], params), spec)
            if same != spec or specs.count(spec) > 1:
                raise TratadoError(f"the negotiator '{spec}' is named twice"
                                   + ("" if same == spec else f" (as '{same}' too)") + ".",
                                   field="negotiators",
                                   fix="name each negotiator once, or give the copies"
                                   " different parameters.")
        entries = self._scenarios()
        self._check_protocols(entries, specs)
        plan = Plan([(e.fingerprint, e.scenario.n_parties) for e in entries], specs,
                    list(s.protocols), s.repetitions, s.seed, self_play=s.self_play,
                    roles=s.roles)
        found = [(e.source[0] if len(e.source) == 1 else str(Path(e.source[0]).parent),
                  e.fingerprint) for e in entries]
        text = dumps_settings(Settings(tuple(specs), *_rest(s)), found,
                              linked=any(e.base is not None for e in entries))
        self._prepared = (entries, plan, text)
        return self._prepared

    def _scenarios(self) -> list[Entry]:
        s = self.settings
        prints = s.fingerprints or (None,) * len(s.scenarios)
        entries: list[Entry] = []
        for source, expected in zip(s.scenarios, prints, strict=True):
            loaded = load_all([source])
            if expected is not None and (len(loaded) != 1 or loaded[0].fingerprint != expected):
                raise TratadoError("the scenario differs from the one this tournament ran on"
                                   " (its sha256 does not match).", file=source,
                                   field="scenarios",
                                   fix="restore the scenario file, or remove its sha256 from"
                                   " the tournament file to run on the new one.")
            entries.extend(linked(entry, s.stakeholders) for entry in loaded)
        seen: dict[str, str] = {}
        for entry in entries:
            if entry.fingerprint in seen:
                raise TratadoError(f"the same scenario is given twice ({seen[entry.fingerprint]}"
                                   f" and {entry.source[0]}).", field="scenarios",
                                   fix="give each scenario once.")
            seen[entry.fingerprint] = entry.source[0]
        return entries

    def _check_protocols(self, entries: list[Entry], specs: list[str]) -> None:
        from tratado.negotiators.registry import make
        from tratado.protocols import protocol_class
        from tratado.session import Session

        s = self.settings
        options = Job([], Plan([], [], [], 1, 0), s.rounds, s.seconds).options()
        stand_in = "linear"  # the protocol's checks need negotiators, not these ones
        for protocol in s.protocols:
            try:
                protocol_class(protocol)
            except ValueError as error:
                raise TratadoError(str(error).rstrip(".") + ".", field="protocols",
                                   fix="use alternating, single-text or mediated.") from None
            for entry in entries:
                n = entry.scenario.n_parties
                try:
                    Session(entry.scenario, protocol, [make(stand_in) for _ in range(n)],
                            0, move_budget=s.move_budget, protocol_options=options)
                except (TypeError, ValueError) as error:
                    raise TratadoError(f"the '{protocol}' protocol cannot run on this scenario"
                                       f" with these options: {error}.", file=entry.source[0],
                                       field="protocols", fix="leave out the options this"
                                       " protocol does not take (docs/protocols.md).") from None

    # -- running --------------------------------------------------------------------
    def run(self, out: str | Path | None = None, *, jobs: int | None = None,
            scheduler: str | None = None, dask_workers: int | None = None,
            records: bool = False, memory: int | None = None,
            progress: Progress | None = None) -> Results:
        """Run every session not yet done and return the results.

        ``out``: the results folder (resumed when it holds this tournament already);
        ``jobs``: local worker processes (default: every core; ``0`` runs in this
        process); ``scheduler`` / ``dask_workers``: run on Dask instead;
        ``records``: also write each session's record into ``out/records``; ``memory``:
        bytes each local worker may use; ``progress(done, total, agreements, failures)``
        is called as chunks finish."""
        entries, plan, text = self.prepare()
        if records and out is None:
            raise TratadoError("session records need a results folder.", field="--records",
                               fix="give --out DIR.")
        if out is not None:
            from tratado.files import refuse_clashes

            refuse_clashes({"--out": out}, [source for source in self.settings.scenarios
                                            if Path(source).exists()])
        store = Store(out) if out is not None else None
        done: list[tuple[int, int]] = []
        if store is not None:
            store.open(text)
            if store.sessions_file is not None:
                return Results.read(store.folder)
            done = store.done()
        job = Job(entries, plan, self.settings.rounds, self.settings.seconds,
                  self.settings.move_budget, self.settings.timeout,
                  str(Path(out) / "records") if records and out is not None else None,
                  [os.getcwd()], self.settings.isolate, dict(self._params))
        if job.records is not None:
            Path(job.records).mkdir(exist_ok=True)
        if scheduler is not None or dask_workers is not None:
            workers = dask_workers or 8
        else:
            workers = max(jobs if jobs is not None else os.cpu_count() or 1, 1)
        chunks = _chunks(_missing(done, len(plan)), workers)
        rows: list[dict[str, Any]] = []
        count = sum(stop - start for start, stop in done)
        agreements = failures = 0
        for start, stop, chunk_rows in self._backend(job, chunks, jobs, scheduler,
                                                     dask_workers, memory):
            if store is not None:
                store.write_part(start, stop, chunk_rows)
            else:
                rows.extend(chunk_rows)
            count += len(chunk_rows)
            agreements += sum(1 for row in chunk_rows if row["agreement"])
            failures += sum(1 for row in chunk_rows if row["failure"] is not None)
            if progress is not None:
                progress(count, len(plan), agreements, failures)
        width = max((e.scenario.n_parties for e in entries), default=2)
        if store is None:
            rows.sort(key=lambda row: int(row["session"]))
            return Results.from_rows(rows, columns(width), self.settings.seed)
        store.compact(columns(width), len(plan))
        return Results.read(store.folder)

    @staticmethod
    def _backend(job: Job, chunks: list[tuple[int, int]], jobs: int | None,
                 scheduler: str | None, dask_workers: int | None,
                 memory: int | None) -> Any:
        from tratado.experiments import backends

        if scheduler is not None or dask_workers is not None:
            return backends.run_dask(job, chunks, scheduler, dask_workers)
        if jobs == 0:
            return backends.run_serial(job, chunks)
        return backends.run_local(job, chunks, jobs or os.cpu_count() or 1, memory)


def _rest(s: Settings) -> tuple[Any, ...]:
    return (s.scenarios, s.protocols, s.repetitions, s.rounds, s.seconds, s.move_budget,
            s.timeout, s.seed, s.self_play, s.roles, s.name, s.isolate, s.stakeholders)


def _missing(done: list[tuple[int, int]], total: int) -> list[tuple[int, int]]:
    missing, position = [], 0
    for start, stop in sorted(done):
        if start > position:
            missing.append((position, start))
        position = max(position, stop)
    if position < total:
        missing.append((position, total))
    return missing


def _chunks(ranges: list[tuple[int, int]], workers: int) -> list[tuple[int, int]]:
    """Split the ranges into chunks: a few per worker, at most :data:`MAX_CHUNK` sessions."""
    count = sum(stop - start for start, stop in ranges)
    size = max(1, min(MAX_CHUNK, math.ceil(count / (workers * 4)) if count else 1))
    return [(k, min(k + size, stop)) for start, stop in ranges for k in range(start, stop, size)]


__all__ = ["Tournament"]
