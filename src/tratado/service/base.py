"""The :class:`Service` object the service functions share, and the shape of one change.

Every change of a talks (:meth:`Service.change`) is one database transaction that:

1. takes the talks' lock (:meth:`tratado.service.db.Database.change`);
2. finds the principal's role and party in the talks *inside* that transaction;
3. answers at once, unchanged, a request whose ``Idempotency-Key`` it has already served
   (the same key with a different request is refused);
4. folds the log into the state (:func:`tratado.service.state.fold`), lets the caller
   check and append leaves — each appended leaf also folded, and signed into a new
   checkpoint (:func:`tratado.service.ledger.entry`) —
5. writes the appended leaves and checkpoints together
   (:func:`tratado.service.ledger.write_entries`), stores the response under the
   idempotency key, then commits. Nothing is
   acknowledged before the commit; a crash before it leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from tratado.records.tlog import MerkleTree
from tratado.service import ledger, tables
from tratado.service.auth import Principal
from tratado.service.errors import BadInput, no_such_talks
from tratado.service.state import TalksState, apply, fold

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tratado.records.note import SignerKey
    from tratado.service.db import Database, Held


@dataclass
class Service:
    """The database, the service's signing key and the clock (replaceable in tests).

    It keeps, per talks, the log last read or written (leaves and leaf hashes) with the
    talks' ``version``: a request whose talks still have that version (read under the
    lock for a change) folds the kept leaves instead of reading them again; another
    process's change bumps the version, and the log is read afresh."""

    db: Database
    signer: SignerKey
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    _kept: dict[str, tuple[int, list[dict[str, Any]], MerkleTree]] = field(
        default_factory=dict, repr=False)
    _folded: dict[str, tuple[int, TalksState]] = field(default_factory=dict, repr=False)

    def now(self) -> datetime:
        return self.clock()

    def stamp(self) -> str:
        """The current time as the log writes it (UTC, seconds)."""
        return self.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def log_of(self, session: Session, talks_id: str, version: int
               ) -> tuple[list[dict[str, Any]], MerkleTree]:
        """The talks' leaves and Merkle tree at ``version`` (copies: the caller may
        extend them)."""
        kept = self._kept.get(talks_id)
        if kept is not None and kept[0] == version:
            return list(kept[1]), kept[2].copy()
        leaves, tree = ledger.log_of(session, talks_id)
        self.keep(talks_id, version, leaves, tree)
        return list(leaves), tree.copy()

    def keep(self, talks_id: str, version: int, leaves: list[dict[str, Any]],
             tree: MerkleTree) -> None:
        if len(self._kept) > 10_000:
            self._kept.clear()
        self._kept[talks_id] = (version, leaves, tree)

    @contextmanager
    def change(self, principal: Principal, talks_id: str,
               idempotency: tuple[str, str] | None = None) -> Iterator[Change]:
        """One change of talks ``talks_id`` (see the module docstring)."""
        with self.db.change(talks_id, principal.user_id) as (session, held):
            actor = _actor(principal, talks_id, held)
            change = Change(self, session, talks_id, actor, idempotency)
            change.replayed = change._earlier()
            if change.replayed is None:
                change.leaves, change.tree = self.log_of(session, talks_id, held.version)
                change.state = fold(talks_id, change.leaves)
            yield change
            change._write()
            change._remember()
        if change.replayed is None:
            self.keep(talks_id, held.version + 1, change.leaves, change.tree)
            self._folded[talks_id] = (held.version + 1, change.state)  # never changed again

    def read(self, principal: Principal, talks_id: str) -> tuple[Principal, TalksState]:
        """The principal's role in the talks and their state, read without a lock. The
        state may be shared with other readers: do not change it."""
        with self.db.read() as session:
            actor = member(session, principal, talks_id)
            version = session.execute(select(tables.Talks.version).where(
                tables.Talks.id == talks_id)).scalar_one()
            folded = self._folded.get(talks_id)
            if folded is not None and folded[0] == version:
                return actor, folded[1]
            leaves, _ = self.log_of(session, talks_id, version)
        state = fold(talks_id, leaves)
        if len(self._folded) > 10_000:
            self._folded.clear()
        self._folded[talks_id] = (version, state)
        return actor, state


