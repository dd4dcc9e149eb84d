"""The tamper-evident audit log: append-only entries chained by SHA-256 hashes and a gap-free sequence."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One recorded state change. Never updated or deleted (a PostgreSQL trigger refuses both)."""

    seq = models.BigIntegerField(unique=True, help_text="gap-free position in the chain, from 1")
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
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["target_type", "target_id", "seq"], name="audit_target_idx")]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.verb} {self.target_type}:{self.target_id}"


class AuditChainHead(models.Model):
    """A single row holding the last sequence number and hash. Locking it serialises writers, and comparing it
    with the table shows a deleted tail that the sequence alone could not reveal."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit head #{self.last_seq}"
