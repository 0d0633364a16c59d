"""What a worker runs for a forecast: one *draw* — a sample of the uncertain scenario
under one what-if — under every protocol and negotiator mix asked for.

A :class:`ForecastJob` is pickled once per worker like a tournament's
:class:`~tratado.experiments.worker.Job`, and the backends of
:mod:`tratado.experiments.backends` run it the same way (local processes or Dask). It
holds the nominal scenario, the sampler and the matrix of samples (one row of
numbers per sample), not the sampled scenarios: a worker rebuilds sample ``s`` from
``sampler.scenario_at(nominal, samples[s])`` — deterministic, and far cheaper to send
than thousands of scenarios.

Units are numbered sample-major: unit ``i`` is sample ``i // V`` under what-if
``i % V`` (``V`` what-ifs, the first being the forecast itself), so the units of a
chunk share their samples' work. Every session of a sample has the same seed —
whatever the protocol, the mix or the what-if (common random numbers: differences
between them are theirs, not the dice's): :func:`session_seed`. With no uncertainty
the forecast is one sample, and its sessions run with the forecast's seed itself,
so they are exactly ``tratado simulate --seed S``'s.

The backends ask for a chunk of units at once (:meth:`ForecastJob.rows`): the sessions
of a protocol and negotiator mix that a batched kernel reproduces
(:mod:`tratado.experiments.kernels`: the built-in protocols and negotiators) run for
all the chunk's samples together, the others on the engine, one at a time; the rows are
the same either way (:meth:`ForecastJob.row` runs one unit on the engine alone).

A unit's row: ``{"unit": i, "nash": [option index per issue] | None, "sessions":
[[outcome | None, [gain per party], failure | None], ...]}``, sessions in the order
protocol-major, then mix. ``nash`` is the sample's Nash package (exact analysis,
:func:`tratado.analysis.nash_solution`; None when no package is acceptable to all).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from tratado.experiments.whatif import NONE, WhatIf
from tratado.scenario import Scenario


class Sampler(Protocol):
    """Draws samples of an uncertain scenario (what
    :class:`tratado.uncertainty.Uncertainty` offers): ``inputs`` (each with a ``key``
    and a ``label``), ``sample(rng, n)`` — an ``(n, len(inputs))`` array — and
    ``scenario_at(nominal, row)`` — the scenario at one row of numbers."""

    @property
    def inputs(self) -> Sequence[Any]: ...

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray: ...

    def scenario_at(self, nominal: Scenario, row: np.ndarray) -> Scenario: ...


#: Numbers in each of a kernel batch's ``(samples, packages)`` arrays, at most (about):
#: 4 million is 32 MB per array — 260 samples of the Venezuela example's 15,360 packages.
BATCH_CELLS = 4_000_000


def session_seed(seed: int, sample: int) -> int:
    """The seed of every session of sample ``sample`` (a 63-bit integer)."""
    state = np.random.SeedSequence(seed, spawn_key=(1, sample)).generate_state(1, np.uint64)
    return int(state[0] >> np.uint64(1))


def sample_rng(seed: int) -> np.random.Generator:
    """The generator the samples are drawn from."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0,)))


