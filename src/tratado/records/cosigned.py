"""Heads' co-signatures of the checkpoints signed as the talks went, carried in a bundle.

A live service signs a checkpoint after every leaf; a head of delegation may co-sign any
of them (in the browser, or ``POST .../cosignatures``): *I saw this exact history, this
many leaves with this root*. A co-signature made halfway through the talks is what
exposes a past rewritten later: the final log's first ``size`` leaves must still give the
root the head signed. So the exported bundle carries every co-signature of every
checkpoint in its ``cosignatures`` member, one entry per head and checkpoint::

    {"checkpoint": "tratado/talks/…\\n14\\nq2Vd…=\\n\\n— tratado-service …\\n— government-head …\\n",
     "party": "government",
     "verifier_key": "government-head+1a2b3c4d+AX…"}

``checkpoint`` is the signed note the head co-signed: the checkpoint's text, the line of
the log's own key (the first of the bundle's ``verifier_keys``: the service's) and the
head's line, in that order and nothing else; ``verifier_key`` the head's key, which must
be one the head of ``party`` registered in a ``key`` leaf of the log. The entries are in
order of size, then party; one per head and checkpoint.

:func:`check_cosignatures` checks each entry (both signatures verify, the key is the
party's registered one, the checkpoint is of this log and its root is RFC 9162's root of
the first ``size`` leaves of the final tree — the consistency of the earlier tree head
with the final one, shown from the leaves themselves) and says, per head, which
checkpoints the head vouched for. A forged signature, a signature moved to another
checkpoint or another head, or a checkpoint whose history was rewritten fails, naming
the entry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tratado.limits import excerpt
from tratado.records.note import Checkpoint, NoteError, VerifierKey, parse_note, verify_note
from tratado.records.tlog import MerkleTree

MEMBER = "cosignatures"
"""The bundle member that carries them."""

_FIELDS = {"checkpoint", "party", "verifier_key"}


class CosignProblem(Exception):
    """A co-signature entry that does not check (the message says which and why)."""


@dataclass(frozen=True)
class Vouched:
    """A head's co-signature that checked: ``party``'s head, with ``key``, vouched for the
    first ``size`` leaves of the log."""

    party: str
    key: VerifierKey
    size: int


def cosignature_entry(party: str, key: VerifierKey | str, note: str) -> dict[str, str]:
    """The ``cosignatures`` entry of ``party``'s head co-signing with ``key`` the signed
    checkpoint ``note``."""
    return {"checkpoint": note, "party": party, "verifier_key": str(key)}


def registered_keys(leaves: Sequence[Any]) -> dict[str, dict[str, int]]:
    """The keys each head registered in the log: ``{party: {verifier key: leaf index}}``
    (the first leaf that registered it)."""
    found: dict[str, dict[str, int]] = {}
    for k, leaf in enumerate(leaves):
        item = leaf.get("talks") if isinstance(leaf, Mapping) else None
        if isinstance(item, Mapping) and item.get("kind") == "key" \
                and isinstance(item.get("party"), str) and isinstance(item.get("verifier_key"), str):
            found.setdefault(item["party"], {}).setdefault(item["verifier_key"], k)
    return found


def entry_keys(entries: Any) -> set[tuple[str, str]]:
    """``(name, hex key ID)`` of the well-formed keys of ``entries`` (what a ``--key``
    given may have signed instead of the final checkpoint)."""
    out: set[tuple[str, str]] = set()
    for entry in entries if isinstance(entries, list) else ():
        try:
            key = VerifierKey.parse(str(entry["verifier_key"]))
        except (NoteError, KeyError, TypeError):
            continue
        out.add((key.name, key.id.hex()))
    return out


def check_cosignatures(entries: Any, leaves: Sequence[Any], tree: MerkleTree, final: Checkpoint,
                       log_key: VerifierKey) -> list[Vouched]:
    """Check a bundle's ``cosignatures`` (see the module docstring) against its
    ``leaves``, their Merkle ``tree`` and its ``final`` checkpoint; ``log_key``: the
    key that signed the final checkpoint first (the service's). Returns what each entry
    vouched for, in order; raises :class:`CosignProblem` at the first that fails."""
    if not isinstance(entries, list):
        raise CosignProblem(f"{MEMBER}: not a list of co-signatures")
    registered = registered_keys(leaves)
    out: list[Vouched] = []
    last: tuple[int, str] | None = None
    for k, entry in enumerate(entries):
        where = f"{MEMBER}[{k}]"
        if not isinstance(entry, Mapping) or set(entry) != _FIELDS \
                or not all(isinstance(entry[name], str) for name in _FIELDS):
            raise CosignProblem(f"{where}: not {{\"checkpoint\": note, \"party\": party,"
                                " \"verifier_key\": key}")
        party = entry["party"]
        try:
            key = VerifierKey.parse(entry["verifier_key"])
        except NoteError as error:
            raise CosignProblem(f"{where}.verifier_key: {error}") from None
        who = f"{where} ({excerpt(party)}'s head, key {key.id.hex()})"
        if entry["verifier_key"] not in registered.get(party, {}):
            raise CosignProblem(f"{who}: not a key the head of {excerpt(party)} registered in the"
                                " log (the co-signature is attributed to the wrong head or key)")
        checkpoint = _checkpoint(entry["checkpoint"], key, log_key, who)
        if checkpoint.origin != final.origin:
            raise CosignProblem(f"{who}: the checkpoint is of another log"
                                f" ({excerpt(checkpoint.origin)}, not {excerpt(final.origin)})")
        if not 1 <= checkpoint.size <= final.size:
            raise CosignProblem(f"{who}: the co-signed size {checkpoint.size} is not between 1 and"
                                f" the final checkpoint's ({final.size})")
        if tree.root(checkpoint.size) != checkpoint.root:
            raise CosignProblem(f"{who} co-signed size {checkpoint.size}: its root is not the root"
                                f" of the first {checkpoint.size} leaves — the history was"
                                " rewritten after this head vouched for it")
        here = (checkpoint.size, party)
        if last is not None and here <= last:
            raise CosignProblem(f"{MEMBER}: not in order of size, then party, one entry per head"
                                f" and checkpoint (entry {k})")
        last = here
        out.append(Vouched(party, key, checkpoint.size))
    return out


def _checkpoint(note: str, key: VerifierKey, log_key: VerifierKey, who: str) -> Checkpoint:
    """The checkpoint of ``note``, whose signature lines must be exactly the log key's
    then the head's, both verifying."""
    try:
        text, lines = parse_note(note)
        _, checked = verify_note(note, [log_key, key])
        checkpoint = Checkpoint.parse(text)
    except NoteError as error:
        raise CosignProblem(f"{who}: {error}") from None
    expected = [(log_key.name, log_key.id), (key.name, key.id)]
    if [(s.name, s.id) for s in lines] != expected or not all(c.verified for c in checked):
        raise CosignProblem(f"{who}: the checkpoint does not carry exactly the log's signature"
                            f" ({log_key.name}) then the head's ({key.name})")
    return checkpoint


def vouched_lines(vouched: Sequence[Vouched], final: Checkpoint, final_keys: Sequence[VerifierKey],
                  leaves: Sequence[Any], given: Sequence[VerifierKey]) -> list[str]:
    """One line per head: which checkpoints it vouched for (its ``cosignatures`` entries
    and, when its registered key signed it too, the final checkpoint), with which key,
    and whether the key was given (``--key``) or only registered in the log."""
    registered = registered_keys(leaves)
    sizes: dict[tuple[str, str], set[int]] = {}
    keys: dict[str, VerifierKey] = {}
    for item in vouched:
        sizes.setdefault((item.party, str(item.key)), set()).add(item.size)
        keys[str(item.key)] = item.key
    for key in final_keys:
        for party, theirs in registered.items():
            if str(key) in theirs:
                sizes.setdefault((party, str(key)), set()).add(final.size)
                keys[str(key)] = key
    trusted = {str(key) for key in given}
    lines = []
    for (party, text), seen in sorted(sizes.items()):
        key = keys[text]
        how = ("key given" if text in trusted else
               f"key registered in leaf {registered[party][text]}, self-asserted")
        named = [f"{size} (the final one)" if size == final.size else str(size)
                 for size in sorted(seen)]
        listed = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"
        which = "checkpoints of sizes" if len(named) > 1 else "checkpoint of size"
        lines.append(f"co-signed: {party}'s head (key {key.id.hex()}, {how}) vouched for the"
                     f" {which} {listed}: this log extends {'each' if len(named) > 1 else 'it'}")
    return lines


__all__ = ["MEMBER", "CosignProblem", "Vouched", "check_cosignatures", "cosignature_entry",
           "entry_keys", "registered_keys", "vouched_lines"]
