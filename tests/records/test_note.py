"""Signed notes, keys and checkpoints in the C2SP formats, checked against the example of
Go's golang.org/x/mod/sumdb/note documentation (Ed25519 signatures are deterministic)."""

from __future__ import annotations

import pytest

pytest.importorskip("cryptography")

from tratado.records.note import (  # noqa: E402
    Checkpoint,
    NoteError,
    SignerKey,
    VerifierKey,
    add_signatures,
    key_id,
    parse_note,
    sign_note,
    verify_note,
)

SECRET = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PUBLIC = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
TEXT = ("If you think cryptography is the answer to your problem,\n"
        "then you don't know what your problem is.\n")
SIGNED = TEXT + ("\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2p"
                 "ZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n")


def test_the_published_example_signs_and_verifies_byte_for_byte() -> None:
    signer = SignerKey.parse(SECRET)
    assert str(signer.verifier) == PUBLIC
    assert signer.secret_text() == SECRET
    assert key_id("PeterNeumann", signer.verifier.public_key).hex() == "c74f20a3"
    assert sign_note(TEXT, [signer]) == SIGNED
    text, checked = verify_note(SIGNED, [VerifierKey.parse(PUBLIC)])
    assert text == TEXT and [c.verified for c in checked] == [True]
    assert "AYEK" not in repr(signer)  # the secret never shows in a repr


def test_co_signatures_each_verify_and_a_changed_text_fails_naming_the_line() -> None:
    service, head = SignerKey.generate("mediation-service"), SignerKey.generate("government-head")
    note = add_signatures(sign_note(TEXT, [service]), [head])
    _, checked = verify_note(note, [service.verifier, head.verifier])
    assert [(c.name, c.verified) for c in checked] == [("mediation-service", True),
                                                       ("government-head", True)]
    _, checked = verify_note(note, [head.verifier])  # an unknown key is reported, not trusted
    assert [c.verified for c in checked] == [False, True]
    with pytest.raises(NoteError, match="signature line 1"):
        verify_note(note.replace("answer", "Answer"), [service.verifier])
    with pytest.raises(NoteError, match="already signed"):
        add_signatures(note, [head])


@pytest.mark.parametrize("note", [
    TEXT,  # no signatures
    TEXT + "\n",  # a blank line and nothing
    TEXT + "\n- PeterNeumann abcd\n",  # not an em dash
    SIGNED[:-1],  # no final newline
    SIGNED.replace("JnAM=", "JnAN="),  # non-canonical base64 (unused bits set)
    SIGNED + SIGNED.split("\n\n")[1],  # the same signer twice
    "\n\n" + SIGNED,
])
def test_malformed_notes_are_refused(note: str) -> None:
    with pytest.raises(NoteError):
        verify_note(note, [VerifierKey.parse(PUBLIC)])


@pytest.mark.parametrize("text", ["", "a+b", "bad name+c74f20a3+AAAA", PUBLIC.replace("c74f", "c74e"),
                                  PUBLIC.replace("+ARpc", "+AhpC"), PUBLIC + "x"])
def test_malformed_verifier_keys_are_refused(text: str) -> None:
    with pytest.raises(NoteError):
        VerifierKey.parse(text)


def test_checkpoints_round_trip_and_refuse_malformed_heads() -> None:
    checkpoint = Checkpoint("example.com/log", 20852163, bytes(range(32)), ("extra",))
    assert Checkpoint.parse(checkpoint.text()) == checkpoint
    assert checkpoint.text().splitlines()[:2] == ["example.com/log", "20852163"]
    for bad in ["example.com/log\n012\n" + checkpoint.text().split("\n")[2] + "\n",
                "example.com/log\n12\nAAAA\n", "example.com/log\n12\n", " o\n1\nAAAA\n"]:
        with pytest.raises(NoteError):
            Checkpoint.parse(bad)
    text, signatures = parse_note(SIGNED)
    assert text == TEXT and signatures[0].name == "PeterNeumann"
