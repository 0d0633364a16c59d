from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("sqlalchemy")
pytest.importorskip("argon2")
pytest.importorskip("cryptography")

from service.helpers import Talks, new_service, venezuela  # noqa: E402
from tratado.service.base import Service  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def cheap_passwords() -> None:
    """argon2 with its smallest cost: the tests hash dozens of passwords."""
    from argon2 import PasswordHasher

    from tratado.service import auth

    auth.use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def service(tmp_path: Path) -> Service:
    svc = new_service(tmp_path)
    yield svc
    svc.db.dispose()


@pytest.fixture
def launched(service: Service) -> Talks:
    return venezuela(service)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The URL of a fresh PostgreSQL database for this test session (skipped, with the
    reason, when the server is unreachable)."""
    from service.postgres import fresh_database, reachable

    why = reachable()
    if why is not None:
        pytest.skip(why)
    with fresh_database() as url:
        yield url


@pytest.fixture
def pg_service(postgres_server: str, tmp_path: Path) -> Service:
    """A service on PostgreSQL: the session's database, emptied first for each test."""
    from sqlalchemy import text

    from tratado.service.db import Database

    db = Database(postgres_server)
    with db.engine.begin() as connection:
        connection.execute(text(
            "TRUNCATE users, talks, memberships, invitations, login_sessions, login_attempts,"
            " leaves, checkpoints, cosignatures, preferences, sealed_answers, idempotency,"
            " settings RESTART IDENTITY CASCADE"))
    db.dispose()
    svc = new_service(tmp_path, postgres_server)
    yield svc
    svc.db.dispose()


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """The fuzzing module is all slow tests, and building its OpenAPI strategies costs
    seconds: skip even collecting it in the default run (``-m 'not slow'``)."""
    if collection_path.name == "test_fuzz.py" and config.getoption("markexpr") == "not slow":
        return True
    return None


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def any_service(request: pytest.FixtureRequest) -> Service:
    """The service on each database in turn (PostgreSQL in the slow run: the default run
    has its one PostgreSQL test, test_postgres.py)."""
    name = "service" if request.param == "sqlite" else "pg_service"
    found: Service = request.getfixturevalue(name)
    return found
