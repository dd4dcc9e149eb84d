"""Sanctions and denied-party lists, their versions and entries, and the hits raised by screening."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from excon.core.models import BaseModel

from .enums import EntryKind, HitStatus, IdentifierType, NameQuality, SourceCode, VersionStatus


class ListSource(BaseModel):
    code = models.CharField(max_length=20, choices=SourceCode.choices, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name or self.code


class ListVersion(BaseModel):
    """One imported publication of a list. Exactly one version per source is in force at a time."""

    source = models.ForeignKey(ListSource, on_delete=models.PROTECT, related_name="versions")
    published_on = models.DateField(null=True, blank=True)
    sha256 = models.CharField(max_length=64)
    file_names = models.CharField(max_length=500, blank=True)
    added = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=12, choices=VersionStatus.choices, default=VersionStatus.IN_FORCE)
    failure_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-imported_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=VersionStatus.values), name="screening_version_status_valid"
            ),
            models.UniqueConstraint(
                fields=["source"],
                condition=models.Q(status=VersionStatus.IN_FORCE),
                name="screening_one_version_in_force",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.code} {self.published_on or ''} ({self.status})"


class ListEntry(BaseModel):
    source = models.ForeignKey(ListSource, on_delete=models.PROTECT, related_name="entries")
    external_id = models.CharField(max_length=120)  # the list's own id (OFAC ent_num, UN reference …)
    kind = models.CharField(max_length=20, choices=EntryKind.choices, default=EntryKind.UNKNOWN)
    primary_name = models.CharField(max_length=500)
    programme = models.CharField(max_length=500, blank=True)
    listed_on = models.DateField(null=True, blank=True)
    remarks = models.TextField(blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    birth_dates = models.JSONField(default=list, blank=True)  # ISO dates or years: "1961-03-02", "1958"
    countries = models.JSONField(default=list, blank=True)  # ISO alpha-2: nationality, citizenship, address
    active = models.BooleanField(default=True)
    content_hash = models.CharField(max_length=64, blank=True)
    first_version = models.ForeignKey(ListVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_version = models.ForeignKey(ListVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["primary_name"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="screening_entry_external_id_uniq"),
            models.CheckConstraint(condition=models.Q(kind__in=EntryKind.values), name="screening_entry_kind_valid"),
        ]
        indexes = [models.Index(fields=["source", "active"])]

    def __str__(self) -> str:
        return f"{self.primary_name} ({self.external_id})"


class EntryName(models.Model):
    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=500)
    normalised = models.CharField(max_length=500)
    quality = models.CharField(max_length=8, choices=NameQuality.choices, default=NameQuality.STRONG)
    is_primary = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["normalised"])]

    def __str__(self) -> str:
        return self.name


class EntryIdentifier(models.Model):
    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="identifiers")
    type = models.CharField(max_length=20, choices=IdentifierType.choices, default=IdentifierType.OTHER)
    value = models.CharField(max_length=200)
    normalised = models.CharField(max_length=200)
    country = models.CharField(max_length=2, blank=True)

    class Meta:
        indexes = [models.Index(fields=["normalised"])]

    def __str__(self) -> str:
        return f"{self.type}: {self.value}"


class ScreeningHit(BaseModel):
    """A possible match between a screened party and a list entry, awaiting a compliance officer's review."""

    target_type = models.CharField(max_length=60)  # e.g. "applications.party", "search"
    target_id = models.CharField(max_length=64)
    screened_name = models.CharField(max_length=500)
    party_fingerprint = models.CharField(max_length=64)
    entry = models.ForeignKey(ListEntry, on_delete=models.PROTECT, related_name="hits")
    entry_hash = models.CharField(max_length=64)
    score = models.FloatField()
    explanation = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=HitStatus.choices, default=HitStatus.OPEN)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=HitStatus.values), name="screening_hit_status_valid")
        ]
        indexes = [models.Index(fields=["target_type", "target_id"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.screened_name} ~ {self.entry.primary_name} ({self.score:.2f}, {self.status})"


class HitDismissal(BaseModel):
    """Memory of a dismissal: this party (by fingerprint) is not this entry (by content hash). A change to either
    makes the memory stale, and the hit is raised again."""

    party_fingerprint = models.CharField(max_length=64)
    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="dismissals")
    entry_hash = models.CharField(max_length=64)
    hit = models.ForeignKey(ScreeningHit, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["party_fingerprint", "entry", "entry_hash"], name="screening_dismissal_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"dismissed {self.party_fingerprint[:8]} ~ {self.entry_id}"
