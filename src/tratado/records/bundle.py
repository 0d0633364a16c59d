"""A verifiable bundle: a session's public record as a signed, append-only log, in one file.

The bundle holds the public record (:func:`~tratado.records.public_record`) cut into
log leaves, the hash of each leaf, a checkpoint signed by one or more keys (the
service's, each head of delegation's) over the Merkle tree of the leaves
(:mod:`tratado.records.tlog`, :mod:`tratado.records.note`), inclusion proofs for the
opening and closing leaves, and the verifier keys of the signers. Anyone can check it
with no server and no network (:func:`verify_bundle`, ``tratado verify``): every
signature, the root the leaves give, every proof, and that the events, pushed through
the protocol as a live request would be, follow the rules and give the recorded end.

The leaves, in order (each leaf's bytes are the canonical JSON of one object):

* leaf 0, ``{"opening": {...}}``: the record's format version and view, the scenario's
  name and public fingerprint, the protocol and its parameters, the parties, and
  ``public_scenario`` — the scenario's public part (agenda, rules, party names;
  :func:`~tratado.records.build.public_scenario`) whose sha256 is the fingerprint, so
  that the rules can be checked without the confidential file;
* leaves 1 … n, ``{"event": {...}}``: the public log, one event per leaf, in order;
* the last leaf, ``{"closing": {...}}``: the agreement, the result and (item by item)
  the items.

A live service appends the opening when the talks start, one leaf per event as it
happens and the closing at the end, signing a checkpoint after each; a simulated
session's bundle is made at once. A live service's bundle also carries, in
``cosignatures``, every co-signature the heads of delegation made of those checkpoints as
the talks went (:mod:`tratado.records.cosigned`). The file is canonical JSON (``docs/record-format.md``,
"The verifiable bundle"): any changed, removed, reordered or inserted byte is found.

This module holds the format and the making of a bundle; checking one is
:mod:`tratado.records.bundle_check` (its names are importable from here too).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from tratado.errors import TratadoError
from tratado.records.build import public_record, public_scenario
from tratado.records.canonical import canonical_value, parse_record
from tratado.records.note import (
    Checkpoint,
    NoteError,
    SignerKey,
    add_signatures,
    b64encode,
    sign_note,
)
from tratado.records.tlog import (
    MerkleTree,
)

if TYPE_CHECKING:
    from tratado.scenario import Scenario

BUNDLE_VERSION = 1
"""The bundle format version (``tratado_bundle``)."""

BUNDLE_ORDER = ("tratado_bundle", "leaves", "hashes", "checkpoint", "earlier", "cosignatures",
                "inclusion", "verifier_keys")
"""The bundle's members, in the order of its canonical form (``earlier`` and
``cosignatures`` are optional)."""

OPTIONAL = ("earlier", "cosignatures")

_OPENING = ("tratado_record", "view", "scenario", "protocol", "parties")
_CLOSING = ("agreement", "result", "items")


# -- making a bundle ----------------------------------------------------------------------


def log_leaves(record: Mapping[str, Any], scenario: Scenario) -> list[dict[str, Any]]:
    """The leaves of ``record`` (an analyst's or a public record of a session on
    ``scenario``): the opening, one leaf per public event, the closing."""
    public = public_record(record)
    opening = {key: public[key] for key in _OPENING}
    opening["public_scenario"] = public_scenario(scenario)
    closing = {key: public[key] for key in _CLOSING if key in public}
    return ([{"opening": opening}] + [{"event": entry} for entry in public["log"]]
            + [{"closing": closing}])


def leaf_bytes(leaf: Any) -> bytes:
    """The bytes a leaf stands for in the log: its canonical JSON, UTF-8."""
    return canonical_value(leaf).encode("utf-8")


def make_bundle(record: Mapping[str, Any], scenario: Scenario, signers: Sequence[SignerKey],
                origin: str | None = None, every: int | None = None) -> dict[str, Any]:
    """The bundle of ``record`` (run on ``scenario``), its checkpoint signed by every
    key of ``signers``. ``origin``: the log's name on the checkpoint's first line
    (default ``tratado/session/`` and the first 16 hex digits of the root hash).
    ``every``: also sign a checkpoint after every ``every`` leaves, as a live service
    does as the talks go, each carried in ``earlier`` with its consistency proof to the
    final one."""
    return sign_leaves(log_leaves(record, scenario), signers, origin, every)


def sign_leaves(leaves: Sequence[Any], signers: Sequence[SignerKey], origin: str | None = None,
                every: int | None = None) -> dict[str, Any]:
    """The bundle of these ``leaves`` (JSON values, in log order), signed as
    :func:`make_bundle` says. It does not check what the leaves say:
    :func:`verify_bundle` does."""
    leaves = list(leaves)
    tree = MerkleTree(leaf_bytes(leaf) for leaf in leaves)
    size, root = len(tree), tree.root()
    origin = origin if origin is not None else f"tratado/session/{root.hex()[:16]}"

    def signed(at: int) -> str:
        try:
            return sign_note(Checkpoint(origin, at, tree.root(at)).text(), signers)
        except NoteError as error:
            raise TratadoError(f"cannot sign the checkpoint: {error}.", field="--origin",
                               fix="give an origin of one line without spaces around it, and at"
                               " least one key.") from None

    bundle: dict[str, Any] = {
        "tratado_bundle": BUNDLE_VERSION,
        "leaves": leaves,
        "hashes": [b64encode(tree.leaf_hash(k)) for k in range(size)],
        "checkpoint": signed(size),
    }
    if every is not None:
        if every < 1:
            raise TratadoError(f"a checkpoint every {every} leaves is impossible.", field="--every",
                               fix="give a whole number from 1.")
        bundle["earlier"] = [
            {"checkpoint": signed(at),
             "consistency": [b64encode(h) for h in tree.consistency_proof(at, size)]}
            for at in range(every, size, every)]
    bundle["inclusion"] = [{"leaf": k, "proof": [b64encode(h) for h in tree.inclusion_proof(k)]}
                           for k in sorted({0, size - 1})]
    bundle["verifier_keys"] = [str(s.verifier) for s in signers]
    return bundle


def iter_bundle(bundle: Mapping[str, Any]) -> Iterator[str]:
    """The canonical text of ``bundle`` in pieces: its members in :data:`BUNDLE_ORDER`,
    one per line, and ``leaves`` and ``hashes`` one item per line."""
    first = True
    for key in BUNDLE_ORDER:
        if key not in bundle:
            continue
        yield ("{" if first else ",\n") + canonical_value(key) + ":"
        first = False
        value = bundle[key]
        if key in ("leaves", "hashes") and isinstance(value, list) and value:
            yield "[\n" + ",\n".join(canonical_value(item) for item in value) + "\n]"
        else:
            yield canonical_value(value)
    yield ("{" if first else "") + "}\n"


def bundle_text(bundle: Mapping[str, Any]) -> str:
    """The canonical text of ``bundle`` (what ``tratado bundle`` writes)."""
    return "".join(iter_bundle(bundle))


def cosign(bundle: Mapping[str, Any], signers: Sequence[SignerKey]) -> dict[str, Any]:
    """``bundle`` with the checkpoint co-signed by ``signers`` and their verifier keys
    added. Check the bundle first (:func:`verify_bundle`): a co-signature vouches for
    the history."""
    out = dict(bundle)
    try:
        out["checkpoint"] = add_signatures(str(bundle["checkpoint"]), signers)
    except NoteError as error:
        raise TratadoError(f"cannot co-sign: {error}.", field="checkpoint") from None
    out["verifier_keys"] = list(bundle["verifier_keys"]) + [str(s.verifier) for s in signers]
    return out


def read_bundle(data: str | bytes, source: str = "the bundle") -> dict[str, Any]:
    """Parse a bundle within the input limits (``RecordError`` when it cannot be read,
    ``TratadoError`` when the JSON is not a bundle)."""
    bundle = parse_record(data, source)
    if "tratado_bundle" not in bundle:
        raise TratadoError("this JSON is not a verifiable bundle (it has no 'tratado_bundle'"
                           " format version).", file=source, field="tratado_bundle",
                           fix="give the file written by `tratado bundle LOG OUT --key KEY`.")
    return bundle


def fingerprint_of(data: str | bytes) -> str:
    """sha256 (hex) of a bundle file's bytes: what to quote when sharing it."""
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


_CHECKING = ("BundleProblem", "BundleReport", "check_saved", "public_part_scenario",
             "verify_bundle")
"""Checking a bundle, still importable from here (imported when first asked for)."""


def __getattr__(name: str) -> Any:
    if name in _CHECKING:
        from tratado.records import bundle_check

        return getattr(bundle_check, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["BUNDLE_ORDER", "BUNDLE_VERSION", "bundle_text", "cosign", "fingerprint_of",
           "iter_bundle", "leaf_bytes", "log_leaves", "make_bundle", "read_bundle",
           "sign_leaves"]
