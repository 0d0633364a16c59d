"""A delegation never reads or changes another's data, the mediator and observers never
see a preference, and strangers are not told the talks exist — for every route of the
API (a new route fails :func:`test_every_route_is_in_the_table` until it is added)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.helpers import Talks, venezuela
from tratado.service import api, auth, talks
from tratado.service.app import create_app

TID = "venezuela-2021"
BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/api/talks/{talks_id}/cosignatures"): {"note": "x\n\n— y AAAA\n"},
    ("POST", "/api/talks/{talks_id}/invitations"): {"email": "e@x.example", "name": "E",
                                                   "role": "observer"},
    ("PUT", "/api/talks/{talks_id}/preferences/{party}"): {"preferences": {"type": "table"}},
    ("POST", "/api/talks/{talks_id}/key"): {"verifier_key": "k+00000000+AAAA"},
    ("POST", "/api/talks/{talks_id}/documents/{document}/signatures"): {"signature": "AAAA"},
    ("POST", "/api/talks/{talks_id}/suspend"): {"reason": ""},
    ("POST", "/api/talks/{talks_id}/end"): {"reason": ""},
    ("POST", "/api/talks/{talks_id}/rounds"): {},
    ("POST", "/api/talks/{talks_id}/proposals"): {"from_neutral": True},
    ("POST", "/api/talks/{talks_id}/answers"): {"accept": True},
}
# what a member of the government's delegation gets when it targets the opposition or the
# mediator's powers (403), or reads what is public (200); 409/422: allowed, refused on
# the merits (nothing to answer, a malformed key)
DELEGATE = {
    ("GET", "/api/talks/{talks_id}"): 200,
    ("GET", "/api/talks/{talks_id}/log"): 200,
    ("GET", "/api/talks/{talks_id}/checkpoint"): 200,
    ("GET", "/api/talks/{talks_id}/record"): 200,
    ("GET", "/api/talks/{talks_id}/documents/{document}"): 200,
    ("GET", "/api/talks/{talks_id}/preferences"): 200,
    ("PUT", "/api/talks/{talks_id}/preferences/{party}"): 403,
    ("POST", "/api/talks/{talks_id}/cosignatures"): 403,
    ("POST", "/api/talks/{talks_id}/invitations"): 403,
    ("POST", "/api/talks/{talks_id}/key"): 403,
    ("POST", "/api/talks/{talks_id}/documents/{document}/signatures"): 403,
    ("POST", "/api/talks/{talks_id}/launch"): 403,
    ("POST", "/api/talks/{talks_id}/suspend"): 403,
    ("POST", "/api/talks/{talks_id}/resume"): 403,
    ("POST", "/api/talks/{talks_id}/end"): 403,
    ("POST", "/api/talks/{talks_id}/rounds"): 403,
    ("POST", "/api/talks/{talks_id}/rounds/open"): 403,
    ("POST", "/api/talks/{talks_id}/rounds/close"): 403,
    ("POST", "/api/talks/{talks_id}/proposals"): 403,
    ("POST", "/api/talks/{talks_id}/answers"): 409,
}
NOT_OF_TALKS = {("POST", "/api/login"), ("POST", "/api/logout"), ("POST", "/api/invitations/{token}"),
                ("GET", "/api/me"), ("POST", "/api/me/token"), ("GET", "/api/talks"),
                ("POST", "/api/talks")}
SECRET_KEYS = {"weights", "values", "reservation_value", "utilities", "utility", "gains",
               "welfare"}
"""(An answer's salt is public once its round closes: it opens the answer's commitment.
A delegation's preferences' salt never is: checked below.)"""


def routes() -> set[tuple[str, str]]:
    return {(method, route.path) for route in api.router.routes  # type: ignore[attr-defined]
            for method in route.methods}  # type: ignore[attr-defined]


def test_every_route_is_in_the_table() -> None:
    assert routes() == set(DELEGATE) | NOT_OF_TALKS


@pytest.fixture
def clients(launched: Talks) -> dict[str, TestClient]:
    other = venezuela(launched.service, talks_id="other-talks", mediator=launched.mediator)
    app = create_app("", service=launched.service)
    made = {}
    for name, who in (("mediator", launched.mediator), ("head", launched.heads["government"]),
                      ("delegate", launched.delegates["government"]),
                      ("observer", launched.observer), ("stranger", other.heads["opposition"])):
        token = auth.issue_api_token(launched.service.db, who.user_id)
        made[name] = TestClient(app, base_url="https://testserver",
                                headers={"Authorization": f"Bearer {token}"})
    return made


def call(client: TestClient, method: str, path: str, talks_id: str = TID,
         party: str = "opposition") -> Any:
    url = path.format(talks_id=talks_id, party=party, document="launch")
    return client.request(method, url, json=BODIES.get((method, path)))


@pytest.mark.parametrize("route", sorted(DELEGATE))
def test_a_delegation_cannot_reach_another_or_the_mediators_powers(
        clients: dict[str, TestClient], route: tuple[str, str]) -> None:
    answer = call(clients["delegate"], *route)
    assert answer.status_code == DELEGATE[route], answer.text
    if route == ("GET", "/api/talks/{talks_id}/preferences"):
        assert answer.json()["party"] == "government"


@pytest.mark.parametrize("route", sorted(DELEGATE))
def test_a_stranger_is_not_told_the_talks_exist(clients: dict[str, TestClient],
                                               route: tuple[str, str]) -> None:
    answer = call(clients["stranger"], *route)
    assert answer.status_code == 404, answer.text
    missing = call(clients["stranger"], *route, talks_id="no-such-talks")
    assert missing.status_code == 404
    assert missing.text.replace("no-such-talks", TID) == answer.text


@pytest.mark.parametrize("who", ["mediator", "observer"])
def test_the_mediator_and_observers_never_read_preferences(clients: dict[str, TestClient],
                                                            who: str) -> None:
    client = clients[who]
    assert client.get(f"/api/talks/{TID}/preferences").status_code == 403
    for party in ("government", "opposition"):
        put = client.put(f"/api/talks/{TID}/preferences/{party}",
                         json={"preferences": {"type": "table"}})
        assert put.status_code == 403


def walk(value: Any, key: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [pair for k, v in value.items() for pair in walk(v, k)] + [
            (k, None) for k in value]
    if isinstance(value, list):
        return [pair for v in value for pair in walk(v, key)]
    return [(key, value)]


def test_what_the_mediator_sees_holds_no_rating_or_utility(launched: Talks,
                                                          clients: dict[str, TestClient]) -> None:
    mediator = clients["mediator"]
    mediator.post(f"/api/talks/{TID}/rounds/open")
    mediator.post(f"/api/talks/{TID}/proposals", json={"from_neutral": True})
    clients["head"].post(f"/api/talks/{TID}/answers", json={"accept": False, "comment": "no"})
    mediator.post(f"/api/talks/{TID}/rounds/close")
    secret = talks.my_preferences(launched.service, launched.heads["government"], TID)
    shown = [mediator.get(f"/api/talks/{TID}").json(), mediator.get(f"/api/talks/{TID}/log").json(),
             json.loads(mediator.get(f"/api/talks/{TID}/record").text)]
    for document in shown:
        pairs = walk(document)
        assert not {k for k, _ in pairs} & SECRET_KEYS, {k for k, _ in pairs} & SECRET_KEYS
        floats = {(k, v) for k, v in pairs if isinstance(v, float) and k != "time"}
        assert not floats
    text = mediator.get(f"/api/talks/{TID}/record").text
    assert secret["salt"] not in text and '"weights"' not in text
    assert secret["commitment"] in text
