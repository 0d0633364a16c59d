"""The talks' log: leaves appended in the change's own transaction, a checkpoint signed by
the service after each, heads' co-signatures (of any checkpoint, all carried in the
export), and the export as a verifiable bundle.

The leaves (canonical JSON, the bundle's format, ``docs/record-format.md``):

* leaf 0, ``{"opening": {...}}`` — written when the talks are created: the protocol and
  its options, the parties, the scenario's public part and its fingerprint;
* ``{"event": {...}}`` — a move of the engine (a proposal, an accept, a reject, a
  walk-away), exactly the public record's log entry, pushed through the same
  protocol by ``tratado verify``;
* ``{"talks": {"kind": ..., "at": ..., ...}}`` — what the service adds around the moves:
  who was invited in which role, a preferences commitment, a head's key, a signature,
  the launch, rounds scheduled, opened, closed (with the sealed answers' openings),
  partial agreements, suspension, resumption, the end;
* ``{"closing": {...}}`` — the agreement and the result, once the talks are over.

**Salted commitments** (decision): a confidential input appears in the log only as
``SHA-256(salt ‖ canonical JSON of the input)``, ``salt`` 32 random bytes (hex).
A delegation's preferences: the salt stays in the database with the preferences, and is
shown to that delegation only (its page and ``GET .../preferences``), so the delegation
— and no one else — can later open the commitment, for instance before an arbiter, to
prove what it entered and when; the service cannot swap the preferences the neutral used
without breaking it. A sealed answer: committed when given, and its salt and content
are published in the ``round-closed`` leaf, so anyone can check that the revealed answers
are the ones given before the close (:func:`tratado.records.live.check_talks_leaves`).
Salts (like tokens, :mod:`tratado.service.auth`) come from the operating system's
generator (``secrets``), never from a seed: a salt anyone could regenerate would let
them test guesses of the preferences against the commitment. Everything else the export
holds is a function of the log: the same database gives the same bytes (Ed25519
signatures are deterministic).

**The service's key** (decision): an Ed25519 signer key in a file outside the database
(``--key-file``; by default ``tratado-service.key`` beside the SQLite file), created
mode 0600 on first start; the database keeps only its verifier key and refuses to start
with another key, so a database backup alone cannot sign, and a stolen database cannot
forge checkpoints.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, insert, select

from tratado.errors import TratadoError
from tratado.records.bundle import bundle_text, leaf_bytes
from tratado.records.canonical import canonical_value
from tratado.records.cosigned import cosignature_entry
from tratado.records.note import (
    Checkpoint,
    NoteError,
    SignerKey,
    VerifierKey,
    b64encode,
    parse_note,
    sign_note,
    verify_note,
)
from tratado.records.tlog import MerkleTree, leaf_hash
from tratado.service import tables
from tratado.service.errors import BadInput, no_such_talks

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect
    from sqlalchemy.orm import Session

SERVICE_KEY_NAME = "tratado-service"


def commitment(salt: str, value: Any) -> str:
    """``SHA-256(salt ‖ canonical JSON of value)``, hex (``salt`` as hex text)."""
    return hashlib.sha256(bytes.fromhex(salt) + canonical_value(value).encode("utf-8")).hexdigest()


def new_salt() -> str:
    """32 random bytes, hex."""
    return secrets.token_hex(32)


def origin_of(talks_id: str) -> str:
    """The checkpoints' origin line for talks ``talks_id``."""
    return f"tratado/talks/{talks_id}"


def load_service_key(path: Path) -> SignerKey:
    """The service's signer key in ``path``, created (mode 0600) when the file does not
    exist."""
    from tratado.files import atomic_write

    if path.exists():
        try:
            return SignerKey.parse(path.read_text(encoding="utf-8").strip())
        except (NoteError, OSError, UnicodeDecodeError) as error:
            raise TratadoError(f"this is not a service key ({error}).", file=str(path),
                               fix="give the key file the service was started with"
                               " (--key-file).") from None
    signer = SignerKey.generate(SERVICE_KEY_NAME)
    atomic_write(path, signer.secret_text() + "\n", mode=0o600)
    return signer


