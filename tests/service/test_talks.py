"""The service functions end to end: set up, rounds, agreement, signatures, record."""

from __future__ import annotations

import pytest

from service.helpers import Talks, join, venezuela
from tratado.records.bundle_check import verify_bundle
from tratado.service import rounds, talks, views
from tratado.service.base import Service
from tratado.service.errors import NotAllowed, NotFound, Refused


def run_round(setup: Talks, accept: dict[str, bool], package: dict[str, str] | None = None
              ) -> dict[str, object]:
    svc, tid, med = setup.service, setup.id, setup.mediator
    rounds.open_round(svc, med, tid)
    rounds.propose(svc, med, tid, package, from_neutral=package is None)
    for party, yes in accept.items():
        rounds.answer(svc, setup.delegates[party], tid, yes, f"{party} says {yes}")
    return rounds.close_round(svc, med, tid)


def test_a_draft_cannot_launch_before_every_head_signs(service: Service) -> None:
    setup = venezuela(service, launch=False)
    with pytest.raises(Refused, match="not signed by the head of government, opposition"):
        talks.launch(service, setup.mediator, setup.id)
    setup.sign("government", "launch")
    with pytest.raises(Refused, match="head of opposition"):
        talks.launch(service, setup.mediator, setup.id)
    setup.sign("opposition", "launch")
    talks.launch(service, setup.mediator, setup.id)
    assert views.talks_view(service, setup.mediator, setup.id)["status"] == "launched"


def test_answers_stay_sealed_until_the_round_closes(launched: Talks) -> None:
    svc, tid = launched.service, launched.id
    rounds.open_round(svc, launched.mediator, tid)
    rounds.propose(svc, launched.mediator, tid, from_neutral=True)
    rounds.answer(svc, launched.delegates["government"], tid, True, "fine")
    for who in (launched.mediator, launched.heads["opposition"], launched.observer):
        view = views.talks_view(svc, who, tid)
        assert view["rounds"][0]["answered"] == ["government"]
        assert view["rounds"][0]["answers"] is None
        assert view["you"]["answer"] is None
    mine = views.talks_view(svc, launched.heads["government"], tid)["you"]["answer"]
    assert mine == {"answer": "accept", "comment": "fine"}
    with pytest.raises(Refused, match="answered round 1 already"):
        rounds.answer(svc, launched.heads["government"], tid, False)
    closed = rounds.close_round(svc, launched.mediator, tid)
    assert closed["answers"]["opposition"]["answer"] == "reject"  # no answer by the close
    view = views.talks_view(svc, launched.observer, tid)
    assert view["rounds"][0]["answers"]["government"] == {"answer": "accept", "comment": "fine"}


def test_an_agreement_needs_every_party_and_the_record_verifies(launched: Talks) -> None:
    run_round(launched, {"government": True, "opposition": False})
    assert views.talks_view(launched.service, launched.mediator, launched.id)["agreement"] is None
    run_round(launched, {"government": True, "opposition": True})
    svc, tid, med = launched.service, launched.id, launched.mediator
    view = views.talks_view(svc, med, tid)
    assert view["settlement"] is not None and view["engine_phase"] == "improve"
    rounds.open_round(svc, med, tid)
    rounds.propose(svc, med, tid, from_neutral=True)
    view = views.talks_view(svc, med, tid)
    if view["status"] != "agreed":
        for party in ("government", "opposition"):
            rounds.answer(svc, launched.delegates[party], tid, True)
    rounds.close_round(svc, med, tid)
    view = views.talks_view(svc, med, tid)
    assert view["status"] == "agreed" and view["agreement"] is not None
    assert "agreement" in view["documents"]
    unfinished = views.export_record(svc, med, tid)
    report = verify_bundle(unfinished)
    assert report.ok, report.problem
    assert any("still going on" in line for line in report.lines)
    for party in ("government", "opposition"):
        launched.sign(party, "agreement")
    view = views.talks_view(svc, launched.observer, tid)
    assert view["status"] == "concluded"
    report = verify_bundle(views.export_record(svc, launched.observer, tid))
    assert report.ok, report.problem
    assert any("4 signatures" in line for line in report.lines)
    with pytest.raises(Refused, match="concluded"):
        rounds.open_round(svc, med, tid)


