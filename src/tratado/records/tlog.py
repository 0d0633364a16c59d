"""An append-only Merkle tree in the form of Certificate Transparency (RFC 9162, §2.1).

A log of leaves (byte strings) is summed up by one 32-byte root hash; anyone holding
the root can check, with a short proof and no copy of the log, that a leaf is in it
(an *inclusion proof*) or that a later log only added leaves to an earlier one (a
*consistency proof*). The hashing is RFC 9162's, so proofs made here verify with any
Certificate Transparency or transparency-dev tool, and the other way round:

* leaf hash ``SHA-256(0x00 || leaf)``, node hash ``SHA-256(0x01 || left || right)``;
* the root of ``n`` leaves splits them at the largest power of two below ``n``;
  the root of no leaves is ``SHA-256("")``.

    tree = MerkleTree()
    for text in leaves:
        tree.append(text.encode())
    root = tree.root()                              # of all leaves so far
    proof = tree.inclusion_proof(3, 10)             # leaf 3 in the tree of the first 10
    verify_inclusion(leaf_hash(b"..."), 3, 10, proof, tree.root(10))   # or ProofError
    verify_consistency(10, 20, tree.consistency_proof(10, 20), tree.root(10), tree.root(20))

Memory: the tree keeps the hash of every leaf and of every *complete* subtree (the
aligned blocks of 2, 4, 8, … leaves), about two hashes — 64 bytes — per leaf, in
contiguous buffers; the root of any size and every proof are computed from them in
O(log n) hashes. The verifiers follow RFC 9162 §2.1.3.2 and §2.1.4.2 and are tested
against the published transparency-dev test vectors (``tests/data/tlog-vectors``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

HASH_SIZE = 32
"""Bytes of one hash (SHA-256)."""

EMPTY_ROOT = hashlib.sha256(b"").digest()
"""The root hash of a tree with no leaves."""


class ProofError(ValueError):
    """A proof that does not verify, or a request for one that cannot exist."""


def leaf_hash(leaf: bytes) -> bytes:
    """RFC 9162 leaf hash: ``SHA-256(0x00 || leaf)``."""
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 interior node hash: ``SHA-256(0x01 || left || right)``."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(size: int) -> int:
    """The largest power of two strictly below ``size`` (``size`` ≥ 2)."""
    return 1 << ((size - 1).bit_length() - 1)


class MerkleTree:
    """An append-only RFC 9162 Merkle tree (see the module docstring). ``leaves``:
    leaves to append at once."""

    __slots__ = ("_levels",)

    def __init__(self, leaves: Iterable[bytes] = ()) -> None:
        # _levels[h]: the hashes of the complete subtrees of 2**h leaves, in order
        self._levels: list[bytearray] = [bytearray()]
        for leaf in leaves:
            self.append(leaf)

    @classmethod
    def from_leaf_hashes(cls, hashes: Iterable[bytes]) -> MerkleTree:
        """A tree whose leaves have these (already computed) leaf hashes."""
        tree = cls()
        for value in hashes:
            tree.append_hash(value)
        return tree

    def __len__(self) -> int:
        return len(self._levels[0]) // HASH_SIZE

    def copy(self) -> MerkleTree:
        """An independent copy (appending to one does not change the other)."""
        tree = MerkleTree()
        tree._levels = [bytearray(level) for level in self._levels]
        return tree

    def append(self, leaf: bytes) -> int:
        """Add ``leaf`` at the end; returns its index."""
        return self.append_hash(leaf_hash(leaf))

    def append_hash(self, value: bytes) -> int:
        """Add a leaf by its leaf hash; returns its index."""
        if len(value) != HASH_SIZE:
            raise ValueError(f"a leaf hash has {HASH_SIZE} bytes, not {len(value)}")
        index = len(self)
        self._levels[0] += value
        # complete the subtrees this leaf closes (like carrying in binary addition)
        height, position = 0, index
        while position & 1:
            level = self._levels[height]
            left = bytes(level[(position - 1) * HASH_SIZE:position * HASH_SIZE])
            right = bytes(level[position * HASH_SIZE:(position + 1) * HASH_SIZE])
            if len(self._levels) == height + 1:
                self._levels.append(bytearray())
            self._levels[height + 1] += node_hash(left, right)
            height, position = height + 1, position >> 1
        return index

    def leaf_hash(self, index: int) -> bytes:
        """The leaf hash of leaf ``index``."""
        self._check_index(index, len(self))
        return bytes(self._levels[0][index * HASH_SIZE:(index + 1) * HASH_SIZE])

    def _subtree(self, start: int, end: int) -> bytes:
        """The hash of leaves ``start`` ≤ i < ``end`` (``start`` aligned as RFC 9162's
        splits always are)."""
        size = end - start
        if size & (size - 1) == 0:  # a complete subtree: stored
            height = size.bit_length() - 1
            position = start >> height
            return bytes(self._levels[height][position * HASH_SIZE:(position + 1) * HASH_SIZE])
        k = _split(size)
        return node_hash(self._subtree(start, start + k), self._subtree(start + k, end))

    def root(self, size: int | None = None) -> bytes:
        """The root hash of the tree of the first ``size`` leaves (default: all)."""
        size = len(self) if size is None else self._check_size(size)
        return EMPTY_ROOT if size == 0 else self._subtree(0, size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """The audit path of leaf ``index`` in the tree of the first ``size`` leaves
        (RFC 9162 §2.1.3.1), leaf-side hash first."""
        size = len(self) if size is None else self._check_size(size)
        self._check_index(index, size)
        proof: list[bytes] = []
        start, end = 0, size
        while end - start > 1:
            k = _split(end - start)
            if index < start + k:
                proof.append(self._subtree(start + k, end))
                end = start + k
            else:
                proof.append(self._subtree(start, start + k))
                start += k
        proof.reverse()
        return proof

    def consistency_proof(self, old: int, new: int | None = None) -> list[bytes]:
        """The proof that the tree of the first ``new`` leaves extends the tree of the
        first ``old`` (RFC 9162 §2.1.4.1); empty when ``old`` is 0 or equals ``new``."""
        new = len(self) if new is None else self._check_size(new)
        if not 0 <= old <= new:
            raise ProofError(f"no consistency proof from size {old} to size {new}")
        if old in (0, new):
            return []
        proof: list[bytes] = []
        start, end, whole = 0, new, True  # whole: the old tree is exactly [start, start+old)
        m = old
        while m != end - start:
            k = _split(end - start)
            if m <= k:
                proof.append(self._subtree(start + k, end))
                end = start + k
            else:
                proof.append(self._subtree(start, start + k))
                start, m, whole = start + k, m - k, False
        if not whole:
            proof.append(self._subtree(start, end))
        proof.reverse()
        return proof

    def _check_size(self, size: int) -> int:
        if not 0 <= size <= len(self):
            raise ProofError(f"the tree has {len(self)} leaves, not {size}")
        return size

    @staticmethod
    def _check_index(index: int, size: int) -> None:
        if not 0 <= index < size:
            raise ProofError(f"no leaf {index} in a tree of {size} leaves")


def root_of(leaves: Iterable[bytes]) -> bytes:
    """The root hash of these leaves."""
    return MerkleTree(leaves).root()


# -- verification (RFC 9162 §2.1.3.2 and §2.1.4.2) --------------------------------------


def _check_hashes(proof: Sequence[bytes], *named: tuple[str, bytes]) -> None:
    for k, value in enumerate(proof):
        if not isinstance(value, bytes | bytearray) or len(value) != HASH_SIZE:
            raise ProofError(f"proof hash {k} is not {HASH_SIZE} bytes")
    for name, value in named:
        if not isinstance(value, bytes | bytearray) or len(value) != HASH_SIZE:
            raise ProofError(f"the {name} is not {HASH_SIZE} bytes")


def root_from_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes]) -> bytes:
    """The root that ``proof`` leads to from leaf hash ``leaf`` at ``index`` in a tree of
    ``size`` leaves (``ProofError`` when the proof cannot be one for that position)."""
    _check_hashes(proof, ("leaf hash", leaf))
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of {size} leaves")
    fn, sn, r = index, size - 1, bytes(leaf)
    for p in proof:
        if sn == 0:
            raise ProofError("the proof is longer than the path to the root")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the proof is shorter than the path to the root")
    return r


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes],
                     root: bytes) -> None:
    """Check that leaf hash ``leaf`` is leaf ``index`` of the tree of ``size`` leaves
    whose root is ``root``; ``ProofError`` saying why not."""
    _check_hashes((), ("root", root))
    if root_from_inclusion(leaf, index, size, proof) != root:
        raise ProofError("the proof does not lead to the root")


def verify_consistency(old: int, new: int, proof: Sequence[bytes], old_root: bytes,
                       new_root: bytes) -> None:
    """Check that the tree of ``new`` leaves with root ``new_root`` extends the tree of
    ``old`` leaves with root ``old_root``; ``ProofError`` saying why not. A proof from
    the empty tree proves nothing and is refused (as the reference implementation
    does)."""
    if not 0 <= old <= new:
        raise ProofError(f"size {new} is smaller than size {old}")
    if old == new:
        if proof:
            raise ProofError("the sizes are equal, so the proof must be empty")
        if old == 0 or bytes(old_root) != bytes(new_root):
            raise ProofError("the roots differ" if old else "there is nothing to prove for size 0")
        return
    if old == 0:
        raise ProofError("a consistency proof from the empty tree proves nothing")
    if not proof:
        raise ProofError("the proof is empty")
    _check_hashes(proof, ("old root", old_root), ("new root", new_root))
    path = list(proof)
    if old & (old - 1) == 0:  # a power of two: the old root is itself a node of the new tree
        path.insert(0, bytes(old_root))
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("the proof is longer than the path to the root")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the proof is shorter than the path to the root")
    if fr != old_root:
        raise ProofError("the proof does not lead to the old root")
    if sr != new_root:
        raise ProofError("the proof does not lead to the new root")


__all__ = ["EMPTY_ROOT", "HASH_SIZE", "MerkleTree", "ProofError", "leaf_hash", "node_hash",
           "root_from_inclusion", "root_of", "verify_consistency", "verify_inclusion"]
