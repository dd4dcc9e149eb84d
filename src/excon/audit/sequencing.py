"""The sequencing step: committed entries get their leaf positions in batches, after commit, and each batch ends
with a signed checkpoint of the new tree.

Business transactions only INSERT their entry and a row in the pending queue, so audited writes never wait on one
another. The sequencer alone takes the lock on its state row; it runs from a Celery task queued on commit (at most
one queued at a time), from the periodic schedule, and at every `excon audit checkpoint`. An entry rolled back
with its transaction never reaches the queue; an entry committed is in the queue until a sequencer run takes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from . import checkpoints
from .chain import canonical_timestamp, entry_content, entry_leaf_hash
from .merkle import EMPTY_ROOT, node_hash
from .models import AuditCheckpoint, AuditEntry, AuditLeaf, AuditPending, AuditSequencer

BATCH_SIZE = 5000


@dataclass(frozen=True)
class SequencingResult:
    sequenced: int
    tree_size: int
    checkpoint: checkpoints.SignedCheckpoint | None


def _append(frontier: list[tuple[int, bytes]], leaf: bytes) -> None:
    """Add one leaf to the compact range (the complete subtrees of the tree so far, largest first)."""
    frontier.append((0, leaf))
    while len(frontier) > 1 and frontier[-1][0] == frontier[-2][0]:
        level, right = frontier.pop()
        _, left = frontier.pop()
        frontier.append((level + 1, node_hash(left, right)))


def _root(frontier: list[tuple[int, bytes]]) -> bytes:
    if not frontier:
        return EMPTY_ROOT
    root = frontier[-1][1]
    for _, subtree in reversed(frontier[:-1]):
        root = node_hash(subtree, root)
    return root


def _pending_entries(*, sweep: bool, limit: int) -> list[AuditEntry]:
    queued = AuditEntry.objects.filter(seq__in=AuditPending.objects.values("entry_id"))
    entries = list(queued.order_by("seq")[:limit])
    if sweep and len(entries) < limit:
        # Entries whose queue row went missing (deleted behind the application's back) are sequenced too.
        seen = {entry.seq for entry in entries}
        orphans = AuditEntry.objects.filter(leaf__isnull=True).exclude(seq__in=seen).order_by("seq")
        entries.extend(orphans[: limit - len(entries)])
        entries.sort(key=lambda entry: entry.seq)
    return entries


def sequence_pending(*, sweep: bool = False, checkpoint_when_idle: bool = False) -> SequencingResult:
    """Sequence everything committed and not yet in the tree, then sign a checkpoint of the tree.

    `sweep` also looks for unqueued entries (a full scan, used by `excon audit checkpoint`);
    `checkpoint_when_idle` signs a fresh checkpoint even when nothing was new."""
    total = 0
    published: checkpoints.SignedCheckpoint | None = None
    while True:
        with transaction.atomic():
            state, _ = AuditSequencer.objects.get_or_create(id=1)
            state = AuditSequencer.objects.select_for_update().get(id=1)
            entries = _pending_entries(sweep=sweep, limit=BATCH_SIZE)
            if not entries and not (checkpoint_when_idle and published is None):
                break
            frontier = [(int(level), bytes.fromhex(digest)) for level, digest in state.frontier]
            now = timezone.now()
            leaves = []
            for offset, entry in enumerate(entries):
                digest = entry_leaf_hash(entry_content(entry))
                _append(frontier, bytes.fromhex(digest))
                leaves.append(
                    AuditLeaf(index=state.tree_size + offset, entry=entry, leaf_hash=digest, sequenced_at=now)
                )
            AuditLeaf.objects.bulk_create(leaves)
            AuditPending.objects.filter(entry_id__in=[entry.seq for entry in entries]).delete()
            state.tree_size += len(leaves)
            state.frontier = [[level, digest.hex()] for level, digest in frontier]
            state.save(update_fields=["tree_size", "frontier"])
            published = _publish(state.tree_size, _root(frontier), now)
            total += len(leaves)
            if len(entries) < BATCH_SIZE:
                break
    return SequencingResult(sequenced=total, tree_size=_tree_size(), checkpoint=published)


def _publish(tree_size: int, root: bytes, now: datetime) -> checkpoints.SignedCheckpoint | None:
    latest = AuditCheckpoint.objects.order_by("-tree_size").first()
    if latest is not None and latest.tree_size == tree_size:
        return None  # the tree has not grown: its checkpoint already exists
    signed = checkpoints.sign_checkpoint(tree_size, root, now)
    AuditCheckpoint.objects.create(
        origin=signed.origin,
        tree_size=signed.tree_size,
        root_hash=signed.root_hash,
        published_at=now,
        key_id=signed.key_id,
        public_key=signed.public_key,
        signature=signed.signature,
    )
    # The file gets the checkpoint only once it is committed: a rolled-back batch must not leave a claim behind.
    transaction.on_commit(lambda: checkpoints.append_to_file(signed))
    return signed


def _tree_size() -> int:
    state = AuditSequencer.objects.filter(id=1).first()
    return state.tree_size if state else 0


def latest_checkpoint() -> checkpoints.SignedCheckpoint | None:
    row = AuditCheckpoint.objects.order_by("-tree_size").first()
    return checkpoint_from_row(row) if row is not None else None


def checkpoint_from_row(row: AuditCheckpoint) -> checkpoints.SignedCheckpoint:
    return checkpoints.SignedCheckpoint(
        origin=row.origin,
        tree_size=row.tree_size,
        root_hash=row.root_hash,
        published_at=canonical_timestamp(row.published_at),
        key_id=row.key_id,
        public_key=row.public_key,
        signature=row.signature,
    )
