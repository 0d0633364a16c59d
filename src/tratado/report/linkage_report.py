"""The parts of the ``analyze`` report about what the file does not settle: uncertain
estimates, and stakeholders away from the table whose effects change what the parties get."""

from __future__ import annotations

from tratado.analysis.linkage import Linkage
from tratado.analysis.summary import Analysis
from tratado.parties import Effect
from tratado.report.text import fill, section, table, wrap
from tratado.scenario import Scenario
from tratado.uncertainty import Uncertainty

TITLES = {"nash": "Nash", "kalai_smorodinsky": "Kalai–Smorodinsky",
          "egalitarian": "Egalitarian", "utilitarian": "Utilitarian"}


def uncertainty_line(uncertainty: Uncertainty) -> str:
    """One line: the file is uncertain, and where the uncertainty is answered for."""
    n = len(uncertainty)
    return wrap(f"Uncertain: {n} number{'s' if n > 1 else ''} in this file "
                f"{'are estimates' if n > 1 else 'is an estimate'} with a range; this report "
                "analyses the estimates. `tratado forecast` answers for the uncertainty.")


def effect_text(s: Scenario, effect: Effect) -> str:
    """An effect in the agenda's words: '+0.10 to government's utility of agreements
    with Electoral guarantees "a" or "b"' (the issue's title, as the rest of the report
    names it; options quoted: their labels hold commas)."""
    parts = []
    if effect.utility:
        when = "; ".join(
            f"{s.agenda.issues[p].label} "
            + " or ".join(f'"{s.agenda.issues[p].options[j]}"' for j in mask.nonzero()[0])
            for p, mask in effect.when.allowed.items())
        parts.append(f"{effect.utility:+.2f} to {effect.party}'s utility of "
                     + (f"agreements with {when}" if when else "any agreement"))
    if effect.no_deal:
        parts.append(f"{effect.no_deal:+.2f} to {effect.party}'s no-deal value")
    return "; ".join(parts)


def render_linkage(a: Analysis) -> str:
    """The "Stakeholders away from the table" section (empty without effects)."""
    linkage = a.linkage
    if linkage is None:
        return ""
    s = a.scenario
    out = [section("Stakeholders away from the table: the linkage")]
    for holder in linkage.stakeholders:
        for effect in holder.effects:
            out.append(wrap(f"- {holder.name}: {effect_text(s, effect)}.", hang="    "))
    if not linkage.applied:
        out.append(wrap("This report analyses the table alone (--without-stakeholders): the"
                        " effects above are left out."))
        return "\n".join(out)
    out.append(wrap("This report includes these effects (the utilities of a party they touch"
                    " are rescaled to [0, 1]; --without-stakeholders analyses the table alone)."))
    assert linkage.without is not None
    out += ["", _side_by_side(a, linkage), "", _moved(a, linkage)]
    return "\n".join(out)


def _zone(a: Analysis) -> str:
    if not a.has_zopa:
        return "none"
    return "yes" if a.n_rational is None else f"{a.n_rational:,} ({a.n_rational / a.n_outcomes:.1%})"


def _side_by_side(a: Analysis, linkage: Linkage) -> str:
    alone = linkage.without
    assert alone is not None
    ids = "/".join(a.scenario.party_ids)
    rows = [["packages in the zone", _zone(a), _zone(alone)],
            ["Pareto frontier (in the zone)", f"{len(a.frontier):,} ({len(a.rational_frontier):,})",
             f"{len(alone.frontier):,} ({len(alone.rational_frontier):,})"],
            [f"no-deal values ({ids})", _values(a.scenario.reservation_values),
             _values(alone.scenario.reservation_values)]]
    for name, package in a.solutions.items():
        other = alone.solutions.get(name)
        rows.append([f"{TITLES[name]} ({ids})",
                     "-" if package is None else _values(package.utilities),
                     "-" if other is None else _values(other.utilities)])
    return table(["", "with stakeholders", "table alone"], rows)


def _values(values: object) -> str:
    return " / ".join(f"{float(v):.3f}" for v in values)  # type: ignore[attr-defined]


def _moved(a: Analysis, linkage: Linkage) -> str:
    """The items some fair package settles differently with the stakeholders: one group
    per item (its title), one row per package, options wrapped, never cut."""
    moved = linkage.moved(a)
    if not moved:
        return wrap("What the linkage moves: nothing — every fair package settles every item as"
                    " it would at the table alone.")
    issues = linkage.moved_issues(a)
    out = [wrap(f"What the linkage moves: {len(issues)} item{'s' if len(issues) > 1 else ''},"
                " with the option a fair package takes with the stakeholders and at the table"
                " alone:")]
    rows: list[list[str] | str] = []
    for issue in issues:
        rows.append(a.scenario.agenda.issue(issue).label)
        for name, changes in moved.items():
            if issue in changes:
                before, after = changes[issue]
                rows.append([f"  {TITLES[name]}", fill(after, 32), fill(before, 32)])
    out.append(table(["package", "with stakeholders", "table alone"], rows))
    return "\n".join(out)
