"""A picture of the expected utility model's rounds (needs matplotlib): one panel per
issue, each actor's position after every round, with the four forecasts as grey lines.
Actors that hold the same position in a round are drawn a hair apart (0.8% of the scale
each) so that none hides another. Same inputs, same bytes (:mod:`tratado.report.figures`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from tratado.actors import IssueForecast
from tratado.report.actors_report import LABELS, decimals
from tratado.report.figures import pyplot, save_figure

DPI = 130
MAX_ISSUES = 12
MAX_LINES = 20
"""Actors beyond this many are drawn in grey, without a legend entry."""
FORECAST_STYLES = {"weighted_mean": ":", "weighted_median": "--", "nash_bargaining": "-.",
                   "expected_utility": (0, (5, 1, 1, 1))}


def draw_rounds(results: list[IssueForecast]) -> Any:
    """The figure (not saved)."""
    plt = pyplot()
    shown = results[:MAX_ISSUES]
    fig, axes = plt.subplots(len(shown), 1, figsize=(9, 3.6 * len(shown)), squeeze=False)
    palette = [*plt.get_cmap("tab10").colors, *plt.get_cmap("Dark2").colors]
    for axis, result in zip(axes[:, 0], shown, strict=True):
        run, table = result.run, result.table
        positions = np.array(run.positions)
        rounds = np.arange(len(positions))
        drawn = _apart(positions, 0.008 * (table.high - table.low))
        places = decimals(table.low, table.high)
        for a, name in enumerate(table.actors):
            shown_at = drawn[:, a]
            if a < MAX_LINES:
                axis.plot(rounds, shown_at, marker="o", markersize=3, linewidth=1.2,
                          color=palette[a % len(palette)], label=name)
            else:
                axis.plot(rounds, shown_at, linewidth=0.6, color="#bbbbbb")
        for name, value in result.forecasts().items():
            axis.axhline(value, color="#444444", linewidth=0.9, linestyle=FORECAST_STYLES[name],
                         label=f"{LABELS[name]}: {value:.{places}f}")
        axis.set_xlim(0, max(1, run.rounds))
        axis.set_xticks(rounds if len(rounds) <= 21 else rounds[:: max(1, len(rounds) // 20)])
        axis.set_xlabel("round")
        axis.set_ylabel("position")
        title = table.issue + (f": {table.question}" if table.question else "")
        axis.set_title(title if len(title) <= 90 else title[:89] + "…", fontsize=10)
        axis.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=7, frameon=False)
    fig.tight_layout()
    return fig


def _apart(positions: np.ndarray, step: float) -> np.ndarray:
    """``positions`` with the actors that share a position in a round spread ``step``
    apart around it, in actor order (only for drawing)."""
    drawn = positions.astype(float).copy()
    for k, row in enumerate(positions):
        for value in np.unique(row):
            same = np.flatnonzero(row == value)
            drawn[k, same] += (np.arange(len(same)) - (len(same) - 1) / 2) * step
    return drawn


def save_rounds_plot(results: list[IssueForecast], path: Path) -> Path:
    """Draw and write the picture (format from the suffix), reproducibly."""
    return save_figure(draw_rounds(results), path, DPI)
