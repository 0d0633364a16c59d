"""How long the live-talks pages take to draw, beside the JSON API's read of the same talks.

    PYTHONPATH=src python bench/bench_pages.py               # 60 requests per page
    PYTHONPATH=src python bench/bench_pages.py --repeat 200

The Venezuela talks as ``tratado serve --demo`` loads them (mid-way: a partial agreement,
a rejected package, a round scheduled) on a fresh SQLite file, served in process
(Starlette's test client: no network, no proxy, one request at a time), each page asked
``--repeat`` times by the person who sees it. It prints, per page, the median and the
90th percentile of the time to answer, and the ratio of the median to the API's
``GET /api/talks/{id}`` (the same state as JSON): what drawing the page costs on top of
reading the talks. Pages are drawn on the server; htmx asks every 5 s for the rounds
part (``/live``) only.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

TALKS = "venezuela-2021"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=60)
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from tratado.service.app import create_app, make_service
    from tratado.service.demo import ACCOUNTS, DEMO_PASSWORD, load_demo

    folder = Path(tempfile.mkdtemp(prefix="tratado-bench-pages-"))
    service = make_service(f"sqlite:///{folder / 'talks.db'}", folder / "service.key")
    load_demo(service, folder / "keys")
    app = create_app("", service=service, secure_cookies=False)

    def client(email: str) -> TestClient:
        browser = TestClient(app)
        assert browser.post("/login", data={"email": email, "password": DEMO_PASSWORD},
                            follow_redirects=False).status_code == 303
        return browser

    mediator, head = client(ACCOUNTS[0][0]), client(ACCOUNTS[1][0])
    cases = [
        ("API: GET /api/talks/{id} (mediator)", mediator, f"/api/talks/{TALKS}"),
        ("mediator's talks page", mediator, f"/talks/{TALKS}"),
        ("rounds part (htmx, every 5 s)", mediator, f"/talks/{TALKS}/live"),
        ("delegation's talks page (head)", head, f"/talks/{TALKS}"),
        ("delegation's preferences page", head, f"/talks/{TALKS}/preferences"),
        ("ranking check page", head, f"/talks/{TALKS}/preferences/ranking"),
        ("record page (exports the bundle)", mediator, f"/talks/{TALKS}/record"),
        ("launching document, exported (HTML)", mediator, f"/talks/{TALKS}/record/launch.html"),
    ]
    rows = []
    for name, browser, path in cases:
        for _ in range(3):  # warm up (templates compiled, caches filled)
            assert browser.get(path).status_code == 200, (name, path)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            response = browser.get(path)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200
        times.sort()
        rows.append((name, statistics.median(times), times[int(0.9 * (len(times) - 1))]))
    base = rows[0][1]
    print(f"{'page':42} {'median ms':>10} {'p90 ms':>8} {'x API':>6}   ({args.repeat} requests each)")
    for name, median, p90 in rows:
        print(f"{name:42} {median * 1000:10.1f} {p90 * 1000:8.1f} {median / base:6.1f}")
    service.db.dispose()


if __name__ == "__main__":
    main()
