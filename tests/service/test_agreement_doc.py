"""The documents heads sign and the agreement exported as HTML and Markdown
(tratado.service.agreement_doc)."""

from __future__ import annotations

import hashlib

import pytest

pytest.importorskip("cryptography")

import tratado  # noqa: E402
from tratado.errors import TratadoError  # noqa: E402
from tratado.records import build_record, public_scenario  # noqa: E402
from tratado.records.bundle import bundle_text, make_bundle  # noqa: E402
from tratado.records.note import Checkpoint, SignerKey, add_signatures, sign_note  # noqa: E402
from tratado.service.agreement_doc import (  # noqa: E402
    check_signatures,
    document,
    document_text,
    from_bundle,
    signed_note,
    text_hash,
    to_html,
    to_markdown,
)
from tratado.session import Session  # noqa: E402


@pytest.fixture(scope="module")
def public(venezuela: tratado.Scenario) -> dict:
    return public_scenario(venezuela)


@pytest.fixture(scope="module")
def package(venezuela: tratado.Scenario) -> dict:
    return {issue.name: str(issue.options[1]) for issue in venezuela.agenda}


@pytest.fixture(scope="module")
def heads() -> list[SignerKey]:
    return [SignerKey.generate("government-head"), SignerKey.generate("opposition-head")]


def test_the_signed_text_is_the_agreement_in_the_agendas_words_with_its_hash(public, package) -> None:
    text = document_text(public, "agreement", package, record="tratado/talks/x 12 AAAA=")
    lines = text.splitlines()
    assert lines[:4] == ["tratado document", "Talks: Venezuela 2021 — Mexico City talks",
                         "Document: Agreement",
                         "Parties: Government (government); Unitary Platform (opposition)"]
    assert lines[4] == "1. Political rights for all: case-by-case review"
    assert lines[-2] == "Record: tratado/talks/x 12 AAAA="
    body = text[:text.rindex("Text: ")]
    assert lines[-1] == f"Text: sha256 {hashlib.sha256(body.encode()).hexdigest()}" == (
        f"Text: sha256 {text_hash(body)}")
    assert document_text(public, "agreement", package, record="tratado/talks/x 12 AAAA=") == text


def test_partial_and_launching_documents(public, package) -> None:
    partial = document_text(public, "partial", {"economy": package["economy"]})
    assert "Status: provisional until the whole agenda is agreed" in partial
    assert "Status: binding" in document_text(public, "partial", {"economy": package["economy"]},
                                              binding=True)
    launch = document_text(public, "launch")
    assert "7. " in launch and "Rule: nothing is agreed until everything is agreed" in launch


@pytest.mark.parametrize("kind, chosen, words", [
    ("agreement", {"political_rights": "case-by-case review"}, "leaves out 'electoral_guarantees'"),
    ("partial", {"elections": "soon"}, "no issue 'elections'"),
    ("partial", {"economy": "everything"}, "has no option 'everything'"),
    ("partial", {}, "agrees on nothing"),
    ("treaty", {}, "no kind of document 'treaty'"),
])
def test_a_document_that_cannot_be_signed_says_why(public, kind, chosen, words) -> None:
    with pytest.raises(TratadoError, match=words) as error:
        document_text(public, kind, chosen)
    assert error.value.fix


def test_heads_signatures_are_checked_and_a_change_is_found(public, package, heads) -> None:
    text = document_text(public, "agreement", package)
    note = sign_note(text, heads[:1])
    lines = note.split("\n\n", 1)[1].splitlines()
    again = signed_note(text, lines)  # the signature lines as a browser sends them
    assert again == note
    both = add_signatures(note, heads[1:])
    checked = check_signatures(both, [h.verifier for h in heads])
    assert [(c.name, c.verified) for c in checked] == [("government-head", True),
                                                      ("opposition-head", True)]
    forged = both.replace("case-by-case review", "all candidates reinstated")
    with pytest.raises(TratadoError, match="signature line 1 .* does not verify"):
        check_signatures(forged, [h.verifier for h in heads])
    with pytest.raises(TratadoError, match="malformed"):
        signed_note(text, ["— government-head not-base64!"])


def test_the_export_in_html_and_markdown(public, package, heads) -> None:
    text = document_text(public, "agreement", package)
    note = sign_note(text, heads)
    doc = document(public, "agreement", package, note=note, keys=[heads[0].verifier],
                   record_sha256="ab" * 32)
    markdown, page = to_markdown(doc), to_html(doc)
    for shown in (markdown, page):
        assert "Political rights for all" in shown and "case-by-case review" in shown
        assert "government-head" in shown and "signature verified" in shown
        assert "opposition-head" in shown and "not checked" in shown
        assert doc.text_sha256 in shown and "ab" * 32 in shown and "tratado verify" in shown
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    with pytest.raises(TratadoError, match="not this document's text"):
        document(public, "agreement", {**package, "political_rights": "disqualifications kept"},
                 note=note)


def test_words_from_the_agenda_are_escaped(public, package) -> None:
    hostile = {**public, "name": "<script>alert(1)</script> | *talks*"}
    doc = document(hostile, "agreement", package)
    assert "<script>" not in to_html(doc) and "&lt;script&gt;" in to_html(doc)
    assert "\\| \\*talks\\*" in to_markdown(doc)


def test_the_document_of_a_bundles_agreement(venezuela, heads) -> None:
    record = build_record(Session(venezuela, "mediated", ["conceder", "conceder"], seed=3).run())
    assert record["agreement"] is not None
    service = SignerKey.generate("mediation-service")
    bundle = make_bundle(record, venezuela, [service])
    data = bundle_text(bundle).encode()
    checkpoint = Checkpoint.parse(bundle["checkpoint"].split("\n\n")[0] + "\n")
    text = document_text(bundle["leaves"][0]["opening"]["public_scenario"], "agreement",
                         record["agreement"],
                         record=f"{checkpoint.origin} {checkpoint.size} {bundle['hashes'][0]}")
    doc = from_bundle(bundle, data, sign_note(text, heads), [h.verifier for h in heads])
    assert doc.record_sha256 == hashlib.sha256(data).hexdigest()
    assert all(s.verified for s in doc.signatures) and doc.checkpoint.startswith(checkpoint.origin)
    with pytest.raises(TratadoError, match="records no agreement"):
        from_bundle({"leaves": [{"opening": {}}, {"closing": {"agreement": None}}]})
