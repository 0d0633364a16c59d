"""static/signing.js in a real browser: keys made or loaded there, and the signatures it
makes, are the ones tratado's Python code (and `tratado keys`) make and check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow  # a browser context each; the end-to-end test covers signing in the default run

pytest.importorskip("cryptography")

from tratado.records.note import SignerKey, VerifierKey, add_signatures, sign_note, verify_note  # noqa: E402

SCRIPT = Path(__file__).resolve().parents[3] / "src" / "tratado" / "service" / "static" / "signing.js"


@pytest.fixture
def page(browser: Any) -> Any:
    context = browser.new_context()
    page = context.new_page()
    page.route("http://localhost:8765/**", lambda route: route.fulfill(
        status=200, content_type="text/html",
        body=f"<!DOCTYPE html><html><body><script>{SCRIPT.read_text()}</script></body></html>"))
    page.goto("http://localhost:8765/")
    yield page
    context.close()


def test_a_key_made_in_the_browser_signs_notes_python_verifies(page: Any) -> None:
    made = page.evaluate("tratadoKeys.generate('head', 'government-head')")
    verifier = VerifierKey.parse(made["verifier"])
    assert verifier.name == "government-head"
    assert SignerKey.parse(made["secret"]).verifier == verifier  # the file `tratado keys` reads
    text = "tratado document\nTalks: Venezuela — Mexico City\nText: sha256 00ff\n"
    line = page.evaluate("text => tratadoKeys.signatureLine('head', text)", text)
    note = text + "\n" + line + "\n"
    _, checked = verify_note(note, [verifier])
    assert [(c.name, c.verified) for c in checked] == [("government-head", True)]
    changed = note.replace("Venezuela", "Venezuela ")
    with pytest.raises(Exception, match="does not verify"):
        verify_note(changed, [verifier])


def test_a_key_file_from_tratado_keys_loads_and_co_signs(page: Any) -> None:
    head = SignerKey.generate("opposition-head")
    loaded = page.evaluate("text => tratadoKeys.load('head', text)", head.secret_text())
    assert loaded["verifier"] == str(head.verifier)
    service = SignerKey.generate("mediation-service")
    checkpoint = sign_note("tratado/talks/venezuela-2021\n3\n" + "A" * 43 + "=\n", [service])
    text = checkpoint.split("\n\n")[0] + "\n"
    line = page.evaluate("text => tratadoKeys.signatureLine('head', text)", text)
    assert checkpoint + line + "\n" == add_signatures(checkpoint, [head])  # Ed25519 is deterministic
    with pytest.raises(Exception, match="not a signer key"):
        page.evaluate("tratadoKeys.load('head', 'government-head+01234567+AAAA')")


def test_a_document_signature_is_ed25519_of_the_texts_bytes(page: Any) -> None:
    made = page.evaluate("tratadoKeys.generate('head', 'government-head')")
    text = "Venezuela 2021\n\nThe parties agree…\n\nSHA-256: 00ff\n"
    signature = page.evaluate("text => tratadoKeys.signature('head', text)", text)
    import base64

    assert VerifierKey.parse(made["verifier"]).verify(text.encode(), base64.b64decode(signature))
    assert page.evaluate("tratadoKeys.verifier('head')") == made["verifier"]
    assert page.evaluate("tratadoKeys.verifier('nobody')") is None


def test_loading_the_registered_key_file_posts_nothing_and_a_wrong_one_is_refused(
        browser: Any, tmp_path: Path) -> None:
    head, stranger = SignerKey.generate("government-head"), SignerKey.generate("government-head")
    posted: list[str] = []
    form = (f'<form method="post" action="/key" data-key-slot="head" data-key-load'
            f' data-registered="{head.verifier}"><input type="hidden" name="verifier_key">'
            '<input type="file" name="key_file" id="file"><button type="submit">Load</button>'
            '<span data-key-message></span></form>')
    context = browser.new_context()
    page = context.new_page()
    page.route("http://localhost:8765/key", lambda route: (posted.append("post"), route.fulfill(
        status=200, body="posted"))[1])
    page.route("http://localhost:8765/", lambda route: route.fulfill(
        status=200, content_type="text/html",
        body=f"<!DOCTYPE html><html><body>{form}<script>{SCRIPT.read_text()}</script></body></html>"))
    page.goto("http://localhost:8765/")
    for key, words in ((stranger, "not the key registered"), (head, "Your key is loaded")):
        path = tmp_path / f"{id(key)}.key"
        path.write_text(key.secret_text() + "\n")
        page.set_input_files("#file", str(path))
        page.click("button")
        page.wait_for_selector(f"[data-key-message]:has-text('{words}')")
    assert posted == []
    assert page.evaluate("tratadoKeys.verifier('head')") == str(head.verifier)
    context.close()
