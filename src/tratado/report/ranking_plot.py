"""A picture of a tournament's ranking (needs matplotlib): on the left, each
negotiator's mean advantage with its 95% interval, best at the top; on the right, the
pairwise differences as a heat map (row minus column), with a dot where the difference
is real after Holm's correction. Same inputs, same bytes (:mod:`tratado.report.figures`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from tratado.experiments.results import Ranking
from tratado.report.figures import pyplot, save_figure

DPI = 130
MAX_NEGOTIATORS = 40


def draw_ranking(ranking: Ranking) -> Any:
    """The figure (not saved)."""
    plt = pyplot()
    table = [row for row in ranking.table if row["advantage"] is not None][:MAX_NEGOTIATORS]
    names = [row["negotiator"] for row in table]
    n = len(names)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, max(3.0, 0.45 * n + 1.5)),
                                      gridspec_kw={"width_ratios": [1, 1]})
    y = np.arange(n)[::-1]
    means = np.array([row["advantage"] for row in table], dtype=float)
    lows = np.array([row["low"] for row in table], dtype=float)
    highs = np.array([row["high"] for row in table], dtype=float)
    left.errorbar(means, y, xerr=[means - lows, highs - means], fmt="o", color="#1f77b4",
                  ecolor="#7f7f7f", capsize=3)
    left.set_yticks(y, names)
    left.axvline(0.0, color="#bbbbbb", linewidth=0.8)
    left.set_xlabel("mean advantage (u - r) / (best - r), 95% interval")
    left.set_title("Ranking")
    index = {name: k for k, name in enumerate(names)}
    matrix = np.full((n, n), np.nan)
    real = np.zeros((n, n), dtype=bool)
    for pair in ranking.pairwise:
        a, b = index.get(pair["a"]), index.get(pair["b"])
        if a is None or b is None or pair["difference"] is None:
            continue
        matrix[a, b], matrix[b, a] = pair["difference"], -pair["difference"]
        real[a, b] = real[b, a] = bool(pair["real"])
    bound = float(np.nanmax(np.abs(matrix))) if np.isfinite(matrix).any() else 1.0
    image = right.imshow(matrix, cmap="RdBu", vmin=-bound or -1, vmax=bound or 1)
    rows, cols = np.nonzero(real)
    right.scatter(cols, rows, s=12, color="black")
    right.set_xticks(range(n), names, rotation=45, ha="right")
    right.set_yticks(range(n), names)
    right.set_title("Row − column, mean paired difference")
    right.set_xlabel("dot: a real difference (Holm-corrected p < 0.05)")
    fig.colorbar(image, ax=right, shrink=0.8)
    fig.tight_layout()
    return fig


def plot_ranking(ranking: Ranking, path: Path) -> Path:
    """Draw the ranking to ``path`` (.png, .svg or .pdf), atomically."""
    return save_figure(draw_ranking(ranking), path, DPI)