def test_partial_agreements_are_provisional_until_every_head_signs(launched: Talks) -> None:
    svc, tid, med = launched.service, launched.id, launched.mediator
    closed = run_round(launched, {"government": True, "opposition": True},
                       {"economy": "UN-managed social fund"})
    assert closed["outcome"] == "partial agreement 1"
    view = views.talks_view(svc, med, tid)
    assert view["partial_agreements"] == [{"number": 1, "round": 1, "binding": False,
                                           "package": {"economy": "UN-managed social fund"}}]
    assert view["engine_phase"] == "propose"  # the engine saw no move
    launched.sign("government", "partial-1")
    launched.sign("opposition", "partial-1")
    assert views.talks_view(svc, med, tid)["partial_agreements"][0]["binding"]
    rounds.open_round(svc, med, tid)
    with pytest.raises(Refused, match="binding partial agreements fixed economy"):
        rounds.propose(svc, med, tid, {"economy": "no joint measures"})
    package = rounds.propose(svc, med, tid, from_neutral=True)
    assert package["economy"] == "UN-managed social fund"
    report = verify_bundle(views.export_record(svc, med, tid))
    assert report.ok, report.problem


def test_roles_are_checked_on_every_change(launched: Talks, service: Service) -> None:
    tid = launched.id
    government = launched.delegates["government"]
    with pytest.raises(NotAllowed):
        rounds.open_round(service, government, tid)
    with pytest.raises(NotAllowed):
        talks.set_preferences(service, government, tid, "opposition", {"type": "table"})
    with pytest.raises(NotAllowed):
        talks.my_preferences(service, launched.mediator, tid)
    with pytest.raises(NotAllowed):
        talks.sign(service, government, tid, "launch", "AAAA")
    stranger = join(service, launched.mediator, tid, "observer", None, "o2@x.example")
    with pytest.raises(NotAllowed):
        rounds.answer(service, stranger, tid, True)
    other = venezuela(service, talks_id="other-talks", mediator=launched.mediator)
    with pytest.raises(NotFound):
        views.talks_view(service, other.heads["government"], tid)
    own = talks.my_preferences(service, government, tid)
    assert own["party"] == "government" and own["preferences"]["type"] == "linear-additive"


def test_ending_the_talks_closes_the_log(launched: Talks) -> None:
    svc, tid, med = launched.service, launched.id, launched.mediator
    talks.suspend(svc, med, tid, "consultations")
    with pytest.raises(Refused):
        rounds.open_round(svc, med, tid)
    talks.resume(svc, med, tid)
    run_round(launched, {"government": False, "opposition": False})
    talks.end(svc, med, tid, "no common ground")
    view = views.talks_view(svc, med, tid)
    assert view["status"] == "ended" and view["ended_because"] == "no common ground"
    report = verify_bundle(views.export_record(svc, med, tid))
    assert report.ok, report.problem


def test_talks_from_scratch(service: Service) -> None:
    from service.helpers import admin
    from tratado.service.errors import BadInput

    mediator = admin(service)
    scenario = talks.scenario_from_scratch(
        "Water sharing", [{"name": "share", "title": "Share of the flow",
                           "options": ["30%", "50%", "70%"]},
                          {"name": "monitoring", "options": ["joint", "third party"]}],
        [{"id": "upstream", "name": "Upstream state"}, {"id": "downstream"}],
        deadline=10, off_agenda=["navigation"])
    tid = talks.create_talks(service, mediator, scenario, talks_id="water")
    head = join(service, mediator, tid, "head", "upstream", "h@up.example")
    talks.set_preferences(service, head, tid, "upstream", {
        "type": "linear-additive", "weights": {"share": 0.7, "monitoring": 0.3},
        "values": {"share": {"30%": 0, "50%": 0.5, "70%": 1},
                   "monitoring": {"joint": 1, "third party": 0}}, "reservation_value": 0.3})
    view = views.talks_view(service, head, tid)
    assert view["off_agenda"][0]["topic"] == "navigation"
    assert "Kept off the agenda: navigation." in talks.document_text(service, head, tid, "launch")
    with pytest.raises(BadInput, match="weights"):
        talks.set_preferences(service, head, tid, "upstream", {"type": "linear-additive",
                                                               "weights": {"nope": 1}})
    with pytest.raises(BadInput):
        talks.scenario_from_scratch("x", [{"name": "a", "options": ["1"]}], [{"id": "p"}])
