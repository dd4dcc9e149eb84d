"""Writes of the reports app: asking for a report file (built in the background), building and signing it, and
publishing a year's national report as open data. Error codes: report.unknown_kind, report.bad_format,
report.bad_year, report.bad_basis, report.nothing_to_publish."""

from __future__ import annotations

import hashlib
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from excon.audit.services import audit_record
from excon.core.errors import PermissionDenied, ValidationError
from excon.licences import signing
from excon.licences.services.keys import signing_key_active

from . import outputs, policies
from .enums import FORMATS_BY_KIND, AttBasis, AuditVerb, ReportFileStatus, ReportKind
from .models import PublishedReport, ReportFile
from .national import national_report
from .selectors import build_report, signed_message

if TYPE_CHECKING:
    from excon.accounts.models import User

FIRST_YEAR = 1990

# How a requested file is built after commit: the Celery task, which tasks.py hands over in AppConfig.ready()
# (the task calls report_file_build here, so importing it from this module would be an import cycle).
_queue_build: Callable[[str], Any] | None = None


def on_file_requested(queue: Callable[[str], Any]) -> None:
    global _queue_build
    _queue_build = queue


CLI_LABEL = "system:report"


def validate_parameters(kind: str, year: Any, file_format: str, basis: str = "") -> tuple[str, int, str, str]:
    """The cleaned (kind, year, format, basis), or a ValidationError naming the bad parameter."""
    if kind not in ReportKind.values:
        raise ValidationError(
            f"unknown report {kind!r}; one of {', '.join(ReportKind.values)}",
            code="report.unknown_kind",
            details={"field": "kind"},
        )
    allowed = FORMATS_BY_KIND[kind]
    if file_format not in allowed:
        raise ValidationError(
            f"format {file_format!r} is not available for this report; one of {', '.join(allowed)}",
            code="report.bad_format",
            details={"field": "file_format"},
        )
    this_year = timezone.localdate().year
    try:
        year_n = int(str(year).strip())
    except (TypeError, ValueError):
        year_n = 0
    if not FIRST_YEAR <= year_n <= this_year:
        raise ValidationError(
            f"the year must be a number from {FIRST_YEAR} to {this_year}",
            code="report.bad_year",
            details={"field": "year"},
        )
    if kind == ReportKind.ATT:
        basis = basis or AttBasis.AUTHORISED
        if basis not in AttBasis.values:
            raise ValidationError(
                f"the basis is {' or '.join(AttBasis.values)}", code="report.bad_basis", details={"field": "basis"}
            )
    else:
        basis = ""
    return kind, year_n, file_format, basis


def _parameters(kind: str, year: int, basis: str) -> dict[str, Any]:
    parameters: dict[str, Any] = {"year": year}
    if basis:
        parameters["basis"] = basis
    return parameters


def _file_record(*, actor: User | None, kind: str, year: Any, file_format: str, basis: str, via: str) -> ReportFile:
    """The record of a requested file, from a page or the CLI alike (`actor=None`: the system)."""
    if actor is not None and not policies.can_generate_report_file(actor):
        raise PermissionDenied("you may not generate report files")
    kind, year_n, file_format, basis = validate_parameters(kind, year, file_format, basis)
    return ReportFile.objects.create(
        kind=kind,
        year=year_n,
        file_format=file_format,
        parameters=_parameters(kind, year_n, basis),
        requested_by=actor,
        requested_via=via,
    )


@transaction.atomic
def report_file_request(*, actor: User, kind: str, year: Any, file_format: str, basis: str = "") -> ReportFile:
    """Record the request and queue the build (a Celery job; eager in development and tests)."""
    report_file = _file_record(actor=actor, kind=kind, year=year, file_format=file_format, basis=basis, via="page")
    audit_record(
        actor=actor,
        verb=AuditVerb.FILE_REQUESTED,
        target=report_file,
        payload={"kind": report_file.kind, "format": report_file.file_format, **report_file.parameters},
    )
    file_id = str(report_file.pk)
    queue = _queue_build
    if queue is not None:
        transaction.on_commit(lambda: queue(file_id))
    return report_file


def _progress(report_file: ReportFile, percent: int, status: str = ReportFileStatus.RUNNING) -> None:
    """Progress is written at once (outside any long transaction), so the page polling it sees it move."""
    ReportFile.objects.filter(pk=report_file.pk).update(progress=percent, status=status, updated_at=timezone.now())
    report_file.progress, report_file.status = percent, status


