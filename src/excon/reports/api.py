"""API for reports: the data of every report as JSON (national, ATT, UN Register, processing times, revenue and
prices), the generated files (list, request, status, download) and publishing a year's national report as open
data. Reads go through the selectors (a user who may not read reports gets 404, exactly as if nothing existed),
writes through the services (an auditor asking for a file gets 403)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from excon.core.api import ERROR_RESPONSES, actor_of, paged
from excon.core.errors import NotFound

from . import selectors, services
from .enums import CONTENT_TYPES, ReportFileStatus, ReportKind
from .models import PublishedReport, ReportFile

router = Router(tags=["reports"])


def _year(kind: str, year: str, basis: str = "") -> tuple[int, str]:
    """The year (and ATT basis) asked for, or the report's own error code (report.bad_year, report.bad_basis)."""
    _kind, year_n, _format, basis = services.validate_parameters(kind, year, "csv", basis)
    return year_n, basis


# National annual report ------------------------------------------------------------------------------------


class NationalRowOut(Schema):
    destination: str
    destination_iso: str
    region: str
    category: str
    currency: str
    licences_issued: int
    value_issued: Decimal
    licences_refused: int
    refusal_criteria: str
    actual_exports_value: Decimal
    brokering_licences_issued: int
    brokering_value_issued: Decimal
    embargoed: bool


class TotalOut(Schema):
    destination: str
    destination_iso: str
    currency: str
    licences_issued: int
    value_issued: Decimal
    licences_refused: int
    actual_exports_value: Decimal
    brokering_licences_issued: int
    brokering_value_issued: Decimal
    embargoed: bool


class RegionTotalOut(Schema):
    region: str
    currency: str
    destinations: int
    licences_issued: int
    value_issued: Decimal
    licences_refused: int
    actual_exports_value: Decimal
    brokering_licences_issued: int
    brokering_value_issued: Decimal


class NationalOut(Schema):
    year: int
    nil: bool
    rows: list[NationalRowOut]
    destination_totals: list[TotalOut]
    region_totals: list[RegionTotalOut]
    year_totals: list[TotalOut]
    criteria_totals: dict[int, int]

    @staticmethod
    def resolve_criteria_totals(obj: Any) -> dict[int, int]:
        return dict(obj.criteria_totals())


@router.get("/reports/national", response={200: NationalOut, **ERROR_RESPONSES})
def national(request: HttpRequest, year: str = "") -> Any:
    """The national annual report (EU COARM layout); without `year`, the latest year that has data."""
    actor = actor_of(request)
    year_n, _basis = _year(ReportKind.NATIONAL, year or str(selectors.national_default_year(actor=actor)))
    return selectors.national_get(actor=actor, year=year_n)


# Treaty reports --------------------------------------------------------------------------------------------


class TreatyRowOut(Schema):
    category: str
    category_label: str
    importer: str
    importer_iso: str
    items: int | None
    value: Decimal | None
    currency: str
    description: str
    comments: str
    withheld: bool
    origin: str
    intermediate_locations: str


class TreatyOut(Schema):
    year: int
    basis: str
    nil: bool
    rows: list[TreatyRowOut]


@router.get("/reports/att", response={200: TreatyOut, **ERROR_RESPONSES})
def att(request: HttpRequest, year: str, basis: str = "") -> Any:
    """The Arms Trade Treaty annual report on exports; `basis` is authorised (licences) or actual (shipments)."""
    actor = actor_of(request)
    year_n, basis = _year(ReportKind.ATT, year, basis)
    return selectors.att_get(actor=actor, year=year_n, basis=basis)


@router.get("/reports/unroca", response={200: TreatyOut, **ERROR_RESPONSES})
def unroca(request: HttpRequest, year: str) -> Any:
    """The UN Register's export table (categories I–VII, from the shipments)."""
    actor = actor_of(request)
    year_n, _basis = _year(ReportKind.UNROCA, year)
    report = selectors.unroca_get(actor=actor, year=year_n)
    report.rows = report.unroca_rows()
    return report


# Processing times, revenue and prices ----------------------------------------------------------------------


class ProcessingRowOut(Schema):
    licence_type: str
    quarter: int
    decided: int
    average_days: Decimal | None
    longest_days: Decimal | None


class AdviceRowOut(Schema):
    department: str
    quarter: int
    advice_given: int
    average_days: Decimal | None
    late: int


class ProcessingOut(Schema):
    year: int
    nil: bool
    decisions: list[ProcessingRowOut]
    advice: list[AdviceRowOut]


