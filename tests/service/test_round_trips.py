"""What a change costs the database, and what it must still write: on PostgreSQL a change
is one statement that takes the lock (and bumps the version, and finds the asker's
membership), the statements of the change itself, one statement that writes the leaves
and checkpoints (and a sealed answer), and the commit; the checkpoints stay, byte for
byte, the service's signature of the Merkle root of the leaves before them; a refused
change writes nothing, not even the version's bump; a read never writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, select

from service.helpers import venezuela
from service.test_talks import run_round
from tratado.records.note import Checkpoint, sign_note
from tratado.records.tlog import MerkleTree, leaf_hash
from tratado.service import ledger, rounds, tables
from tratado.service.auth import Principal
from tratado.service.base import Service
from tratado.service.errors import NotAllowed, NotFound, Refused


@contextmanager
def statements(service: Service) -> Iterator[list[str]]:
    """The first word of every statement sent to the database in the block, and
    ``COMMIT`` for each commit."""
    seen: list[str] = []

    def sent(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement.split()[0].upper())

    def committed(_conn: Any) -> None:
        seen.append("COMMIT")

    event.listen(service.db.engine, "before_cursor_execute", sent)
    event.listen(service.db.engine, "commit", committed)
    try:
        yield seen
    finally:
        event.remove(service.db.engine, "before_cursor_execute", sent)
        event.remove(service.db.engine, "commit", committed)


def test_a_change_on_postgresql_is_three_statements(pg_service: Service) -> None:
    svc = pg_service
    setup = venezuela(svc)
    tid, med = setup.id, setup.mediator
    with statements(svc) as seen:
        rounds.open_round(svc, med, tid)
    assert seen == ["WITH", "WITH", "COMMIT"]  # the log is kept from the last change
    with statements(svc) as seen:
        rounds.propose(svc, med, tid, from_neutral=True)
    assert seen == ["WITH", "SELECT", "WITH", "COMMIT"]  # the neutral reads the preferences
    with statements(svc) as seen:
        rounds.answer(svc, setup.heads["government"], tid, True, "yes")
    assert seen == ["WITH", "WITH", "COMMIT"]  # the sealed answer goes with the leaf
    with statements(svc) as seen:
        rounds.close_round(svc, med, tid)
    assert seen == ["WITH", "SELECT", "WITH", "COMMIT"]  # the sealed answers are read
    with pytest.raises(Refused), statements(svc) as seen:
        rounds.close_round(svc, med, tid)
    assert seen == ["WITH"]  # refused: nothing written, rolled back


def _version(service: Service, talks_id: str) -> int:
    with service.db.read() as session:
        return int(session.execute(select(tables.Talks.version).where(
            tables.Talks.id == talks_id)).scalar_one())


@pytest.mark.parametrize("postgres", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_a_refused_change_bumps_nothing_and_strangers_are_not_told(
        postgres: bool, service: Service, request: pytest.FixtureRequest) -> None:
    svc: Service = request.getfixturevalue("pg_service") if postgres else service
    setup = venezuela(svc)
    tid = setup.id
    before = _version(svc, tid)
    with pytest.raises(NotAllowed):  # a head may not open a round
        rounds.open_round(svc, setup.heads["government"], tid)
    with svc.db.write() as session:
        from tratado.service import auth

        user = auth.create_user(session, "someone@else.example", "Someone", "a long password!")
        stranger = Principal(user.id, user.name, user.email)
        admin = Principal(user.id + 1000, "An administrator", "admin@x.example", True)
    with pytest.raises(NotFound):
        rounds.open_round(svc, stranger, tid)
    with pytest.raises(NotFound):
        rounds.open_round(svc, stranger, "no-such-talks")
    with pytest.raises(NotAllowed):  # an administrator who is not its mediator
        rounds.open_round(svc, admin, tid)
    assert _version(svc, tid) == before
    rounds.open_round(svc, setup.mediator, tid)
    assert _version(svc, tid) == before + 1


@pytest.mark.parametrize("postgres", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_the_checkpoints_are_the_signed_roots_of_the_leaves(
        postgres: bool, service: Service, request: pytest.FixtureRequest) -> None:
    svc: Service = request.getfixturevalue("pg_service") if postgres else service
    setup = venezuela(svc)
    run_round(setup, {"government": False, "opposition": True})
    run_round(setup, {"government": True, "opposition": True})
    with svc.db.read() as session:
        leaves = session.execute(select(tables.Leaf).where(tables.Leaf.talks_id == setup.id)
                                 .order_by(tables.Leaf.index)).scalars().all()
        notes = session.execute(select(tables.CheckpointRow).where(
            tables.CheckpointRow.talks_id == setup.id).order_by(
            tables.CheckpointRow.size)).scalars().all()
        sealed = session.execute(select(tables.SealedAnswer).where(
            tables.SealedAnswer.talks_id == setup.id)).scalars().all()
    assert [leaf.index for leaf in leaves] == list(range(len(leaves)))
    assert [note.size for note in notes] == list(range(1, len(leaves) + 1))
    tree = MerkleTree()
    for leaf, note in zip(leaves, notes, strict=True):
        hashed = leaf_hash(leaf.body.encode("utf-8"))
        assert leaf.leaf_hash == hashed.hex()
        tree.append_hash(hashed)
        expected = sign_note(Checkpoint(ledger.origin_of(setup.id), len(tree), tree.root()).text(),
                             [svc.signer])
        assert note.note == expected  # Ed25519 is deterministic: the same bytes
    assert sorted((row.round, row.party, row.accept) for row in sealed) == [
        (1, "government", False), (1, "opposition", True), (2, "government", True),
        (2, "opposition", True)]


def test_a_read_never_writes(service: Service) -> None:
    with pytest.raises(RuntimeError, match="does not write"), service.db.read() as session:
        session.add(tables.Setting(name="x", value="y"))
        session.flush()
    with service.db.read() as session:
        assert session.get(tables.Setting, "x") is None
