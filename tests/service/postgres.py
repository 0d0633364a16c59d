"""A fresh PostgreSQL database per test session, on the server at 127.0.0.1:5432 (trust
authentication), dropped afterwards: several people share the server."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

SERVER = os.environ.get("TRATADO_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def reachable() -> str | None:
    """None when the server answers, else why not."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        with psycopg.connect(SERVER, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return f"PostgreSQL at {SERVER} is not reachable ({str(error).strip()[:120]})"


@contextmanager
def fresh_database() -> Iterator[str]:
    """The SQLAlchemy URL of a new, uniquely named database, dropped at the end."""
    import psycopg

    name = f"tratado_test_{os.getpid()}_{secrets.token_hex(4)}"
    with psycopg.connect(SERVER, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = SERVER.rsplit("/", 1)[0]
    try:
        yield f"postgresql+psycopg://{base.split('://', 1)[1]}/{name}"
    finally:
        with psycopg.connect(SERVER, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
