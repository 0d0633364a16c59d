"""The Merkle tree against the published transparency-dev test vectors (RFC 6962 / 9162
inclusion and consistency proofs, ``tests/data/tlog-vectors``) and against itself."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tratado.records.tlog import (
    EMPTY_ROOT,
    MerkleTree,
    ProofError,
    leaf_hash,
    node_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)

VECTORS = Path(__file__).resolve().parent.parent / "data" / "tlog-vectors"


def _b64(value: str | None) -> bytes:
    return base64.b64decode(value or "")


def _proof(values: list[str] | None) -> list[bytes]:
    return [_b64(v) for v in values or []]


def _cases(kind: str) -> list[Path]:
    return sorted((VECTORS / kind).rglob("*.json"))


def test_the_vectors_are_there() -> None:
    assert len(_cases("inclusion")) > 50 and len(_cases("consistency")) > 50
    assert (VECTORS / "LICENSE").exists() and (VECTORS / "README.md").exists()


@pytest.mark.parametrize("path", _cases("inclusion"), ids=lambda p: str(p.relative_to(VECTORS)))
def test_inclusion_vectors(path: Path) -> None:
    case = json.loads(path.read_text())
    def check() -> None:
        verify_inclusion(_b64(case["leafHash"]), case["leafIdx"], case["treeSize"],
                         _proof(case["proof"]), _b64(case["root"]))
    if case["wantErr"]:
        with pytest.raises(ProofError):
            check()
    else:
        check()


@pytest.mark.parametrize("path", _cases("consistency"), ids=lambda p: str(p.relative_to(VECTORS)))
def test_consistency_vectors(path: Path) -> None:
    case = json.loads(path.read_text())
    def check() -> None:
        verify_consistency(case["size1"], case["size2"], _proof(case["proof"]),
                           _b64(case["root1"]), _b64(case["root2"]))
    if case["wantErr"]:
        with pytest.raises(ProofError):
            check()
    else:
        check()


def _reference_root(leaves: list[bytes]) -> bytes:
    """RFC 9162's MTH, written the obvious recursive way."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaf_hash(leaves[0])
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node_hash(_reference_root(leaves[:k]), _reference_root(leaves[k:]))


def test_the_rfc_example_roots() -> None:
    # the eight leaves of the RFC 6962 / transparency-dev reference tree
    leaves = [bytes.fromhex(h) for h in ["", "00", "10", "2021", "3031", "40414243",
                                         "5051525354555657", "606162636465666768696a6b6c6d6e6f"]]
    tree = MerkleTree(leaves)
    assert tree.root(0) == EMPTY_ROOT
    assert tree.root(8).hex() == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
    assert tree.root(1).hex() == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    for n in range(9):
        assert tree.root(n) == _reference_root(leaves[:n])


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 70), data=st.data())
def test_inclusion_proofs_verify_and_any_bit_flip_fails(n: int, data: st.DataObject) -> None:
    tree = MerkleTree(str(k).encode() for k in range(n))
    size = data.draw(st.integers(1, n), label="size")
    index = data.draw(st.integers(0, size - 1), label="index")
    proof = tree.inclusion_proof(index, size)
    root, leaf = tree.root(size), tree.leaf_hash(index)
    verify_inclusion(leaf, index, size, proof, root)
    assert root == _reference_root([str(k).encode() for k in range(size)])
    # flip one bit anywhere: in the leaf, the root or a proof hash
    parts = [leaf, root, *proof]
    which = data.draw(st.integers(0, len(parts) - 1), label="which")
    bit = data.draw(st.integers(0, 255), label="bit")
    flipped = bytearray(parts[which])
    flipped[bit // 8] ^= 1 << (bit % 8)
    parts[which] = bytes(flipped)
    with pytest.raises(ProofError):
        verify_inclusion(parts[0], index, size, parts[2:], parts[1])
    # a wrong index, a wrong size, a proof one hash short or long
    with pytest.raises(ProofError):
        verify_inclusion(leaf, index, size, [*proof, root], root)
    if proof:
        with pytest.raises(ProofError):
            verify_inclusion(leaf, index, size, proof[:-1], root)
    if size > 1:
        with pytest.raises(ProofError):
            verify_inclusion(leaf, (index + 1) % size, size, proof, root)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 70), data=st.data())
def test_consistency_proofs_verify_and_tampering_fails(n: int, data: st.DataObject) -> None:
    tree = MerkleTree(str(k).encode() for k in range(n))
    old = data.draw(st.integers(1, n), label="old")
    new = data.draw(st.integers(old, n), label="new")
    proof = tree.consistency_proof(old, new)
    old_root, new_root = tree.root(old), tree.root(new)
    verify_consistency(old, new, proof, old_root, new_root)
    parts = [old_root, new_root, *proof]
    which = data.draw(st.integers(0, len(parts) - 1), label="which")
    bit = data.draw(st.integers(0, 255), label="bit")
    flipped = bytearray(parts[which])
    flipped[bit // 8] ^= 1 << (bit % 8)
    parts[which] = bytes(flipped)
    with pytest.raises(ProofError):
        verify_consistency(old, new, parts[2:], parts[0], parts[1])
    if new > old:
        with pytest.raises(ProofError):
            verify_consistency(old, new, proof[:-1], old_root, new_root)
        with pytest.raises(ProofError):  # a history that was rewritten, not extended
            other = MerkleTree([b"x", *(str(k).encode() for k in range(1, n))])
            verify_consistency(old, new, proof, other.root(old), new_root)


def test_the_tree_grows_leaf_by_leaf_with_the_same_roots() -> None:
    tree = MerkleTree()
    leaves = [f"event {k}".encode() for k in range(40)]
    roots = []
    for leaf in leaves:
        tree.append(leaf)
        roots.append(tree.root())
    assert roots == [root_of(leaves[:k + 1]) for k in range(40)]
    assert MerkleTree.from_leaf_hashes(leaf_hash(x) for x in leaves).root() == roots[-1]
    with pytest.raises(ProofError):
        tree.inclusion_proof(40)
    with pytest.raises(ProofError):
        tree.root(41)


def test_without_cryptography_the_core_works_and_signing_names_the_extra(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from tratado.errors import TratadoError
    from tratado.records.note import SignerKey, VerifierKey

    for name in [m for m in sys.modules if m == "cryptography" or m.startswith("cryptography.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "cryptography", None)  # as if it were not installed
    key = VerifierKey.parse("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
    assert key.name == "PeterNeumann"  # reading keys needs no cryptography
    with pytest.raises(TratadoError, match=r"tratado\[sign\]"):
        SignerKey.generate("service")
    with pytest.raises(TratadoError, match=r"tratado\[sign\]"):
        key.verify(b"text", bytes(64))
