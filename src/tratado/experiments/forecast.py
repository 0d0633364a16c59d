"""Forecasts: how likely is an agreement, and what will it say, given what we do not know?

    from tratado.experiments.forecast import Forecast

    result = Forecast(tratado.load("venezuela-2021"), samples=2000, seed=1).run()
    result.to_dict()["protocols"]["mediated"]["agreement_probability"]

A forecast draws ``samples`` samples of the scenario's uncertain inputs (its
``uncertainty``, or any :class:`~tratado.experiments.forecast_job.Sampler`) from the
seed, runs each sample under every protocol (default: the three built-in ones) and
negotiator mix asked for (default: the default negotiator for every party), and
reports what :class:`~tratado.experiments.forecast_result.ForecastResult` computes: the
probability of agreement per protocol with its Wilson interval, the distribution of
what each agenda item settles on, each party's expected gain over no deal, how stable
the Nash package is, and which inputs drive the probability of agreement.

What-ifs (:mod:`tratado.experiments.whatif`) run against the same samples and session
seeds. The sessions run on the tournament layer's backends
(:mod:`tratado.experiments.backends`): in this process (``jobs=0``), local worker
processes, or Dask — the same seed gives the same result on any of them.

With no uncertainty the forecast is one sample: the scenario itself, each session
seeded with the forecast's seed — exactly what ``tratado simulate --seed S`` runs.
Everything is checked before the first session (a mistake is a
:class:`~tratado.errors.TratadoError`: exit 2 on the command line).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from tratado.errors import TratadoError
from tratado.experiments.forecast_job import ForecastJob, Sampler, sample_rng
from tratado.experiments.forecast_result import ForecastResult
from tratado.experiments.whatif import NONE, WhatIf, parse_what_if
from tratado.scenario import Scenario

DEFAULT_SAMPLES = 9604
"""``z² p (1 - p) / e²`` for ``z = 1.96``, ``p = 0.5`` and ``e = 0.01``: the probability
of agreement to ±1 percentage point at 95% confidence, whatever it is."""

DEFAULT_PROTOCOLS = ("alternating", "single-text", "mediated")
MAX_SAMPLES = 1_000_000  # the arrays of a million samples: about 100 MB
MAX_CHUNK = 250  # samples per chunk at most

Progress = Callable[[int, int, int, int], None]  # done, total, agreements, failures


def samples_for(margin: float, p: float = 0.5, z: float = 1.959963984540054) -> int:
    """Samples needed for a probability near ``p`` to be known to ``± margin``."""
    return math.ceil(z * z * p * (1 - p) / (margin * margin))


class Forecast:
    """A forecast of ``scenario`` (see the module docstring).

    ``negotiators``: negotiator mixes, each one spec per party in party order
    (``["boulware", "conceder"]``); ``what_ifs``: what-if texts
    (:func:`~tratado.experiments.whatif.parse_what_if`); ``rounds``: a deadline for every
    session (default: the scenario's); ``sampler``: what draws the samples (default: the
    scenario's ``uncertainty``; None there: no uncertainty); ``kernels``: run the
    sessions a batched kernel reproduces in one (:mod:`tratado.experiments.kernels`; the
    same result, faster) — False runs every session on the engine."""

    def __init__(self, scenario: Scenario, *, samples: int = DEFAULT_SAMPLES, seed: int = 0,
                 protocols: Sequence[str] = DEFAULT_PROTOCOLS,
                 negotiators: Sequence[Sequence[str]] | None = None,
                 what_ifs: Sequence[str] = (), rounds: int | None = None,
                 move_budget: float | None = None, timeout: float | None = 60.0,
                 sampler: Sampler | None = None, stakeholders: bool = True,
                 kernels: bool = True) -> None:
        self.scenario = scenario
        self.samples = samples
        self.seed = seed
        self.protocols = list(protocols)
        self.negotiators = [tuple(mix) for mix in negotiators] if negotiators else None
        self.what_ifs = list(what_ifs)
        self.rounds = rounds
        self.move_budget = move_budget
        self.timeout = timeout
        self.sampler = sampler if sampler is not None else scenario.uncertainty
        self.stakeholders = stakeholders
        self.kernels = kernels
        self._job: ForecastJob | None = None

    # -- checking everything before anything runs -----------------------------------
    def prepare(self) -> ForecastJob:
        """Check the protocols, negotiators, what-ifs and the samples, and build the job."""
        if self._job is not None:
            return self._job
        scenario = self.scenario
        if not 1 <= self.samples <= MAX_SAMPLES:
            raise TratadoError(f"{self.samples:,} samples.", field="--samples",
                               fix=f"give between 1 and {MAX_SAMPLES:,} samples.")
        if not self.protocols or len(set(self.protocols)) != len(self.protocols):
            raise TratadoError("the protocols are empty or named twice.", field="--protocols",
                               fix="name each protocol once: alternating, single-text,"
                               " mediated.")
        mixes = self._mixes()
        self._check_protocols(mixes)
        from tratado.analysis.space import check_frontier_work

        check_frontier_work(scenario, f"the Pareto frontier of '{scenario.name}' (for the"
                            " Nash package of every sample)")
        inputs = list(self.sampler.inputs) if self.sampler else []
        groups = list(getattr(self.sampler, "weight_groups", dict)().values())
        variants = [NONE, *(parse_what_if(text, scenario, inputs, groups)
                            for text in self.what_ifs)]
        samples = self._draw()
        self._job = ForecastJob(scenario, self.sampler, samples, self.protocols, mixes,
                                self.seed, variants, self.rounds, self.move_budget,
                                self.timeout, [os.getcwd()], self.stakeholders,
                                self.kernels)
        self._check_variants(self._job)
        return self._job

    def _mixes(self) -> list[tuple[str, ...]]:
        from tratado.experiments.specs import check_spec, plugins_from_cwd
        from tratado.negotiators import DEFAULT_NEGOTIATOR

        n = self.scenario.n_parties
        mixes = self.negotiators or [(DEFAULT_NEGOTIATOR,) * n]
        checked: list[tuple[str, ...]] = []
        for mix in mixes:
            if len(mix) != n:
                raise TratadoError(
                    f"{len(mix)} negotiator(s) for {n} parties"
                    f" ({', '.join(self.scenario.party_ids)}).", field="--negotiators",
                    fix="give one name per party, in party order, separated by commas.")
            plugins_from_cwd(list(mix))
            checked.append(tuple(check_spec(spec, field="--negotiators")[0] for spec in mix))
        if len(set(checked)) != len(checked):
            raise TratadoError("the same negotiator mix is given twice.", field="--negotiators",
                               fix="give each mix once.")
        return checked

    def _check_protocols(self, mixes: list[tuple[str, ...]]) -> None:
        from tratado.negotiators.registry import make
        from tratado.protocols import protocol_class
        from tratado.session import Session

        options = {} if self.rounds is None else {"deadline": self.rounds}
        for protocol in self.protocols:
            try:
                protocol_class(protocol)
                Session(self.scenario, protocol, [make("linear") for _ in mixes[0]], 0,
                        move_budget=self.move_budget, protocol_options=options)
            except (TypeError, ValueError) as error:
                raise TratadoError(f"the '{protocol}' protocol cannot run on this scenario"
                                   f" with these options: {str(error).rstrip('.')}.",
                                   field="--protocols",
                                   fix="use alternating, single-text or mediated, and leave"
                                   " out the options a protocol does not take"
                                   " (docs/protocols.md).") from None

    def _draw(self) -> np.ndarray:
        if self.sampler is None:
            return np.zeros((1, 0))
        k = len(self.sampler.inputs)
        samples = np.asarray(self.sampler.sample(sample_rng(self.seed), self.samples),
                             dtype=np.float64)
        if samples.shape != (self.samples, k) or not np.all(np.isfinite(samples)):
            raise TratadoError(f"the sampler gave an array of shape {samples.shape}, not"
                               f" ({self.samples}, {k}) finite numbers.",
                               fix="check the sampler (its sample(rng, n) method).")
        samples.setflags(write=False)
        return samples

    def _check_variants(self, job: ForecastJob) -> None:
        """Build the estimates' scenario under each what-if that pins inputs now, so that a
        pinned value the model refuses (out of its range) is said before any session."""
        for what_if in job.variants:
            if not what_if.pins or job.sampler is None:
                continue
            try:
                _estimates(job, what_if)
            except Exception as error:  # noqa: BLE001 - a sampler may refuse in any way
                reason = error.message if isinstance(error, TratadoError) else str(error)
                raise TratadoError(f"the what-if '{what_if.text}' cannot be applied:"
                                   f" {reason.rstrip('.')}.", field="--what-if",
                                   fix="pin each input to a value within its range.") from None

    # -- running --------------------------------------------------------------------
    def run(self, *, jobs: int | None = None, scheduler: str | None = None,
            dask_workers: int | None = None, memory: int | None = None,
            progress: Progress | None = None) -> ForecastResult:
        """Run every sample and return the result. ``jobs``: local worker processes
        (default: every core; ``0`` runs in this process); ``scheduler`` /
        ``dask_workers``: run on Dask instead; ``progress(done, total, agreements,
        failures)`` is called (in sessions) as chunks finish."""
        job = self.prepare()
        if scheduler is not None or dask_workers is not None:
            workers = dask_workers or 8
        else:
            workers = max(jobs if jobs is not None else os.cpu_count() or 1, 1)
        units = len(job)
        per_unit = len(job.runs)
        # the rows are read into arrays as chunks come back (memory: the arrays, not rows)
        result = ForecastResult(job, [], [_nominal_nash(job, v) for v in range(len(job.variants))])
        done = agreements = failures = 0
        for _, _, chunk_rows in _backend(job, chunks(units, workers), jobs, scheduler,
                                         dask_workers, memory):
            result.add(chunk_rows)
            done += len(chunk_rows)
            for row in chunk_rows:
                for outcome, _, failure in row["sessions"]:
                    agreements += outcome is not None
                    failures += failure is not None
            if progress is not None:
                progress(done * per_unit, units * per_unit, agreements, failures)
        return result


def _nominal_nash(job: ForecastJob, variant: int) -> list[int] | None:
    """The Nash package of the scenario's estimates (its nominal values) under what-if
    ``variant``."""
    from tratado.experiments.forecast_job import _nash

    return _nash(job.effective(_estimates(job, job.variants[variant])))


def _estimates(job: ForecastJob, what_if: WhatIf) -> Scenario:
    """The scenario as written (its estimates), under ``what_if``: the pinned inputs
    set, the others at their nominal values."""
    sampler = job.sampler
    scenario = job.nominal
    if sampler is not None and what_if.pins:
        nominal_row = np.array([float(item.nominal) for item in sampler.inputs])
        scenario = sampler.scenario_at(job.nominal, what_if.row(nominal_row))
    return what_if.apply(scenario)


def chunks(units: int, workers: int) -> list[tuple[int, int]]:
    """Units ``0`` to ``units - 1`` in chunks: a few per worker, at most
    :data:`MAX_CHUNK` units each."""
    size = max(1, min(MAX_CHUNK, math.ceil(units / (workers * 4)) if units else 1))
    return [(k, min(k + size, units)) for k in range(0, units, size)]


def _backend(job: ForecastJob, parts: list[tuple[int, int]], jobs: int | None,
             scheduler: str | None, dask_workers: int | None,
             memory: int | None) -> Iterator[tuple[int, int, list[dict[str, Any]]]]:
    from tratado.experiments import backends

    if scheduler is not None or dask_workers is not None:
        return backends.run_dask(job, parts, scheduler, dask_workers)
    if jobs == 0:
        return backends.run_serial(job, parts)
    return backends.run_local(job, parts, jobs or os.cpu_count() or 1, memory)


__all__ = ["DEFAULT_PROTOCOLS", "DEFAULT_SAMPLES", "Forecast", "ForecastResult", "samples_for"]
