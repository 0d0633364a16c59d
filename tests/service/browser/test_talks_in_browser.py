"""Whole talks played in a real browser (Chromium, driven by Playwright), three people at
once — the mediator and two heads of delegation, each in a browser context of their own —
and an observer: invitations, preferences (one delegation imports a file, the other types
points and ratings and is told its ranking contradicts them), signing keys made in the
browser, the launching document signed, a package written by hand and rejected, the
neutral's packages, the agreement, the heads' signatures, a checkpoint co-signed, and the
downloaded record checked by ``tratado verify``. Every page each person saw is kept: no
page of one delegation holds the other's numbers, and no page of the mediator or the
observer holds any. Screenshots of each page go to ``TRATADO_SHOTS``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

import tratado
from tratado.agenda import Agenda
from tratado.parties import Party
from tratado.preferences import LinearAdditive
from tratado.scenario import Scenario
from tratado.service.elicitation import score

from .live import Person, admin_invitation, serving

PASSWORD = "a long enough password"
TALKS = "venezuela-2021"

GOVERNMENT_POINTS = [13.37, 21.11, 27.73, 9.19, 8.42, 12.06, 8.12]
OPPOSITION_POINTS = [11.37, 23.19, 9.41, 17.23, 13.09, 14.57, 11.14]


def government_rating(k: int, n: int) -> float:
    """The government rates the options from its best (first) to its worst (last)."""
    return 100.0 if k == 0 else 0.0 if k == n - 1 else round(100 * (n - 1 - k) / (n - 1) + 0.29 + 0.07 * k, 2)


def opposition_rating(k: int, n: int) -> float:
    return 0.0 if k == 0 else 100.0 if k == n - 1 else round(100 * k / (n - 1) + 0.37 + 0.11 * k, 2)


def secrets_of(points: list[float], rating: Any, agenda: Agenda, reservation: float) -> set[str]:
    """The numbers a delegation enters that no other page could show by chance."""
    found = {f"{p:g}" for p in points} | {f"{reservation:g}"}
    for issue in agenda:
        n = len(issue.options)
        found |= {f"{rating(k, n):g}" for k in range(1, n - 1)}
    return found


def preferences(points: list[float], rating: Any, agenda: Agenda, reservation: float) -> LinearAdditive:
    return LinearAdditive(np.array(points) / 100,
                          tuple(np.array([rating(k, len(i.options)) for k in range(len(i.options))]) / 100
                                for i in agenda), reservation_value=reservation / 100)


def join(browser: Any, base: str, shots: Path | None, link: str, name: str) -> Person:
    page = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
    page.set_default_timeout(10_000)
    person = Person(name, page, base, shots)
    person.page.goto(link)
    person.keep()
    person.shot(f"{name}-01-invitation")
    person.page.fill("#password", PASSWORD)
    person.page.fill("#again", PASSWORD)
    person.click("button[type=submit]")
    assert "/talks" in person.page.url and "Your talks" in person.page.content()
    return person


def invite(mediator: Person, name: str, email: str, role: str, party: str = "") -> str:
    page = mediator.page
    page.fill("#inv-name", name)
    page.fill("#inv-email", email)
    page.select_option("#inv-role", role)
    page.select_option("#inv-party", party)
    mediator.click("text=Make the invitation link")
    link = page.locator(".notice.ok code.hash").inner_text()
    assert link.startswith(mediator.base + "/invitation/")
    return link


def rank(person: Person, prefs: LinearAdditive, agenda: Agenda, right: bool) -> None:
    """Give each package its place: by the scores of ``prefs`` (``right``), or the reverse."""
    page = person.page
    shown = page.eval_on_selector_all(".package", "els => els.map(e => Array.from("
                                      "e.querySelectorAll('dd')).map(d => d.textContent.trim()))")
    scores = {}
    for name, options in zip("ABCD", shown):
        scores[name] = score(agenda, prefs, dict(zip(agenda.names, options)))
    order = sorted(scores, key=lambda n: -scores[n] if right else scores[n])
    for place, name in enumerate(order, start=1):
        page.select_option(f"#place-{name}", str(place))
    person.click("text=Check my ranking")


def make_key_and_sign_launch(head: Person, party: str) -> str:
    page = head.page
    head.go(f"/talks/{TALKS}")
    with page.expect_download() as download:
        page.click("text=Create my signing key")
    page.wait_for_url(re.compile(r"ok=key"))
    head.keep()
    key_file = Path(download.value.path()).read_text()
    assert key_file.startswith(f"PRIVATE+KEY+{party}-head+")
    head.shot(f"{head.name}-05-key-and-launching-document")
    head.click("text=Sign the launching document")
    assert "Your signature is recorded" in page.content()
    return key_file


def answer(head: Person, accept: bool, comment: str = "") -> None:
    head.go(f"/talks/{TALKS}")
    if comment:
        head.page.fill("#comment", comment)
    head.click("text=Accept this package" if accept else "text=Reject this package")
    assert "Your answer is sealed. Every answer is revealed together" in head.page.content()


def run_round(mediator: Person, heads: dict[str, Person], by_neutral: bool, shot: str,
              answers: dict[str, tuple[bool, str]]) -> None:
    mediator.go(f"/talks/{TALKS}")
    mediator.click("text=Open the next round")
    if by_neutral:
        mediator.click("text=Ask the neutral for a package")
    else:
        mediator.page.click("summary:has-text('Write a package yourself')")
        for issue in tratado.load(TALKS).agenda:
            mediator.page.select_option(f"#issue-{issue.name}", label=str(issue.options[0]))
        mediator.click("text=Put this package to the parties")
    for party, (accept, comment) in answers.items():
        heads[party].go(f"/talks/{TALKS}")
        if "Accept this package" in heads[party].page.content():
            answer(heads[party], accept, comment)
    mediator.go(f"/talks/{TALKS}")
    mediator.shot(f"mediator-{shot}-answered")
    if "Close round" in mediator.page.content():
        mediator.click("text=Close round")


def test_whole_talks_in_three_browsers(browser: Any, shots: Path | None, service: Any,
                                       tmp_path: Path) -> None:
    from click.testing import CliRunner

    from tratado.cli import cli
    from tratado.formats import save

    venezuela = tratado.load(TALKS)
    agenda = venezuela.agenda
    government = preferences(GOVERNMENT_POINTS, government_rating, agenda, 38.61)
    opposition = preferences(OPPOSITION_POINTS, opposition_rating, agenda, 41.73)
    secret = {"government": secrets_of(GOVERNMENT_POINTS, government_rating, agenda, 38.61),
              "opposition": secrets_of(OPPOSITION_POINTS, opposition_rating, agenda, 41.73)}
    mine = tmp_path / "government.yaml"  # the file the government's delegation prepared
    # a scenario of its own (a copy by dataclasses.replace would keep the example's
    # uncertainty, and the writer would put the example's estimates back)
    save(Scenario(venezuela.name, agenda, (Party("government", government, name="Government"),
                                          Party("opposition", venezuela.party("opposition").preferences,
                                                name="Unitary Platform"))),
         mine)

    with serving(service) as base:
        mediator = join(browser, base, shots, base + "/invitation/"
                        + admin_invitation(service, "mediator@norway.example", "Dag Nylander"), "mediator")
        mediator.click("text=Set up new talks")
        mediator.shot("mediator-02-new-talks")
        mediator.page.select_option("select[name=example]", TALKS)
        mediator.page.fill("#talks_id", TALKS)
        mediator.page.fill("#context", "Earlier processes failed: Dominican Republic 2017-18, Oslo/Barbados"
                                       " 2019.")
        mediator.click("text=Create the talks")
        assert "The talks are created" in mediator.page.content()
        links = {party: invite(mediator, f"Head of {party}", f"head@{party}.example", "head", party)
                 for party in ("government", "opposition")}
        watching = invite(mediator, "Observer", "observer@un.example", "observer")
        mediator.shot("mediator-03-invited")

        heads = {party: join(browser, base, shots, links[party], party) for party in links}
        government_head, opposition_head = heads["government"], heads["opposition"]

        # the government imports its preferences from its file, and ranks the packages wrong first
        government_head.go(f"/talks/{TALKS}/preferences")
        government_head.page.set_input_files("#scenario-file", str(mine))
        government_head.click("text=Import and save")
        assert "Your preferences are imported and saved" in government_head.page.content()
        government_head.shot("government-02-preferences-imported")
        government_head.go(f"/talks/{TALKS}/preferences/ranking")
        rank(government_head, government, agenda, right=False)
        assert "Your ranking and your points and ratings disagree" in government_head.page.content()
        assert "To fix it: put package" in government_head.page.content()
        government_head.shot("government-03-ranking-contradicts")
        rank(government_head, government, agenda, right=True)
        assert "Your ranking agrees with your points and ratings" in government_head.page.content()

        # the opposition types its points, ratings and reservation
        opposition_head.go(f"/talks/{TALKS}")
        opposition_head.click("text=Enter your preferences")
        page = opposition_head.page
        for issue, points in zip(agenda, OPPOSITION_POINTS):
            page.fill(f"#points-{issue.name}", f"{points:g}")
            for k in range(len(issue.options)):
                page.fill(f"#rating-{issue.name}-{k}", f"{opposition_rating(k, len(issue.options)):g}")
        page.fill("input[name=reservation_score]", "41.73")
        page.wait_for_selector("#check:has-text('100 of 100')")
        opposition_head.shot("opposition-02-preferences")
        opposition_head.click("text=Save and check by ranking packages")
        opposition_head.shot("opposition-03-ranking")
        rank(opposition_head, opposition, agenda, right=True)
        assert "Your ranking agrees" in page.content()

        keys = {party: make_key_and_sign_launch(heads[party], party) for party in heads}
        mediator.go(f"/talks/{TALKS}")
        mediator.click("text=Launch the talks")
        assert "The talks are launched" in mediator.page.content()

        run_round(mediator, heads, False, "04-round-1", {
            "government": (True, "This is our position."),
            "opposition": (False, "No electoral guarantees: unacceptable.")})
        assert "No electoral guarantees: unacceptable." in mediator.page.content()
        mediator.shot("mediator-05-round-1-revealed")
        heads["government"].go(f"/talks/{TALKS}")
        run_round(mediator, heads, True, "06-round-2", {"government": (True, ""), "opposition": (True, "")})
        heads["opposition"].go(f"/talks/{TALKS}")
        run_round(mediator, heads, True, "07-round-3", {"government": (True, ""), "opposition": (True, "")})
        mediator.go(f"/talks/{TALKS}")
        assert "agreed, awaiting signatures" in mediator.page.content()

        for party, head in heads.items():
            head.go(f"/talks/{TALKS}")
            head.shot(f"{party}-06-agreement-to-sign")
            head.click("text=Sign the agreement for")
        government_head.go(f"/talks/{TALKS}/record")
        government_head.click("text=Co-sign this checkpoint")
        assert "You co-signed the record's latest checkpoint" in government_head.page.content()
        government_head.go(f"/talks/{TALKS}/record")
        with government_head.page.expect_download() as saved:
            government_head.page.click("text=Download the checkpoints this browser co-signed")
        checkpoint = tmp_path / "checkpoint.txt"
        saved.value.save_as(checkpoint)
        government_head.shot("government-07-record")

        mediator.go(f"/talks/{TALKS}")
        assert "concluded with a signed agreement" in mediator.page.content()
        mediator.shot("mediator-08-concluded")
        mediator.go(f"/talks/{TALKS}/record")
        mediator.shot("mediator-09-record")
        with mediator.page.expect_download() as download:
            mediator.page.click(f"text=Download {TALKS}.bundle.json")
        bundle = tmp_path / "record.bundle.json"
        download.value.save_as(bundle)
        mediator.go(f"/talks/{TALKS}/record/agreement.html")
        mediator.shot("mediator-10-agreement-document")
        assert mediator.page.content().count("the signature verifies") == 2

        observer = join(browser, base, shots, watching, "observer")
        observer.go(f"/talks/{TALKS}")
        observer.shot("observer-02-talks")
        observer.go(f"/talks/{TALKS}/record")

    result = CliRunner().invoke(cli, ["verify", str(bundle), "--checkpoint", str(checkpoint)])
    assert result.exit_code == 0, result.output
    assert "Verified: every check passed." in result.output
    record = bundle.read_text()
    for who, pages in (("mediator", mediator.seen), ("observer", observer.seen),
                       ("government", government_head.seen), ("opposition", opposition_head.seen)):
        for party, numbers in secret.items():
            if who == party:
                continue
            leaked = sorted(n for n in numbers if any(n in html for html in pages))
            assert not leaked, f"{who}'s pages show {party}'s numbers {leaked}"
    for numbers in secret.values():
        assert not [n for n in numbers if n in record]
    assert any("13.37" in html for html in government_head.seen)  # its own, on its own page
    assert keys["government"] != keys["opposition"]
