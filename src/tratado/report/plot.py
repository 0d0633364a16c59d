"""Utility-space pictures of an analysis (needs matplotlib: see :data:`INSTALL_FIX`).

Two parties: every outcome as a dot (a seeded sample when the space is large), the
Pareto frontier, each party's no-deal line, the zone of possible agreement shaded,
and the four fair packages marked.

Three or more: a matrix. Below the diagonal, one panel per pair of parties (the
column's party across, the row's party up), with the frontier's points projected
(not joined: projected, they need not lie on a curve). On the diagonal, how the
packages are spread for that party: a histogram of its utility, counted in packages
(in sampled packages for large spaces), with its no-deal value. Above the diagonal,
the legend; the panels there would only mirror those below. Parties are named by
their id everywhere, as in the report's tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from tratado.analysis.summary import Analysis
from tratado.report.figures import (
    FORMATS,
    INSTALL_FIX,
    check_parties,
    check_plot_target,
    panel_inches,
    pyplot,
    save_figure,
)

__all__ = ["FORMATS", "INSTALL_FIX", "check_plot_target", "draw_analysis", "plot_analysis",
           "sample_utilities"]

MAX_DOTS = 60_000
DPI = 130
MARKERS = {
    "nash": ("*", "Nash", "#d62728"),
    "kalai_smorodinsky": ("D", "Kalai–Smorodinsky", "#9467bd"),
    "egalitarian": ("s", "Egalitarian", "#2ca02c"),
    "utilitarian": ("^", "Utilitarian", "#ff7f0e"),
}


def sample_utilities(analysis: Analysis, limit: int = MAX_DOTS, seed: int = 0) -> np.ndarray:
    """Utilities of every outcome, or of a seeded uniform sample of ``limit`` outcomes."""
    agenda = analysis.scenario.agenda
    if agenda.size <= limit:
        rows = agenda.outcomes()
    else:
        rng = np.random.default_rng(seed)
        rows = np.column_stack([rng.integers(0, n, limit) for n in agenda.shape])
    return analysis.scenario.utilities(rows)


def draw_analysis(analysis: Analysis) -> Any:
    """The analysis's figure (a matplotlib ``Figure``; the caller saves or closes it)."""
    plt = pyplot()
    scenario = analysis.scenario
    k = scenario.n_parties
    check_parties(k)
    dots = sample_utilities(analysis)
    sampled = analysis.scenario.agenda.size > len(dots)
    if k == 2:
        fig, ax = plt.subplots(figsize=(7.5, 6.5))
        _panel(ax, analysis, dots, 0, 1, legend=True, sampled=sampled)
    else:
        side = panel_inches(k, 3.2)
        fig, axes = plt.subplots(k, k, figsize=(side * k, side * k), squeeze=False)
        for row in range(k):
            for col in range(k):
                ax = axes[row][col]
                if row == col:
                    _spread(ax, analysis, dots, row, sampled)
                elif row > col:
                    _panel(ax, analysis, dots, col, row, legend=False, sampled=sampled)
                else:
                    ax.axis("off")
        handles, labels = axes[1][0].get_legend_handles_labels()
        axes[0][k - 1].legend(handles, labels, loc="upper right", fontsize=9, frameon=False,
                              title="below the diagonal: two parties at a time\n"
                                    "green: both above no deal", title_fontsize=9)
    fig.suptitle(f"{scenario.name}: what agreements are possible", fontsize=12)
    fig.tight_layout()
    return fig


def plot_analysis(analysis: Analysis, path: Path) -> Path:
    """Draw the analysis to ``path`` (.png, .svg or .pdf; same analysis, same bytes)."""
    return save_figure(draw_analysis(analysis), path, DPI)


def _spread(ax: Any, analysis: Analysis, dots: np.ndarray, party: int, sampled: bool) -> None:
    """The diagonal: how the (sampled) packages are spread in one party's utility."""
    who = analysis.scenario.parties[party].id
    ax.hist(dots[:, party], bins=30, range=(0.0, 1.0), color="#9ecae1")
    ax.axvline(analysis.scenario.reservation_values[party], color="#555", ls="--", lw=1)
    ax.set_title(f"{who}: spread of utilities", fontsize=9)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel(f"utility for {who}")
    ax.set_ylabel("packages (sample)" if sampled else "packages")


def _coinciding_solutions(analysis: Analysis) -> list[tuple[list[str], tuple[float, ...]]]:
    """Solutions grouped by package, so that one marker says e.g. 'Nash = Egalitarian'."""
    groups: dict[tuple[float, ...], list[str]] = {}
    for name in MARKERS:
        pkg = analysis.solutions.get(name)
        if pkg is not None:
            groups.setdefault(pkg.utilities, []).append(name)
    return [(names, utilities) for utilities, names in groups.items()]


def _panel(ax: Any, analysis: Analysis, dots: np.ndarray, a: int, b: int, *, legend: bool,
           sampled: bool) -> None:
    scenario = analysis.scenario
    r = scenario.reservation_values
    pa, pb = scenario.parties[a], scenario.parties[b]
    ax.fill_between([r[a], 1.02], r[b], 1.02, color="#e5f5e0", zorder=0,
                    label="zone of possible agreement")
    what = "outcomes (sample)" if sampled else "all outcomes"
    ax.scatter(dots[:, a], dots[:, b], s=4, color="#b0b0b0", alpha=0.5, lw=0, label=what, zorder=1)
    front = analysis.frontier.utilities
    if scenario.n_parties == 2:
        order = np.argsort(front[:, a])
        ax.plot(front[order, a], front[order, b], "-o", color="#1f77b4", ms=3, lw=1.2,
                label="Pareto frontier", zorder=3)
    else:
        ax.scatter(front[:, a], front[:, b], s=6, color="#1f77b4",
                   label="Pareto frontier (all parties), projected", zorder=3)
    ax.axvline(r[a], color="#555", ls="--", lw=1, label="no-deal values")
    ax.axhline(r[b], color="#555", ls="--", lw=1)
    for names, utilities in _coinciding_solutions(analysis):
        marker, _, colour = MARKERS[names[0]]
        title = " = ".join(MARKERS[n][1] for n in names)
        ax.scatter([utilities[a]], [utilities[b]], marker=marker, s=120, color=colour,
                   edgecolor="black", lw=0.6, label=title, zorder=4)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(f"utility for {pa.id}")
    ax.set_ylabel(f"utility for {pb.id}")
    if legend:
        ax.legend(loc="lower left", fontsize=8, framealpha=0.9)