def pin_service_key(session: Session, signer: SignerKey) -> None:
    """Record the service's verifier key in the database at first start; refuse a
    different key later (its checkpoints would not verify against the earlier ones)."""
    row = session.get(tables.Setting, "service_verifier_key")
    mine = str(signer.verifier)
    if row is None:
        session.add(tables.Setting(name="service_verifier_key", value=mine))
    elif row.value != mine:
        raise TratadoError(f"the database was signed by the key {row.value.split('+')[0]}"
                           f" ({row.value.split('+')[1]}), not by this key file's"
                           f" ({signer.verifier.id.hex()}).", field="--key-file",
                           fix="start the service with the key file it was first started with.")


def entry(talks_id: str, leaf: Mapping[str, Any], signer: SignerKey, tree: MerkleTree,
          at: datetime | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The rows that append ``leaf`` to the talks' log — the leaf's and the checkpoint of
    the new size, signed — as column values (``tree`` is the Merkle tree of the log so
    far, and gets the new leaf). The caller holds the talks' lock and writes the rows in
    that same transaction (:func:`write_entries`)."""
    body = canonical_value(leaf)
    hashed = leaf_hash(body.encode("utf-8"))
    size = len(tree)
    tree.append_hash(hashed)
    note = sign_note(Checkpoint(origin_of(talks_id), size + 1, tree.root()).text(), [signer])
    return ({"talks_id": talks_id, "index": size, "body": body, "leaf_hash": hashed.hex(),
             "at": at or datetime.now(UTC)},
            {"talks_id": talks_id, "size": size + 1, "note": note})


def write_entries(session: Session, leaf_rows: Sequence[Mapping[str, Any]],
                  checkpoint_rows: Sequence[Mapping[str, Any]],
                  other_rows: Sequence[tuple[str, Mapping[str, Any]]] = (), *,
                  one_statement: bool = False) -> None:
    """Write the rows of :func:`entry` — and ``other_rows``, ``(table name, column
    values)`` the change writes with them (a sealed answer) — in ``session``'s
    transaction. ``one_statement`` (PostgreSQL): one ``INSERT`` of the checkpoints with
    the other inserts in its ``WITH`` (one round trip to the server for the whole
    change; PostgreSQL runs every data-modifying ``WITH``); else one ``INSERT`` per
    table."""
    groups = [(tables.Leaf.__tablename__, list(leaf_rows)),
              *((name, [row]) for name, row in other_rows),
              (tables.CheckpointRow.__tablename__, list(checkpoint_rows))]
    groups = [(name, rows) for name, rows in groups if rows]
    connection = session.connection()
    if one_statement and checkpoint_rows:
        shape = tuple((name, len(rows), tuple(rows[0])) for name, rows in groups)
        connection.exec_driver_sql(_one_insert(connection.dialect, shape), {
            f"p{g}_{k}_{column}": value for g, (_, rows) in enumerate(groups)
            for k, row in enumerate(rows) for column, value in row.items()})
        return
    for name, rows in groups:
        connection.execute(insert(tables.Base.metadata.tables[name]), rows)


@lru_cache(maxsize=256)
def _one_insert(dialect: Dialect, shape: tuple[tuple[str, int, tuple[str, ...]], ...]) -> str:
    """The SQL of :func:`write_entries`' one statement for ``shape`` — per table, its
    name, how many rows and their columns; the last table's ``INSERT`` is the statement,
    the others are in its ``WITH`` — its parameters named ``p{table}_{row}_{column}``.
    Kept: SQLAlchemy compiles an ``INSERT`` of several rows afresh each time (it does
    not cache them), which cost more than the round trip saved."""
    schema = tables.Base.metadata.tables
    inserts = [insert(schema[name]).values([{column: bindparam(f"p{g}_{k}_{column}")
                                             for column in columns} for k in range(count)])
               for g, (name, count, columns) in enumerate(shape)]
    statement = inserts[-1].add_cte(*(part.cte(f"new_{g}") for g, part in enumerate(inserts[:-1])))
    compiled = statement.compile(dialect=dialect)
    named = {f"p{g}_{k}_{column}" for g, (_, count, columns) in enumerate(shape)
             for k in range(count) for column in columns}
    if set(compiled.params) != named:  # a column left to its default: give every column
        raise ValueError(f"these rows leave columns to their defaults: {set(compiled.params) - named}")
    return str(compiled)


def log_of(session: Session, talks_id: str) -> tuple[list[dict[str, Any]], MerkleTree]:
    """The talks' leaves (parsed), in log order, and the Merkle tree of their hashes."""
    import json

    rows = session.execute(select(tables.Leaf.body, tables.Leaf.leaf_hash).where(
        tables.Leaf.talks_id == talks_id).order_by(tables.Leaf.index)).all()
    return ([json.loads(body) for body, _ in rows],
            MerkleTree.from_leaf_hashes(bytes.fromhex(h) for _, h in rows))


def leaves(session: Session, talks_id: str) -> list[dict[str, Any]]:
    """The talks' leaves, parsed, in log order."""
    import json

    return [json.loads(body) for body in session.execute(
        select(tables.Leaf.body).where(tables.Leaf.talks_id == talks_id)
        .order_by(tables.Leaf.index)).scalars()]


def latest_checkpoint(session: Session, talks_id: str) -> str:
    """The service-signed checkpoint of the whole log so far."""
    note = session.execute(select(tables.CheckpointRow.note).where(
        tables.CheckpointRow.talks_id == talks_id).order_by(
        tables.CheckpointRow.size.desc()).limit(1)).scalar_one_or_none()
    if note is None:
        raise no_such_talks(talks_id)
    return str(note)


def add_cosignature(session: Session, talks_id: str, party: str, key: VerifierKey,
                    note: str, signer: SignerKey, at: datetime) -> int:
    """Keep a head's co-signature: ``note`` must be a checkpoint the service signed for
    these talks with one more line, by ``key``. Returns the checkpoint's size."""
    try:
        text, _ = parse_note(note)
        checkpoint = Checkpoint.parse(text)
        _, checked = verify_note(note, [signer.verifier, key])
    except NoteError as error:
        raise BadInput(f"the co-signed checkpoint cannot be read ({error}).", field="note",
                       fix="co-sign the checkpoint text exactly as the service sent it.") from None
    stored = session.get(tables.CheckpointRow, (talks_id, checkpoint.size))
    if stored is None or checkpoint.origin != origin_of(talks_id) or \
            parse_note(stored.note)[0] != text:
        raise BadInput("this is not a checkpoint these talks' log signed.", field="note",
                       fix="co-sign a checkpoint fetched from the talks' checkpoint endpoint.")
    signed_by = {(c.name, c.key_id) for c in checked if c.verified}
    if (key.name, key.id.hex()) not in signed_by or \
            (signer.verifier.name, signer.verifier.id.hex()) not in signed_by:
        raise BadInput("the checkpoint does not carry a valid signature by your registered key.",
                       field="note", fix="sign the checkpoint text with the key you registered.")
    found = session.execute(select(tables.Cosignature).where(
        tables.Cosignature.talks_id == talks_id, tables.Cosignature.size == checkpoint.size,
        tables.Cosignature.party == party)).scalar_one_or_none()
    if found is None:
        session.add(tables.Cosignature(talks_id=talks_id, size=checkpoint.size, party=party,
                                       note=note, verifier_key=str(key), at=at))
    return checkpoint.size


def export_bundle(session: Session, talks_id: str, signer: SignerKey,
                  extra: Sequence[SignerKey] = ()) -> str:
    """The talks' log as a verifiable bundle (the text ``tratado verify`` checks): every
    leaf, the final checkpoint signed by the service (plus the heads' co-signatures of
    that very checkpoint), the service's earlier checkpoints with their consistency
    proofs (one per leaf: the history as it grew), every co-signature the heads made of
    any checkpoint (:func:`cosignatures`), inclusion proofs of the first and last
    leaves, and the verifier keys."""
    items = leaves(session, talks_id)
    if not items:
        raise no_such_talks(talks_id)
    tree = MerkleTree(leaf_bytes(leaf) for leaf in items)
    size = len(tree)
    origin = origin_of(talks_id)
    final = sign_note(Checkpoint(origin, size, tree.root()).text(), [signer, *extra])
    cosigned = session.execute(select(tables.Cosignature).where(
        tables.Cosignature.talks_id == talks_id, tables.Cosignature.size == size)
        .order_by(tables.Cosignature.id)).scalars().all()
    keys = [str(signer.verifier), *(str(k.verifier) for k in extra)]
    for row in cosigned:
        final, keys = _merge(final, keys, row.note, row.verifier_key)
    bundle: dict[str, Any] = {
        "tratado_bundle": 1, "leaves": items,
        "hashes": [b64encode(tree.leaf_hash(k)) for k in range(size)],
        "checkpoint": final,
    }
    earlier = [
        {"checkpoint": sign_note(Checkpoint(origin, at, tree.root(at)).text(), [signer]),
         "consistency": [b64encode(h) for h in tree.consistency_proof(at, size)]}
        for at in range(1, size)]
    if earlier:
        bundle["earlier"] = earlier
    carried = cosignatures(session, talks_id, signer.verifier)
    if carried:
        bundle["cosignatures"] = carried
    bundle["inclusion"] = [{"leaf": k, "proof": [b64encode(h) for h in tree.inclusion_proof(k)]}
                           for k in sorted({0, size - 1})]
    bundle["verifier_keys"] = keys
    return bundle_text(bundle)


def cosignatures(session: Session, talks_id: str, service_key: VerifierKey) -> list[dict[str, str]]:
    """Every co-signature the heads made of the talks' checkpoints, the final one and
    every earlier one, as the bundle's ``cosignatures`` entries
    (:mod:`tratado.records.cosigned`): in order of size, then party; each note with
    exactly the service's line and the head's, as kept when the head co-signed."""
    rows = session.execute(select(tables.Cosignature).where(
        tables.Cosignature.talks_id == talks_id)).scalars().all()
    out = []
    # sorted here, not by the database: PostgreSQL's collation need not order party ids
    # as their code points do, and the bundle's order is the verifier's (Python's)
    for row in sorted(rows, key=lambda row: (row.size, row.party)):
        key = VerifierKey.parse(row.verifier_key)
        text, lines = parse_note(row.note)
        mine = [s for s in lines if (s.name, s.id) == (service_key.name, service_key.id)]
        theirs = [s for s in lines if (s.name, s.id) == (key.name, key.id)]
        if mine and theirs:  # (both were checked when the head co-signed)
            note = text + "\n" + mine[0].line() + theirs[0].line()
            out.append(cosignature_entry(row.party, row.verifier_key, note))
    return out


def _merge(final: str, keys: list[str], cosigned: str, key_text: str) -> tuple[str, list[str]]:
    """Add the line of ``key_text``'s key in ``cosigned`` (the same checkpoint text) to
    ``final``, and the key to ``keys``."""
    text, mine = parse_note(final)
    other_text, theirs = parse_note(cosigned)
    key = VerifierKey.parse(key_text)
    have = {(s.name, s.id) for s in mine}
    lines = [s for s in theirs if (s.name, s.id) == (key.name, key.id)
             and (s.name, s.id) not in have]
    if other_text != text or not lines:
        return final, keys
    return final + "".join(s.line() for s in lines), [*keys, key_text]


__all__ = ["SERVICE_KEY_NAME", "add_cosignature", "commitment", "cosignatures", "entry",
           "export_bundle", "latest_checkpoint", "leaves", "load_service_key", "log_of",
           "new_salt", "origin_of", "pin_service_key", "write_entries"]
