"""The service on PostgreSQL (the production database): the whole talks, and the record."""

from __future__ import annotations

from service.helpers import venezuela
from service.test_talks import run_round
from tratado.records.bundle_check import verify_bundle
from tratado.service import rounds, views
from tratado.service.base import Service


def test_whole_talks_on_postgresql(pg_service: Service) -> None:
    setup = venezuela(pg_service)
    svc, tid, med = pg_service, setup.id, setup.mediator
    run_round(setup, {"government": True, "opposition": True}, {"economy": "UN-managed social fund"})
    run_round(setup, {"government": True, "opposition": True})
    view = views.talks_view(svc, med, tid)
    if view["status"] != "agreed":
        rounds.open_round(svc, med, tid)
        rounds.propose(svc, med, tid, from_neutral=True)
        rounds.close_round(svc, med, tid)
    for party in ("government", "opposition"):
        setup.sign(party, "agreement")
    assert views.talks_view(svc, med, tid)["status"] == "concluded"
    report = verify_bundle(views.export_record(svc, setup.observer, tid))
    assert report.ok, report.problem
