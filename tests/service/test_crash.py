"""kill -9 of the server in the middle of a stream of requests loses nothing that was
acknowledged; after a restart the log verifies and the talks resume."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest

from service.helpers import PASSWORD, venezuela
from service.server import Server, login
from tratado.records.bundle_check import verify_bundle
from tratado.service.base import Service


@pytest.mark.slow
def test_kill_9_loses_nothing_acknowledged(any_service: Service, tmp_path: Path) -> None:
    service = any_service
    setup = venezuela(service)
    tid = setup.id
    url, key = service.db.url, tmp_path / "service.key"
    service.db.dispose()
    server = Server(url, key, tmp_path / "server.log").start()
    mediator = login(server.base, setup.mediator.email, PASSWORD)
    heads = {p: login(server.base, h.email, PASSWORD) for p, h in setup.heads.items()}
    acknowledged: list[tuple[str, int, str]] = []  # (what, round, commitment or "")
    stop = threading.Event()

    def stream() -> None:
        try:
            while not stop.is_set():
                opened = mediator.post(f"/api/talks/{tid}/rounds/open")
                number = opened.json()["round"]
                acknowledged.append(("opened", number, ""))
                mediator.post(f"/api/talks/{tid}/proposals",
                              json={"package": {"economy": "no joint measures"}}).raise_for_status()
                for party, client in heads.items():
                    answer = client.post(f"/api/talks/{tid}/answers", json={"accept": False})
                    answer.raise_for_status()
                    acknowledged.append((party, number, answer.json()["commitment"]))
                mediator.post(f"/api/talks/{tid}/rounds/close").raise_for_status()
                acknowledged.append(("closed", number, ""))
        except httpx.HTTPError:
            pass  # the server was killed mid-request: that request was never acknowledged

    worker = threading.Thread(target=stream)
    worker.start()
    time.sleep(4)
    server.kill()
    stop.set()
    worker.join(30)
    assert len(acknowledged) > 4
    again = Server(url, key, tmp_path / "server2.log").start()
    try:
        reader = login(again.base, setup.mediator.email, PASSWORD)
        log = reader.get(f"/api/talks/{tid}/log").json()
        kinds = {(leaf["talks"]["kind"], leaf["talks"].get("round"), leaf["talks"].get("party"),
                  leaf["talks"].get("commitment")) for leaf in log if "talks" in leaf}
        for what, number, commitment in acknowledged:
            if what == "opened":
                assert ("round-opened", number, None, None) in kinds
            elif what == "closed":
                assert ("round-closed", number, None, None) in kinds
            else:
                assert ("answer-sealed", number, what, commitment) in kinds
        report = verify_bundle(reader.get(f"/api/talks/{tid}/record").text)
        assert report.ok, report.problem
        state = reader.get(f"/api/talks/{tid}").json()
        if state["current_round"] is not None:
            reader.post(f"/api/talks/{tid}/rounds/close").raise_for_status()
        resumed = reader.post(f"/api/talks/{tid}/rounds/open")
        assert resumed.status_code == 200, resumed.text
    finally:
        again.stop()
