"""The ranking of a tournament as text (``tratado rank``, and the end of
``tratado tournament``)."""

from __future__ import annotations

from typing import Any

from tratado.experiments.results import ALPHA, LEVEL, Ranking


def _num(value: float | None, digits: int = 3, sign: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"


def _interval(row: dict[str, Any]) -> str:
    return f"[{_num(row['low'], 2)}, {_num(row['high'], 2)}]"


def render_ranking(ranking: Ranking, breakdown: bool = True) -> str:
    """The ranking table, the pairwise comparisons and the breakdowns, as text."""
    lines = [
        f"Ranking over {ranking.sessions:,} sessions ({ranking.scenarios} scenario(s),"
        f" {ranking.protocols} protocol(s)); advantage = (u - r) / (best - r), mean with"
        f" {LEVEL:.0%} bootstrap interval.",
        "",
        f"  {'#':>2}  {'negotiator':<24} {'advantage':>9}  {'interval':<15} {'agreed':>6}"
        f"  {'Pareto d':>8}  {'Nash d':>6}  {'failures':>8}",
    ]
    for row in ranking.table:
        lines.append(
            f"  {row['rank']:>2}  {row['negotiator']:<24} {_num(row['advantage']):>9}"
            f"  {_interval(row):<15} {row['agreement_rate']:>6.0%}"
            f"  {_num(row['distance_to_pareto']):>8}  {_num(row['distance_to_nash']):>6}"
            f"  {row['failures']:>8}")
    if ranking.pairwise:
        lines += ["", f"Pairwise: A − B in advantage, paired over the same scenario, protocol,"
                  f" role and opponents; p Holm-corrected; 'real' when p < {ALPHA}.", ""]
        for pair in ranking.pairwise:
            verdict = "real" if pair["real"] else "could be chance"
            p = "—" if pair["p_holm"] is None else f"{pair['p_holm']:.3g}"
            lines.append(
                f"  {pair['a'] + ' − ' + pair['b']:<40} {_num(pair['difference'], sign=True):>7}"
                f"  {_interval(pair):<15} p = {p:<7} {verdict}  ({pair['pairs']} pairs)")
    if breakdown:
        for key, rows in (("scenario", ranking.by_scenario), ("protocol", ranking.by_protocol)):
            if len({r[key] for r in rows}) < 2:
                continue
            lines += ["", f"By {key}: mean advantage (agreement rate)", ""]
            names = sorted({r["negotiator"] for r in rows})
            groups = sorted({r[key] for r in rows})
            cell = {(r[key], r["negotiator"]): r for r in rows}
            lines.append(f"  {key:<28}" + "".join(f" {n[:16]:>16}" for n in names))
            for group in groups:
                text = f"  {group[:28]:<28}"
                for name in names:
                    found = cell.get((group, name))
                    shown = "" if found is None else (
                        f"{_num(found['advantage'], 2)} ({found['agreement_rate']:.0%})")
                    text += f" {shown:>16}"
                lines.append(text)
    for note in ranking.notes:
        lines += ["", f"Note: {note}"]
    return "\n".join(lines) + "\n"
