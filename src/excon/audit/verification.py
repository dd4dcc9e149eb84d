"""Checking the whole log without trusting any head row: every entry's content against its hash and leaf, the
leaves' positions, the tree against every signed checkpoint (from the database, from the append-only file and any
given from elsewhere), each checkpoint's signature against the key files, and consistency proofs between
consecutive checkpoints. A trimmed tail, a rewritten entry or a forged leaf all break one of these."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import checkpoints as cp
from .chain import FORMAT_CHAINED, GENESIS_HASH, entry_content, entry_hash, entry_leaf_hash
from .merkle import MerkleTree, verify_consistency
from .models import AuditCheckpoint, AuditEntry, AuditLeaf
from .sequencing import checkpoint_from_row


@dataclass(frozen=True)
class VerificationResult:
    ok: bool
    checked: int
    problem: str = ""
    first_bad_seq: int | None = None
    tree_size: int = 0
    pending: int = 0
    checkpoints: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)

    def describe(self) -> str:
        if self.ok:
            summary = f"audit log intact: {self.checked} entries verified"
            details = [f"{self.tree_size} in the tree", f"{self.checkpoints} signed checkpoints consistent"]
            if self.pending:
                details.append(f"{self.pending} awaiting sequencing")
            return f"{summary} ({', '.join(details)})"
        where = f" at entry #{self.first_bad_seq}" if self.first_bad_seq is not None else ""
        return f"audit log BROKEN{where}: {self.problem} ({self.checked} entries read)"


class _Broken(Exception):
    def __init__(self, problem: str, seq: int | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.seq = seq


def _check_content(entry: AuditEntry) -> bytes:
    content = entry_content(entry)
    if entry_hash(content) != entry.entry_hash:
        raise _Broken("content does not match its hash (altered)", entry.seq)
    return content


def _read_leaves(chunk_size: int) -> tuple[list[bytes], int]:
    """The leaf hashes in order, each checked against its entry; and how many entries that was."""
    hashes: list[bytes] = []
    previous_chained: AuditEntry | None = None
    leaves = AuditLeaf.objects.select_related("entry").order_by("index")
    for leaf in leaves.iterator(chunk_size=chunk_size):
        entry = leaf.entry
        if leaf.index != len(hashes):
            if leaf.index > len(hashes):
                problem = f"leaves #{len(hashes)}..#{leaf.index - 1} are missing (deleted)"
            else:
                problem = "a leaf position repeats (inserted)"
            raise _Broken(problem, entry.seq)
        content = _check_content(entry)
        if entry_leaf_hash(content) != leaf.leaf_hash:
            raise _Broken(f"leaf #{leaf.index} does not hash its entry (altered)", entry.seq)
        if entry.content_format == FORMAT_CHAINED:
            # Entries from the old hash chain keep their links, checked as before.
            expected_prev = previous_chained.entry_hash if previous_chained else GENESIS_HASH
            expected_seq = previous_chained.chain_seq + 1 if previous_chained and previous_chained.chain_seq else 1
            if entry.prev_hash != expected_prev or entry.chain_seq != expected_seq:
                raise _Broken("link to the previous chained entry does not match (inserted or altered)", entry.seq)
            previous_chained = entry
        hashes.append(bytes.fromhex(leaf.leaf_hash))
    return hashes, len(hashes)


def _check_pending(chunk_size: int) -> int:
    count = 0
    for entry in AuditEntry.objects.filter(leaf__isnull=True).order_by("seq").iterator(chunk_size=chunk_size):
        _check_content(entry)
        count += 1
    return count


def _collect_checkpoints(against: Iterable[cp.SignedCheckpoint], use_file: bool) -> list[cp.SignedCheckpoint]:
    found = [checkpoint_from_row(row) for row in AuditCheckpoint.objects.order_by("tree_size")]
    if use_file and cp.checkpoint_file().exists():
        found.extend(cp.read_file(cp.checkpoint_file()))
    found.extend(against)
    unique = {(c.tree_size, c.root_hash, c.signature): c for c in found}
    return sorted(unique.values(), key=lambda c: (c.tree_size, c.published_at))


def _check_checkpoints(tree: MerkleTree, published: list[cp.SignedCheckpoint]) -> None:
    trusted = cp.trusted_public_keys()
    for checkpoint in published:
        problem = cp.signature_problem(checkpoint, trusted)
        if problem:
            raise _Broken(f"the checkpoint of size {checkpoint.tree_size} is not valid: {problem}")
        if checkpoint.tree_size > tree.size:
            raise _Broken(
                f"a signed checkpoint covers {checkpoint.tree_size} leaves but the log has only {tree.size}: "
                f"entries after leaf #{tree.size - 1} were deleted (trimmed tail)"
            )
        if tree.root(checkpoint.tree_size).hex() != checkpoint.root_hash:
            raise _Broken(
                f"the first {checkpoint.tree_size} leaves no longer hash to the signed root of that size "
                "(history rewritten, inserted or reordered)"
            )
    for older, newer in itertools.pairwise(published):
        proof = tree.consistency_proof(older.tree_size, newer.tree_size)
        if not verify_consistency(
            older.tree_size,
            newer.tree_size,
            bytes.fromhex(older.root_hash),
            bytes.fromhex(newer.root_hash),
            proof,
        ):
            raise _Broken(f"checkpoints {older.tree_size} and {newer.tree_size} are not consistent")
    covered = published[-1].tree_size if published else 0
    if tree.size > covered:
        raise _Broken(
            f"leaves #{covered}..#{tree.size - 1} are under no signed checkpoint: the sequencer signs every leaf "
            "it adds, so these were appended outside the log (forged)"
        )


def verify_log(
    *, against: Iterable[cp.SignedCheckpoint] = (), use_file: bool = True, chunk_size: int = 2000
) -> VerificationResult:
    checked = 0
    try:
        hashes, checked = _read_leaves(chunk_size)
        pending = _check_pending(chunk_size)
        checked += pending
        tree = MerkleTree(hashes)
        published = _collect_checkpoints(against, use_file)
        _check_checkpoints(tree, published)
    except _Broken as broken:
        return VerificationResult(False, checked, broken.problem, broken.seq)
    return VerificationResult(True, checked, tree_size=tree.size, pending=pending, checkpoints=len(published))


def verify_chain(*, chunk_size: int = 2000) -> VerificationResult:
    """The name callers knew from the hash chain; the whole log is checked."""
    return verify_log(chunk_size=chunk_size)
