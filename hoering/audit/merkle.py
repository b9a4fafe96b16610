"""The Merkle tree of a transparency log, as RFC 9162 section 2.1 defines it (SHA-256).

Pure functions over leaf hashes (``bytes``): no database, no Flask. The tree over the
n leaf hashes D[0:n] is the RFC's MTH: the empty tree hashes to SHA-256(""), one leaf
is its own leaf hash, and a larger tree splits at k, the largest power of two below n:
MTH(D[0:n]) = node_hash(MTH(D[0:k]), MTH(D[k:n])).

Everything here is iterative (no recursion over the tree's height or size). Proof
generation computes the subtree hashes it needs from the leaves; the subtrees a proof
names are disjoint, so one proof costs O(n) hashes in all.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"


def leaf_hash(entry: bytes) -> bytes:
    """SHA-256(0x00 || entry): the hash of one log entry."""
    return hashlib.sha256(_LEAF_PREFIX + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right): the hash of an interior node."""
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (for n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


class CompactRange:
    """The roots of the perfect subtrees that make up a tree of ``size`` leaves, left to
    right (one per set bit of the size, largest first): enough to append a leaf and to
    compute the root in O(log n), without the leaves themselves."""

    __slots__ = ("_hashes", "_size")

    def __init__(self) -> None:
        self._hashes: list[bytes] = []
        self._size = 0

    @classmethod
    def of(cls, leaf_hashes: Iterable[bytes]) -> CompactRange:
        """The compact range of a tree holding ``leaf_hashes``, in order."""
        compact = cls()
        for leaf in leaf_hashes:
            compact.append(leaf)
        return compact

    @classmethod
    def from_state(cls, size: int, hashes: Sequence[bytes]) -> CompactRange:
        """A compact range restored from a saved ``size`` and ``hashes``."""
        if size < 0 or len(hashes) != size.bit_count():
            raise ValueError("a compact range holds one hash per set bit of its size")
        if any(len(h) != HASH_SIZE for h in hashes):
            raise ValueError("every hash in a compact range has 32 bytes")
        compact = cls()
        compact._hashes = list(hashes)
        compact._size = size
        return compact

    @property
    def size(self) -> int:
        return self._size

    @property
    def hashes(self) -> tuple[bytes, ...]:
        """The perfect subtrees' roots, largest (leftmost) first."""
        return tuple(self._hashes)

    def append(self, leaf_hash: bytes) -> None:
        """Add one leaf hash on the right: merge it with every equal-sized subtree."""
        node = leaf_hash
        size = self._size
        while size & 1:
            node = node_hash(self._hashes.pop(), node)
            size >>= 1
        self._hashes.append(node)
        self._size += 1

    def root(self) -> bytes:
        """MTH of the tree so far: the subtree roots folded from the right."""
        if not self._hashes:
            return EMPTY_ROOT
        result = self._hashes[-1]
        for left in reversed(self._hashes[:-1]):
            result = node_hash(left, result)
        return result

    def __repr__(self) -> str:
        return f"CompactRange(size={self._size})"


def root(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH over already-hashed leaves; EMPTY_ROOT for none. O(n), iterative."""
    return CompactRange.of(leaf_hashes).root()


def _subtree(leaf_hashes: Sequence[bytes], start: int, end: int) -> bytes:
    """MTH(D[start:end])."""
    return CompactRange.of(leaf_hashes[start:end]).root()


def inclusion_proof(index: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """RFC 9162 2.1.3.1: PATH(index, D[0:n]) for n = len(leaf_hashes), leaf side first."""
    size = len(leaf_hashes)
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is outside a tree of {size} leaves")
    siblings: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            siblings.append(_subtree(leaf_hashes, start + k, end))
            end = start + k
        else:
            siblings.append(_subtree(leaf_hashes, start, start + k))
            start += k
    siblings.reverse()
    return siblings


def consistency_proof(old_size: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """RFC 9162 2.1.4.1: PROOF(old_size, D[0:n]) for n = len(leaf_hashes).

    Empty when old_size is 0 or n (nothing to prove: compare the roots)."""
    size = len(leaf_hashes)
    if not 0 <= old_size <= size:
        raise ValueError(f"old size {old_size} is outside 0..{size}")
    if old_size in (0, size):
        return []
    nodes: list[bytes] = []
    start, end, m, whole_old_tree = 0, size, old_size, True
    while m != end - start:  # SUBPROOF(m, D[start:end], whole_old_tree)
        k = _split(end - start)
        if m <= k:
            nodes.append(_subtree(leaf_hashes, start + k, end))
            end = start + k
        else:
            nodes.append(_subtree(leaf_hashes, start, start + k))
            start, m, whole_old_tree = start + k, m - k, False
    if not whole_old_tree:
        nodes.append(_subtree(leaf_hashes, start, end))
    nodes.reverse()
    return nodes


def _same(a: bytes, b: bytes) -> bool:
    return hmac.compare_digest(a, b)


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 2.1.3.2: does ``proof`` show ``leaf`` (a leaf hash) at ``index`` in the
    tree of ``size`` leaves whose MTH is ``root``?"""
    if not 0 <= index < size:
        return False
    fn, sn = index, size - 1
    result = leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            result = node_hash(p, result)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            result = node_hash(result, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and _same(result, root)


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 2.1.4.2: is the tree (``new_size``, ``new_root``) an append-only
    extension of (``old_size``, ``old_root``)? Equal sizes need an empty proof and equal
    roots; old size 0 needs an empty proof and the empty tree's root."""
    if not 0 <= old_size <= new_size:
        return False
    if old_size == new_size:
        return not proof and _same(old_root, new_root)
    if old_size == 0:
        return not proof and _same(old_root, EMPTY_ROOT)
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is a node itself
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and _same(fr, old_root) and _same(sr, new_root)
