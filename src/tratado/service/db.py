"""The database: SQLite by default, PostgreSQL by URL; migrations to head at start; the
per-talks lock.

Decisions (cited by docs/operator.md):

* **One transaction per change, holding the talks' lock.** :meth:`Database.change` opens
  a transaction and takes the talks' row for update before anything is read: on SQLite
  the transaction starts with ``BEGIN IMMEDIATE`` (the database's single write lock,
  taken up front so that two writers never both read and then both fail to upgrade);
  on PostgreSQL with ``SELECT … FOR UPDATE`` on the ``talks`` row (other talks go on in
  parallel). The change, its log leaf and the signed checkpoint are written in that one
  transaction: a change is acknowledged only once all three are committed, and a crash
  before the commit leaves none of them.
* **Reads** (:meth:`Database.read`) use an ordinary transaction: on SQLite in WAL mode
  they never wait for a writer; on PostgreSQL they see a committed snapshot.
* **SQLite settings**: WAL journal, ``synchronous=FULL`` (a committed change survives
  the machine losing power, not only the process being killed), foreign keys on, a busy
  timeout of 30 s.
* **Migrations** are Alembic's, in ``tratado/service/migrations``, run to head
  programmatically when the service starts (:func:`migrate`): no separate step to forget.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from tratado.service import tables
from tratado.service.errors import no_such_talks

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def default_url(folder: Path | None = None) -> str:
    """The SQLite file ``tratado-talks.db`` in ``folder`` (default: the current one)."""
    path = (folder or Path.cwd()) / "tratado-talks.db"
    return f"sqlite:///{path}"


def _sqlite_settings(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def connect(dbapi: Any, _record: Any) -> None:
        dbapi.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON",
                       "busy_timeout=30000"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get("tratado_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """The service's database at ``url`` (an SQLAlchemy URL: ``sqlite:///path`` or
    ``postgresql+psycopg://...``; ``postgresql://`` is read as psycopg 3)."""

    def __init__(self, url: str, *, migrate_now: bool = True, pool_size: int = 10) -> None:
        if url.startswith("postgresql://") or url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self._one_writer: AbstractContextManager[Any]
        if self.is_sqlite:
            self.engine = create_engine(url, connect_args={"check_same_thread": False,
                                                           "timeout": 30})
            _sqlite_settings(self.engine)
        else:
            self.engine = create_engine(url, pool_size=pool_size, max_overflow=20,
                                        pool_pre_ping=True)
        # SQLite has one writer at a time: threads of this process queue on a mutex rather
        # than on SQLite's busy-wait, which sleeps up to 100 ms between tries
        self._one_writer = threading.Lock() if self.is_sqlite else nullcontext()
        self._reads = sessionmaker(self.engine, expire_on_commit=False)
        self._writes = sessionmaker(self.engine.execution_options(tratado_write=True),
                                    expire_on_commit=False)
        if migrate_now:
            migrate(self.engine)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction (ended, never committed, when the block ends; the
        objects read stay readable)."""
        with self._reads() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A writing transaction not tied to one talks (users, invitations, sessions),
        committed at the end unless an exception leaves it."""
        with self._one_writer, self._writes() as session, session.begin():
            yield session

    @contextmanager
    def change(self, talks_id: str) -> Iterator[tuple[Session, tables.Talks]]:
        """A writing transaction holding the lock of talks ``talks_id``: the session and
        the talks' row (``NotFound`` when there is none). Committed at the end unless an
        exception leaves the block; the talks' ``version`` is bumped."""
        with self._one_writer, self._writes() as session, session.begin():
            query = select(tables.Talks).where(tables.Talks.id == talks_id)
            if not self.is_sqlite:
                query = query.with_for_update()
            row = session.execute(query).scalar_one_or_none()
            if row is None:
                raise no_such_talks(talks_id)
            yield session, row
            row.version += 1

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def migrate(engine: Engine) -> None:
    """Run the Alembic migrations to head on ``engine`` (programmatically: the service
    does it at every start; a database already at head is left as it is)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
