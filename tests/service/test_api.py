"""The JSON API: login, cookies, CSRF, tokens, idempotency, and a whole round."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.helpers import PASSWORD, Talks
from tratado.service import auth
from tratado.service.app import create_app
from tratado.service.base import Service


def client(service: Service) -> TestClient:
    return TestClient(create_app("", service=service), base_url="https://testserver")


def logged_in(service: Service, email: str) -> tuple[TestClient, dict[str, str]]:
    c = client(service)
    answer = c.post("/api/login", json={"email": email, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return c, {"X-CSRF-Token": answer.json()["csrf_token"]}


def test_the_session_cookie_is_secure_httponly_and_samesite(launched: Talks) -> None:
    c = client(launched.service)
    answer = c.post("/api/login", json={"email": launched.mediator.email, "password": PASSWORD})
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=lax" in cookie


def test_unsafe_requests_with_a_cookie_need_the_csrf_token(launched: Talks) -> None:
    c, csrf = logged_in(launched.service, launched.mediator.email)
    refused = c.post(f"/api/talks/{launched.id}/rounds/open")
    assert refused.status_code == 403 and refused.json()["field"] == "csrf_token"
    assert c.post(f"/api/talks/{launched.id}/rounds/open", headers=csrf).json() == {"round": 1}


def test_an_api_token_needs_no_csrf_and_a_wrong_one_is_401(launched: Talks) -> None:
    token = auth.issue_api_token(launched.service.db, launched.mediator.user_id)
    c = client(launched.service)
    bearer = {"Authorization": f"Bearer {token}"}
    assert c.post(f"/api/talks/{launched.id}/rounds/open", headers=bearer).status_code == 200
    assert c.get("/api/talks", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert c.get("/api/talks").status_code == 401


def test_the_login_rate_limit(launched: Talks) -> None:
    c = client(launched.service)
    for _ in range(auth.MOST_FAILURES_PER_EMAIL):
        wrong = c.post("/api/login", json={"email": launched.mediator.email, "password": "x" * 12})
        assert wrong.status_code == 401
    blocked = c.post("/api/login", json={"email": launched.mediator.email, "password": PASSWORD})
    assert blocked.status_code == 429 and "wait 15 minutes" in blocked.json()["fix"]


def test_an_idempotency_key_answers_a_repeated_post_once(launched: Talks) -> None:
    c, csrf = logged_in(launched.service, launched.mediator.email)
    tid = launched.id
    c.post(f"/api/talks/{tid}/rounds/open", headers=csrf)
    c.post(f"/api/talks/{tid}/proposals", json={"from_neutral": True}, headers=csrf)
    d, dcsrf = logged_in(launched.service, launched.delegates["government"].email)
    headers = {**dcsrf, "Idempotency-Key": "click-1"}
    first = d.post(f"/api/talks/{tid}/answers", json={"accept": True}, headers=headers)
    again = d.post(f"/api/talks/{tid}/answers", json={"accept": True}, headers=headers)
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    other = d.post(f"/api/talks/{tid}/answers", json={"accept": False}, headers=headers)
    assert other.status_code == 422
    twice = d.post(f"/api/talks/{tid}/answers", json={"accept": True}, headers=dcsrf)
    assert twice.status_code == 409


def test_an_invitation_link_is_spent_once(launched: Talks) -> None:
    c, csrf = logged_in(launched.service, launched.mediator.email)
    made = c.post(f"/api/talks/{launched.id}/invitations", headers=csrf, json={
        "email": "adviser@opposition.example", "name": "Adviser", "role": "delegate",
        "party": "opposition"}).json()
    fresh = client(launched.service)
    assert fresh.post(f"/api/invitations/{made['token']}", json={"password": PASSWORD}
                      ).status_code == 200
    assert fresh.post(f"/api/invitations/{made['token']}", json={"password": PASSWORD}
                      ).status_code == 404


def test_the_record_downloads_as_a_bundle(launched: Talks, tmp_path: Path) -> None:
    c, _ = logged_in(launched.service, launched.observer.email)
    answer = c.get(f"/api/talks/{launched.id}/record")
    assert answer.status_code == 200 and answer.text.startswith('{"tratado_bundle":1,')
    checkpoint = c.get(f"/api/talks/{launched.id}/checkpoint").text
    assert checkpoint.startswith(f"tratado/talks/{launched.id}\n")


@pytest.mark.parametrize("path", ["/openapi.json"])
def test_the_openapi_document(launched: Talks, path: str) -> None:
    document = client(launched.service).get(path).json()
    assert "/api/talks/{talks_id}/answers" in document["paths"]


def test_create_talks_from_a_file_or_from_scratch(launched: Talks) -> None:
    import tratado

    c, csrf = logged_in(launched.service, launched.mediator.email)
    text = (Path(tratado.__file__).parent / "examples" / "job-offer.yaml").read_text()
    made = c.post("/api/talks", headers=csrf, json={"scenario": text, "talks_id": "job"})
    assert made.json() == {"id": "job"}
    scratch = c.post("/api/talks", headers=csrf, json={
        "talks_id": "water", "title": "Water", "issues": [
            {"name": "share", "options": ["30%", "70%"]}],
        "parties": [{"id": "up"}, {"id": "down"}]})
    assert scratch.json() == {"id": "water"}
    assert c.get("/api/talks/water").json()["parties"][0]["id"] == "up"
    bad = c.post("/api/talks", headers=csrf, json={"scenario": "tratado: 1\nname: x\n"})
    assert bad.status_code == 422 and "Traceback" not in bad.text
    neither = c.post("/api/talks", headers=csrf, json={"talks_id": "x"})
    assert neither.status_code == 422


def test_too_large_or_too_deep_requests_are_refused_cleanly(launched: Talks) -> None:
    c, csrf = logged_in(launched.service, launched.mediator.email)
    big = c.post("/api/talks", headers={**csrf, "content-type": "application/json"},
                 content=b'{"scenario": "' + b"x" * (5 * 1024 * 1024) + b'"}')
    assert big.status_code == 413
    deep = c.put(f"/api/talks/{launched.id}/preferences/government",
                 headers={**csrf, "content-type": "application/json"},
                 content=b'{"preferences": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5001)
    assert deep.status_code in (400, 422) and "Traceback" not in deep.text
