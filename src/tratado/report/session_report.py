"""The transcript of ``tratado simulate``: who proposed what, in the agenda's own words.

Works from a session record (``SessionResult.to_dict()``), so a saved log prints the
same transcript as a live run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tratado.report.text import heading, section, table, wrap
from tratado.scenario import Scenario

VERBS = {
    "propose": "proposes",
    "mediator-proposal": "proposes",
    "accept": "accepts",
    "reject": "rejects",
    "walk-away": "walks away",
    "vote": "votes",
    "time-up": "time is up",
}

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
    names = ", ".join(f"{party} = {name}" for party, name in record["negotiators"].items())
    out.append(f"  Negotiators: {names} · seed {record['seed']}")
    out.append(_transcript(scenario, record["log"], max_events))
    out.append(_summary(scenario, record))
    return "\n".join(out) + "\n"


def describe_outcome(scenario: Scenario, outcome: Mapping[str, Any]) -> str:
    parts = []
    for issue in scenario.agenda:
        if issue.name not in outcome:  # item-by-item: one issue at a time
            continue
        value = outcome[issue.name]
        parts.append(f"{issue.label}: {value:g}" if isinstance(value, float)
                     else f"{issue.label}: {value}")
    return "; ".join(parts)


def _transcript(scenario: Scenario, log: list[dict[str, Any]], max_events: int) -> str:
    out = [section(f"Transcript ({len(log)} moves)")]
    if len(log) > max_events:
        head = max_events // 2
        shown = [*range(head), -1, *range(len(log) - (max_events - head), len(log))]
    else:
        shown = list(range(len(log)))
    last_offer: dict[str, dict[str, Any]] = {}
    current_round = None
    current_item = None
    for index in shown:
        if index < 0:
            out.append(f"\n  … {len(log) - max_events} moves not shown (--json has them all) …")
            current_round = None
            continue
        entry = log[index]
        if entry.get("item") is not None and entry["item"] != current_item:
            current_item = entry["item"]
            current_round = None
            out.append(f"\n  Item: {scenario.agenda.issue(current_item).label}")
        if entry.get("round") != current_round:
            current_round = entry.get("round")
            out.append(f"\n  Round {current_round}")
        who = entry.get("party") or "clock"
        verb = VERBS.get(entry["kind"], entry["kind"])
        line = f"    {who} {verb}"
        if entry["kind"] == "vote":
            line = f"    {who} {'prefers the change' if entry.get('prefers') else 'keeps the draft'}"
        outcome = entry.get("outcome")
        if outcome is not None:
            utilities = entry.get("utilities", {})
            worth = " · ".join(f"{p} {u:.2f}" for p, u in utilities.items())
            if entry["kind"] in ("accept", "reject"):
                line += " the package on the table" + f" ({worth})"
            elif last_offer.get(who) == outcome:
                line += f" the same package again ({worth})"
            else:
                line += f" ({worth}):"
                out.append(line)
                line = wrap(describe_outcome(scenario, outcome), indent="        ")
            if entry["kind"] not in ("accept", "reject"):
                last_offer[who] = outcome
        if entry.get("note"):
            line += f" — {entry['note']}"
        out.append(line)
    return "\n".join(out)


def _summary(scenario: Scenario, record: Mapping[str, Any]) -> str:
    result = record["result"]
    reason = REASONS.get(result["reason"], result["reason"])
    out = [section("Result")]
    out.append(f"  {reason} (round {result['round']}, {result['turns']} moves).")
    for item in record.get("items", []):
        label = scenario.agenda.issue(item["issue"]).label
        if item.get("agreement"):
            out.append(wrap(f"Item '{label}': agreed on {item['agreement'][item['issue']]}"
                            f" (round {item['result']['round']})."))
        else:
            out.append(wrap(f"Item '{label}': no agreement ({item['result']['reason']}); the talks"
                            " end here."))
    if record.get("agreement"):
        out.append(wrap("Agreed package: " + describe_outcome(scenario, record["agreement"])))
    if result.get("improved_from"):
        out.append(wrap("Post-settlement improvement replaced the first agreement: "
                        + describe_outcome(scenario, result["improved_from"])))
    rows = []
    for party in scenario.parties:
        u = result["utilities"][party.id]
        rows.append([party.id, f"{u:.3f}", f"{party.preferences.reservation_value:.3f}",
                     f"{result['gains'][party.id]:+.3f}"])
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
        out.append(wrap(f"Failure: {failure}"))
    return "\n".join(out)
