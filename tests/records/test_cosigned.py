"""Heads' co-signatures of intermediate checkpoints (tratado.records.cosigned): each is
checked against the head's registered key and against the root of the first ``size``
leaves of the final log, computed here by brute force from the leaves themselves."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("cryptography")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tratado.records.bundle import leaf_bytes  # noqa: E402
from tratado.records.cosigned import (  # noqa: E402
    CosignProblem,
    check_cosignatures,
    cosignature_entry,
    registered_keys,
    vouched_lines,
)
from tratado.records.note import Checkpoint, SignerKey, add_signatures, sign_note  # noqa: E402
from tratado.records.tlog import MerkleTree, root_of  # noqa: E402

ORIGIN = "tratado/talks/test"
SERVICE = SignerKey.generate("tratado-service")
HEADS = {"government": SignerKey.generate("government-head"),
         "opposition": SignerKey.generate("opposition-head")}


def log(size: int, changed: int | None = None) -> list[dict[str, Any]]:
    """``size`` leaves: an opening, the heads' keys (leaves 1 and 2), then events;
    ``changed``: that leaf's text differs (a rewritten history)."""
    leaves: list[dict[str, Any]] = [{"opening": {"n": 0}}]
    for party, key in HEADS.items():
        leaves.append({"talks": {"kind": "key", "party": party, "verifier_key": str(key.verifier)}})
    while len(leaves) < size:
        leaves.append({"event": {"n": len(leaves)}})
    if changed is not None:
        leaves[changed] = {"event": {"n": -changed, "rewritten": True}}
    return leaves[:size]


def checkpoint_note(leaves: list[Any], size: int, origin: str = ORIGIN) -> str:
    root = root_of(leaf_bytes(leaf) for leaf in leaves[:size])  # brute force: no proofs
    return sign_note(Checkpoint(origin, size, root).text(), [SERVICE])


def cosigned(leaves: list[Any], party: str, size: int) -> dict[str, str]:
    note = add_signatures(checkpoint_note(leaves, size), [HEADS[party]])
    return cosignature_entry(party, HEADS[party].verifier, note)


def check(entries: Any, leaves: list[Any]) -> list[Any]:
    tree = MerkleTree(leaf_bytes(leaf) for leaf in leaves)
    final = Checkpoint(ORIGIN, len(tree), tree.root())
    return check_cosignatures(entries, leaves, tree, final, SERVICE.verifier)


def test_co_signed_earlier_checkpoints_check_and_say_who_vouched_for_what() -> None:
    leaves = log(9)
    entries = [cosigned(leaves, "government", 3), cosigned(leaves, "opposition", 3),
               cosigned(leaves, "government", 7), cosigned(leaves, "government", 9)]
    vouched = check(entries, leaves)
    assert [(v.party, v.size) for v in vouched] == [("government", 3), ("opposition", 3),
                                                    ("government", 7), ("government", 9)]
    final = Checkpoint(ORIGIN, 9, root_of(leaf_bytes(leaf) for leaf in leaves))
    lines = vouched_lines(vouched, final, [SERVICE.verifier], leaves, [HEADS["opposition"].verifier])
    government = HEADS["government"].verifier.id.hex()
    assert lines == [
        f"co-signed: government's head (key {government}, key registered in leaf 1, self-asserted)"
        " vouched for the checkpoints of sizes 3, 7 and 9 (the final one): this log extends each",
        f"co-signed: opposition's head (key {HEADS['opposition'].verifier.id.hex()}, key given)"
        " vouched for the checkpoint of size 3: this log extends it"]
    assert check([], leaves) == []


def test_the_final_checkpoints_head_lines_count_as_vouching_too() -> None:
    leaves = log(6)
    final = Checkpoint(ORIGIN, 6, root_of(leaf_bytes(leaf) for leaf in leaves))
    lines = vouched_lines([], final, [SERVICE.verifier, HEADS["opposition"].verifier], leaves, [])
    assert len(lines) == 1 and "opposition's head" in lines[0] and "6 (the final one)" in lines[0]


def test_registered_keys_are_read_from_the_key_leaves() -> None:
    keys = registered_keys([*log(4), {"talks": {"kind": "key", "party": "government",
                                                 "verifier_key": "other"}}, {"talks": 3}, None])
    assert keys == {"government": {str(HEADS["government"].verifier): 1, "other": 4},
                    "opposition": {str(HEADS["opposition"].verifier): 2}}


def _retargeted(leaves: list[Any]) -> dict[str, str]:
    """The government head's line of checkpoint 4 moved onto checkpoint 5."""
    line = cosigned(leaves, "government", 4)["checkpoint"].splitlines(keepends=True)[-1]
    return cosignature_entry("government", HEADS["government"].verifier,
                             checkpoint_note(leaves, 5) + line)


