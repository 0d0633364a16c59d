"""Tell a session's moves in words, protocol by protocol.

A :class:`Narrator` follows the log entry by entry (so that it knows the current
draft, the settlement, each party's last offer) and gives, for the entries a
transcript shows, the lines that tell them: "opposition proposes (...)", "mediator
proposes changing sanctions: no change → oil licences tied to milestones", "→ change
adopted", "neutral finds no package every party prefers to the settlement: it
stands". Entries the transcript skips are only followed (:meth:`Narrator.follow`), or
not read at all where nothing in them can change what the shown ones say
(:meth:`Narrator.catch_up`).

A package is printed one issue a line, by the issue's short name (its ``name`` in the
scenario, the key of ``--json``), the names aligned:

    government proposes (government 1.00 · opposition 0.06):
        political_rights      disqualifications kept
        sanctions             all lifted, assets returned

A party's next offer then shows only the issues it changed ("sanctions  all lifted,
assets returned → phased lifting tied to elections"); after a gap in the transcript
the next offer of each party is shown whole again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
INDENT = "        "


def _option(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def package_lines(scenario: Scenario, outcome: Mapping[str, Any], indent: str = INDENT,
                  previous: Mapping[str, Any] | None = None) -> list[str]:
    """One line per issue the outcome names, in agenda order: the issue's short name and
    the option. With ``previous``, only the issues that differ, as ``old → new``."""
    width = max((len(issue.name) for issue in scenario.agenda), default=0)
    lines = []
    for issue in scenario.agenda:
        if issue.name not in outcome:
            continue
        option = _option(outcome[issue.name])
        if previous is not None:
            if previous.get(issue.name) == outcome[issue.name]:
                continue
            option = f"{_option(previous.get(issue.name, '—'))} → {option}"
        lines.append(f"{indent}{issue.name.ljust(width)}  {option}")
    return lines


def describe_outcome(scenario: Scenario, outcome: Mapping[str, Any]) -> str:
    """``issue: option; ...`` on one line, by the issues' short names, in agenda order."""
    return "; ".join(f"{issue.name}: {_option(outcome[issue.name])}"
                     for issue in scenario.agenda if issue.name in outcome)


