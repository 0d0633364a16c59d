"""A picture of a forecast (needs matplotlib): one panel per agenda item — for each
protocol, a bar split into the shares of the options the item settles on, in the
agenda's order, and of "no agreement" (grey) — and, at the bottom, tornado plots of
what drives the forecast: for each uncertain input, most influential at the top, the
probability of agreement when the input is in its lowest fifth and in its highest
fifth, around the forecast's overall probability (drawn when some input moves it
beyond the noise level), and the same for each party's gain over no deal. Same inputs, same bytes
(:mod:`tratado.report.figures`).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import numpy as np

from tratado.report.figures import pyplot, save_figure
from tratado.scenario import Scenario

DPI = 110
NO_AGREEMENT = "no agreement"
MAX_INPUTS = 15  # inputs in the tornado plot
MAX_ISSUES = 30


def _labels(rows: list[dict[str, Any]]) -> list[str]:
    """Each input's label, with its key where two inputs share a label."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["label"]] = counts.get(row["label"], 0) + 1
    return [textwrap.shorten(row["label"], 52) + (f" [{row['input'].split('.', 2)[-1]}]"
                                                  if counts[row["label"]] > 1 else "")
            for row in rows]


def _panels(document: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]], str, float]]:
    """The tornado panels: ``(title, rows, what, centre)`` — the probability of agreement
    when some input moves it beyond the noise level, and each party's gain."""
    panels = []
    noise = document["sensitivity_noise"] or 0.0
    rows = document["sensitivity"][:MAX_INPUTS]
    if any(row["first_order"] >= 2 * noise for row in rows):
        runs = document["protocols"].values()
        centre = float(np.mean([run["agreement_probability"] for run in runs]))
        panels.append(("What drives the probability of agreement (all protocols)", rows,
                       "agreement", centre))
    for party, drivers in document["gain_sensitivity"].items():
        centre = float(np.mean([run["expected_gain"][party]["mean"]
                                for run in document["protocols"].values()]))
        panels.append((f"What drives {party}'s gain over no deal (all protocols)", drivers,
                       "gain", centre))
    return panels


def _tornado(axis: Any, title: str, rows: list[dict[str, Any]], what: str,
             centre: float) -> None:
    scale = 100.0 if what == "agreement" else 1.0
    y = np.arange(len(rows))[::-1]
    for k, row in zip(y, rows, strict=True):
        low, high = scale * row[f"{what}_low"], scale * row[f"{what}_high"]
        axis.barh(k, low - scale * centre, left=scale * centre, color="#d62728", height=0.6)
        axis.barh(k, high - scale * centre, left=scale * centre, color="#1f77b4", height=0.6)
    axis.axvline(scale * centre, color="black", linewidth=0.8)
    labels = [f"{label}  (S={row['first_order']:.2f})"
              for label, row in zip(_labels(rows), rows, strict=True)]
    axis.set_yticks(y, labels, fontsize=8)
    unit = "probability of agreement (%)" if what == "agreement" else "mean gain over no deal"
    axis.set_xlabel(f"{unit} with the input in its lowest fifth (red) and highest fifth"
                    " (blue); line: overall", fontsize=8)
    axis.tick_params(axis="x", labelsize=7)
    axis.set_title(title, fontsize=10)


def _item(axis: Any, issue: Any, document: dict[str, Any], plt: Any) -> None:
    runs = document["protocols"]
    names = list(runs)
    labels = [str(option) for option in issue.options]
    colours = plt.get_cmap("viridis")(np.linspace(0.05, 0.95, max(len(labels), 2)))
    y = np.arange(len(names))[::-1]
    left = np.zeros(len(names))
    for k, label in enumerate([*labels, NO_AGREEMENT]):
        shares = np.array([100 * runs[name]["items"][issue.name][label] for name in names])
        colour = "#bbbbbb" if label == NO_AGREEMENT else colours[k]
        axis.barh(y, shares, left=left, color=colour, height=0.7,
                  label=textwrap.shorten(label, 36))
        left += shares
    axis.set_yticks(y, names, fontsize=8)
    axis.set_xlim(0, 100)
    title = f"{issue.name} — {issue.title}" if issue.title else issue.name
    axis.set_title(textwrap.shorten(title, 90), fontsize=9, loc="left")
    axis.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=7, frameon=False)
    axis.tick_params(axis="x", labelsize=7)


def draw_forecast(scenario: Scenario, document: dict[str, Any]) -> Any:
    """The figure (not saved)."""
    plt = pyplot()
    issues = list(scenario.agenda.issues)[:MAX_ISSUES]
    n_runs = len(document["protocols"])
    item_height = 0.32 * n_runs + 0.7
    panels = _panels(document)
    heights = [item_height] * len(issues) + [0.3 * len(rows) + 1.4 for _, rows, _, _ in panels]
    fig, axes = plt.subplots(len(heights), 1, figsize=(11, sum(heights) + 0.8),
                             gridspec_kw={"height_ratios": heights}, squeeze=False)
    axes = list(axes[:, 0])
    for axis, issue in zip(axes, issues, strict=False):
        _item(axis, issue, document, plt)
    axes[len(issues) - 1].set_xlabel("share of samples (%)", fontsize=8)
    for axis, panel in zip(axes[len(issues):], panels, strict=True):
        _tornado(axis, *panel)
    what = ("one simulation per protocol (no uncertainty)" if document["exact"]
            else f"{document['samples']:,} samples, seed {document['seed']}")
    fig.suptitle(textwrap.shorten(f"Forecast: {scenario.name} ({what})", 110), fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.5 / sum(heights)))
    return fig


def plot_forecast(scenario: Scenario, document: dict[str, Any], path: Path) -> Path:
    """Draw the forecast to ``path`` (.png, .svg or .pdf), atomically."""
    return save_figure(draw_forecast(scenario, document), path, DPI)
