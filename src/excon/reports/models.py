"""What the reports app stores: each generated report file (who, when, parameters, SHA-256, signature) and the
national reports the authority published as open data. The figures themselves are never stored: every report
is computed from the transaction rows (see transactions.py) when asked."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from excon.core.models import BaseModel

from .enums import ReportFileStatus, ReportFormat, ReportKind

User = settings.AUTH_USER_MODEL


class ReportFile(BaseModel):
    """One generated report file. Its SHA-256 is signed with the licence-signing key (Ed25519), so a published
    file can be verified by anyone (`/open-data/verify/`)."""

    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField()
    file_format = models.CharField(max_length=10, choices=ReportFormat.choices)
    parameters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=ReportFileStatus.choices, default=ReportFileStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="percent done, shown on the page")
    error = models.TextField(blank=True, default="")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    requested_via = models.CharField(max_length=20, default="page", help_text="page or cli")
    filename = models.CharField(max_length=120, blank=True, default="")
    storage_name = models.CharField(max_length=200, blank=True, default="")
    sha256 = models.CharField(max_length=64, blank=True, default="", db_index=True)
    size = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    signature = models.CharField(max_length=120, blank=True, default="")
    signing_key = models.ForeignKey(
        "licences.SigningKey", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ReportKind.values), name="reports_file_kind_valid"),
            models.CheckConstraint(condition=Q(file_format__in=ReportFormat.values), name="reports_file_format_valid"),
            models.CheckConstraint(condition=Q(status__in=ReportFileStatus.values), name="reports_file_status_valid"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="reports_file_progress_le_100"),
        ]

    def __str__(self) -> str:
        return self.filename or f"{self.kind} {self.year} {self.file_format}"


class PublishedReport(BaseModel):
    """A year's national report as the authority published it: the aggregate rows (per destination, category
    and currency; nothing per exporter) frozen at publication, shown on the public open-data page."""

    year = models.PositiveSmallIntegerField(unique=True)
    rows = models.JSONField(default=list)
    published_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"national report {self.year} (v{self.version})"
