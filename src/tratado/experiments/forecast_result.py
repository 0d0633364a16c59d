"""What a forecast found, from the rows its workers sent back (:class:`ForecastResult`).

The rows are read into arrays indexed by sample, so every figure is computed in the same
order whatever the backend, the number of workers or the order in which chunks came
back: the same seed gives the same bytes (:meth:`ForecastResult.to_dict`). The
statistics are those of :mod:`tratado.experiments.forecast_stats`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from tratado.experiments.forecast_job import ForecastJob
from tratado.experiments.forecast_stats import (
    Z95,
    first_order_index,
    mean_interval,
    noise_level,
    spearman,
    swing,
    wilson,
)

NO_AGREEMENT = "no agreement"


def _r(value: float) -> float:
    return float(value) + 0.0  # a Python float, never "-0.0"


def _pair(low: float, high: float) -> list[float]:
    return [_r(low), _r(high)]


class ForecastResult:
    """The sessions of a forecast, as arrays: ``outcomes[v, r, s]`` (option index per
    issue, ``-1`` without agreement), ``gains[v, r, s]`` (per party), ``failed[v, r, s]``
    and ``nash[v, s]`` (the sample's Nash package, ``-1`` when none) for what-if ``v``,
    run ``r`` (protocol and mix, :attr:`run_names`) and sample ``s``."""

    def __init__(self, job: ForecastJob, rows: Sequence[dict[str, Any]],
                 nominal_nash: Sequence[list[int] | None]) -> None:
        self.job = job
        n, v, r = len(job.samples), len(job.variants), len(job.runs)
        issues, parties = len(job.nominal.agenda), job.nominal.n_parties
        self.outcomes = np.full((v, r, n, issues), -1, dtype=np.int32)
        self.gains = np.zeros((v, r, n, parties))
        self.failed = np.zeros((v, r, n), dtype=bool)
        self.nash = np.full((v, n, issues), -1, dtype=np.int32)
        self.reasons: Counter[str] = Counter()
        self._why: dict[tuple[int, int, int], str] = {}
        self.nominal_nash = list(nominal_nash)
        self.add(rows)

    def add(self, rows: Sequence[dict[str, Any]]) -> None:
        """Read rows in (any order: each says which sample and what-if it is)."""
        v = len(self.job.variants)
        for row in rows:
            sample, variant = divmod(int(row["unit"]), v)
            if row["nash"] is not None:
                self.nash[variant, sample] = row["nash"]
            for run, (outcome, gains, failure) in enumerate(row["sessions"]):
                if outcome is not None:
                    self.outcomes[variant, run, sample] = outcome
                self.gains[variant, run, sample] = gains
                if failure is not None:
                    self.failed[variant, run, sample] = True
                    self.reasons[failure] += 1
                    self._why[(variant, run, sample)] = failure

    def failure_text(self, variant: int, run: int, sample: int) -> str:
        """Why that session failed ("" if it did not)."""
        return self._why.get((variant, run, sample), "")

    # -- names ----------------------------------------------------------------------
    @property
    def run_names(self) -> list[str]:
        """One name per run: the protocol, with the mix when there are several."""
        several = len(self.job.mixes) > 1
        return [f"{protocol} [{', '.join(mix)}]" if several else protocol
                for protocol, mix in self.job.runs]

    @property
    def samples(self) -> int:
        return len(self.job.samples)

    def agreed(self, variant: int = 0) -> np.ndarray:
        """``(runs, samples)``: whether each session reached an agreement."""
        return np.asarray(self.outcomes[variant, :, :, 0] >= 0)

    # -- the figures ----------------------------------------------------------------
    def _run(self, variant: int, run: int) -> dict[str, Any]:
        agreed = self.outcomes[variant, run, :, 0] >= 0
        n = agreed.size
        k = int(agreed.sum())
        low, high = wilson(k, n)
        found: dict[str, Any] = {
            "agreement_probability": _r(k / n),
            "interval": None if self.job.exact else _pair(low, high),
            "agreements": k, "sessions": n,
            "failures": int(self.failed[variant, run].sum()),
            "items": self._items(variant, run),
            "expected_gain": self._gains(variant, run),
        }
        return found

    def _items(self, variant: int, run: int) -> dict[str, dict[str, float]]:
        agenda = self.job.nominal.agenda
        outcomes = self.outcomes[variant, run]
        n = outcomes.shape[0]
        found: dict[str, dict[str, float]] = {}
        for i, issue in enumerate(agenda.issues):
            counts = np.bincount(outcomes[:, i][outcomes[:, i] >= 0],
                                 minlength=len(issue.options))
            shares = {str(option): _r(count / n)
                      for option, count in zip(issue.options, counts.tolist(), strict=True)}
            shares[NO_AGREEMENT] = _r(float(np.sum(outcomes[:, i] < 0)) / n)
            found[issue.name] = shares
        return found

    def _gains(self, variant: int, run: int) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for k, party in enumerate(self.job.nominal.party_ids):
            mean, low, high = mean_interval(self.gains[variant, run, :, k])
            found[party] = {"mean": _r(mean),
                            "interval": None if self.job.exact else _pair(low, high)}
        return found

    def fair_packages(self, variant: int = 0) -> dict[str, Any]:
        """How often each sample's Nash package is the nominal one, item by item."""
        agenda = self.job.nominal.agenda
        nominal = self.nominal_nash[variant]
        nash = self.nash[variant]
        none = nash[:, 0] < 0
        if nominal is None:
            same = none
            items = {issue.name: _r(float(none.mean())) for issue in agenda.issues}
            shown = None
        else:
            matches = nash == np.asarray(nominal)
            same = np.all(matches, axis=1)
            items = {issue.name: _r(float(matches[:, i].mean()))
                     for i, issue in enumerate(agenda.issues)}
            shown = {issue.name: str(issue.options[k])
                     for issue, k in zip(agenda.issues, nominal, strict=True)}
        return {"nash": {"nominal": shown, "same_package": _r(float(same.mean())),
                         "no_package": _r(float(none.mean())), "items": items}}

    def sensitivity(self, run: int | None = None) -> list[dict[str, Any]]:
        """Which uncertain inputs move the probability of agreement (of one run, or
        averaged over the runs), most influential first (first-order index, then
        Spearman's rho in size, then the input's order)."""
        agreed = self.agreed(0).astype(np.float64)
        return self._ranked(agreed.mean(axis=0) if run is None else agreed[run], "agreement")

    def gain_sensitivity(self, top: int = 5) -> dict[str, list[dict[str, Any]]]:
        """For each party, the ``top`` inputs that move its gain over no deal most
        (averaged over the runs): what drives what each side gets."""
        gains = self.gains[0].mean(axis=0)  # (samples, parties)
        return {party: self._ranked(gains[:, k], "gain")[:top]
                for k, party in enumerate(self.job.nominal.party_ids)}

    def _ranked(self, y: np.ndarray, what: str) -> list[dict[str, Any]]:
        inputs = list(self.job.sampler.inputs) if self.job.sampler is not None else []
        x = self.job.samples
        found: list[dict[str, Any]] = []
        for j, item in enumerate(inputs):
            low, high = swing(x[:, j], y)
            found.append({
                "input": str(item.key), "label": str(getattr(item, "label", item.key)),
                "first_order": _r(first_order_index(x[:, j], y)),
                "spearman": _r(spearman(x[:, j], y)),
                f"{what}_low": _r(low), f"{what}_high": _r(high),
            })
        order = sorted(range(len(found)), key=lambda j: (-float(found[j]["first_order"]),
                                                         -abs(float(found[j]["spearman"])), j))
        return [found[j] for j in order]

    def _difference(self, variant: int) -> dict[str, Any]:
        """What-if ``variant`` minus the forecast, on the same samples (paired)."""
        found: dict[str, Any] = {}
        base, changed = self.agreed(0), self.agreed(variant)
        for run, name in enumerate(self.run_names):
            d = changed[run].astype(np.float64) - base[run].astype(np.float64)
            mean, low, high = mean_interval(d)
            items: dict[str, dict[str, float]] = {}
            before, after = self._items(0, run), self._items(variant, run)
            for issue, shares in after.items():
                items[issue] = {label: _r(share - before[issue][label])
                                for label, share in shares.items()}
            found[name] = {"agreement_probability": _r(mean),
                           "interval": None if self.job.exact else _pair(low, high),
                           "items": items}
        return found

    def to_dict(self) -> dict[str, Any]:
        """The whole forecast as one JSON-able document (docs/cli.md describes it)."""
        job = self.job
        inputs = list(job.sampler.inputs) if job.sampler is not None else []
        runs = {name: self._run(0, run) for run, name in enumerate(self.run_names)}
        for run, name in enumerate(self.run_names):
            runs[name]["sensitivity"] = self.sensitivity(run)
        document: dict[str, Any] = {
            "scenario": job.nominal.name,
            "exact": job.exact,
            "stakeholders": job.stakeholders,
            "samples": self.samples,
            "seed": job.seed,
            "confidence": 0.95,
            "z": _r(Z95),
            "negotiators": [list(mix) for mix in job.mixes],
            "inputs": [{"key": str(item.key), "label": str(getattr(item, "label", item.key))}
                       for item in inputs],
            "protocols": runs,
            "fair_packages": self.fair_packages(0),
            "sensitivity": self.sensitivity(),
            "sensitivity_noise": _r(noise_level(self.samples)) if inputs else None,
            "gain_sensitivity": self.gain_sensitivity() if inputs else {},
            "failures": {"sessions": int(self.failed.sum()),
                         "reasons": dict(sorted(self.reasons.items(),
                                                key=lambda kv: (-kv[1], kv[0]))[:5])},
        }
        document["what_if"] = [
            {"what_if": job.variants[v].text,
             "protocols": {name: self._run(v, run) for run, name in enumerate(self.run_names)},
             "fair_packages": self.fair_packages(v),
             "difference": self._difference(v)}
            for v in range(1, len(job.variants))]
        return document