def _forged(leaves: list[Any]) -> dict[str, str]:
    entry = cosigned(leaves, "government", 4)
    mallory = SignerKey("government-head", bytes(32))  # the same name, another key
    text = entry["checkpoint"].rsplit("\u2014 ", 1)[0]
    forged = add_signatures(text.rstrip("\n") + "\n", [mallory])
    return {**entry, "checkpoint": forged}


def _bad_bytes(leaves: list[Any]) -> dict[str, str]:
    entry = cosigned(leaves, "government", 4)
    note = entry["checkpoint"]
    line = note.splitlines(keepends=True)[-1]
    flipped = line[:-6] + ("A" if line[-6] != "A" else "B") + line[-5:]
    return {**entry, "checkpoint": note[:-len(line)] + flipped}


CASES = [
    (lambda ls: [dict(cosigned(ls, "government", 4), party="opposition")],
     "not a key the head of opposition registered"),
    (lambda ls: [dict(cosigned(ls, "government", 4), party="nobody")],
     "not a key the head of nobody registered"),
    (lambda ls: [dict(cosigned(ls, "government", 4),
                      verifier_key=str(HEADS["opposition"].verifier))],
     "not a key the head of government registered"),
    (lambda ls: [_retargeted(ls)], "does not verify: the text or the signature was changed"),
    (lambda ls: [_bad_bytes(ls)], "does not verify"),
    (lambda ls: [_forged(ls)], "exactly the log's signature (tratado-service) then the head's"),
    (lambda ls: [cosigned(ls, "government", 5), cosigned(ls, "government", 4)],
     "not in order of size, then party"),
    (lambda ls: [cosigned(ls, "government", 4), cosigned(ls, "government", 4)],
     "not in order of size, then party"),
    (lambda ls: [dict(cosigned(ls, "government", 4), extra="x")], "not {\"checkpoint\""),
    (lambda ls: [dict(cosigned(ls, "government", 4), party=3)], "not {\"checkpoint\""),
    (lambda ls: "nope", "not a list of co-signatures"),
    (lambda ls: [dict(cosigned(ls, "government", 4), verifier_key="x+00000000+AAAA")],
     "cosignatures[0].verifier_key"),
    (lambda ls: [cosignature_entry("government", HEADS["government"].verifier, add_signatures(
        sign_note(Checkpoint(ORIGIN, 4, b"\0" * 32).text(), [SERVICE]), [HEADS["government"]]))],
     "the history was rewritten after this head vouched for it"),
    (lambda ls: [cosignature_entry("government", HEADS["government"].verifier, add_signatures(
        checkpoint_note(ls, 4, "tratado/talks/other"), [HEADS["government"]]))],
     "the checkpoint is of another log"),
    (lambda ls: [cosignature_entry("government", HEADS["government"].verifier, add_signatures(
        checkpoint_note(log(12), 11), [HEADS["government"]]))],
     "size 11 is not between 1 and the final checkpoint's (8)"),
    (lambda ls: [cosignature_entry("government", HEADS["government"].verifier, sign_note(
        Checkpoint.parse(checkpoint_note(ls, 4).split("\n\n")[0] + "\n").text(),
        [HEADS["government"]]))],
     "exactly the log's signature"),
    (lambda ls: [cosignature_entry("government", HEADS["government"].verifier, add_signatures(
        cosigned(ls, "opposition", 4)["checkpoint"], [HEADS["government"]]))],
     "exactly the log's signature"),
]


@pytest.mark.parametrize("make, says", CASES)
def test_a_forged_misplaced_or_re_targeted_co_signature_fails_naming_it(make: Any,
                                                                      says: str) -> None:
    leaves = log(8)
    with pytest.raises(CosignProblem, match=None) as caught:
        check(make(leaves), leaves)
    assert says in str(caught.value), str(caught.value)


@settings(max_examples=150, deadline=None)
@given(size=st.integers(4, 40), data=st.data())
def test_a_co_signature_checks_exactly_when_the_history_it_signed_was_kept(
        size: int, data: st.DataObject) -> None:
    """Heads co-sign checkpoints of some sizes; then the log is rewritten at one leaf
    (or not at all). Every co-signature of a size that covers the rewritten leaf fails,
    the others check — whatever the sizes, against roots computed by brute force."""
    honest = log(size)
    sizes = sorted(set(data.draw(st.lists(st.integers(1, size), min_size=1, max_size=6),
                                 label="co-signed sizes")))
    entries = [cosigned(honest, "government", at) for at in sizes]
    changed = data.draw(st.none() | st.integers(3, size - 1), label="rewritten leaf")
    final = log(size, changed)
    first_bad = next((k for k, at in enumerate(sizes) if changed is not None and at > changed),
                     None)
    if first_bad is None:
        assert [v.size for v in check(entries, final)] == sizes
    else:
        with pytest.raises(CosignProblem, match=rf"cosignatures\[{first_bad}\] .* co-signed size"
                           rf" {sizes[first_bad]}: .* rewritten after this head vouched"):
            check(entries, final)