def report_file_build(report_file: ReportFile) -> bytes:
    """Compute, render, store and sign the file; on failure the record says so (and why) and nothing is stored."""
    try:
        _progress(report_file, 5)
        actor = report_file.requested_by
        report = build_report(
            report_file.kind, report_file.year, actor=actor, basis=report_file.parameters.get("basis", "")
        )
        _progress(report_file, 50)
        tables = outputs.TABLES_BY_KIND[report_file.kind](report)
        content = outputs.render(tables, report_file.file_format)
        _progress(report_file, 80)
        with transaction.atomic():
            _store_and_sign(report_file, content, rows=tables.row_count)
        return content
    except Exception as exc:
        with transaction.atomic():
            ReportFile.objects.filter(pk=report_file.pk).update(
                status=ReportFileStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
            )
            audit_record(
                actor=report_file.requested_by,
                verb=AuditVerb.FILE_FAILED,
                target=report_file,
                payload={"error": type(exc).__name__, "trace": traceback.format_exc(limit=3)[-1500:]},
                system_label=CLI_LABEL,
            )
        raise


def _store_and_sign(report_file: ReportFile, content: bytes, *, rows: int) -> None:
    sha = hashlib.sha256(content).hexdigest()
    storage_name = f"reports/{sha[:2]}/{sha}"
    if not default_storage.exists(storage_name):
        default_storage.save(storage_name, ContentFile(content))
    key = signing_key_active()
    report_file.sha256 = sha
    report_file.storage_name = storage_name
    report_file.size = len(content)
    report_file.rows = rows
    basis = report_file.parameters.get("basis")
    report_file.filename = (
        f"{report_file.kind}-{report_file.year}{'-' + basis if basis else ''}.{report_file.file_format}"
    )
    report_file.signing_key = key
    report_file.signature = signing.sign(key.key_id, signed_message(report_file))
    report_file.status = ReportFileStatus.DONE
    report_file.progress = 100
    report_file.completed_at = timezone.now()
    report_file.save()
    audit_record(
        actor=report_file.requested_by,
        verb=AuditVerb.FILE_GENERATED,
        target=report_file,
        payload={
            "kind": report_file.kind,
            "format": report_file.file_format,
            **report_file.parameters,
            "sha256": sha,
            "size": len(content),
            "key_id": key.key_id,
            "via": report_file.requested_via,
        },
        system_label=CLI_LABEL,
    )


def report_file_generate_now(
    *, actor: User | None, kind: str, year: Any, file_format: str, basis: str = "", via: str = "cli"
) -> tuple[ReportFile, bytes]:
    """Build a file at once (the CLI): the same record, signature and audit trail as a page's background job.
    `actor=None` is the system (the operator at the console)."""
    with transaction.atomic():
        report_file = _file_record(actor=actor, kind=kind, year=year, file_format=file_format, basis=basis, via=via)
    return report_file, report_file_build(report_file)


def read_report_file(report_file: ReportFile) -> bytes:
    with default_storage.open(report_file.storage_name, "rb") as handle:
        return bytes(handle.read())


@transaction.atomic
def report_publish(*, actor: User, year: Any) -> PublishedReport:
    """Publish (or republish, as a new version) a year's national report: its aggregates are frozen and appear
    on the public open-data page. Nothing per exporter is published."""
    if not policies.can_publish_report(actor):
        raise PermissionDenied("only the authority publishes reports")
    _kind, year_n, _format, _basis = validate_parameters(ReportKind.NATIONAL, year, "csv")
    report = national_report(year_n)
    if report.nil:
        raise ValidationError(
            f"there is nothing to publish for {year_n}: it is a nil report",
            code="report.nothing_to_publish",
            details={"field": "year"},
        )
    rows = [row.as_public() for row in report.rows]
    published = PublishedReport.objects.select_for_update().filter(year=year_n).first()
    if published is None:
        published = PublishedReport.objects.create(
            year=year_n, rows=rows, published_by=actor, published_at=timezone.now()
        )
    else:
        published.rows, published.published_by, published.published_at = rows, actor, timezone.now()
        published.version += 1
        published.save()
    audit_record(
        actor=actor,
        verb=AuditVerb.PUBLISHED,
        target=published,
        payload={"year": year_n, "rows": len(rows), "version": published.version},
    )
    return published
