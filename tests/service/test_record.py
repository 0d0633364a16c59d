"""The exported record: what tratado verify checks in a live service's leaves, even when
whoever edits them re-signs the whole log (the service's key stolen)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from service.helpers import Talks
from service.test_talks import run_round
from tratado.records.bundle import bundle_text, sign_leaves
from tratado.records.bundle_check import verify_bundle
from tratado.service import views


def resigned(launched: Talks, edit: Any) -> str:
    bundle = json.loads(views.export_record(launched.service, launched.mediator, launched.id))
    leaves = copy.deepcopy(bundle["leaves"])
    edit(leaves)
    return bundle_text(sign_leaves(leaves, [launched.service.signer],
                                   origin=f"tratado/talks/{launched.id}"))


def find(leaves: list[Any], kind: str) -> dict[str, Any]:
    return next(leaf["talks"] for leaf in leaves if leaf.get("talks", {}).get("kind") == kind)


@pytest.fixture
def played(launched: Talks) -> Talks:
    run_round(launched, {"government": True, "opposition": False})
    return launched


def test_an_untouched_record_verifies(played: Talks) -> None:
    once = views.export_record(played.service, played.mediator, played.id)
    assert views.export_record(played.service, played.observer, played.id) == once
    report = verify_bundle(resigned(played, lambda leaves: None))
    assert report.ok, report.problem
    assert any("2 sealed answers opened" in line for line in report.lines)


@pytest.mark.parametrize("edit, says", [
    (lambda ls: find(ls, "round-closed")["answers"]["opposition"].update(answer="accept"),
     "opposition's revealed answer does not open the commitment it sealed"),
    (lambda ls: find(ls, "answer-sealed").update(commitment="00" * 32),
     "revealed answer does not open the commitment"),
    (lambda ls: find(ls, "signed").update(text=find(ls, "signed")["text"] + " "),
     "the text does not have the SHA-256 stated"),
    (lambda ls: find(ls, "signed").update(signature=find(ls, "signed")["signature"][:-4] + "AAA="),
     "signature of launch does not verify"),
    (lambda ls: find(ls, "key").update(verifier_key="x+00000000+AAAA"),
     "signed with a key government's head did not register before"),
    (lambda ls: ls.remove(next(leaf for leaf in ls if leaf.get("talks", {}).get("kind")
                               == "answer-sealed")),
     "are not the ones sealed"),
])
def test_an_edited_and_resigned_record_fails_where_it_was_edited(played: Talks, edit: Any,
                                                                 says: str) -> None:
    report = verify_bundle(resigned(played, edit))
    assert not report.ok and says in (report.problem or ""), report.problem


def test_an_engine_answer_that_is_not_the_one_revealed_fails(played: Talks) -> None:
    def swap(leaves: list[Any]) -> None:
        accept = next(leaf for leaf in leaves if leaf.get("event", {}).get("kind") == "accept")
        accept["event"]["note"] = "changed"

    report = verify_bundle(resigned(played, swap))
    assert not report.ok and "not the answer revealed at the close" in (report.problem or "")


def test_heads_co_sign_the_final_checkpoint_and_it_travels_in_the_record(played: Talks) -> None:
    from tratado.records.note import VerifierKey, add_signatures
    from tratado.service import rounds, talks

    svc, tid = played.service, played.id
    talks.end(svc, played.mediator, tid, "no agreement this time")
    for party in ("government", "opposition"):
        note = views.checkpoint(svc, played.heads[party], tid)
        rounds.cosign(svc, played.heads[party], tid, add_signatures(note, [played.keys[party]]))
    record = views.export_record(svc, played.observer, tid)
    keys = [VerifierKey.parse(str(played.keys[p].verifier)) for p in ("government", "opposition")]
    report = verify_bundle(record, keys=keys)
    assert report.ok, report.problem
    assert sum("government-head" in line or "opposition-head" in line
               for line in report.lines) == 2
    from tratado.service.errors import BadInput

    with pytest.raises(BadInput, match="does not verify"):
        forged = views.checkpoint(svc, played.heads["government"], tid).replace(
            f"tratado/talks/{tid}", "tratado/talks/other")
        rounds.cosign(svc, played.heads["government"], tid, forged)