class Narrator:
    """Lines for the log entries of one session record."""

    def __init__(self, scenario: Scenario, record: Mapping[str, Any]) -> None:
        self.scenario = scenario
        protocol = record["protocol"]
        self.protocol = protocol["name"]
        self.rule = protocol.get("rule", "unanimity")
        self.parties = tuple(record["parties"])
        self.n_parties = len(self.parties)
        self.item: Any = None
        self.last_offer: dict[str, Mapping[str, Any]] = {}
        self.shown_whole: set[str] = set()  # parties whose offer was printed whole since a gap
        self.draft: Mapping[str, Any] | None = protocol.get("start")  # single text
        self.change: Mapping[str, Any] | None = None
        self.votes: list[bool] = []
        self.settlement: Mapping[str, Any] | None = None  # mediated
        self.accepts: set[str] = set()

    # -- following the log -------------------------------------------------------------

    def follow(self, entry: Mapping[str, Any]) -> None:
        """Take ``entry`` into account without telling it."""
        self._enter_item(entry)
        self._advance(entry)

    def catch_up(self, log: Sequence[Mapping[str, Any]], start: int, stop: int) -> None:
        """Follow the entries ``start:stop`` that the transcript does not show. Under
        alternating offers only each party's last offer matters, so only the entries
        back to it are read (from the end); other protocols follow every entry."""
        if stop <= start:
            return
        if self.protocol in ("single-text", "mediated"):
            for entry in log[start:stop]:
                self.follow(entry)
            return
        self.shown_whole.clear()
        wanted = set(self.parties)
        window, end = 16, stop
        found: dict[str, Mapping[str, Any]] = {}
        last: Mapping[str, Any] | None = None
        while end > start and wanted - set(found):
            begin = max(start, end - window)
            chunk = list(log[begin:end])
            last = last or (chunk[-1] if chunk else None)
            for entry in reversed(chunk):
                who = entry.get("party")
                if entry.get("kind") == "propose" and entry.get("outcome") is not None \
                        and who in wanted and who not in found:
                    found[who] = entry["outcome"]
            end, window = begin, window * 2
        self.last_offer.update(found)
        if last is not None:
            self.item = last.get("item")

    def _enter_item(self, entry: Mapping[str, Any]) -> None:
        item = entry.get("item")
        if item != self.item:  # item by item: each item is talks of its own
            self.item = item
            self.settlement, self.accepts, self.change, self.votes = None, set(), None, []
            self.shown_whole.clear()

    def _advance(self, entry: Mapping[str, Any]) -> None:
        kind = entry.get("kind")
        who = entry.get("party") or "clock"
        outcome = entry.get("outcome")
        if kind == "mediator-proposal":
            self.accepts = set()
            if self.protocol != "single-text" and outcome is not None:
                self.last_offer[who] = outcome
            else:
                if self.draft is None:
                    self.draft = outcome
                elif outcome != self.draft:
                    self.change, self.votes = outcome, []
        elif kind == "vote":
            self.votes.append(bool(entry.get("prefers")))
            if len(self.votes) == self.n_parties and self._passes():
                self.draft = self.change
        elif kind == "accept" and who not in self.parties:  # the mediator, annealing
            self.draft = self.change
        elif kind in ("accept", "reject") and self.protocol == "mediated" \
                and self.settlement is None and outcome is not None:
            if kind == "reject":
                self.accepts = set()
            else:
                self.accepts.add(who)
                if len(self.accepts) == self.n_parties:
                    self.settlement = outcome
        elif kind == "propose" and outcome is not None:
            self.last_offer[who] = outcome

    def _passes(self) -> bool:
        yes = sum(self.votes)
        if self.rule == "unanimity":
            return yes == self.n_parties
        return 2 * yes > self.n_parties

    # -- telling -------------------------------------------------------------------------

    def lines(self, entry: Mapping[str, Any]) -> list[str]:
        """The lines that tell ``entry`` (and follow it)."""
        self._enter_item(entry)
        told = self._tell(entry)
        self._advance(entry)
        return told

    def _tell(self, entry: Mapping[str, Any]) -> list[str]:
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
                    *package_lines(self.scenario, outcome or {}, previous=self.settlement)]
        if kind == "vote":
            return self._vote(who, bool(entry.get("prefers")), note)
        if kind in ("accept", "reject") and who == "mediator" and self.protocol == "single-text":
            adopted = kind == "accept"
            return [f"    mediator {'adopts the change anyway (annealing)' if adopted else 'drops it'}"
                    f"{note}"]
        if kind in ("accept", "reject") and outcome is not None:
            what = "the final text" if self.protocol == "single-text" else "the package on the table"
            lines = [f"    {who} {VERBS[kind]} {what} ({worth}){note}"]
            return lines + self._settled(who, kind, outcome)
        line = f"    {who} {VERBS.get(kind, kind)}"
        if outcome is None:
            return [line + note]
        last = self.last_offer.get(who)
        if last == outcome:
            return [f"{line} the same package again ({worth}){note}"]
        if last is not None and who in self.shown_whole:
            return [f"{line} ({worth}), changing:{note}",
                    *package_lines(self.scenario, outcome, previous=last)]
        self.shown_whole.add(who)
        return [f"{line} ({worth}):{note}", *package_lines(self.scenario, outcome)]

    def _single_text_proposal(self, who: str, outcome: Mapping[str, Any], worth: str,
                              note: str) -> list[str]:
        if self.draft is None:
            return [f"    {who} opens with a draft ({worth}):{note}",
                    *package_lines(self.scenario, outcome)]
        if outcome == self.draft:
            return [f"    {who} closes the search: the draft goes to the parties as the final"
                    f" text{note}"]
        changes = "; ".join(
            f"{issue.name}: {_option(self.draft.get(issue.name))} → {_option(outcome[issue.name])}"
            for issue in self.scenario.agenda if outcome.get(issue.name) != self.draft.get(issue.name))
        return [wrap(f"{who} proposes changing {changes} ({worth}){note}", "    ", hang=INDENT)]

    def _vote(self, who: str, prefers: bool, note: str) -> list[str]:
        lines = [f"    {who} {'prefers the change' if prefers else 'keeps the draft'}{note}"]
        if len(self.votes) + 1 == self.n_parties:
            yes = sum(self.votes) + prefers
            passes = yes == self.n_parties if self.rule == "unanimity" else 2 * yes > self.n_parties
            lines.append(f"    → change {'adopted' if passes else 'turned down'}")
        return lines

    def _settled(self, who: str, kind: str, outcome: Mapping[str, Any]) -> list[str]:
        if self.protocol != "mediated" or self.settlement is not None or kind == "reject":
            return []
        if len(self.accepts | {who}) < self.n_parties:
            return []
        return ["    → settlement: every party accepted"]
