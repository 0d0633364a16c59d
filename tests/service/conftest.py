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