@dataclass
class Change:
    """The work of one change: append leaves, keep the response."""

    service: Service
    session: Session
    talks_id: str
    actor: Principal
    idempotency: tuple[str, str] | None
    state: TalksState = field(default_factory=lambda: TalksState(""))
    leaves: list[dict[str, Any]] = field(default_factory=list)
    tree: MerkleTree = field(default_factory=MerkleTree)
    replayed: dict[str, Any] | None = None
    response: dict[str, Any] = field(default_factory=dict)
    rows: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    others: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def log(self, leaf: Mapping[str, Any]) -> int:
        """Append ``leaf`` to the log (and fold it into :attr:`state`); its row and the
        signed checkpoint are written with the others at the end of the change."""
        leaf_row, checkpoint_row = ledger.entry(self.talks_id, leaf, self.service.signer,
                                                self.tree, self.service.now())
        index = int(leaf_row["index"])
        self.rows.append((leaf_row, checkpoint_row))
        parsed = json.loads(leaf_row["body"])
        self.leaves.append(parsed)
        apply(self.state, parsed)
        return index

    def talks(self, kind: str, **fields: Any) -> int:
        """Append a ``talks`` leaf of ``kind``, stamped with the time and the actor's
        role (and party)."""
        by = self.actor.role or ("administrator" if self.actor.is_admin else "member")
        if self.actor.party:
            by = f"{by} of {self.actor.party}"
        return self.log({"talks": {"kind": kind, "at": self.service.stamp(), "by": by,
                                   **fields}})

    def insert(self, table: type[tables.Base], **values: Any) -> None:
        """Write a row of ``table`` (``values``: its columns) with the change's leaves: in
        the same statement on PostgreSQL. A unique constraint it breaks refuses the whole
        change (409), as a flush would have."""
        self.others.append((str(table.__tablename__), values))

    def _write(self) -> None:
        ledger.write_entries(self.session, [leaf for leaf, _ in self.rows],
                             [checkpoint for _, checkpoint in self.rows], self.others,
                             one_statement=not self.service.db.is_sqlite)
        self.rows, self.others = [], []

    def _earlier(self) -> dict[str, Any] | None:
        if self.idempotency is None:
            return None
        key, request = self.idempotency
        row = self.session.execute(select(tables.Idempotency).where(
            tables.Idempotency.user_id == self.actor.user_id,
            tables.Idempotency.key == key)).scalar_one_or_none()
        if row is None:
            return None
        if row.request != request:
            raise BadInput("this Idempotency-Key was used for another request.",
                           field="Idempotency-Key", fix="use a new key for each new request.")
        answer: dict[str, Any] = json.loads(row.response)
        return answer

    def _remember(self) -> None:
        if self.idempotency is None or self.replayed is not None:
            return
        key, request = self.idempotency
        self.session.add(tables.Idempotency(
            user_id=self.actor.user_id, key=key[:200], request=request, status=200,
            response=json.dumps(self.response, sort_keys=True), at=self.service.now()))


def request_hash(method: str, path: str, body: bytes) -> str:
    """What identifies a request under an idempotency key: SHA-256 of method, path, body."""
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def _actor(principal: Principal, talks_id: str, held: Held) -> Principal:
    """:func:`member`, from what taking the talks' lock read."""
    if held.role is None and not principal.is_admin:
        raise no_such_talks(talks_id)
    if held.role is None:
        return Principal(principal.user_id, principal.name, principal.email, True,
                         csrf=principal.csrf)
    return Principal(principal.user_id, principal.name, principal.email, principal.is_admin,
                     held.role, held.party, principal.csrf)


def member(session: Session, principal: Principal, talks_id: str) -> Principal:
    """``principal`` with its role and party in the talks, looked up in ``session``;
    ``NotFound`` for a stranger (who is not told whether the talks exist)."""
    row = session.execute(select(tables.Membership).where(
        tables.Membership.talks_id == talks_id,
        tables.Membership.user_id == principal.user_id)).scalar_one_or_none()
    if row is None and not (principal.is_admin
                           and session.get(tables.Talks, talks_id) is not None):
        raise no_such_talks(talks_id)
    if row is None:
        return Principal(principal.user_id, principal.name, principal.email, True,
                         csrf=principal.csrf)
    return Principal(principal.user_id, principal.name, principal.email, principal.is_admin,
                     row.role, row.party, principal.csrf)
