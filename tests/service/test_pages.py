"""The pages without a browser (Starlette's test client): who may open which page, CSRF on
every form, mistakes shown on the page with their fix, and no party's preferences on a
page of the mediator, an observer or the other delegation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.helpers import PASSWORD, Talks, new_service, venezuela
from tratado.service import talks
from tratado.service.app import create_app
from tratado.service.elicitation import StatedPreferences, preferences_of

TALKS = "venezuela-2021"

# the opposition's confidential numbers: nothing else on any page looks like them
POINTS = {"political_rights": 11.37, "electoral_guarantees": 23.19, "sanctions": 9.41,
          "rule_of_law": 17.23, "coexistence": 13.09, "economy": 14.57, "implementation": 11.14}


def _secret_preferences(setup: Talks) -> set[str]:
    view_agenda = setup.service.read(setup.mediator, setup.id)[1].scenario.agenda
    ratings = {issue.name: {str(o): round(7.31 + k * 91.17 / max(1, len(issue) - 1), 2)
                            for k, o in enumerate(issue.options)} for issue in view_agenda}
    stated = StatedPreferences(POINTS, ratings, reservation=43.21)
    talks.set_preferences(setup.service, setup.heads["opposition"], setup.id, "opposition",
                          preferences_of(view_agenda, stated))
    return ({f"{p:g}" for p in POINTS.values()} | {"43.21"}
            | {f"{r:g}" for issue in ratings.values() for r in issue.values()})


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Talks, set[str], Any]]:
    """One draft of the Venezuela talks for the whole module (the tests change nothing
    another reads)."""
    from argon2 import PasswordHasher

    from tratado.service import auth

    auth.use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    service = new_service(tmp_path_factory.mktemp("pages"))
    launched = venezuela(service, launch=False)
    secret = _secret_preferences(launched)
    yield launched, secret, create_app("", service=service, secure_cookies=False)
    service.db.dispose()


def client(app: Any, email: str) -> TestClient:
    browser = TestClient(app)
    response = browser.post("/login", data={"email": email, "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return browser


def csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


PAGES = ["/talks", f"/talks/{TALKS}", f"/talks/{TALKS}/record", f"/talks/{TALKS}/live",
         f"/talks/{TALKS}/preferences", f"/talks/{TALKS}/preferences/ranking"]


def test_each_role_sees_its_pages_and_no_one_elses_numbers(setup) -> None:
    launched, secret, app = setup
    people = {"mediator": launched.mediator, "observer": launched.observer,
              "government": launched.heads["government"], "opposition": launched.heads["opposition"],
              "opposition member": launched.delegates["opposition"]}
    for who, principal in people.items():
        browser = client(app, principal.email)
        for path in PAGES:
            response = browser.get(path)
            private = "preferences" in path
            allowed = not private or who in ("government", "opposition", "opposition member")
            assert response.status_code == (200 if allowed else 403), (who, path, response.status_code)
            assert "Traceback" not in response.text
            shown = {n for n in secret if n in response.text}
            if who.startswith("opposition"):
                assert shown or not path.endswith("/preferences"), "the opposition sees its own numbers"
            else:
                assert not shown, f"{who} sees the opposition's numbers {sorted(shown)} on {path}"


def test_the_mediators_page_says_it_shows_no_preferences(setup) -> None:
    launched, _, app = setup
    page = client(app, launched.mediator.email).get(f"/talks/{TALKS}").text
    assert "You never see a party's preferences" in page
    assert "Invite someone" in page and "Launch the talks" in page


def test_every_form_needs_the_sessions_csrf_token(setup) -> None:
    launched, _, app = setup
    browser = client(app, launched.mediator.email)
    token = csrf(browser.get(f"/talks/{TALKS}").text)
    refused = browser.post(f"/talks/{TALKS}/launch", data={"csrf_token": "forged"})
    assert refused.status_code == 403 and "Traceback" not in refused.text
    missing = browser.post(f"/talks/{TALKS}/open", data={})
    assert missing.status_code == 403
    done = browser.post(f"/talks/{TALKS}/launch", data={"csrf_token": token}, follow_redirects=False)
    assert done.status_code == 422  # the launching document is not signed: said on the page
    assert "the launching document is not signed" in done.text


def test_a_delegation_cannot_act_as_the_mediator(setup) -> None:
    launched, _, app = setup
    browser = client(app, launched.delegates["government"].email)
    token = csrf(browser.get(f"/talks/{TALKS}").text)
    for action in ("open", "launch", "invite", "close", "end"):
        response = browser.post(f"/talks/{TALKS}/{action}", data={"csrf_token": token,
                                                                  "email": "x@y.example", "name": "x",
                                                                  "role": "head", "party": "opposition"})
        assert response.status_code in (403, 422) and "Traceback" not in response.text
        assert "only the mediator" in response.text or "mediator" in response.text


def test_points_that_do_not_add_up_are_refused_with_the_fix(setup) -> None:
    launched, _, app = setup
    browser = client(app, launched.heads["government"].email)
    page = browser.get(f"/talks/{TALKS}/preferences").text
    form = {"csrf_token": csrf(page), "reservation_kind": "score", "reservation_score": "40"}
    form.update({f"points.{name}": "10" for name in POINTS})
    response = browser.post(f"/talks/{TALKS}/preferences", data=form)
    assert response.status_code == 422
    assert "add up to 70, not 100: 30 points are still to give" in response.text
    check = browser.post(f"/talks/{TALKS}/preferences/check", data=form)
    assert "30 still to give" in check.text


def test_a_ranking_must_give_each_place_once(setup) -> None:
    launched, _, app = setup
    browser = client(app, launched.heads["opposition"].email)
    page = browser.get(f"/talks/{TALKS}/preferences/ranking").text
    assert "Package D" in page
    places = {"csrf_token": csrf(page), "place.A": "1", "place.B": "1", "place.C": "2", "place.D": "3"}
    response = browser.post(f"/talks/{TALKS}/preferences/ranking", data=places)
    assert response.status_code == 422
    assert "place, 1 to 4, must be given to exactly one package" in response.text


def test_login_invitation_and_static_files_are_safe(setup) -> None:
    launched, _, app = setup
    browser = TestClient(app)
    wrong = browser.post("/login", data={"email": launched.mediator.email, "password": "wrong password"})
    assert wrong.status_code == 401 and "Traceback" not in wrong.text
    assert browser.get("/talks", follow_redirects=False).headers["location"].startswith("/login")
    away = browser.post("/login", data={"email": launched.mediator.email, "password": PASSWORD,
                                        "next": "//evil.example/"}, follow_redirects=False)
    assert away.headers["location"] == "/talks"
    assert browser.get("/invitation/not-a-token").status_code == 404
    assert browser.get("/static/tratado.css").status_code == 200
    assert browser.get("/static/../service/db.py").status_code == 404
    page = browser.get("/login")
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_new_talks_from_scratch(setup) -> None:
    launched, _, app = setup
    browser = client(app, launched.mediator.email)
    token = csrf(browser.get("/talks/new").text)
    bad = browser.post("/talks/new", data={"csrf_token": token, "source": "scratch", "name": "Fishing",
                                           "agenda": "Quota", "parties": "north: North\nsouth: South"})
    assert bad.status_code == 422 and "does not list two options" in bad.text
    made = browser.post("/talks/new", data={
        "csrf_token": token, "source": "scratch", "name": "Fishing rights", "talks_id": "fishing",
        "agenda": "Quota: 10 t; 20 t; 30 t\nSeason: spring; summer",
        "parties": "north: North Shore\nsouth: South Bay", "off_agenda": "Whaling"},
        follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"] == "/talks/fishing?ok=created"
    page = browser.get("/talks/fishing").text
    assert "North Shore" in page and "summer" in page and "Kept off the agenda" in page


def test_preferences_on_numeric_issues_are_saved_and_shown_back(setup) -> None:
    """job-offer: integer and continuous issues; option labels such as 60 and 2.5 go
    through the form and come back."""
    import tratado
    from service.helpers import join

    launched, _, app = setup
    service = launched.service
    talks.create_talks(service, launched.mediator, tratado.load("job-offer"), talks_id="job-offer")
    join(service, launched.mediator, "job-offer", "head", "candidate", "candidate@job.example")
    browser = client(app, "candidate@job.example")
    page = browser.get("/talks/job-offer/preferences").text
    agenda = tratado.load("job-offer").agenda
    form = {"csrf_token": csrf(page), "reservation_kind": "package"}
    for issue, points in zip(agenda, (40, 20, 25, 15)):
        form[f"points.{issue.name}"] = str(points)
        for k in range(len(issue.options)):
            form[f"rating.{issue.name}.{k}"] = str(round(100 * k / (len(issue.options) - 1), 2))
        form[f"reservation.{issue.name}"] = str(issue.options[1])
    saved = browser.post("/talks/job-offer/preferences", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    again = browser.get("/talks/job-offer/preferences").text
    assert 'name="rating.signing_bonus.1" min="0" max="100" step="any" value="25"' in again
    assert "Package D" in browser.get("/talks/job-offer/preferences/ranking").text


def test_an_api_token_from_the_account_page_works_for_scripts(setup) -> None:
    launched, _, app = setup
    browser = client(app, launched.observer.email)
    page = browser.get("/account").text
    made = browser.post("/account/token", data={"csrf_token": csrf(page)}).text
    token = re.search(r'<code class="hash">([^<]+)</code>', made).group(1)
    script = TestClient(app)
    me = script.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["email"] == launched.observer.email


def test_the_rounds_part_says_when_the_talks_have_moved_on(setup) -> None:
    launched, _, app = setup
    browser = client(app, launched.observer.email)
    page = browser.get(f"/talks/{TALKS}").text
    seen = int(re.search(r"/live\?seen=(\d+)", page).group(1))
    assert "moved on" not in browser.get(f"/talks/{TALKS}/live?seen={seen}").text
    assert "moved on" in browser.get(f"/talks/{TALKS}/live?seen={seen - 1}").text


def test_a_partial_package_put_from_the_page_is_provisional_until_both_heads_sign(setup) -> None:
    """The mediator leaves points out of the package on the page; both delegations accept;
    the page shows a provisional partial agreement, binding once both heads sign it."""
    from service.helpers import signature

    launched, _, app = setup
    other = venezuela(launched.service, talks_id="partial-talks", mediator=launched.mediator)
    mediator = client(app, launched.mediator.email)
    token = csrf(mediator.get("/talks/partial-talks").text)

    def press(browser: TestClient, action: str, **fields: str) -> str:
        response = browser.post(f"/talks/partial-talks/{action}", data={"csrf_token": token, **fields})
        assert response.status_code == 200 and "Traceback" not in response.text, response.text
        return response.text

    press(mediator, "open")
    press(mediator, "propose", **{"issue.economy": "UN-managed social fund"})
    for party in ("government", "opposition"):
        head = client(app, other.heads[party].email)
        page = head.get("/talks/partial-talks").text
        assert "partial package" in page and "UN-managed social fund" in page
        shown = head.post("/talks/partial-talks/answer", data={"csrf_token": csrf(page), "answer": "accept"})
        assert "Your answer is sealed" in shown.text
    assert "provisional until the whole agenda is agreed" in press(mediator, "close")
    for party in ("government", "opposition"):
        text = talks.document_text(other.service, other.heads[party], "partial-talks", "partial-1")
        head = client(app, other.heads[party].email)
        page = head.get("/talks/partial-talks").text
        assert "Sign the partial agreement 1" in page
        head.post("/talks/partial-talks/sign", data={
            "csrf_token": csrf(page), "document": "partial-1",
            "signature": signature(other.keys[party], text)})
    assert "binding: signed by every head of delegation" in mediator.get("/talks/partial-talks").text


@pytest.mark.parametrize("method, path", [
    ("get", "/talks"), ("get", "/talks/new"), ("get", "/account"),
    ("get", f"/talks/{TALKS}"), ("get", f"/talks/{TALKS}/record"),
    ("get", f"/talks/{TALKS}/preferences"), ("get", f"/talks/{TALKS}/preferences/ranking"),
    ("post", f"/talks/{TALKS}/open"), ("post", f"/talks/{TALKS}/preferences"),
])
def test_a_page_asked_for_by_no_one_leads_to_the_login_and_back(setup, method: str,
                                                                 path: str) -> None:
    _, _, app = setup
    answer = getattr(TestClient(app), method)(path + "?welcome=1" if path == "/talks" else path,
                                               follow_redirects=False)
    assert answer.status_code == 303
    target = "%2Ftalks%3Fwelcome%3D1" if path == "/talks" else path.replace("/", "%2F")
    assert answer.headers["location"] == f"/login?next={target}"
