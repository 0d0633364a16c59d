"""The transcript of ``tratado simulate``: who proposed what, in the agenda's own words.

Works from a session record (``SessionResult.to_dict()``), so a saved log prints the
same transcript as a live run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tratado.negotiators.plugins import describe_failure
from tratado.records import INCLUDED, TABLE_ALONE, negotiator_label
from tratado.report.text import heading, section, shorten, table, wrap
from tratado.report.transcript import Narrator, package_lines
from tratado.scenario import Scenario

REASONS = {
    "agreement": "Agreement",
    "deadline": "No agreement: the deadline passed",
    "walk-away": "No agreement: a party walked away",
    "rejection": "No agreement: the final text was rejected",
    "error": "No agreement: a negotiator failed",
}


def render_session(scenario: Scenario, record: Mapping[str, Any], max_events: int = 40) -> str:
    """A readable transcript and summary of one session record."""
    out = [heading(f"{scenario.name}: {record['protocol']['name']} negotiation")]
    names = ", ".join(f"{party} = {negotiator_label(name)}"
                      for party, name in record["negotiators"].items())
    out.append(f"  Negotiators: {names} · seed {record['seed']}")
    out.extend(stakeholders_lines(record))
    out.append(_transcript(scenario, record, max_events))
    out.append(_summary(scenario, record))
    return "\n".join(out) + "\n"


def stakeholders_lines(record: Mapping[str, Any]) -> list[str]:
    """What the session made of the stakeholders away from the table (nothing when the
    scenario has no effects: the record then has no ``stakeholders`` member)."""
    said = record.get("stakeholders")
    if said == INCLUDED:
        return [wrap("With the stakeholders away from the table: their effects are folded"
                     " into the parties' preferences, so a touched party's utilities are on"
                     " its rescaled scale (--without-stakeholders runs the table alone).")]
    if said == TABLE_ALONE:
        return [wrap("The table alone: the stakeholders' effects are left out"
                     " (--without-stakeholders).")]
    return []


def shown_moves(length: int, max_events: int) -> tuple[range, range]:
    """The moves a transcript shows: the first ``max_events // 2`` and the last ones."""
    if length <= max_events:
        return range(length), range(length, length)
    head = max_events // 2
    return range(head), range(length - (max_events - head), length)


def _transcript(scenario: Scenario, record: Mapping[str, Any], max_events: int) -> str:
    """Only the moves shown are rendered; the log is read by length, slices and
    iteration (it may be a lazy sequence), never copied whole."""
    log = record["log"]
    length = len(log)
    out = [section(f"Transcript ({length} moves)")]
    first, last = shown_moves(length, max_events)
    narrator = Narrator(scenario, record)
    place: dict[str, Any] = {"round": None, "item": None}
    _tell(out, scenario, narrator, log[first.start:first.stop], place)
    if len(last):
        out.append(f"\n  … {length - len(first) - len(last)} moves not shown (--json has them"
                   " all) …")
        narrator.catch_up(log, first.stop, last.start)
        place["round"] = None
        _tell(out, scenario, narrator, log[last.start:last.stop], place)
    return "\n".join(out)


def _tell(out: list[str], scenario: Scenario, narrator: Narrator,
          entries: Iterable[Mapping[str, Any]], place: dict[str, Any]) -> None:
    for entry in entries:
        if entry.get("item") is not None and entry["item"] != place["item"]:
            place["item"] = entry["item"]
            place["round"] = None
            out.append(f"\n  Item: {entry['item']} — {scenario.agenda.issue(entry['item']).label}")
        if entry.get("round") != place["round"]:
            place["round"] = entry.get("round")
            out.append(f"\n  Round {place['round']}")
        out.extend(narrator.lines(entry))


