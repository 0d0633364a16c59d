"""Pictures of one session: offers traced over the utility space, and utilities over time."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from tratado.analysis.frontier import Frontier
from tratado.records import negotiator_label
from tratado.report.plot import _pyplot
from tratado.scenario import Scenario

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


def plot_session(scenario: Scenario, record: Mapping[str, Any], frontier: Frontier,
                 nash: tuple[float, ...] | None, path: Path) -> Path:
    """Left: the offers of the first two parties in their utility space, with the frontier,
    the Nash package and the agreement. Right: each offer's utility for every party over
    the moves."""
    plt = _pyplot()
    ids = scenario.party_ids
    offers = [e for e in record["log"] if e.get("utilities") and e.get("party")]
    fig, (space, time) = plt.subplots(1, 2, figsize=(13, 5.5))
    a, b = 0, 1
    front = frontier.utilities
    order = np.argsort(front[:, a])
    space.plot(front[order, a], front[order, b], "-", color="#999", lw=1.2,
               label="Pareto frontier" + (" (all parties)" if len(ids) > 2 else ""))
    r = scenario.reservation_values
    space.axvline(r[a], color="#555", ls="--", lw=1, label="no-deal values")
    space.axhline(r[b], color="#555", ls="--", lw=1)
    for k, party in enumerate(ids):
        mine = [e for e in offers if e["party"] == party]
        if not mine:
            continue
        xs = [e["utilities"][ids[a]] for e in mine]
        ys = [e["utilities"][ids[b]] for e in mine]
        space.plot(xs, ys, "-o", ms=3, lw=0.8, alpha=0.8, color=COLOURS[k % len(COLOURS)],
                   label=f"offers by {party}")
    if nash is not None:
        space.scatter([nash[a]], [nash[b]], marker="*", s=220, color="gold", edgecolor="black",
                      zorder=5, label="Nash package")
    result = record["result"]
    if record.get("agreement"):
        u = result["utilities"]
        space.scatter([u[ids[a]]], [u[ids[b]]], marker="X", s=160, color="black", zorder=6,
                      label=f"agreement (round {result['round']})")
    space.set_xlim(-0.02, 1.02)
    space.set_ylim(-0.02, 1.02)
    space.set_xlabel(f"utility for {scenario.parties[a].label}")
    space.set_ylabel(f"utility for {scenario.parties[b].label}")
    space.set_title("Offers in utility space")
    space.legend(loc="lower left", fontsize=8)
    for k, party in enumerate(ids):
        colour = COLOURS[k % len(COLOURS)]
        for proposer in ids:
            mine = [e for e in offers if e["party"] == proposer]
            if not mine:
                continue
            turns = [e["turn"] for e in mine]
            values = [e["utilities"][party] for e in mine]
            style = "-" if proposer == party else ":"
            label = (f"{party}: own offers" if proposer == party
                     else f"{party}: offers by {proposer}")
            time.plot(turns, values, style, color=colour, lw=1.2, label=label)
        time.axhline(r[k], color=colour, ls="--", lw=0.8, alpha=0.6)
    time.set_xlabel("move")
    time.set_ylabel("utility")
    time.set_ylim(-0.02, 1.02)
    time.set_title("Utility of each offer over time (dashed: no-deal values)")
    time.legend(loc="lower left", fontsize=8)
    fig.suptitle(f"{scenario.name}: {record['protocol']['name']} — "
                 + ", ".join(f"{p} = {negotiator_label(n)}"
                             for p, n in record["negotiators"].items()))
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
