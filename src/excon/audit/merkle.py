"""The Merkle tree of RFC 9162 (certificate transparency, version 2), section 2.1: pure functions, no database.

Leaf hash = SHA-256(0x00 || leaf data); interior node = SHA-256(0x01 || left || right); a tree of n leaves splits
at the largest power of two below n. Tested against the RFC 6962/9162 reference vectors in tests/test_merkle.py.

`MerkleTree` keeps every complete, aligned subtree's hash (about 2n hashes), so a root, an inclusion proof or a
consistency proof at any earlier size costs O(log² n) hashing once the tree is built."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def largest_power_of_two_below(n: int) -> int:
    """k with k < n <= 2k (n >= 2): where RFC 9162 splits a tree of n leaves."""
    return 1 << ((n - 1).bit_length() - 1)


class MerkleTree:
    def __init__(self, leaf_hashes: Sequence[bytes]) -> None:
        self.levels: list[list[bytes]] = [list(leaf_hashes)]
        while len(self.levels[-1]) > 1:
            below = self.levels[-1]
            self.levels.append([node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)])

    @property
    def size(self) -> int:
        return len(self.levels[0])

    def _range_hash(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a range the RFC's recursion reaches (start is aligned to the split below)."""
        count = end - start
        if count & (count - 1) == 0 and start % count == 0:
            level = count.bit_length() - 1
            return self.levels[level][start >> level]
        split = largest_power_of_two_below(count)
        return node_hash(self._range_hash(start, start + split), self._range_hash(start + split, end))

    def _check_size(self, size: int) -> None:
        if not 0 <= size <= self.size:
            raise ValueError(f"tree size {size} is outside 0..{self.size}")

    def root(self, size: int | None = None) -> bytes:
        size = self.size if size is None else size
        self._check_size(size)
        return EMPTY_ROOT if size == 0 else self._range_hash(0, size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[0:size]) of RFC 9162 section 2.1.3.1."""
        size = self.size if size is None else size
        self._check_size(size)
        if not 0 <= index < size:
            raise ValueError(f"leaf {index} is not in a tree of {size}")
        proof: list[bytes] = []
        start, end = 0, size
        while end - start > 1:
            split = largest_power_of_two_below(end - start)
            if index < start + split:
                proof.append(self._range_hash(start + split, end))
                end = start + split
            else:
                proof.append(self._range_hash(start, start + split))
                start += split
        proof.reverse()
        return proof

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """PROOF(old_size, D[0:new_size]) of RFC 9162 section 2.1.4.1 (empty when either size is 0 or both match)."""
        new_size = self.size if new_size is None else new_size
        self._check_size(new_size)
        if not 0 <= old_size <= new_size:
            raise ValueError(f"cannot prove {old_size} against the smaller tree {new_size}")
        if old_size in (0, new_size):
            return []
        proof: list[bytes] = []
        start, end, whole = 0, new_size, True
        target = old_size
        while True:
            count = end - start
            if target == count:
                if not whole:
                    proof.append(self._range_hash(start, end))
                break
            split = largest_power_of_two_below(count)
            if target <= split:
                proof.append(self._range_hash(start + split, end))
                end = start + split
            else:
                proof.append(self._range_hash(start, start + split))
                start += split
                target -= split
                whole = False
        proof.reverse()
        return proof


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """RFC 9162 section 2.1.3.2: does `proof` show leaf number `index` in the tree of `size` with `root`?"""
    if not 0 <= index < size:
        return False
    fn, sn, result = index, size - 1, leaf
    for sibling in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            result = node_hash(result, sibling)
        fn >>= 1
        sn >>= 1
    return sn == 0 and result == root


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> bool:
    """RFC 9162 section 2.1.4.2: is the tree of `old_size` with `old_root` a prefix of the one with `new_root`?"""
    if not 0 <= old_size <= new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    first = second = path[0]
    for node in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            first = node_hash(node, first)
            second = node_hash(node, second)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            second = node_hash(second, node)
        fn >>= 1
        sn >>= 1
    return first == old_root and second == new_root and sn == 0
