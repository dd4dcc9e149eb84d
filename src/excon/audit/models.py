"""The audit log as a Merkle-tree transparency log (RFC 9162 style).

An entry is written inside the business transaction that it describes, with no lock on anything shared; a
sequencing step after commit gives committed entries their leaf positions in batches and publishes a signed
checkpoint of the tree. Entries, leaves and checkpoints are never updated or deleted (a PostgreSQL trigger refuses
both, and the application's database role holds no UPDATE, DELETE or TRUNCATE on them: docs/operations.md)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One recorded state change."""

    FORMAT_CHAINED = 1  # written before the Merkle log: its content names its chain position and predecessor
    FORMAT_LEAF = 2

    seq = models.BigAutoField(
        primary_key=True, help_text="insertion number from the database; the position in the log is the leaf index"
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    content_format = models.PositiveSmallIntegerField(default=FORMAT_LEAF)
    chain_seq = models.BigIntegerField(
        null=True, blank=True, unique=True, help_text="position in the old hash chain (entries before the Merkle log)"
    )
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_repr = models.CharField(max_length=300, help_text="who acted, as they were named at the time")
    verb = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True, default="")
    target_id = models.CharField(max_length=64, blank=True, default="")
    target_repr = models.CharField(max_length=300, blank=True, default="")
    payload = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True, default="", help_text="old hash chain only")
    entry_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the canonical content")

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["target_type", "target_id", "seq"], name="audit_target_idx")]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.verb} {self.target_type}:{self.target_id}"


class AuditLeaf(models.Model):
    """An entry's place in the tree: leaf `index` (from 0) with hash SHA-256(0x00 || canonical content)."""

    index = models.BigIntegerField(primary_key=True)
    entry = models.OneToOneField(AuditEntry, on_delete=models.PROTECT, related_name="leaf")
    leaf_hash = models.CharField(max_length=64)
    sequenced_at = models.DateTimeField()

    class Meta:
        ordering = ["index"]

    def __str__(self) -> str:
        return f"leaf {self.index}"


class AuditCheckpoint(models.Model):
    """A signed statement "the log had `tree_size` leaves with this root at this time". Also appended to
    EXCON_DATA_DIR/audit/checkpoints.jsonl, so trimming the database cannot make it disappear."""

    origin = models.CharField(max_length=200)
    tree_size = models.BigIntegerField(unique=True)
    root_hash = models.CharField(max_length=64)
    published_at = models.DateTimeField()
    key_id = models.CharField(max_length=40)
    public_key = models.CharField(
        max_length=60, help_text="base64url Ed25519 public key; verification trusts only the key files, not this"
    )
    signature = models.CharField(max_length=120)

    class Meta:
        ordering = ["tree_size"]

    def __str__(self) -> str:
        return f"checkpoint {self.tree_size}"


class AuditPending(models.Model):
    """The queue of committed entries not yet sequenced; written beside the entry, emptied by the sequencer."""

    entry = models.OneToOneField(AuditEntry, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"pending {self.entry_id}"


class AuditSequencer(models.Model):
    """The sequencer's working state (one row): only the sequencer locks it, never a business transaction.
    Verification trusts nothing here; it recomputes the tree from the leaves."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    tree_size = models.BigIntegerField(default=0)
    frontier = models.JSONField(default=list, help_text="hex hashes of the complete subtrees, largest first")

    def __str__(self) -> str:
        return f"sequencer at {self.tree_size}"
