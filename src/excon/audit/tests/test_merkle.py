"""The tree module against the RFC 6962/9162 reference vectors (as published with the certificate transparency
implementations), and every proof of every small tree verified, and broken proofs refused. Pure: no database."""

from __future__ import annotations

import hashlib

import pytest

from excon.audit.merkle import EMPTY_ROOT, MerkleTree, leaf_hash, node_hash, verify_consistency, verify_inclusion

LEAVES = [
    bytes.fromhex(h)
    for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
]
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
INCLUSION = [
    (0, 8, ["96a296d2", "5f083f0a", "6b47aaf2"]),
    (5, 8, ["bc1a0643", "ca854ea1", "d37ee418"]),
]
CONSISTENCY = [
    (2, 5, ["5f083f0a", "bc1a0643"]),
    (2, 8, ["5f083f0a", "6b47aaf2"]),
    (6, 8, ["0ebc5d34", "ca854ea1", "d37ee418"]),
]

REFERENCE = MerkleTree([leaf_hash(data) for data in LEAVES])


def test_hashes_use_the_rfc_prefixes() -> None:
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert node_hash(b"l", b"r") == hashlib.sha256(b"\x01lr").digest()


@pytest.mark.parametrize("size", range(1, 9))
def test_roots_match_the_reference(size: int) -> None:
    assert REFERENCE.root(size).hex() == ROOTS[size - 1]
    assert MerkleTree([leaf_hash(data) for data in LEAVES[:size]]).root().hex() == ROOTS[size - 1]


@pytest.mark.parametrize(("index", "size", "expected"), INCLUSION)
def test_inclusion_proofs_match_the_reference(index: int, size: int, expected: list[str]) -> None:
    proof = REFERENCE.inclusion_proof(index, size)
    assert [node.hex()[:8] for node in proof] == expected
    assert verify_inclusion(leaf_hash(LEAVES[index]), index, size, proof, bytes.fromhex(ROOTS[size - 1]))


@pytest.mark.parametrize(("old", "new", "expected"), CONSISTENCY)
def test_consistency_proofs_match_the_reference(old: int, new: int, expected: list[str]) -> None:
    proof = REFERENCE.consistency_proof(old, new)
    assert [node.hex()[:8] for node in proof] == expected
    assert verify_consistency(old, new, bytes.fromhex(ROOTS[old - 1]), bytes.fromhex(ROOTS[new - 1]), proof)


SMALL = MerkleTree([leaf_hash(bytes([n, n * 7 % 256])) for n in range(40)])


def test_every_inclusion_proof_of_every_small_tree_verifies_and_a_wrong_one_does_not() -> None:
    for size in range(1, SMALL.size + 1):
        root = SMALL.root(size)
        for index in range(size):
            leaf = SMALL.levels[0][index]
            proof = SMALL.inclusion_proof(index, size)
            assert verify_inclusion(leaf, index, size, proof, root)
            if size > 1:
                assert not verify_inclusion(leaf, (index + 1) % size, size, proof, root)
                assert not verify_inclusion(leaf, index, size, proof[:-1], root)
                assert not verify_inclusion(SMALL.levels[0][(index + 1) % size], index, size, proof, root)


def test_every_consistency_proof_of_every_small_tree_verifies_and_a_wrong_one_does_not() -> None:
    for new in range(SMALL.size + 1):
        for old in range(new + 1):
            proof = SMALL.consistency_proof(old, new)
            assert verify_consistency(old, new, SMALL.root(old), SMALL.root(new), proof)
            if 0 < old < new:
                other = MerkleTree([*SMALL.levels[0][: old - 1], leaf_hash(b"rewritten"), *SMALL.levels[0][old:new]])
                assert not verify_consistency(old, new, SMALL.root(old), other.root(), proof)
                assert not verify_consistency(old, new, SMALL.root(old), SMALL.root(new), proof[:-1])


def test_out_of_range_requests_are_refused() -> None:
    with pytest.raises(ValueError, match="not in a tree of 8"):
        REFERENCE.inclusion_proof(8, 8)
    with pytest.raises(ValueError, match="outside"):
        REFERENCE.root(9)
    with pytest.raises(ValueError, match="smaller tree"):
        REFERENCE.consistency_proof(5, 3)
    assert not verify_inclusion(REFERENCE.levels[0][0], 8, 8, [], REFERENCE.root())
    assert not verify_consistency(8, 6, REFERENCE.root(8), REFERENCE.root(6), [])
