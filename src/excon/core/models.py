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
