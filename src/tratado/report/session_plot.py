"""Pictures of one session: what was on the table, in utility space and over time.

What is drawn follows the protocol (:mod:`tratado.report.session_trace` has the
series): each party's offers under alternating offers; the mediator's draft, its
adopted and turned-down changes and the final text under the single negotiating
text; the neutral's proposals, accepted or rejected, the settlement and any
post-settlement improvement under mediation. Filled markers: taken up; hollow:
turned down.

Two parties: the utility space (the first party across, the second up) beside one
panel of utilities over time. Three or more: a matrix. Below the diagonal, one panel
per pair of parties (the column's party across, the row's party up); on the diagonal,
each party's utility over time; above it, the legend. With three or more parties the
Pareto frontier is drawn as the projections of its points (every party's frontier
package, seen by two of them), not as a line: projected, those points need not lie on
a curve. Parties are named by their id, as in every table.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from tratado.analysis.frontier import Frontier
from tratado.records import negotiator_label
from tratado.report.figures import check_parties, panel_inches, pyplot, save_figure
from tratado.report.session_trace import ADOPTED, FINAL, PATH, TURNED_DOWN, SessionTrace, session_trace
from tratado.scenario import Scenario

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")
MEDIATOR_COLOUR = "#333333"
DPI = 120


def colour(k: int) -> str:
    return COLOURS[k % len(COLOURS)]


def draw_session(scenario: Scenario, record: Mapping[str, Any], frontier: Frontier,
                 nash: tuple[float, ...] | None) -> Any:
    """The session's figure (a matplotlib ``Figure``; the caller saves or closes it)."""
    plt = pyplot()
    trace = session_trace(record)
    ids = scenario.party_ids
    k = len(ids)
    check_parties(k)
    if k == 2:
        fig, (space, time) = plt.subplots(1, 2, figsize=(13, 5.5))
        _space(space, scenario, trace, frontier, nash, 0, 1)
        space.set_title(_space_title(trace))
        space.legend(loc="lower left", fontsize=8)
        _time(time, scenario, trace, ids)
        time.set_title("Utility over time (dashed: no-deal values)")
        if time.get_legend_handles_labels()[0]:
            time.legend(loc="lower left", fontsize=8)
    else:
        side = panel_inches(k, 3.3)
        fig, axes = plt.subplots(k, k, figsize=(side * k, side * k), squeeze=False)
        handles: dict[str, Any] = {}
        for row in range(k):
            for col in range(k):
                ax = axes[row][col]
                if row == col:
                    _time(ax, scenario, trace, [ids[row]])
                    ax.set_title(f"{ids[row]}: utility over time (dashed: no deal)", fontsize=9)
                elif row > col:
                    _space(ax, scenario, trace, frontier, nash, col, row)
                else:
                    ax.axis("off")
                    continue
                for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
                    handles.setdefault(label, handle)
        host = axes[0][k - 1]
        host.legend(list(handles.values()), list(handles), loc="upper right", fontsize=8,
                    title=_space_title(trace) + "\nbelow the diagonal: two parties at a time",
                    title_fontsize=8, frameon=False)
    # about nine characters of the title font fit in an inch: wrap, never cut off
    fig.suptitle(_title(scenario, record, trace, int(fig.get_figwidth() * 9)))
    fig.tight_layout()
    return fig


def plot_session(scenario: Scenario, record: Mapping[str, Any], frontier: Frontier,
                 nash: tuple[float, ...] | None, path: Path) -> Path:
    """Draw the session to ``path`` (.png, .svg or .pdf; same record, same bytes)."""
    return save_figure(draw_session(scenario, record, frontier, nash), path, DPI)


def _title(scenario: Scenario, record: Mapping[str, Any], trace: SessionTrace,
           width: int = 110) -> str:
    names = ", ".join(f"{p} = {negotiator_label(n)}" for p, n in record["negotiators"].items())
    ending = (f"agreement in round {trace.agreement_round}" if trace.agreement is not None
              else f"no agreement ({record['result']['reason']})")
    return textwrap.fill(f"{scenario.name}: {trace.protocol} — {names}", width) + f"\n{ending}"


def _space_title(trace: SessionTrace) -> str:
    return {"single-text": "The mediator's text in utility space",
            "mediated": "The neutral's proposals in utility space"}.get(
                trace.protocol, "Offers in utility space")


