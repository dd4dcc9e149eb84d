"""Inclusion proofs for people outside the authority: "this entry is leaf i of the log, and here is the path to
the root of a checkpoint the log signed". Everything needed to check it is in the proof (RFC 9162 section 2.1.3.2
with the leaf data, the checkpoint text and its Ed25519 signature); see docs/licences.md."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import models

from .chain import entry_content
from .checkpoints import checkpoint_message
from .merkle import MerkleTree
from .models import AuditCheckpoint, AuditEntry, AuditLeaf
from .sequencing import checkpoint_from_row
from .services import target_label


@dataclass(frozen=True)
class InclusionProof:
    sequenced: bool
    leaf_index: int | None = None
    leaf_data: str = ""  # the entry's canonical JSON, the bytes the leaf hash is over
    leaf_hash: str = ""
    tree_size: int | None = None
    root_hash: str = ""
    path: list[str] = field(default_factory=list)
    checkpoint_text: str = ""
    checkpoint_published_at: str = ""
    key_id: str = ""
    public_key: str = ""
    signature: str = ""


def _path(leaf_index: int, tree_size: int, root_hash: str) -> list[str]:
    """The audit path; immutable for a leaf under a given signed root, so cached (building it reads every leaf
    hash up to the size; the root is in the key so a rebuilt database never gets another tree's path)."""
    key = f"excon:audit:path:{leaf_index}:{tree_size}:{root_hash}"
    cached = cache.get(key)
    if cached is not None:
        return list(cached)
    hashes = AuditLeaf.objects.filter(index__lt=tree_size).order_by("index").values_list("leaf_hash", flat=True)
    tree = MerkleTree([bytes.fromhex(digest) for digest in hashes.iterator(chunk_size=5000)])
    path = [node.hex() for node in tree.inclusion_proof(leaf_index, tree_size)]
    cache.set(key, path, timeout=24 * 3600)
    return path


def inclusion_proof_for(entry: AuditEntry) -> InclusionProof:
    leaf = AuditLeaf.objects.filter(entry=entry).first()
    checkpoint = (
        AuditCheckpoint.objects.filter(tree_size__gt=leaf.index).order_by("-tree_size").first() if leaf else None
    )
    if leaf is None or checkpoint is None:
        return InclusionProof(sequenced=False)
    signed = checkpoint_from_row(checkpoint)
    return InclusionProof(
        sequenced=True,
        leaf_index=leaf.index,
        leaf_data=entry_content(entry).decode("utf-8"),
        leaf_hash=leaf.leaf_hash,
        tree_size=checkpoint.tree_size,
        root_hash=checkpoint.root_hash,
        path=_path(leaf.index, checkpoint.tree_size, checkpoint.root_hash),
        checkpoint_text=checkpoint_message(
            signed.origin, signed.tree_size, signed.root_hash, signed.published_at
        ).decode(),
        checkpoint_published_at=signed.published_at,
        key_id=signed.key_id,
        public_key=signed.public_key,
        signature=signed.signature,
    )


def first_entry_proof(*, target: models.Model, verb: models.TextChoices) -> InclusionProof | None:
    """The proof for the first entry with `verb` about `target` (e.g. a licence's issue), or None without one."""
    target_type, target_id, _ = target_label(target)
    entry = (
        AuditEntry.objects.filter(target_type=target_type, target_id=target_id, verb=str(verb.value))
        .order_by("seq")
        .first()
    )
    return inclusion_proof_for(entry) if entry is not None else None
