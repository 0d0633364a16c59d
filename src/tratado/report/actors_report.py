"""What ``tratado forecast-actors`` prints: each model's forecast per issue, then the
expected utility model's positions round by round; and the same as one JSON document.

The JSON document of a one-issue file is that issue's document; with several issues it
is ``{"issues": [...]}`` of the same documents. An issue's document holds the inputs
(``actors``), the four ``forecasts``, the expected utility model's ``rounds`` — a list
whose item ``k`` maps each actor's name to its position after round ``k`` (item 0: the
inputs) — and what the model did each round (``expected_utility``: variant, rounds run,
whether it settled, each actor's risk exponent and move).
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

from tratado.actors import IssueForecast, IssueTable
from tratado.actors.expected_utility import DEFAULT_ROUNDS
from tratado.actors.nash import veto_range
from tratado.actors.robustness import Robustness

LABELS = {
    "weighted_mean": "weighted mean (compromise model)",
    "weighted_median": "weighted median (median voter)",
    "nash_bargaining": "Nash bargaining solution",
    "expected_utility": "expected utility model",
}
VARIANT_NAMES = {
    "replication": "as replicated by Scholz, Calbert & Smith 2011",
    "text": "as Bueno de Mesquita's text states it",
}
ROUNDS_PER_BLOCK = 10


# -- JSON ---------------------------------------------------------------------------
def actors_document(results: list[IssueForecast],
                    robust: list[Robustness] | None = None) -> dict[str, Any]:
    """The JSON document of ``forecast-actors --json`` (see the module docstring)."""
    documents = [issue_document(result, robust[k] if robust else None)
                 for k, result in enumerate(results)]
    return documents[0] if len(documents) == 1 else {"issues": documents}


def issue_document(result: IssueForecast, robust: Robustness | None = None) -> dict[str, Any]:
    table, run = result.table, result.run
    names = table.actors
    document: dict[str, Any] = {"issue": table.issue}
    if table.question:
        document["question"] = table.question
    document["scale"] = [table.low, table.high]
    if table.status_quo is not None:
        document["status_quo"] = table.status_quo
    document["actors"] = [
        {"actor": name, "capability": float(table.capability[k]),
         "position": float(table.position[k]), "salience": float(table.salience[k]),
         **({"note": table.notes[k]} if table.notes and table.notes[k] else {})}
        for k, name in enumerate(names)]
    document["forecasts"] = result.forecasts()
    if robust is not None:
        document["robustness"] = {
            "samples": robust.samples, "spread": robust.spread, "seed": robust.seed,
            "bands": {model: dict(zip(("p10", "median", "p90"), band, strict=True))
                      for model, band in robust.bands.items()}}
    document["expected_utility"] = {
        "variant": run.variant, "rounds_run": run.rounds, "settled": run.settled,
        "risk_exponents": [dict(zip(names, r.tolist(), strict=True)) for r in run.risk],
        "moves": [dict(zip(names, moves, strict=True)) for moves in run.moves],
    }
    document["rounds"] = [dict(zip(names, p.tolist(), strict=True)) for p in run.positions]
    return document


# -- text ---------------------------------------------------------------------------
def decimals(low: float, high: float) -> int:
    """Enough decimals to tell positions apart on a scale from ``low`` to ``high``."""
    span = high - low
    if span <= 0:
        return 2
    return min(6, max(1, 3 - math.ceil(math.log10(span))))


def _veto_line(table: IssueTable) -> str:
    """Why the Nash bargaining solution lies where it does when the status quo's veto
    bounds it (empty when no actor's veto is narrower than the positions' range)."""
    veto = veto_range(table)
    if veto is None:
        return ""
    q = f"{table.status_quo:g}"
    if not veto.low < veto.high:
        return (f"Nash bargaining: the actors sit on both sides of the status quo {q} (or on"
                " it), and each can veto a move from it: unanimity keeps it.")
    x = dict(zip(table.actors, table.position.tolist(), strict=True))
    reasons = []
    inside = float(table.position[table.weights > 0].min()), float(
        table.position[table.weights > 0].max())
    if veto.high_actor is not None and veto.high < inside[1]:
        reasons.append(f"{veto.high_actor} (at {x[veto.high_actor]:g}) prefers"
                       f" nothing above {veto.high:g} to it")
    if veto.low_actor is not None and veto.low > inside[0]:
        reasons.append(f"{veto.low_actor} (at {x[veto.low_actor]:g}) prefers"
                       f" nothing below {veto.low:g} to it")
    if not reasons:
        return ""
    return (f"Nash bargaining needs every actor's consent to move from the status quo {q}: "
            + " and ".join(reasons) + f", so the solution lies between {veto.low:g} and"
            f" {veto.high:g}.")


def actors_report(results: list[IssueForecast], robust: list[Robustness] | None = None) -> str:
    return "\n".join(issue_report(result, robust[k] if robust else None)
                     for k, result in enumerate(results))


def issue_report(result: IssueForecast, robust: Robustness | None = None) -> str:
    table, run = result.table, result.run
    places = decimals(table.low, table.high)
    lines = [f"Issue {table.issue}: {len(table.actors)} actors, scale {table.low:g} to"
             f" {table.high:g}" + (f", status quo {table.status_quo:g}"
                                    if table.status_quo is not None else "")]
    if table.question:
        lines.extend(textwrap.wrap(table.question, 88, initial_indent="  ",
                                   subsequent_indent="  "))
    lines.append("")
    width = max(len(label) for label in LABELS.values())
    if robust is None:
        lines.append(f"  {'model':<{width}}  forecast")
        for name, value in result.forecasts().items():
            lines.append(f"  {LABELS[name]:<{width}}  {value:.{places}f}")
    else:
        lines.append(f"  {'model':<{width}}  forecast   10% .. 90% when the estimates move")
        for name, value in result.forecasts().items():
            low, _, high = robust.bands[name]
            shown = f"{value:.{places}f}"
            lines.append(f"  {LABELS[name]:<{width}}  {shown:<8}   {low:.{places}f} .."
                         f" {high:.{places}f}")
        lines.append(f"  ({robust.samples} samples, each estimate moved by up to"
                     f" {robust.spread:.0%}, seed {robust.seed})")
    veto = _veto_line(table)
    if veto:
        lines.extend(textwrap.wrap(veto, 88, initial_indent="  ", subsequent_indent="  "))
    lines.append("")
    stop = (f"settled after {run.rounds} round(s)" if run.settled
            else f"not settled after {run.rounds} round(s)")
    lines.append("  Expected utility model, positions after each round")
    lines.append(f"  ({run.variant}: {VARIANT_NAMES[run.variant]}; {stop})")
    name_width = max(5, *(len(name) for name in table.actors))
    cells = [[f"{p:.{places}f}" for p in positions] for positions in run.positions]
    cell = max(len(c) for column in cells for c in column)
    for start in range(0, len(cells), ROUNDS_PER_BLOCK + 1):
        block = range(start, min(len(cells), start + ROUNDS_PER_BLOCK + 1))
        lines.append("  " + f"{'actor':<{name_width}}" + "".join(f"  {k:>{cell}}" for k in block))
        for a, name in enumerate(table.actors):
            lines.append("  " + f"{name:<{name_width}}"
                         + "".join(f"  {cells[k][a]:>{cell}}" for k in block))
    lines.append("  The model's forecast is the weighted median of the last round's positions"
                 + ("." if run.settled or run.rounds == 0 else "; --rounds runs longer."))
    lines.append("")
    return "\n".join(lines)


__all__ = ["DEFAULT_ROUNDS", "actors_document", "actors_report", "issue_document",
           "issue_report"]
