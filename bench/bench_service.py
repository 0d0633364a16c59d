"""Load on the live-talks service: 50 talks at once against `tratado serve`, over loopback.

    PYTHONPATH=src python bench/bench_service.py                  # SQLite, then PostgreSQL
    PYTHONPATH=src python bench/bench_service.py --db sqlite --seconds 20 --talks 50
    PYTHONPATH=src python bench/bench_service.py --markdown       # a table for docs/performance.md

What it does, for each database: sets up ``--talks`` copies of the Venezuela talks (a
mediator and both heads of delegation, preferences entered, launched; the rounds limit
raised so that no talks end during the run) with the service functions, starts
``tratado serve`` (one process, as an operator would behind a proxy) on that database,
and runs one asyncio client per talks (httpx, API tokens, loopback only) for
``--seconds``: open a round, propose a whole package (by hand, chosen from a seeded
``numpy.random.default_rng``), both heads answer at the same time, close the round, read
the talks' state — again and again, each request after a pause of about ``--pause``
seconds (a person's pace; ``--pause 0`` sends the next request as soon as the last is
answered, which measures the most the server can take). It prints requests per second over the whole run
and, per operation, the median and the 99th percentile of the latency as the client saw
it. Goal: p99 under 100 ms for a proposal and an answer. PostgreSQL is used when the
server at ``TRATADO_BENCH_POSTGRES`` (default ``postgresql://postgres@127.0.0.1:5432/test``)
answers: a fresh database is made for the run and dropped after.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

SERVER = os.environ.get("TRATADO_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def set_up(url: str, folder: Path, count: int) -> dict[str, dict[str, str]]:
    """``count`` launched talks on ``url``; per talks id, the API tokens of the mediator and
    the two heads."""
    import base64

    from argon2 import PasswordHasher

    from tratado.formats.yaml_format import loads_yaml
    from tratado.records.note import SignerKey
    from tratado.service import auth, talks
    from tratado.service.app import make_service
    from tratado.service.auth import Principal

    # the accounts' passwords are never used (API tokens are): hash them cheaply
    auth.use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    text = (ROOT / "src/tratado/examples/venezuela-2021.yaml").read_text(encoding="utf-8")
    scenario = loads_yaml(text.replace("deadline: 30 ", "deadline: 1000000 "))
    service = make_service(url, folder / "service.key")
    with service.db.write() as session:
        user = auth.create_user(session, "mediator@bench.example", "Mediator",
                                "bench password 123", is_admin=True)
        mediator = Principal(user.id, user.name, user.email, True)
    mediator_token = auth.issue_api_token(service.db, mediator.user_id)
    tokens = {}
    for k in range(count):
        tid = f"bench-{k:03d}"
        talks.create_talks(service, mediator, scenario, talks_id=tid)
        these = {"mediator": mediator_token}
        for party in scenario.party_ids:
            invitation = talks.invite(service, mediator, tid, email=f"{party}-{k}@bench.example",
                                      name=party, role="head", party=party)
            user = auth.redeem_invitation(service.db, invitation, "bench password 123")
            head = Principal(user.id, user.name, user.email)
            talks.set_preferences(service, head, tid, party, scenario)
            key = SignerKey.generate(f"{party}-head")
            talks.register_key(service, head, tid, str(key.verifier))
            text_ = talks.document_text(service, head, tid, "launch")
            talks.sign(service, head, tid, "launch",
                       base64.b64encode(key.sign(text_.encode())).decode())
            these[party] = auth.issue_api_token(service.db, user.id)
        talks.launch(service, mediator, tid)
        tokens[tid] = these
    service.db.dispose()
    return tokens


async def one_talks(base: str, tid: str, tokens: dict[str, str], until: float, seed: int,
                    shape: list[tuple[str, list[str]]], latencies: dict[str, list[float]],
                    failures: list[str], pause: float) -> None:
    import httpx

    rng = np.random.default_rng(seed)
    client = httpx.AsyncClient(base_url=base, timeout=60)
    auth = {who: {"Authorization": f"Bearer {token}"} for who, token in tokens.items()}

    async def timed(what: str, who: str, method: str, path: str, body: object = None) -> None:
        if pause:  # a person's pace: think, then click (uniform in [0.5, 1.5] x pause)
            await asyncio.sleep(pause * (0.5 + float(rng.random())))
        start = time.perf_counter()
        answer = await client.request(method, f"/api/talks/{tid}{path}", json=body,
                                      headers=auth[who])
        latencies[what].append(time.perf_counter() - start)
        if answer.status_code != 200:
            failures.append(f"{what}: {answer.status_code} {answer.text[:200]}")

    try:
        while time.perf_counter() < until:
            await timed("open round", "mediator", "POST", "/rounds/open")
            package = {issue: options[int(rng.integers(len(options)))] for issue, options in shape}
            await timed("proposal", "mediator", "POST", "/proposals", {"package": package})
            await asyncio.gather(*(timed("answer", party, "POST", "/answers",
                                         {"accept": False, "comment": "not yet"})
                                   for party in ("government", "opposition")))
            await timed("close round", "mediator", "POST", "/rounds/close")
            await timed("read state", "government", "GET", "")
    finally:
        await client.aclose()


async def load(base: str, tokens: dict[str, dict[str, str]], seconds: float, pause: float
               ) -> tuple[dict[str, list[float]], float, list[str]]:
    import tratado

    agenda = tratado.load("venezuela-2021").agenda
    shape = [(issue.name, [str(o) for o in issue.options]) for issue in agenda]
    latencies: dict[str, list[float]] = defaultdict(list)
    failures: list[str] = []
    start = time.perf_counter()
    until = start + seconds
    await asyncio.gather(*(one_talks(base, tid, these, until, k, shape, latencies, failures,
                                     pause)
                           for k, (tid, these) in enumerate(sorted(tokens.items()))))
    return latencies, time.perf_counter() - start, failures


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) * 1000


def run(name: str, url: str, count: int, seconds: float, pause: float,
        workers: int = 1) -> dict[str, object]:
    from service.server import Server

    folder = Path(tempfile.mkdtemp(prefix="tratado-bench-"))
    print(f"[{name}] setting up {count} talks ...", flush=True)
    tokens = set_up(url, folder, count)
    server = Server(url, folder / "service.key", folder / "server.log",
                    ("--workers", str(workers))).start()
    try:
        print(f"[{name}] {count} talks at once for {seconds:.0f} s ...", flush=True)
        cpu = server.cpu_seconds()
        load_before = os.getloadavg()[0]
        client_cpu = time.process_time()
        latencies, elapsed, failures = asyncio.run(load(server.base, tokens, seconds, pause))
        cpu = server.cpu_seconds() - cpu
        client_cpu = time.process_time() - client_cpu
    finally:
        server.stop()
    total = sum(len(v) for v in latencies.values())
    print(f"[{name}] {total} requests in {elapsed:.1f} s: {total / elapsed:.0f} requests/s;"
          f" {len(failures)} refused{': ' + failures[0] if failures else ''}")
    print(f"[{name}] the server used {cpu:.1f} s of CPU: {cpu / total * 1000:.1f} ms per request"
          f" (load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on"
          f" {os.cpu_count()} CPUs); the client used {client_cpu:.1f} s")
    rows = {}
    for what in ("proposal", "answer", "open round", "close round", "read state"):
        values = latencies[what]
        rows[what] = (len(values), statistics.median(values) * 1000, percentile(values, 99))
        print(f"  {what:12} {len(values):6d}   p50 {rows[what][1]:7.1f} ms   p99"
              f" {rows[what][2]:7.1f} ms")
    return {"name": name, "rate": total / elapsed, "rows": rows, "failures": len(failures),
            "cpu_ms": cpu / total * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--talks", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--pause", type=float, default=1.0,
                        help="seconds a talks' client waits before each request, on average"
                        " (a person's pace; 0: as fast as the server answers)")
    parser.add_argument("--workers", type=int, default=1,
                        help="tratado serve --workers (PostgreSQL runs only)")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    results = []
    if args.db in ("sqlite", "both"):
        folder = Path(tempfile.mkdtemp(prefix="tratado-bench-db-"))
        results.append(run("SQLite", f"sqlite:///{folder / 'talks.db'}", args.talks, args.seconds,
                           args.pause))
    if args.db in ("postgresql", "both"):
        from service.postgres import reachable

        why = reachable()
        if why is not None:
            print(f"[PostgreSQL] skipped: {why}")
        else:
            import psycopg

            name = f"tratado_bench_{os.getpid()}_{secrets.token_hex(3)}"
            with psycopg.connect(SERVER, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            try:
                url = f"postgresql+psycopg://{SERVER.split('://', 1)[1].rsplit('/', 1)[0]}/{name}"
                name_ = "PostgreSQL" + (f", {args.workers} workers" if args.workers > 1 else "")
                results.append(run(name_, url, args.talks, args.seconds, args.pause,
                                   args.workers))
            finally:
                with psycopg.connect(SERVER, autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if len(results) == 2:
        print(f"PostgreSQL / SQLite requests per second: {results[1]['rate'] / results[0]['rate']:.2f}")  # type: ignore[operator]
    if args.markdown:
        print("\n| database | requests/s | server CPU per request (ms) | proposal p50 / p99 (ms)"
              " | answer p50 / p99 (ms) | close round p50 / p99 (ms) | read state p50 / p99 (ms) |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for r in results:
            rows = r["rows"]
            assert isinstance(rows, dict)
            cells = " | ".join(f"{rows[w][1]:.0f} / {rows[w][2]:.0f}"
                               for w in ("proposal", "answer", "close round", "read state"))
            print(f"| {r['name']} | {r['rate']:.0f} | {r['cpu_ms']:.1f} | {cells} |")


if __name__ == "__main__":
    main()