@router.get("/reports/processing", response={200: ProcessingOut, **ERROR_RESPONSES})
def processing(request: HttpRequest, year: str) -> Any:
    actor = actor_of(request)
    year_n, _basis = _year(ReportKind.PROCESSING, year)
    return selectors.processing_get(actor=actor, year=year_n)


class RevenueRowOut(Schema):
    product: str
    category: str
    destination: str
    currency: str
    licensed_value: Decimal
    shipped_value: Decimal


class PriceRowOut(Schema):
    product: str
    currency: str
    export_unit_price: Decimal | None
    domestic_unit_price: Decimal | None
    ratio: Decimal | None


class CapacityRowOut(Schema):
    product: str
    capacity: int
    domestic_requirement: int
    licensed_quantity: int


class CategoryCapacityOut(Schema):
    category: str
    capacity: int
    domestic_requirement: int
    licensed_quantity: int
    shipped_quantity: int


class RevenueOut(Schema):
    year: int
    nil: bool
    prices_visible: bool
    revenue: list[RevenueRowOut]
    prices: list[PriceRowOut]
    capacity: list[CapacityRowOut]
    capacity_by_category: list[CategoryCapacityOut]


@router.get("/reports/revenue", response={200: RevenueOut, **ERROR_RESPONSES})
def revenue(request: HttpRequest, year: str) -> Any:
    """Revenue and prices; domestic prices and requirements only for readers cleared for their marking."""
    actor = actor_of(request)
    year_n, _basis = _year(ReportKind.REVENUE, year)
    return selectors.revenue_get(actor=actor, year=year_n)


# Files -----------------------------------------------------------------------------------------------------


class FileIn(Schema):
    kind: str
    year: str
    file_format: str
    basis: str = ""


class FileOut(Schema):
    id: UUID
    kind: str
    year: int
    file_format: str
    parameters: dict[str, Any]
    status: str
    progress: int
    error: str
    requested_by: str
    requested_via: str
    filename: str
    sha256: str
    size: int
    rows: int
    signature: str
    key_id: str
    created_at: dt.datetime
    completed_at: dt.datetime | None

    @staticmethod
    def resolve_requested_by(obj: ReportFile) -> str:
        return str(obj.requested_by) if obj.requested_by else services.CLI_LABEL

    @staticmethod
    def resolve_key_id(obj: ReportFile) -> str:
        return obj.signing_key.key_id if obj.signing_key else ""


@router.get("/reports/files", response={200: list[FileOut], **ERROR_RESPONSES})
@paged(page_size=50)
def file_list(request: HttpRequest) -> Any:
    """Generated report files, newest first (a revenue file only to whoever generated it)."""
    return selectors.report_file_list(actor=actor_of(request)).select_related("signing_key")


@router.post("/reports/files", response={201: FileOut, **ERROR_RESPONSES})
def file_request(request: HttpRequest, body: FileIn) -> Any:
    """Ask for a report file: it is recorded and built in the background; poll it for its progress."""
    return Status(201, services.report_file_request(actor=actor_of(request), **body.dict()))


@router.get("/reports/files/{file_id}", response={200: FileOut, **ERROR_RESPONSES})
def file_detail(request: HttpRequest, file_id: str) -> Any:
    return selectors.report_file_get(actor=actor_of(request), file_id=file_id)


@router.get("/reports/files/{file_id}/download", response={200: None, **ERROR_RESPONSES})
def file_download(request: HttpRequest, file_id: str) -> HttpResponse:
    """The file's bytes, once it is done (before that: 404 `report.file_not_ready`)."""
    report_file = selectors.report_file_get(actor=actor_of(request), file_id=file_id)
    if report_file.status != ReportFileStatus.DONE:
        raise NotFound("report file", code="report.file_not_ready")
    response = HttpResponse(services.read_report_file(report_file), content_type=CONTENT_TYPES[report_file.file_format])
    response["Content-Disposition"] = f'attachment; filename="{report_file.filename}"'
    response["X-Report-SHA256"] = report_file.sha256
    return response


# Open data -------------------------------------------------------------------------------------------------


class PublishIn(Schema):
    year: str


class PublishedOut(Schema):
    year: int
    version: int
    published_at: dt.datetime
    published_by: str
    rows: list[dict[str, Any]]

    @staticmethod
    def resolve_published_by(obj: PublishedReport) -> str:
        return str(obj.published_by)


@router.post("/reports/published", response={201: PublishedOut, **ERROR_RESPONSES})
def publish(request: HttpRequest, body: PublishIn) -> Any:
    """Publish (or republish, as a new version) a year's national report as open data."""
    return Status(201, services.report_publish(actor=actor_of(request), year=body.year))
