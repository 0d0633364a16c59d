"""What a session's picture shows under each protocol (no drawing needed)."""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pytest

import tratado
from tratado.formats import bundled_examples
from tratado.report.session_trace import ADOPTED, FINAL, PATH, TURNED_DOWN, session_trace
from tratado.session import Session, evaluate

EXAMPLES = bundled_examples()



@cache
def record(example: str, protocol: str, **options: Any) -> dict[str, Any]:
    scenario = tratado.load(EXAMPLES[example])
    result = Session(scenario, protocol, ["frequency"] * scenario.n_parties, 0,
                     protocol_options=options).run()
    evaluate(result, scenario)
    return result.to_dict(timing=False)


def utilities(entry: dict[str, Any], parties: list[str]) -> list[float]:
    return [entry["utilities"][p] for p in parties]


def test_alternating_draws_each_partys_offers_and_nothing_else():
    doc = record("venezuela-2021", "alternating")
    trace = session_trace(doc)
    assert [s.name for s in trace.series] == ["offers by government", "offers by opposition"]
    for series in trace.series:
        mine = [e for e in doc["log"] if e["kind"] == "propose" and e["party"] == series.owner]
        assert series.kind == PATH and len(series) == len(mine)
        np.testing.assert_array_equal(series.utilities, [utilities(e, doc["parties"]) for e in mine])
    assert trace.agreement is not None
    assert trace.agreement.tolist() == [doc["result"]["utilities"][p] for p in doc["parties"]]


@pytest.mark.parametrize("example", ["venezuela-2021", "river-basin"])
def test_single_text_draws_the_mediators_texts_never_the_votes(example):
    doc = record(example, "single-text")
    trace = session_trace(doc)
    parties = doc["parties"]
    assert all(s.owner is None for s in trace.series)  # no party "offers" anything
    proposals = [e for e in doc["log"] if e["kind"] == "mediator-proposal"]
    drawn = {tuple(row) for s in trace.series if s.kind in (PATH, ADOPTED, TURNED_DOWN)
             for row in s.utilities}
    assert drawn <= {tuple(utilities(e, parties)) for e in proposals}
    # the draft opens with the mediator's first text; each later text is a change (adopted
    # or turned down) or the closing of the search (the draft proposed again)
    draft = trace.named("draft")
    assert draft.utilities[0].tolist() == utilities(proposals[0], parties)
    decided = sum(len(s) for s in trace.series if s.kind in (ADOPTED, TURNED_DOWN))
    assert 0 < decided <= len(proposals) - 1
    final = trace.named("final text")
    assert final.kind == FINAL and len(final) == 1
    answers = [e for e in doc["log"] if e["kind"] in ("accept", "reject")
               and e["party"] in parties]
    assert final.accepted_by.tolist() == [[e["kind"] == "accept" for e in answers]]
    assert final.utilities[0].tolist() == utilities(answers[0], parties)
    assert (trace.agreement is not None) == final.accepted_by.all()


def test_single_text_draft_path_follows_adopted_changes():
    doc = record("venezuela-2021", "single-text")
    trace = session_trace(doc)
    adopted = trace.named("change adopted")
    draft = trace.named("draft")
    # the draft is the opening text, then each adopted change, in order
    np.testing.assert_array_equal(draft.utilities[1:], adopted.utilities)
    np.testing.assert_array_equal(draft.moves[1:], adopted.moves)
    assert len(trace.named("change turned down")) > 0
    final = doc["result"]["details"]["final_text"]["utilities"]
    assert draft.utilities[-1].tolist() == [final[p] for p in doc["parties"]]


