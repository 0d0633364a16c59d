"""The terminal report of ``tratado analyze``: what a mediator reads first."""

from __future__ import annotations

from tratado.analysis.summary import Analysis
from tratado.analysis.tables import Package
from tratado.report.linkage_report import render_linkage, uncertainty_line
from tratado.report.text import fill, heading, section, shorten, table, wrap
from tratado.scenario import Scenario

SHORT_TITLES = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "egalitarian": "Egalitarian",
    "utilitarian": "Utilitarian",
}

PACKAGE_WIDTH = 86
"""The report's width (less its indent) that the efficient packages' utilities and items
share."""

EXPLAIN = {
    "nash": "largest product of the parties' gains over no deal",
    "kalai_smorodinsky": "each party gets the same share of the most it could hope for",
    "egalitarian": "largest gain for the party that gains least",
    "utilitarian": "largest total utility, whoever gets it",
}


def render(analysis: Analysis, max_frontier: int = 15) -> str:
    s = analysis.scenario
    parts = [heading(s.name), _overview(analysis), _parties(s), _zopa(analysis),
             _solutions(analysis), _frontier(analysis, max_frontier), render_linkage(analysis),
             _tradeoffs(analysis)]
    return "\n".join(p for p in parts if p) + "\n"


def _option(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _overview(a: Analysis) -> str:
    s = a.scenario
    text = (f"  {s.n_parties} parties · {len(s.agenda)} issues · {a.n_outcomes:,} possible packages"
            f" · agreement: {s.rules.agreement} · deadline {s.rules.deadline} rounds")
    if a.uncertainty is not None:
        text += "\n" + uncertainty_line(a.uncertainty)
    if s.description:
        text += "\n\n" + wrap(s.description)
    return text


def _parties(s: Scenario) -> str:
    rows = []
    for p in s.parties:
        head = p.delegation.head if p.delegation and p.delegation.head else ""
        rows.append([p.id, shorten(p.name or p.label, 52), head,
                     f"{p.preferences.reservation_value:.2f}"])
    out = [section("At the table"),
           table(["party", "name", "head of delegation", "no-deal value"], rows, right=[3])]
    roles = s.roles
    extra = []
    if roles.mediator:
        people = f" ({', '.join(roles.mediator.people)})" if roles.mediator.people else ""
        extra.append(f"  Mediator: {roles.mediator.name}{people}")
    if roles.host:
        extra.append(f"  Host: {roles.host.name}")
    if roles.observers:
        extra.append("  Observers: " + ", ".join(o.name for o in roles.observers))
    if roles.stakeholders:
        extra.append("  Stakeholders away from the table: "
                     + ", ".join(x.name for x in roles.stakeholders))
    if s.agenda.off_agenda:
        extra.append("  Kept off the agenda: " + "; ".join(t.topic for t in s.agenda.off_agenda))
    return "\n".join([*out, *([""] + extra if extra else [])])


def _zopa(a: Analysis) -> str:
    out = [section("Zone of possible agreement")]
    if a.has_zopa:
        if a.n_rational is not None:
            share = a.n_rational / a.n_outcomes
            out.append(wrap(f"YES: {a.n_rational:,} of {a.n_outcomes:,} packages ({share:.1%}) give"
                            " every party at least its no-deal value."))
        else:
            out.append(wrap("YES: some packages give every party at least its no-deal value (the"
                            " space is too large to count them all)."))
    else:
        out.append(wrap("NO: no package gives every party its no-deal value. Without new options or"
                        " changed alternatives (BATNAs), a rational party walks away."))
    out.append(wrap(f"Pareto frontier: {len(a.frontier):,} distinct packages that cannot be improved"
                    f" for one party without hurting another; {len(a.rational_frontier):,} of them in"
                    " the zone."))
    out.append(wrap(f"Opposition: {a.opposition:.2f} (0 = one package satisfies everyone fully; the"
                    " higher, the sharper the conflict)."))
    return "\n".join(out)


def _solutions(a: Analysis) -> str:
    if not a.has_zopa:
        return ""
    s = a.scenario
    found = {k: v for k, v in a.solutions.items() if v is not None}
    out = [section("Fair packages")]
    header = ["", *[p.id for p in s.parties], "total"]
    rows = []
    for name, pkg in found.items():
        rows.append([SHORT_TITLES[name], *[f"{u:.3f}" for u in pkg.utilities],
                     f"{sum(pkg.utilities):.3f}"])
    out.append(table(header, rows, right=list(range(1, len(header)))))
    out.append("")
    for name in found:
        out.append(f"  {SHORT_TITLES[name]}: {EXPLAIN[name]}.")
    out.append(section("What the fair packages say, issue by issue"))
    packages: list[Package] = list(found.values())
    names = list(found)
    common, differ = [], []
    for issue in s.agenda:
        choices = [_option(p.outcome[issue.name]) for p in packages]
        if len(set(choices)) == 1:
            common.append([fill(issue.label, 44), choices[0]])
        else:
            differ.append((issue, choices))
    if common:
        out.append("  Common ground (the same in every fair package):")
        out.append(table(["issue", "option"], common))
    if differ:
        out.append("\n  Where they differ:")
        for issue, choices in differ:
            out.append(f"  {issue.label}")
            for name, choice in zip(names, choices, strict=True):
                out.append(f"      {SHORT_TITLES[name]:<18} {choice}")
    return "\n".join(out)


def _frontier(a: Analysis, limit: int) -> str:
    f = a.rational_frontier if a.has_zopa else a.frontier
    if len(f) == 0:
        return ""
    s = a.scenario
    title = "Efficient packages in the zone" if a.has_zopa else "Efficient packages (none acceptable)"
    out = [section(f"{title} ({len(f):,})")]
    shown = list(range(len(f))) if len(f) <= limit else [round(i * (len(f) - 1) / (limit - 1))
                                                         for i in range(limit)]
    reference = a.solutions.get("nash") or a.package(f, 0)
    # Rows are shown as differences from the reference, so the reference must be a row.
    at = next(i for i in range(len(f)) if a.package(f, i).row == reference.row)
    if at not in shown:
        nearest = min(range(len(shown)), key=lambda j: (abs(shown[j] - at), j))
        shown[nearest] = at
        shown.sort()
    # one line per item that differs, in the agenda's words, wrapped (never cut) to the
    # width the utilities leave
    width = max(PACKAGE_WIDTH - sum(max(len(p), 5) + 2 for p in s.party_ids), 40)
    rows = []
    for i in shown:
        pkg = a.package(f, i)
        changes = [fill(f"{s.agenda.issue(k).label}: {_option(v)}", width)
                   for k, v in pkg.outcome.items() if v != reference.outcome[k]]
        label = "(the Nash package)" if a.solutions.get("nash") == pkg else "\n".join(changes)
        rows.append([*[f"{u:.3f}" for u in pkg.utilities], label or "(same options)"])
    base = "Nash package" if a.solutions.get("nash") else "first package"
    out.append(f"  Each package is shown by how it differs from the {base}, item by item.")
    out.append(table([*s.party_ids, "package"], rows, right=list(range(s.n_parties))))
    if len(f) > limit:
        out.append(f"  ({limit} of {len(f):,} shown, evenly spread; --json lists them all)")
    return "\n".join(out)


def _tradeoffs(a: Analysis) -> str:
    s = a.scenario
    out = [section("Who cares about what (share of each party's stake, %)")]
    rows = []
    for t in a.tradeoffs:
        issue = s.agenda.issue(t.issue)
        rows.append([fill(issue.label, 40), *[f"{100 * x:.0f}" for x in t.shares], t.kind,
                     t.cares_most])
    out.append(table(["issue", *s.party_ids, "alignment", "cares most"], rows,
                     right=list(range(1, 1 + s.n_parties))))
    if a.trades:
        out.append("\n  Package deals to explore (each side gives where it cares less):")
        for trade in a.trades:
            first, second = trade.first, trade.second
            out.append(wrap(f"- {first} gets its way on {s.agenda.issue(trade.first_gets).label};"
                            f" {second} on {s.agenda.issue(trade.second_gets).label}.",
                            indent="  ").replace("\n  ", "\n    "))
    return "\n".join(out)
