"""Every sample of a forecast as one table row (``tratado forecast --csv FILE``): the raw
draws behind the summary, for an analyst's own charts and checks.

One row per sample and what-if, in sample order: ``sample`` (from 0), ``what_if`` (the
what-if's text; empty for the forecast itself), the value of each uncertain input (one
column per input key), the sample's Nash package (``nash:ISSUE``, the option label;
empty when no package is acceptable to every party), then for each run (protocol, or
protocol and mix) ``RUN:agreement`` (1 or 0), ``RUN:ISSUE`` (the option agreed; empty
without agreement), ``RUN:gain:PARTY`` (gain over no deal) and ``RUN:failure`` (why the
session failed; empty if it did not). Numbers are written with ``repr`` (shortest
round-trip form), so the same seed gives the same bytes.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from tratado.experiments.forecast_result import ForecastResult


def forecast_rows(result: ForecastResult) -> tuple[list[str], list[list[Any]]]:
    """The header and the rows of the table (see the module docstring)."""
    job = result.job
    agenda = job.nominal.agenda
    issues = [issue.name for issue in agenda.issues]
    parties = list(job.nominal.party_ids)
    keys = [str(item.key) for item in job.sampler.inputs] if job.sampler is not None else []
    header = ["sample", "what_if", *keys, *(f"nash:{issue}" for issue in issues)]
    for name in result.run_names:
        header += [f"{name}:agreement", *(f"{name}:{issue}" for issue in issues),
                   *(f"{name}:gain:{party}" for party in parties), f"{name}:failure"]
    rows: list[list[Any]] = []
    for sample in range(result.samples):
        values = [repr(float(x)) for x in job.samples[sample]] if keys else []
        for variant, what_if in enumerate(job.variants):
            row: list[Any] = [sample, what_if.text, *values,
                              *_labels(agenda, result.nash[variant, sample])]
            for run in range(len(result.run_names)):
                outcome = result.outcomes[variant, run, sample]
                row += [int(outcome[0] >= 0), *_labels(agenda, outcome),
                        *(repr(float(g)) for g in result.gains[variant, run, sample]),
                        result.failure_text(variant, run, sample)]
            rows.append(row)
    return header, rows


def _labels(agenda: Any, outcome: Any) -> list[str]:
    if outcome[0] < 0:
        return [""] * len(agenda.issues)
    return [str(issue.options[int(k)]) for issue, k in zip(agenda.issues, outcome, strict=True)]


def forecast_csv(result: ForecastResult) -> str:
    """The table as CSV text."""
    header, rows = forecast_rows(result)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()
