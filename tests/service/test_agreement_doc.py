"""The agreement exported as HTML and Markdown with the heads' signatures and the record's
verification hash (tratado.service.agreement_doc), read from the talks' log alone."""

from __future__ import annotations

import base64
import hashlib
import html

import pytest

pytest.importorskip("cryptography")

import tratado  # noqa: E402
from tratado.errors import TratadoError  # noqa: E402
from tratado.records import public_scenario  # noqa: E402
from tratado.records.note import SignerKey  # noqa: E402
from tratado.service.agreement_doc import (  # noqa: E402
    from_bundle,
    from_leaves,
    signature_verifies,
    to_html,
    to_markdown,
)


@pytest.fixture(scope="module")
def heads() -> dict[str, SignerKey]:
    return {"government": SignerKey.generate("government-head"),
            "opposition": SignerKey.generate("opposition-head")}


def _text(title: str, lines: list[str]) -> str:
    body = f"{title}\n\n" + "\n".join(lines) + "\n"
    return f"{body}\nSHA-256: {hashlib.sha256(body.encode()).hexdigest()}\n"


def _signed(document: str, party: str, key: SignerKey, text: str) -> dict:
    return {"talks": {"kind": "signed", "document": document, "party": party, "text": text,
                      "at": "2026-11-29T10:00:00Z", "verifier_key": str(key.verifier),
                      "sha256": hashlib.sha256(text.encode()).hexdigest(),
                      "signature": base64.b64encode(key.sign(text.encode())).decode()}}


@pytest.fixture(scope="module")
def talks(venezuela: tratado.Scenario, heads) -> dict:
    """A log by hand: opening, a partial agreement signed by one head, the agreement
    signed by both, the closing."""
    public = public_scenario(venezuela)
    package = {issue.name: str(issue.options[1]) for issue in venezuela.agenda}
    partial_text = _text("Venezuela", ["5. Economy: " + package["economy"]])
    agreement_text = _text("Venezuela", [f"{k}. {i.title}: {package[i.name]}"
                                         for k, i in enumerate(venezuela.agenda, start=1)])
    leaves = [{"opening": {"public_scenario": public, "parties": list(venezuela.party_ids)}},
              {"talks": {"kind": "created", "title": "Venezuela: Mexico City talks"}},
              {"talks": {"kind": "partial-agreement", "number": 1, "round": 2,
                         "package": {"economy": package["economy"]}}},
              _signed("partial-1", "government", heads["government"], partial_text),
              _signed("agreement", "government", heads["government"], agreement_text),
              _signed("agreement", "opposition", heads["opposition"], agreement_text),
              {"closing": {"agreement": package, "result": {"reason": "agreement"}}}]
    return {"leaves": leaves, "package": package, "text": agreement_text}


def test_the_agreement_in_the_agendas_words_with_its_signatures(talks) -> None:
    doc = from_leaves(talks["leaves"], record_sha256="ab" * 32, checkpoint="origin\n3\nroot=\n")
    assert doc.talks == "Venezuela: Mexico City talks" and doc.title == "Agreement"
    assert doc.items[0] == ("Political rights for all", "case-by-case review")
    assert len(doc.items) == 7 and doc.fully_signed
    assert doc.text == talks["text"]
    assert doc.text_sha256 == talks["text"].rstrip().rsplit("SHA-256: ", 1)[1]  # the text's own line
    unhashed = from_leaves([{**leaf, "talks": {**leaf["talks"], "text": "plain\n"}}
                            if leaf.get("talks", {}).get("kind") == "signed" else leaf
                            for leaf in talks["leaves"]])
    assert unhashed.text_sha256 == hashlib.sha256(b"plain\n").hexdigest()
    markdown, page = to_markdown(doc), to_html(doc)
    for shown in (markdown, html.unescape(page)):
        assert "Political rights for all" in shown and "case-by-case review" in shown
        assert "Government: signed by the head of delegation's key government-head" in shown
        assert "Unitary Platform: signed" in shown and "the signature verifies" in shown
        assert doc.text_sha256 in shown and "ab" * 32 in shown and "tratado verify" in shown
        assert "Signed by every head of delegation." in shown
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page


def test_a_partial_agreement_stays_provisional_until_every_head_signs(talks) -> None:
    doc = from_leaves(talks["leaves"], "partial-1")
    assert doc.title == "Partial agreement 1" and not doc.fully_signed
    assert doc.items == (("Protection of the national economy and social-protection measures for"
                          " the Venezuelan people", talks["package"]["economy"]),)
    assert doc.status.startswith("Provisional until the whole agenda is agreed")
    assert "Unitary Platform: not signed yet." in to_markdown(doc)


def test_a_changed_text_or_signature_is_shown_as_not_verifying(talks, heads) -> None:
    leaves = [dict(leaf) for leaf in talks["leaves"]]
    forged = dict(leaves[5]["talks"])
    forged["signature"] = leaves[4]["talks"]["signature"]  # the government's, claimed by the opposition
    leaves[5] = {"talks": forged}
    doc = from_leaves(leaves)
    assert [s.verified for s in doc.signatures] == [True, False] and not doc.fully_signed
    assert "THE SIGNATURE DOES NOT VERIFY" in to_html(doc)
    assert not signature_verifies("text\n", "not a key", "AAAA")
    other = dict(leaves[4]["talks"], text=talks["text"].replace("case-by-case", "no"))
    with pytest.raises(TratadoError, match="signed different texts"):
        from_leaves([*leaves[:4], {"talks": other}, *leaves[5:]])


def test_the_launching_document_and_what_is_missing(talks) -> None:
    launch = from_leaves(talks["leaves"][:2], "launch")
    assert launch.items[0] == ("Political rights for all", "on the agenda") and launch.text is None
    assert "Government: not signed yet." in to_html(launch)
    with pytest.raises(TratadoError, match="no partial agreement 4"):
        from_leaves(talks["leaves"], "partial-4")
    with pytest.raises(TratadoError, match="no opening leaf"):
        from_leaves(talks["leaves"][1:])
    with pytest.raises(TratadoError, match="no leaves"):
        from_bundle({"tratado_bundle": 1})


def test_words_from_the_agenda_are_shown_literally(talks) -> None:
    leaves = list(talks["leaves"])
    leaves[1] = {"talks": {"kind": "created", "title": "<script>alert(1)</script> | *talks*"}}
    doc = from_leaves(leaves)
    assert "<script>" not in to_html(doc) and "&lt;script&gt;" in to_html(doc)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\| \\*talks\\*" in to_markdown(doc)


def test_the_document_of_a_bundle_carries_the_files_hash(talks) -> None:
    data = b'{"tratado_bundle":1, ...}'
    doc = from_bundle({"leaves": talks["leaves"], "checkpoint": "origin\n7\nroot=\n\n- x\n"}, data)
    assert doc.record_sha256 == hashlib.sha256(data).hexdigest() and doc.checkpoint.startswith("origin")
