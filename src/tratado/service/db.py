"""The database: SQLite by default, PostgreSQL by URL; migrations to head at start; the
per-talks lock.

Decisions (cited by docs/operator.md):

* **One transaction per change, holding the talks' lock.** :meth:`Database.change` opens
  a transaction and takes the talks' row before anything is read: on SQLite the
  transaction starts with ``BEGIN IMMEDIATE`` (the database's single write lock, taken up
  front so that two writers never both read and then both fail to upgrade); on
  PostgreSQL by updating the ``talks`` row (other talks go on in parallel). The change,
  its log leaves and the signed checkpoints are written in that one transaction: a
  change is acknowledged only once all of them are committed, and a crash before the
  commit leaves none of them.
* **Few round trips per change** (PostgreSQL; each one is a wait for the server and, in
  a busy process, for the interpreter's lock afterwards): the lock, the bump of the
  talks' ``version`` and the asker's membership are one statement (``WITH bumped AS
  (UPDATE talks SET version = version + 1 … RETURNING …) SELECT … LEFT JOIN
  memberships``) — the ``UPDATE`` takes the row lock that ``SELECT … FOR UPDATE`` took
  before (a lock that also serializes changes, and, unlike it, does not hold back an
  insert elsewhere that refers to the talks), and the bump, made at the start rather
  than at the end, is seen by no one before the commit. The membership is read as of
  the statement's start, before any wait for the lock: memberships are written outside
  the talks' lock (an invitation redeemed), so no change was ordered against them
  before either. The leaves and checkpoints a change appends are one more
  (:func:`tratado.service.ledger.write_entries`), then the commit. A change was eight
  round trips (``BEGIN``, lock, membership, leaves, checkpoints, version, ``COMMIT``,
  the pool's ping) and is five.
* **Reads** (:meth:`Database.read`): on SQLite an ordinary transaction (in WAL mode it
  never waits for a writer and sees one snapshot throughout). On PostgreSQL each
  statement runs on its own (autocommit): under ``READ COMMITTED``, PostgreSQL's
  default and the service's, every statement of a transaction sees the data committed
  when *it* starts, so the transaction gave a read nothing more, and cost two round
  trips (``BEGIN``, ``ROLLBACK``). A read never writes (``read`` refuses a flush).
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, select, update
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
        reads = self.engine if self.is_sqlite else \
            self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self._reads = sessionmaker(reads, expire_on_commit=False)
        event.listen(self._reads, "before_flush", _no_writes)
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
    def change(self, talks_id: str, user_id: int | None = None) -> Iterator[tuple[Session, Held]]:
        """A writing transaction holding the lock of talks ``talks_id``: the session and
        what taking the lock read (:class:`Held`: the talks' ``version`` before this
        change, and ``user_id``'s membership); ``NotFound`` when there are no such talks.
        The talks' ``version`` is bumped in the same statement that takes the lock;
        committed at the end unless an exception leaves the block (then nothing, the
        bump included, is written)."""
        talks_table = tables.Base.metadata.tables[tables.Talks.__tablename__]
        talks = talks_table.c
        members_table = tables.Base.metadata.tables[tables.Membership.__tablename__]
        members = members_table.c
        with self._one_writer, self._writes() as session, session.begin():
            bump = update(talks_table).where(talks.id == talks_id).values(
                version=talks.version + 1)
            joined = (members.talks_id == talks_id) & (members.user_id == (
                user_id if user_id is not None else -1))
            if self.is_sqlite:
                # BEGIN IMMEDIATE holds the lock already: the bump, then the read, in-process
                # (no RETURNING, which SQLite has only since 3.35)
                session.connection().execute(bump)
                row = session.connection().execute(
                    select(talks.version, members.role, members.party).select_from(
                        talks_table.outerjoin(members_table, joined)).where(
                        talks.id == talks_id)).one_or_none()
            else:
                cte = bump.returning(talks.id, talks.version).cte("bumped")
                row = session.connection().execute(
                    select(cte.c.version, members.role, members.party).select_from(
                        cte.outerjoin(members_table, joined))).one_or_none()
            if row is None:
                raise no_such_talks(talks_id)
            version, role, party = row
            yield session, Held(int(version) - 1, role, party)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


@dataclass(frozen=True)
class Held:
    """What taking a talks' lock read: the talks' ``version`` before the change (the
    change makes ``version + 1``), and the asker's ``role`` and ``party`` in the talks
    (``role`` None when the asker is not a member)."""

    version: int
    role: str | None
    party: str | None


def _no_writes(session: Session, _context: Any, _instances: Any) -> None:
    raise RuntimeError("a read transaction does not write (use Database.write or change).")


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