def _summary(scenario: Scenario, record: Mapping[str, Any]) -> str:
    result = record["result"]
    reason = REASONS.get(result["reason"], result["reason"])
    out = [section("Result")]
    out.append(f"  {reason} (round {result['round']}, {result['turns']} moves).")
    for item in record.get("items", []):
        label = item["issue"]
        if item.get("agreement"):
            out.append(wrap(f"Item '{label}': agreed on {item['agreement'][item['issue']]}"
                            f" (round {item['result']['round']})."))
        else:
            out.append(wrap(f"Item '{label}': no agreement ({item['result']['reason']}); the talks"
                            " end here."))
    if record.get("agreement"):
        out.append("  Agreed package:")
        out.extend(package_lines(scenario, record["agreement"], indent="    "))
    details = result.get("details") or {}
    if details.get("improved"):
        out.append(wrap("Post-settlement: every party preferred an improvement to the first"
                        " settlement; from the settlement to the agreement:"))
        out.extend(package_lines(scenario, record.get("agreement") or {}, indent="    ",
                                 previous=details["settlement"]["outcome"]))
    elif "settlement" in details and record.get("agreement"):
        out.append(wrap("Post-settlement: no package is better for every party than the"
                        " settlement, so it stands."))
    rows = []
    for party in scenario.parties:
        u = result["utilities"][party.id]
        gain = result["gains"][party.id]
        rows.append([party.id, f"{u:.3f}", f"{u - gain:.3f}", f"{gain:+.3f}"])
    if record["protocol"].get("discounting"):
        out.append("  With discounting: utilities and no-deal values as of the final round.")
    out.append("")
    out.append(table(["party", "utility", "no-deal value", "gain"], rows, right=[1, 2, 3]))
    out.append("")
    out.append(f"  Welfare (total utility): {result['welfare']:.3f}")
    if result.get("distance_to_pareto") is not None:
        out.append(f"  Distance to the Pareto frontier: {result['distance_to_pareto']:.3f}"
                   "  (0 = no package is better for everyone)")
    if result.get("distance_to_nash") is not None:
        out.append(f"  Distance to the Nash package: {result['distance_to_nash']:.3f}")
    for failure in result.get("failures", []):
        out.append(wrap(f"Failure: {describe_failure(failure)}"))
    return "\n".join(out)


def render_agenda_comparison(scenario: Scenario, package: Mapping[str, Any],
                             items: Mapping[str, Any]) -> str:
    """Side by side: the same talks as one package and item by item (two records)."""
    protocol = package["protocol"]
    names = ", ".join(f"{p} = {negotiator_label(n)}" for p, n in package["negotiators"].items())
    out = [heading(f"{scenario.name}: one package or item by item?")]
    out.append(wrap(f"The same talks twice — {protocol['name']} protocol, {names}, seed"
                    f" {package['seed']}, deadline {protocol.get('deadline')} rounds — once with"
                    " nothing agreed until everything is agreed, once settling the agenda point"
                    " by point with binding partial agreements."))
    out.extend(stakeholders_lines(package))
    rows = [["result", *(_ending(r) for r in (package, items))]]
    for party in scenario.parties:
        rows.append([party.id, *(f"{r['result']['utilities'][party.id]:.3f}"
                                 f" ({r['result']['gains'][party.id]:+.3f})" for r in (package, items))])
    rows.append(["welfare", *(f"{r['result']['welfare']:.3f}" for r in (package, items))])
    for key, label in (("distance_to_pareto", "distance to Pareto frontier"),
                       ("distance_to_nash", "distance to Nash package")):
        values = [r["result"].get(key) for r in (package, items)]
        rows.append([label, *("—" if v is None else f"{v:.3f}" for v in values)])
    out += ["", table(["", "package", "item by item"], rows, right=[1, 2])]
    out.append("  (utility, and in brackets the gain over no deal)")
    out.append("")
    for party in scenario.parties:
        cost = package["result"]["gains"][party.id] - items["result"]["gains"][party.id]
        verdict = "costs" if cost > 1e-12 else "gains" if cost < -1e-12 else "changes nothing for"
        if verdict == "changes nothing for":
            out.append(f"  Item by item changes nothing for {party.id}.")
        else:
            out.append(f"  Item by item {verdict} {party.id} {abs(cost):.3f} of utility.")
    if package.get("agreement") and items.get("agreement"):
        differ = [issue for issue in scenario.agenda
                  if package["agreement"][issue.name] != items["agreement"][issue.name]]
        if differ:
            out.append(section("Where the two agreements differ"))
            out.append(table(["issue", "package", "item by item"], [
                [shorten(issue.label, 44), str(package["agreement"][issue.name]),
                 str(items["agreement"][issue.name])] for issue in differ]))
    return "\n".join(out) + "\n"


def _ending(record: Mapping[str, Any]) -> str:
    result = record["result"]
    if record.get("agreement"):
        return f"agreement, round {result['round']}"
    return f"no agreement ({result['reason']})"
