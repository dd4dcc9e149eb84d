"""Reads of the reports app, scoped by the actor. A user who may not read reports gets NotFound, exactly as if
the report did not exist. Published open data and file verification are public by design."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from excon.core.errors import NotFound, ValidationError
from excon.core.selectors import one_visible
from excon.licences import signing

from . import policies, transactions
from .analytics import ProcessingReport, RevenueReport, processing_report, revenue_report
from .enums import AttBasis, ReportFileStatus, ReportKind
from .models import PublishedReport, ReportFile
from .national import NationalReport, national_report
from .treaty import TreatyReport, treaty_report

if TYPE_CHECKING:
    from excon.accounts.models import User

SIGNATURE_SCHEME = "excon-report-v1"


def _require_reader(actor: User) -> None:
    if not policies.can_read_reports(actor):
        raise NotFound("report")


def national_default_year(*, actor: User) -> int:
    """The year a report page opens on: the latest year that has data (licences, refusals or shipments), last
    year when there is none."""
    _require_reader(actor)
    this_year = timezone.localdate().year
    latest = transactions.latest_year()
    return min(latest, this_year) if latest is not None else this_year - 1


def national_get(*, actor: User, year: int) -> NationalReport:
    _require_reader(actor)
    return national_report(year)


def att_get(*, actor: User, year: int, basis: str = AttBasis.AUTHORISED) -> TreatyReport:
    _require_reader(actor)
    return treaty_report(year, basis)


def unroca_get(*, actor: User, year: int) -> TreatyReport:
    """The UN Register's export table reports transfers made: shipments."""
    _require_reader(actor)
    return treaty_report(year, AttBasis.ACTUAL)


def processing_get(*, actor: User, year: int) -> ProcessingReport:
    _require_reader(actor)
    return processing_report(year)


def revenue_get(*, actor: User, year: int) -> RevenueReport:
    _require_reader(actor)
    return revenue_report(year, actor=actor)


def build_report(kind: str, year: int, *, actor: User | None, basis: str = "") -> Any:
    """The report object of a kind (no scoping: callers are the scoped selectors above, the services and the
    CLI, which acts as the system)."""
    if kind == ReportKind.NATIONAL:
        return national_report(year)
    if kind == ReportKind.ATT:
        return treaty_report(year, basis or AttBasis.AUTHORISED)
    if kind == ReportKind.UNROCA:
        return treaty_report(year, AttBasis.ACTUAL)
    if kind == ReportKind.PROCESSING:
        return processing_report(year)
    if kind == ReportKind.REVENUE:
        return revenue_report(year, actor=actor)
    raise ValidationError(f"unknown report {kind!r}", code="report.unknown_kind")


def report_file_list(*, actor: User) -> QuerySet[ReportFile]:
    """Files of every report; a revenue file (it may hold domestic prices) only to whoever generated it."""
    _require_reader(actor)
    return ReportFile.objects.select_related("requested_by").filter(~Q(kind=ReportKind.REVENUE) | Q(requested_by=actor))


def report_file_get(*, actor: User, file_id: Any) -> ReportFile:
    return one_visible(report_file_list(actor=actor), file_id, "report file")


def signed_message(report_file: ReportFile) -> bytes:
    parts = [
        SIGNATURE_SCHEME,
        str(report_file.pk),
        report_file.kind,
        str(report_file.year),
        report_file.file_format,
        report_file.sha256,
    ]
    return "|".join(parts).encode("utf-8")


@dataclass(frozen=True)
class Verification:
    authentic: bool
    sha256: str
    report_file: ReportFile | None = None


def report_file_verify(content: bytes) -> Verification:
    """Anyone may check a report file: authentic when a generated file has exactly this SHA-256 and its
    Ed25519 signature verifies with the key that signed it."""
    sha = hashlib.sha256(content).hexdigest()
    for candidate in ReportFile.objects.select_related("signing_key").filter(
        sha256=sha, status=ReportFileStatus.DONE, signing_key__isnull=False
    ):
        key = candidate.signing_key
        if key is not None and signing.verify(key.public_key, signed_message(candidate), candidate.signature):
            return Verification(True, sha, candidate)
    return Verification(False, sha)


def published_list() -> QuerySet[PublishedReport]:
    return PublishedReport.objects.all()


def published_get(*, year: Any) -> PublishedReport:
    try:
        found = PublishedReport.objects.filter(year=int(year)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFound("published report")
    return found
