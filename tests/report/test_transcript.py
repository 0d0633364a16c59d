"""Transcripts: packages printed compactly, and only the moves shown are rendered."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tratado
from tratado.formats import bundled_examples
from tratado.report.session_report import render_session, shown_moves
from tratado.report.transcript import Narrator, package_lines
from tratado.session import Session, evaluate

EXAMPLES = bundled_examples()


@cache
def scenario(example: str) -> tratado.Scenario:
    return tratado.load(EXAMPLES[example])


@cache
def record(example: str, protocol: str, negotiator: str = "frequency", seed: int = 0,
           **options: Any) -> dict[str, Any]:
    loaded = scenario(example)
    result = Session(loaded, protocol, [negotiator] * loaded.n_parties, seed,
                     protocol_options=options).run()
    evaluate(result, loaded)
    return result.to_dict(timing=False)


class CountingLog(Sequence):
    """A log that counts the entries read from it (as a lazy log would build them)."""

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        self.entries, self.read = entries, 0

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, index):  # type: ignore[override]
        got = self.entries[index]
        self.read += len(got) if isinstance(index, slice) else 1
        return got

    def __iter__(self):
        for entry in self.entries:
            self.read += 1
            yield entry


def transcript(text: str) -> str:
    return text.split("Transcript (")[1].split("\nResult\n")[0]


def test_a_package_is_one_short_line_per_issue():
    venezuela = scenario("venezuela-2021")
    out = render_session(venezuela, record("venezuela-2021", "alternating"), 4)
    lines = transcript(out).splitlines()
    start = lines.index("    government proposes (government 1.00 · opposition 0.06):")
    package = lines[start + 1:start + 1 + len(venezuela.agenda)]
    assert [line.split()[0] for line in package] == list(venezuela.agenda.names)
    assert package[2] == "        sanctions             all lifted, assets returned"
    for issue in venezuela.agenda:  # the long titles stay out of the transcript
        assert issue.title and issue.title not in transcript(out)
    assert max(len(line) for line in lines) <= 88
    agreed = out.split("Agreed package:\n")[1].splitlines()[:len(venezuela.agenda)]
    assert [line.split()[0] for line in agreed] == list(venezuela.agenda.names)


def test_a_partys_next_offer_shows_only_what_it_changed():
    out = render_session(scenario("job-offer"), record("job-offer", "alternating", "boulware"), 400)
    changed = [line for line in out.splitlines() if line.endswith(", changing:")]
    assert changed
    assert any("→" in line for line in out.splitlines())


def test_package_lines_with_previous_lists_only_differences():
    job = scenario("job-offer")
    before = {"salary": 60, "start_date": "in 2 weeks", "remote_days": 2, "signing_bonus": 0}
    after = {**before, "salary": 70}
    assert package_lines(job, after, indent="", previous=before) == ["salary         60 → 70"]


def reference(scenario_: tratado.Scenario, doc: dict[str, Any], max_events: int) -> list[str]:
    """What each shown move says when the narrator follows every move in between."""
    narrator = Narrator(scenario_, doc)
    first, last = shown_moves(len(doc["log"]), max_events)
    told = []
    for index, entry in enumerate(doc["log"]):
        if index == last.start and len(last):
            narrator.shown_whole.clear()
        if index in first or index in last:
            told.extend(narrator.lines(entry))
        else:
            narrator.follow(entry)
    return told


CASES = [("venezuela-2021", "alternating", {}), ("venezuela-2021", "single-text", {}),
         ("venezuela-2021", "mediated", {}), ("river-basin", "alternating", {}),
         ("river-basin", "single-text", {"search": "annealing"}), ("river-basin", "mediated", {}),
         ("job-offer", "mediated", {"agreement": "item-by-item"}),
         ("job-offer", "alternating", {"agreement": "item-by-item"})]


@pytest.mark.parametrize(("example", "protocol", "options"), CASES)
@pytest.mark.parametrize("moves", [2, 5, 12, 400])
def test_shown_moves_say_what_following_every_move_says(example, protocol, options, moves):
    doc = record(example, protocol, **options)
    out = transcript(render_session(scenario(example), doc, moves))
    told = [line for line in out.splitlines()
            if line.startswith("    ") or line.startswith("        ")]
    assert told == "\n".join(reference(scenario(example), doc, moves)).splitlines()


def test_only_the_moves_shown_are_read_from_a_long_log():
    doc = dict(record("job-offer", "alternating", "hardliner", deadline=3000))
    log = CountingLog(doc["log"])
    doc["log"] = log
    out = render_session(scenario("job-offer"), doc, 10)
    assert len(log) > 5000 and log.read < 100
    assert "the same package again" in out


def test_post_settlement_improvement_is_told_as_changes():
    job = scenario("job-offer")
    settled = {"salary": 60, "start_date": "in 2 weeks", "remote_days": 2, "signing_bonus": 0}
    better = {**settled, "remote_days": 3}
    u = {"candidate": 0.6, "employer": 0.6}
    log = [{"turn": 0, "round": 0, "kind": "mediator-proposal", "party": "neutral",
            "outcome": settled, "utilities": u},
           {"turn": 1, "round": 0, "kind": "accept", "party": "candidate", "outcome": settled,
            "utilities": u},
           {"turn": 2, "round": 0, "kind": "accept", "party": "employer", "outcome": settled,
            "utilities": u},
           {"turn": 3, "round": 0, "kind": "mediator-proposal", "party": "neutral",
            "outcome": better, "utilities": u}]
    doc = {"protocol": {"name": "mediated"}, "parties": ["candidate", "employer"], "log": log}
    narrator = Narrator(job, doc)
    told = [line for entry in log for line in narrator.lines(entry)]
    assert "    → settlement: every party accepted" in told
    assert told[-2].startswith("    neutral proposes a post-settlement improvement")
    assert told[-1] == "        remote_days    2 → 3"


@settings(max_examples=20, deadline=None)
@given(example=st.sampled_from(["job-offer", "venezuela-2021", "river-basin"]),
       protocol=st.sampled_from(["alternating", "single-text", "mediated"]),
       negotiator=st.sampled_from(["boulware", "conceder", "random", "tit-for-tat", "aspiration"]),
       seed=st.integers(0, 3), moves=st.integers(2, 30))
def test_any_session_shown_in_part_says_what_following_every_move_says(
        example, protocol, negotiator, seed, moves):
    doc = record(example, protocol, negotiator, seed)
    out = transcript(render_session(scenario(example), doc, moves))
    told = [line for line in out.splitlines() if line.startswith("    ")]
    assert told == "\n".join(reference(scenario(example), doc, moves)).splitlines()