@dataclass
class ForecastJob:
    """Everything a worker needs to run any unit of a forecast."""

    nominal: Scenario
    sampler: Sampler | None
    samples: np.ndarray  # (n, k): one row per sample; (1, 0) without uncertainty
    protocols: list[str]
    mixes: list[tuple[str, ...]]  # one negotiator spec per party, in party order
    seed: int
    variants: list[WhatIf] = field(default_factory=lambda: [NONE])
    rounds: int | None = None
    move_budget: float | None = None
    timeout: float | None = None
    path: list[str] = field(default_factory=list)
    stakeholders: bool = True  # fold the stakeholders' effects in (False: the table alone)
    kernels: bool = True  # batched kernels where they apply (False: the engine throughout)

    def __len__(self) -> int:
        return len(self.samples) * len(self.variants)

    @property
    def exact(self) -> bool:
        """Whether the scenario states no uncertainty (one sample: the scenario)."""
        return self.sampler is None

    @property
    def runs(self) -> list[tuple[str, tuple[str, ...]]]:
        """``(protocol, mix)`` of each session of a unit, in row order."""
        return [(protocol, mix) for protocol in self.protocols for mix in self.mixes]

    def seed_of(self, sample: int) -> int:
        return self.seed if self.exact else session_seed(self.seed, sample)

    def options(self) -> dict[str, Any]:
        return {} if self.rounds is None else {"deadline": self.rounds}

    def scenario(self, unit: int) -> Scenario:
        """The scenario of unit ``unit``: its sample, with its what-if applied and the
        stakeholders' effects folded in (:meth:`effective`)."""
        sample, variant = divmod(unit, len(self.variants))
        what_if = self.variants[variant]
        if self.sampler is None:
            return self.effective(what_if.apply(self.nominal))
        row = what_if.row(self.samples[sample])
        return self.effective(what_if.apply(self.sampler.scenario_at(self.nominal, row)))

    def effective(self, scenario: Scenario) -> Scenario:
        """``scenario`` as its sessions see it: the stakeholders' effects folded into the
        parties' preferences (:func:`tratado.stakeholders.with_stakeholders`), or dropped
        when the forecast is of the table alone."""
        from tratado.stakeholders import with_stakeholders, without_stakeholders

        return with_stakeholders(scenario) if self.stakeholders else without_stakeholders(scenario)

    def row(self, index: int, watch: Any = None) -> dict[str, Any]:
        """The row of unit ``index`` (see the module docstring); a failure in one session
        fails that session only, a sample that cannot be built fails its unit."""
        try:
            scenario = self.scenario(index)
        except Exception as error:  # noqa: BLE001 - a sampler's fault fails this unit only
            return self.failed_row(index, f"the sample could not be built: {error}")
        seed = self.seed_of(index // len(self.variants))
        nash = _nash(scenario)  # first: the mediated protocol's mediator reuses its frontier
        sessions = [self._engine_session(index, scenario, protocol, mix, seed, watch)
                    for protocol, mix in self.runs]
        return {"unit": index, "nash": nash, "sessions": sessions}

    def rows(self, start: int, stop: int, watch: Any = None,
             status: Any = None) -> list[dict[str, Any]]:
        """The rows of units ``start`` to ``stop - 1``: what :meth:`row` gives for each,
        with the sessions that a kernel reproduces (:mod:`tratado.experiments.kernels`:
        the built-in protocols and negotiators) run for many units at once — as many as
        keep a batch's arrays near :data:`BATCH_CELLS` numbers each — and the others on
        the engine, unit by unit. ``status`` (the local backend's shared pair: the unit
        being run, and since when) is kept up to date for its watchdog: before each
        engine session, and before each kernel run (marked with the batch's first unit)."""
        size = max(1, BATCH_CELLS // max(self.nominal.agenda.size, 1))
        return [row for first in range(start, stop, size)
                for row in self._batch_rows(first, min(first + size, stop), watch, status)]

    def _batch_rows(self, start: int, stop: int, watch: Any,
                    status: Any) -> list[dict[str, Any]]:
        from tratado.experiments.kernels import Batch, kernel_for
        from tratado.experiments.specs import build
        from tratado.protocols import protocol_class

        found: dict[int, dict[str, Any]] = {}
        units: list[int] = []
        scenarios: list[Scenario] = []
        for index in range(start, stop):
            try:
                scenario = self.scenario(index)
            except Exception as error:  # noqa: BLE001 - a sampler's fault fails this unit only
                found[index] = self.failed_row(index, f"the sample could not be built: {error}")
                continue
            units.append(index)
            scenarios.append(scenario)
        if not units:
            return [found[index] for index in range(start, stop)]
        # which runs a kernel reproduces (it depends on the protocol, the negotiators and
        # the agenda's size, not on the sample's numbers)
        kernels: list[Any] = []
        for name, mix in self.runs:
            kernel = None
            if self.kernels and self.move_budget is None:
                protocol = protocol_class(name).for_scenario(scenarios[0], **self.options())
                negotiators = [build(spec, False, None) for spec in mix]
                found_kernel = kernel_for(protocol, negotiators)
                kernel = None if found_kernel is None else (found_kernel, protocol, negotiators)
            kernels.append(kernel)
        # the engine's sessions give their negotiators copies of the preferences; when
        # no session runs on the engine, nothing needs them
        copies = None in kernels
        for index, scenario in zip(units, scenarios, strict=True):
            found[index] = {"unit": index, "nash": _nash(scenario, copies), "sessions": []}
        seeds = [self.seed_of(index // len(self.variants)) for index in units]
        batch = Batch(scenarios, seeds, copies=copies)
        for (name, mix), kernel in zip(self.runs, kernels, strict=True):
            agreed = None
            if kernel is not None:
                run, protocol, negotiators = kernel
                _mark(status, units[0])
                try:
                    agreed = run(batch, protocol, negotiators)
                except Exception:  # noqa: BLE001 - out of memory, say: the engine runs them
                    agreed = None
            if agreed is None:
                for index, scenario, seed in zip(units, scenarios, seeds, strict=True):
                    _mark(status, index)
                    found[index]["sessions"].append(self._engine_session(
                        index, scenario, name, mix, seed, watch))
                continue
            for k, index in enumerate(units):
                found[index]["sessions"].append(_kernel_session(batch, k, int(agreed[k])))
        return [found[index] for index in range(start, stop)]

    def _engine_session(self, index: int, scenario: Scenario, name: str,
                        mix: tuple[str, ...], seed: int, watch: Any) -> list[Any]:
        """One session of unit ``index`` on the engine."""
        from tratado.protocols import protocol_class

        try:
            protocol = protocol_class(name).for_scenario(scenario, **self.options())
        except Exception as error:  # noqa: BLE001 - fails this session only, as row() does
            return [None, [0.0] * scenario.n_parties, f"{type(error).__name__}: {error}"]
        return self._session(scenario, protocol, mix, seed, watch)

    def _session(self, scenario: Scenario, protocol: Any, mix: tuple[str, ...], seed: int,
                 watch: Any) -> list[Any]:
        from tratado.experiments.specs import build
        from tratado.session import Session

        try:
            if watch is not None:
                watch.started = time.monotonic()
            try:
                negotiators = [build(spec, False, self.move_budget) for spec in mix]
                result = Session(scenario, protocol, negotiators, seed,
                                 move_budget=self.move_budget).run()
            finally:
                if watch is not None:
                    watch.started = 0.0
        except BaseException as error:  # noqa: BLE001 - whatever a plug-in does fails this session only
            if isinstance(error, KeyboardInterrupt):
                raise
            return [None, [0.0] * scenario.n_parties, f"{type(error).__name__}: {error}"]
        failure = result.failures[0]["error"] if result.failures else None
        outcome = None if result.outcome is None else list(result.outcome)
        return [outcome, [result.gains[p] for p in scenario.party_ids], failure]

    def failed_row(self, index: int, reason: str) -> dict[str, Any]:
        """The row of a unit that did not finish: every session failed, no deal."""
        n = self.nominal.n_parties
        return {"unit": index, "nash": None, "failed": True,
                "sessions": [[None, [0.0] * n, reason] for _ in self.runs]}


def _mark(status: Any, unit: int) -> None:
    """Tell the local backend's watchdog that unit ``unit`` starts now (no-op without)."""
    if status is not None:
        status[0] = float(unit)
        status[1] = time.monotonic()


def _kernel_session(batch: Any, k: int, agreed: int) -> list[Any]:
    """The session entry of sample ``k`` of ``batch`` from the package a kernel found
    agreed (``-1``: none), with each party's gain over no deal as a session computes it
    (no discounting in a kernel): ``utility - reservation * 1.0``, the utility read from
    the batch — each preferences form evaluates every package on its own, so a package's
    utility in the listing is the one :func:`tratado.session.result.utilities_of`
    evaluates (the kernel tests compare the rows with the engine's)."""
    scenario = batch.scenarios[k]
    reservations = [p.preferences.reservation_value for p in scenario.parties]
    if agreed < 0:
        return [None, [r - r * 1.0 for r in reservations], None]
    outcome = [int(i) for i in batch.every[agreed]]
    gains = [float(u[k, agreed]) - r * 1.0
             for u, r in zip(batch.utilities, reservations, strict=True)]
    return [outcome, gains, None]


def _nash(scenario: Scenario, copies: bool = True) -> list[int] | None:
    """The option index per issue of ``scenario``'s Nash package (None if no package is
    acceptable to every party). With ``copies``, the frontier is found for the copies of
    the parties' preferences their negotiators and the mediator get, so that the mediator
    of an engine session of the 'mediated' protocol finds it already computed
    (:func:`tratado.analysis.pareto_frontier` keeps the last one per preferences); without,
    for the preferences themselves (as the kernels of a batch without copies read them)."""
    import dataclasses

    from tratado.analysis import nash_solution, pareto_frontier
    from tratado.negotiators.base import own_copy

    if copies:
        parties = tuple(dataclasses.replace(party, preferences=own_copy(party.preferences))
                        for party in scenario.parties)
        scenario = dataclasses.replace(scenario, parties=parties)
    frontier = pareto_frontier(scenario)
    chosen = nash_solution(frontier, scenario.reservation_values)
    return None if chosen is None else [int(k) for k in frontier.outcomes[chosen]]
