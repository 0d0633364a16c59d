"""What one change of the live-talks service costs, with no HTTP and no other request
running: the API-token lookup and the change, per operation, on SQLite and PostgreSQL.

    PYTHONPATH=src python bench/bench_service_change.py                 # both databases
    PYTHONPATH=src python bench/bench_service_change.py --db postgresql --rounds 20

For each database: sets up the Venezuela talks (bench/bench_service.py's set-up, the
rounds limit raised), then runs ``--rounds`` rounds — open a round, propose a whole
package, both heads answer, close — calling the service functions directly, each call
after the token lookup an API request makes; ``--repeats`` times on fresh talks. It
prints, per operation, the median wall-clock and CPU time per call and the statements
sent to the database (``COMMIT`` for a commit, ``PING`` for the pool's check of a
connection; on PostgreSQL the driver sends the ``BEGIN`` of a writing transaction
itself, unlisted: one more round trip), and over all calls the median per change. Where
``bench_service.py`` shows what clients see under load, this shows what the server
spends on one change, and how many times it waits for the database.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

OPERATIONS = ("open round", "proposal", "answer", "close round")


def measure(url: str, rounds: int) -> tuple[dict[str, list[tuple[float, float]]], dict[str, str]]:
    """Per operation, (wall, CPU) seconds per call; and the statements of its last call."""
    from bench_service import set_up
    from sqlalchemy import event

    import tratado
    from tratado.service import auth
    from tratado.service import rounds as service_rounds
    from tratado.service.app import make_service

    folder = Path(tempfile.mkdtemp(prefix="tratado-bench-change-"))
    tokens = set_up(url, folder, 1)["bench-000"]
    service = make_service(url, folder / "service.key")
    package = {issue.name: str(issue.options[0]) for issue in tratado.load("venezuela-2021").agenda}
    seen: list[str] = []
    engine = service.db.engine
    event.listen(engine, "before_cursor_execute",
                 lambda _c, _k, statement, *_: seen.append(statement.split()[0].upper()))
    event.listen(engine, "commit", lambda _c: seen.append("COMMIT"))
    dialect = type(engine.dialect)
    ping = dialect.do_ping

    def counted_ping(self: Any, connection: Any) -> bool:
        seen.append("PING")
        return bool(ping(self, connection))

    dialect.do_ping = counted_ping  # type: ignore[method-assign]
    times: dict[str, list[tuple[float, float]]] = defaultdict(list)
    statements: dict[str, str] = {}

    def timed(what: str, who: str, call: Callable[[auth.Principal], object]) -> None:
        seen.clear()
        wall, cpu = time.perf_counter(), time.process_time()
        call(auth.token_principal(service.db, tokens[who]))
        times[what].append((time.perf_counter() - wall, time.process_time() - cpu))
        statements[what] = " ".join(seen)

    try:
        for _ in range(rounds):
            timed("open round", "mediator",
                  lambda p: service_rounds.open_round(service, p, "bench-000"))
            timed("proposal", "mediator",
                  lambda p: service_rounds.propose(service, p, "bench-000", package))
            for party in ("government", "opposition"):
                timed("answer", party,
                      lambda p: service_rounds.answer(service, p, "bench-000", False, "not yet"))
            timed("close round", "mediator",
                  lambda p: service_rounds.close_round(service, p, "bench-000"))
    finally:
        dialect.do_ping = ping  # type: ignore[method-assign]
        service.db.dispose()
    return times, statements


def run(name: str, new_database: Callable[[], str], rounds: int, repeats: int) -> None:
    per: dict[str, list[tuple[float, float]]] = defaultdict(list)
    statements: dict[str, str] = {}
    for _ in range(repeats):
        times, statements = measure(new_database(), rounds)
        for what, values in times.items():
            per[what] += values
    load = os.getloadavg()[0]
    print(f"[{name}] {rounds} rounds x {repeats}, load average {load:.1f} on {os.cpu_count()} CPUs")
    for what in OPERATIONS:
        wall = statistics.median(w for w, _ in per[what]) * 1000
        cpu = statistics.median(c for _, c in per[what]) * 1000
        print(f"  {what:12} wall {wall:5.2f} ms  CPU {cpu:5.2f} ms   {statements[what]}")
    every = [value for values in per.values() for value in values]
    print(f"  {'per change':12} wall {statistics.median(w for w, _ in every) * 1000:5.2f} ms"
          f"  CPU {statistics.median(c for _, c in every) * 1000:5.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from argon2 import PasswordHasher

    from tratado.service import auth

    auth.use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    if args.db in ("sqlite", "both"):
        folder = Path(tempfile.mkdtemp(prefix="tratado-bench-change-db-"))
        files = iter(range(1_000_000))
        run("SQLite", lambda: f"sqlite:///{folder / f'talks-{next(files)}.db'}", args.rounds,
            args.repeats)
    if args.db in ("postgresql", "both"):
        from bench_service import SERVER
        from service.postgres import reachable

        why = reachable()
        if why is not None:
            print(f"[PostgreSQL] skipped: {why}")
            return
        import psycopg

        base = f"postgresql+psycopg://{SERVER.split('://', 1)[1].rsplit('/', 1)[0]}"
        made: list[str] = []

        def fresh() -> str:  # each repeat on a database of its own, dropped at the end
            name = f"tratado_bench_change_{os.getpid()}_{secrets.token_hex(3)}"
            with psycopg.connect(SERVER, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            made.append(name)
            return f"{base}/{name}"

        try:
            run("PostgreSQL", fresh, args.rounds, args.repeats)
        finally:
            with psycopg.connect(SERVER, autocommit=True) as admin:
                for name in made:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