def _style(kind: str, owner: str | None, ids: Sequence[str]) -> dict[str, Any]:
    tone = colour(ids.index(owner)) if owner in ids else MEDIATOR_COLOUR
    if kind == PATH:
        return {"color": tone, "marker": "o", "ms": 3, "lw": 0.9}
    if kind == ADOPTED:
        return {"color": "#2ca02c", "marker": "o", "ms": 6, "lw": 0, "mec": "black", "mew": 0.5}
    if kind == TURNED_DOWN:
        return {"color": "#d62728", "marker": "o", "ms": 7, "lw": 0, "mfc": "none", "mew": 0.9}
    return {"color": "#ffbf00", "marker": "s", "ms": 9, "lw": 0, "mec": "black", "mew": 0.7}


def _space(ax: Any, scenario: Scenario, trace: SessionTrace, frontier: Frontier,
           nash: tuple[float, ...] | None, a: int, b: int) -> None:
    """Party ``a`` across, party ``b`` up."""
    ids = scenario.party_ids
    front = frontier.utilities
    if len(ids) == 2:
        order = np.argsort(front[:, a], kind="stable")
        ax.plot(front[order, a], front[order, b], "-", color="#999", lw=1.2, label="Pareto frontier")
    else:
        ax.scatter(front[:, a], front[:, b], s=5, color="#bbbbbb", lw=0, zorder=1,
                   label="Pareto frontier (all parties), projected")
    r = scenario.reservation_values
    ax.axvline(r[a], color="#555", ls="--", lw=1, label="no-deal values")
    ax.axhline(r[b], color="#555", ls="--", lw=1)
    for series in trace.series:
        ax.plot(series.utilities[:, a], series.utilities[:, b], alpha=0.85, zorder=5,
                label=series.name, **_style(series.kind, series.owner, ids))
    if nash is not None:
        ax.scatter([nash[a]], [nash[b]], marker="*", s=220, color="gold", edgecolor="black",
                   zorder=4, label="Nash package")
    if trace.agreement is not None:
        ax.scatter([trace.agreement[a]], [trace.agreement[b]], marker="X", s=60, color="black",
                   zorder=6, label=f"agreement (round {trace.agreement_round})")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(f"utility for {ids[a]}")
    ax.set_ylabel(f"utility for {ids[b]}")


def _time(ax: Any, scenario: Scenario, trace: SessionTrace, shown: Sequence[str]) -> None:
    """Each shown party's utility for what was on the table, over the moves."""
    ids = scenario.party_ids
    alone = len(shown) == 1
    for party in shown:
        k = ids.index(party)
        for series in trace.series:
            values = series.utilities[:, k]
            if series.kind == PATH and series.owner is not None:
                own = series.owner == party
                if alone:  # one panel per party: colour = who made the offers
                    style = {"color": colour(ids.index(series.owner)), "lw": 1.5 if own else 1.0}
                    label = series.name
                else:  # both parties in one panel: colour = whose utility
                    style = {"color": colour(k), "lw": 1.2, "ls": "-" if own else ":"}
                    label = f"{party}: own offers" if own else f"{party}: {series.name}"
                ax.plot(series.moves, values, label=label, **style)
            elif series.kind == PATH:  # the draft: it stands until the next change
                moves = np.append(series.moves, max(trace.moves - 1, int(series.moves[-1])))
                ax.step(moves, np.append(values, values[-1]), where="post", lw=1.2,
                        color=MEDIATOR_COLOUR if alone else colour(k),
                        label="draft" if alone else f"{party}: draft")
            else:
                _answered(ax, series, k, party, alone)
        ax.axhline(scenario.reservation_values[k], color=colour(k), ls="--", lw=0.8, alpha=0.6)
    ax.set_xlabel("move")
    ax.set_ylabel("utility")
    ax.set_ylim(-0.02, 1.02)


def _answered(ax: Any, series: Any, k: int, party: str, alone: bool) -> None:
    """Proposals as markers; where parties answered them, hollow where this party said no."""
    style = _style(series.kind, None, ())
    if not alone:
        style = {**style, "color": colour(k)}
        if series.kind == ADOPTED:
            style["mec"] = colour(k)
    label = series.name if alone else f"{party}: {series.name}"
    if series.accepted_by is None or series.kind == FINAL:
        ax.plot(series.moves, series.utilities[:, k], label=label, **style)
        return
    said_yes = series.accepted_by[:, k]
    if series.kind == TURNED_DOWN and said_yes.any():
        though = "though this party accepted" if alone else f"though {party} accepted"
        ax.plot(series.moves[said_yes], series.utilities[said_yes, k], label=f"{label}, {though}",
                **{**style, "mfc": style["color"], "alpha": 0.5})
        ax.plot(series.moves[~said_yes], series.utilities[~said_yes, k], label=label, **style)
        return
    ax.plot(series.moves, series.utilities[:, k], label=label, **style)
