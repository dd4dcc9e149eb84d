"""The base model every domain entity inherits: a UUID key (never guessable, safe in URLs) and timestamps."""

from __future__ import annotations

import uuid

from django.db import models


class BaseModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ReferenceSequence(models.Model):
    """Counters for human-readable reference numbers (EXP-2026-000123), one row per prefix and year."""

    prefix = models.CharField(max_length=16)
    year = models.PositiveIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="core_refseq_prefix_year_uniq")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_value}"


class StoredFileFields(models.Model):
    """What ExCon keeps of every uploaded file (see excon.core.files.store_upload): the private storage name
    (content-addressed by SHA-256), the original name, the hash, the size and the type detected from the content."""

    storage_name = models.CharField(max_length=300, help_text="path under the private file storage")
    original_filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100, help_text="detected from the content, not the name")

    class Meta:
        abstract = True

    def file_fields(self) -> dict[str, object]:
        return {
            "storage_name": self.storage_name,
            "original_filename": self.original_filename,
            "sha256": self.sha256,
            "size": self.size,
            "content_type": self.content_type,
        }


class ScheduledJobClaim(models.Model):
    """One row per scheduled job and time slot: the first worker to insert it runs the job, so two beats (or a beat
    restarted mid-slot) never run the same job twice. A redelivered message (same task id, after a worker died
    mid-task) may run again: the jobs are idempotent. See excon.core.scheduling."""

    job = models.CharField(max_length=100)
    slot = models.DateTimeField(help_text="start of the time slot the run belongs to")
    task_id = models.CharField(max_length=255)
    claimed_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="core_jobclaim_job_slot_uniq")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"
