"""Vocabularies of the reports app: which reports exist, their file formats, a generated file's progress, the
ATT basis, and the audit verbs the app writes."""

from __future__ import annotations

from django.db import models


class ReportKind(models.TextChoices):
    NATIONAL = "national", "National annual report (EU COARM layout)"
    ATT = "att", "Arms Trade Treaty annual report"
    UNROCA = "unroca", "UN Register of Conventional Arms: exports"
    PROCESSING = "processing", "Processing times"
    REVENUE = "revenue", "Revenue and prices"


class ReportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    PDF = "pdf", "PDF"


FORMATS_BY_KIND: dict[str, tuple[str, ...]] = {
    ReportKind.NATIONAL: ("csv", "xlsx", "pdf"),
    ReportKind.ATT: ("csv", "xlsx", "pdf"),
    ReportKind.UNROCA: ("csv", "xlsx", "pdf"),
    ReportKind.PROCESSING: ("csv", "xlsx", "pdf"),
    ReportKind.REVENUE: ("csv", "xlsx", "pdf"),
}


CONTENT_TYPES: dict[str, str] = {
    ReportFormat.CSV: "text/csv; charset=utf-8",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.PDF: "application/pdf",
}


class ReportFileStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class AttBasis(models.TextChoices):
    """ATT art. 13(3): the state reports authorised or actual exports, and says which."""

    AUTHORISED = "authorised", "Authorised exports (licences issued)"
    ACTUAL = "actual", "Actual exports (shipments)"


class AuditVerb(models.TextChoices):
    """The audit verbs of the reports app."""

    FILE_REQUESTED = "reports.file_requested", "Requested a report file"
    FILE_GENERATED = "reports.file_generated", "Generated and signed a report file"
    FILE_FAILED = "reports.file_failed", "A report file could not be generated"
    PUBLISHED = "reports.published", "Published a year's national report as open data"