def test_single_text_votes_decide_adoption_by_the_rule():
    """Hand-made log: three changes, two votes each (unanimity)."""
    parties = ["a", "b"]

    def proposal(turn, outcome, u):
        return {"turn": turn, "kind": "mediator-proposal", "party": "mediator",
                "outcome": {"x": outcome}, "utilities": dict(zip(parties, u, strict=True))}

    def vote(turn, party, prefers, outcome, u):
        return {"turn": turn, "kind": "vote", "party": party, "prefers": prefers,
                "outcome": {"x": outcome}, "utilities": dict(zip(parties, u, strict=True))}

    log = [proposal(0, 1, (0.5, 0.5)),
           proposal(1, 2, (0.6, 0.6)), vote(2, "a", True, 2, (0.6, 0.6)),
           vote(3, "b", True, 2, (0.6, 0.6)),
           proposal(4, 3, (0.9, 0.1)), vote(5, "a", True, 3, (0.9, 0.1)),
           vote(6, "b", False, 3, (0.9, 0.1)),
           proposal(7, 4, (0.7, 0.7)), vote(8, "a", True, 4, (0.7, 0.7)),
           vote(9, "b", True, 4, (0.7, 0.7))]
    doc = {"parties": parties, "protocol": {"name": "single-text", "rule": "unanimity"},
           "log": log, "agreement": None, "result": {"reason": "deadline"}}
    trace = session_trace(doc)
    assert trace.named("draft").utilities.tolist() == [[0.5, 0.5], [0.6, 0.6], [0.7, 0.7]]
    assert trace.named("change adopted").moves.tolist() == [1, 7]
    assert trace.named("change turned down").utilities.tolist() == [[0.9, 0.1]]
    doc["protocol"]["rule"] = "majority"  # 1 of 2 is not more than half: still turned down
    assert session_trace(doc).named("change turned down").moves.tolist() == [4]


@pytest.mark.parametrize("example", ["venezuela-2021", "river-basin"])
def test_mediated_draws_the_neutrals_proposals_and_whether_accepted(example):
    doc = record(example, "mediated")
    trace = session_trace(doc)
    parties = doc["parties"]
    assert all(s.owner is None for s in trace.series)
    proposals = [(i, e) for i, e in enumerate(doc["log"]) if e["kind"] == "mediator-proposal"]
    settlement = doc["result"]["details"]["settlement"]
    accepted = trace.named("proposal accepted")
    assert len(accepted) == 1
    assert accepted.utilities[0].tolist() == [settlement["utilities"][p] for p in parties]
    assert accepted.accepted_by.all()
    rejected = trace.named("proposal rejected")
    assert len(rejected) + len(accepted) <= len(proposals)
    assert (~rejected.accepted_by).any(axis=1).all()  # someone said no to each
    assert {int(m) for m in rejected.moves} <= {i for i, _ in proposals}


def test_mediated_post_settlement_improvement_is_drawn_when_it_differs():
    parties = ["a", "b"]

    def event(turn, kind, party, outcome, u):
        return {"turn": turn, "kind": kind, "party": party, "outcome": {"x": outcome},
                "utilities": dict(zip(parties, u, strict=True))}

    log = [event(0, "mediator-proposal", "neutral", 1, (0.6, 0.6)),
           event(1, "accept", "a", 1, (0.6, 0.6)), event(2, "reject", "b", 1, (0.6, 0.6)),
           event(3, "mediator-proposal", "neutral", 1, (0.6, 0.6)),
           event(4, "accept", "a", 1, (0.6, 0.6)), event(5, "accept", "b", 1, (0.6, 0.6)),
           event(6, "mediator-proposal", "neutral", 2, (0.7, 0.65)),
           event(7, "accept", "a", 2, (0.7, 0.65)), event(8, "accept", "b", 2, (0.7, 0.65))]
    doc = {"parties": parties, "protocol": {"name": "mediated"}, "log": log,
           "agreement": {"x": 2}, "result": {"utilities": {"a": 0.7, "b": 0.65}, "round": 2}}
    trace = session_trace(doc)
    assert trace.named("proposal rejected").accepted_by.tolist() == [[True, False]]
    assert trace.named("proposal accepted").moves.tolist() == [3]
    assert trace.named("improvement adopted").utilities.tolist() == [[0.7, 0.65]]
    assert trace.agreement.tolist() == [0.7, 0.65]
    log[-1] = event(8, "reject", "b", 2, (0.7, 0.65))
    assert session_trace(doc).named("improvement rejected").moves.tolist() == [6]


def test_trace_reads_the_log_only_by_iteration():
    """The log may be a lazy sequence: the trace iterates it once and asks its length."""

    class OnceOnly:
        def __init__(self, entries):
            self.entries, self.walks = entries, 0

        def __len__(self):
            return len(self.entries)

        def __iter__(self):
            self.walks += 1
            return iter(self.entries)

    doc = dict(record("venezuela-2021", "single-text"))
    doc["log"] = OnceOnly(doc["log"])
    trace = session_trace(doc)
    assert doc["log"].walks == 1 and trace.moves == len(doc["log"])
