"""Utility-space pictures (needs the ``plot`` extra: ``pip install 'tratado[plot]'``).

Two parties: every outcome as a dot (a seeded sample when the space is large), the
Pareto frontier, each party's no-deal line, the zone of possible agreement shaded,
and the four fair packages marked. Three or more: a matrix of pairwise views.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from tratado.analysis.summary import Analysis
from tratado.errors import TratadoError

FORMATS = (".png", ".svg", ".pdf")
MAX_DOTS = 60_000
MARKERS = {
    "nash": ("*", "Nash", "#d62728"),
    "kalai_smorodinsky": ("D", "Kalai–Smorodinsky", "#9467bd"),
    "egalitarian": ("s", "Egalitarian", "#2ca02c"),
    "utilitarian": ("^", "Utilitarian", "#ff7f0e"),
}


def check_plot_target(path: Path) -> None:
    """Refuse early (before any work) a plot file tratado cannot write."""
    if path.suffix.lower() not in FORMATS:
        raise TratadoError(f"cannot draw a '{path.suffix or 'no suffix'}' file.", file=str(path),
                           fix="name the plot file .png, .svg or .pdf.")
    if not path.parent.exists():
        raise TratadoError("the folder for the plot does not exist.", file=str(path),
                           fix="create the folder first or choose another path.")
    _pyplot()


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise TratadoError("drawing plots needs matplotlib, which is not installed.",
                           fix="pip install 'tratado[plot]'.") from None
    return plt


def sample_utilities(analysis: Analysis, limit: int = MAX_DOTS, seed: int = 0) -> np.ndarray:
    """Utilities of every outcome, or of a seeded uniform sample of ``limit`` outcomes."""
    agenda = analysis.scenario.agenda
    if agenda.size <= limit:
        rows = agenda.outcomes()
    else:
        rng = np.random.default_rng(seed)
        rows = np.column_stack([rng.integers(0, n, limit) for n in agenda.shape])
    return analysis.scenario.utilities(rows)


def plot_analysis(analysis: Analysis, path: Path) -> Path:
    plt = _pyplot()
    scenario = analysis.scenario
    k = scenario.n_parties
    dots = sample_utilities(analysis)
    sampled = analysis.scenario.agenda.size > len(dots)
    if k == 2:
        fig, ax = plt.subplots(figsize=(7.5, 6.5))
        _panel(ax, analysis, dots, 0, 1, legend=True, sampled=sampled)
    else:
        fig, axes = plt.subplots(k, k, figsize=(3.2 * k, 3.2 * k), squeeze=False)
        for a in range(k):
            for b in range(k):
                ax = axes[b][a]
                if a == b:
                    ax.hist(dots[:, a], bins=30, color="#9ecae1")
                    ax.axvline(scenario.reservation_values[a], color="#555", ls="--", lw=1)
                    ax.set_title(f"{scenario.parties[a].label}: utilities", fontsize=9)
                    ax.set_yticks([])
                else:
                    _panel(ax, analysis, dots, a, b, legend=False, sampled=sampled)
        handles, labels = axes[1][0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="lower center", ncol=4, fontsize=9, frameon=False)
    title = f"{scenario.name}: what agreements are possible"
    if k > 2:
        title += "\n(each panel: two parties' utilities for every package; green: both above no deal)"
    fig.suptitle(title, fontsize=12)
    fig.tight_layout(rect=(0, 0.06 if k > 2 else 0, 1, 1))
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path


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
        ax.scatter(front[:, a], front[:, b], s=6, color="#1f77b4", label="Pareto frontier (all parties)",
                   zorder=3)
    ax.axvline(r[a], color="#555", ls="--", lw=1, label="no-deal values")
    ax.axhline(r[b], color="#555", ls="--", lw=1)
    for names, utilities in _coinciding_solutions(analysis):
        marker, _, colour = MARKERS[names[0]]
        title = " = ".join(MARKERS[n][1] for n in names)
        ax.scatter([utilities[a]], [utilities[b]], marker=marker, s=120, color=colour,
                   edgecolor="black", lw=0.6, label=title, zorder=4)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(f"utility for {pa.label}")
    ax.set_ylabel(f"utility for {pb.label}")
    if legend:
        ax.legend(loc="lower left", fontsize=8, framealpha=0.9)
