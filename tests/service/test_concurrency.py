"""Many simultaneous requests on the same talks never record two answers of one party,
two packages in one round, two agreements, lose an acknowledged change or break the log:
in process (threads), and against two server processes sharing one database."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from service.helpers import PASSWORD, venezuela
from service.server import Server, login
from tratado.records.bundle_check import verify_bundle
from tratado.service import rounds, views
from tratado.service.base import Service
from tratado.service.errors import Refused


def _all(calls: list[Any]) -> list[Any]:
    with ThreadPoolExecutor(len(calls)) as pool:
        futures = [pool.submit(call) for call in calls]
        out = []
        for future in futures:
            try:
                out.append(future.result())
            except Refused as refused:
                out.append(refused)
        return out


def test_simultaneous_clicks_make_one_change(any_service: Service) -> None:
    launched = venezuela(any_service)
    svc, tid, med = launched.service, launched.id, launched.mediator
    opened = _all([lambda: rounds.open_round(svc, med, tid) for _ in range(4)])
    assert sum(not isinstance(o, Refused) for o in opened) == 1
    proposed = _all([lambda: rounds.propose(svc, med, tid, from_neutral=True) for _ in range(4)])
    assert sum(not isinstance(p, Refused) for p in proposed) == 1
    answers = _all([lambda who=who, yes=yes: rounds.answer(svc, who, tid, yes, str(yes))
                    for who in (launched.heads["government"], launched.delegates["government"],
                                launched.heads["opposition"], launched.delegates["opposition"])
                    for yes in (True, False, True)])
    kept = [a for a in answers if not isinstance(a, Refused)]
    assert len(kept) == 2  # one per party
    closed = _all([lambda: rounds.close_round(svc, med, tid) for _ in range(3)])
    assert sum(not isinstance(c, Refused) for c in closed) == 1
    leaves = views.log_leaves(svc, med, tid)
    sealed = [leaf["talks"]["commitment"] for leaf in leaves
              if leaf.get("talks", {}).get("kind") == "answer-sealed"]
    assert sorted(sealed) == sorted(kept)
    assert verify_bundle(views.export_record(svc, med, tid)).ok


@pytest.mark.slow
def test_two_server_processes_on_one_database(any_service: Service, tmp_path: Path) -> None:
    service = any_service
    setup = venezuela(service)
    servers = [Server(service.db.url, tmp_path / "service.key", tmp_path / f"s{k}.log").start()
               for k in range(2)]
    try:
        def client(email: str, k: int) -> Any:
            return login(servers[k % 2].base, email, PASSWORD)

        mediators = [client(setup.mediator.email, k) for k in range(4)]
        members = [(party, client(who.email, k)) for k, (party, who) in enumerate(
            [(p, setup.heads[p]) for p in setup.heads] + [(p, setup.delegates[p])
                                                          for p in setup.delegates])]
        tid = setup.id
        agreements = 0
        for number in range(1, 5):
            opened = _all([lambda m=m: m.post(f"/api/talks/{tid}/rounds/open").status_code
                           for m in mediators])
            assert sorted(opened) == [200, 409, 409, 409]
            proposed = _all([lambda m=m: m.post(f"/api/talks/{tid}/proposals",
                                                json={"from_neutral": True}).status_code
                             for m in mediators])
            assert sorted(proposed) == [200, 409, 409, 409]
            if mediators[0].get(f"/api/talks/{tid}").json()["status"] == "agreed":
                agreements += 1  # the neutral found no improvement: the settlement stands
                break
            yes = number >= 3
            answered = _all([lambda p=p, c=c, a=a: (p, c.post(f"/api/talks/{tid}/answers",
                                                         json={"accept": a}))
                             for p, c in members for a in (yes, not yes, yes)])
            acknowledged = {p: r.json()["commitment"] for p, r in answered if r.status_code == 200}
            assert len([1 for _, r in answered if r.status_code == 200]) == 2
            assert all(r.status_code == 409 for _, r in answered if r.status_code != 200)
            closed = _all([lambda m=m: m.post(f"/api/talks/{tid}/rounds/close") for m in mediators])
            assert sorted(c.status_code for c in closed) == [200, 409, 409, 409]
            log = mediators[0].get(f"/api/talks/{tid}/log").json()
            sealed = {leaf["talks"]["party"]: leaf["talks"]["commitment"] for leaf in log
                      if leaf.get("talks", {}).get("kind") == "answer-sealed"
                      and leaf["talks"]["round"] == number}
            assert sealed == acknowledged
            state = mediators[1].get(f"/api/talks/{tid}").json()
            agreements += state["status"] == "agreed"
            if state["status"] == "agreed":
                break
        assert agreements <= 1
        bundle = mediators[0].get(f"/api/talks/{tid}/record").text
        report = verify_bundle(bundle)
        assert report.ok, report.problem
        events = [json.loads(json.dumps(leaf)) for leaf in json.loads(bundle)["leaves"]
                  if "event" in leaf]
        assert sum(1 for e in events if e["event"]["kind"] == "mediator-proposal") >= 1
    finally:
        for server in servers:
            server.stop()


@pytest.mark.slow
def test_serve_with_two_workers(any_service: Service, tmp_path: Path) -> None:
    setup = venezuela(any_service)
    server = Server(any_service.db.url, tmp_path / "service.key", tmp_path / "w.log",
                    ("--workers", "2")).start()
    try:
        mediator = login(server.base, setup.mediator.email, PASSWORD)
        for _ in range(6):  # whichever worker answers, it sees the change just made
            opened = mediator.post(f"/api/talks/{setup.id}/rounds/open").json()["round"]
            assert mediator.get(f"/api/talks/{setup.id}").json()["current_round"] == opened
            mediator.post(f"/api/talks/{setup.id}/rounds/close").raise_for_status()
    finally:
        server.stop()
