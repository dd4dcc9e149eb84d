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
