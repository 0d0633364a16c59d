"""Tell a session's moves in words, protocol by protocol.

A :class:`Narrator` walks the whole log once (so that it knows the current draft, the
settlement, each party's last offer) and gives, for every entry, the lines that tell
it: "opposition proposes (...)", "mediator proposes changing Lifting of sanctions:
no change → oil licences tied to milestones", "→ change adopted", "neutral finds no
package every party prefers to the settlement: it stands". The transcript then shows
the entries it has room for.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tratado.report.text import wrap
from tratado.scenario import Scenario

VERBS = {
    "propose": "proposes",
    "mediator-proposal": "proposes",
    "accept": "accepts",
    "reject": "rejects",
    "walk-away": "walks away",
    "time-up": "time is up",
}


def _option(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def describe_outcome(scenario: Scenario, outcome: Mapping[str, Any]) -> str:
    """``Issue title: option; ...`` for the issues the outcome names, in agenda order."""
    return "; ".join(f"{issue.label}: {_option(outcome[issue.name])}"
                     for issue in scenario.agenda if issue.name in outcome)


class Narrator:
    """Lines for each log entry of one session record."""

    def __init__(self, scenario: Scenario, record: Mapping[str, Any]) -> None:
        self.scenario = scenario
        protocol = record["protocol"]
        self.protocol = protocol["name"]
        self.rule = protocol.get("rule", "unanimity")
        self.n_parties = len(record["parties"])
        self.last_offer: dict[str, Mapping[str, Any]] = {}
        self.draft: Mapping[str, Any] | None = None  # single text
        self.change: Mapping[str, Any] | None = None
        self.votes: list[bool] = []
        self.settlement: Mapping[str, Any] | None = None  # mediated
        self.accepts: set[str] = set()

    def lines(self, entry: Mapping[str, Any]) -> list[str]:
        kind = entry["kind"]
        who = entry.get("party") or "clock"
        outcome = entry.get("outcome")
        worth = " · ".join(f"{p} {u:.2f}" for p, u in entry.get("utilities", {}).items())
        note = f" — {entry['note']}" if entry.get("note") else ""
        if kind == "mediator-proposal" and self.protocol == "single-text":
            return self._single_text_proposal(who, outcome or {}, worth, note)
        if kind == "mediator-proposal" and self.settlement is not None:
            if outcome == self.settlement:
                return [f"    {who} finds no package every party prefers to the settlement:"
                        f" it stands{note}"]
            return [f"    {who} proposes a post-settlement improvement ({worth}):{note}",
                    self._package(outcome or {})]
        if kind == "vote":
            return self._vote(who, bool(entry.get("prefers")), note)
        if kind in ("accept", "reject") and who == "mediator" and self.protocol == "single-text":
            adopted = kind == "accept"
            if adopted:
                self.draft = self.change
            return [f"    mediator {'adopts the change anyway (annealing)' if adopted else 'drops it'}"
                    f"{note}"]
        if kind in ("accept", "reject") and outcome is not None:
            what = "the final text" if self.protocol == "single-text" else "the package on the table"
            lines = [f"    {who} {VERBS[kind]} {what} ({worth}){note}"]
            return lines + self._settled(who, kind, outcome)
        line = f"    {who} {VERBS.get(kind, kind)}"
        if outcome is None:
            return [line + note]
        if self.last_offer.get(who) == outcome:
            return [f"{line} the same package again ({worth}){note}"]
        self.last_offer[who] = outcome
        return [f"{line} ({worth}):{note}", self._package(outcome)]

    def _package(self, outcome: Mapping[str, Any]) -> str:
        return wrap(describe_outcome(self.scenario, outcome), indent="        ")

    def _single_text_proposal(self, who: str, outcome: Mapping[str, Any], worth: str,
                              note: str) -> list[str]:
        if self.draft is None:
            self.draft = outcome
            return [f"    {who} opens with a draft ({worth}):{note}", self._package(outcome)]
        if outcome == self.draft:
            return [f"    {who} closes the search: the draft goes to the parties as the final"
                    f" text{note}"]
        self.change, self.votes = outcome, []
        changes = "; ".join(
            f"{issue.label}: {_option(self.draft[issue.name])} → {_option(outcome[issue.name])}"
            for issue in self.scenario.agenda if outcome.get(issue.name) != self.draft.get(issue.name))
        return [wrap(f"{who} proposes changing {changes} ({worth}){note}", "    ", hang="        ")]

    def _vote(self, who: str, prefers: bool, note: str) -> list[str]:
        self.votes.append(prefers)
        lines = [f"    {who} {'prefers the change' if prefers else 'keeps the draft'}{note}"]
        if len(self.votes) == self.n_parties:
            yes = sum(self.votes)
            passes = yes == self.n_parties if self.rule == "unanimity" else 2 * yes > self.n_parties
            if passes:
                self.draft = self.change
            lines.append(f"    → change {'adopted' if passes else 'turned down'}")
        return lines

    def _settled(self, who: str, kind: str, outcome: Mapping[str, Any]) -> list[str]:
        if self.protocol != "mediated" or self.settlement is not None:
            return []
        if kind == "reject":
            self.accepts = set()
            return []
        self.accepts.add(who)
        if len(self.accepts) < self.n_parties:
            return []
        self.settlement = outcome
        return ["    → settlement: every party accepted"]
