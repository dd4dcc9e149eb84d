"""Pages of the reports app: one page per report (table, chart, downloads), the generated files with their
progress, and the public open-data and verification pages. Pages hold no rules: reads through the selectors,
writes through the services; users who may not read reports get "not found"."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from excon.core.errors import DomainError
from excon.core.exports import csv_text
from excon.core.pages import actor_of, found_or_404, is_partial, post_action, shown_or_404

from . import policies, selectors, services
from .enums import CONTENT_TYPES, AttBasis, ReportFileStatus, ReportFormat, ReportKind
from .national import CSV_COLUMNS
from .treaty import category_totals

MAX_VERIFY_BYTES = 50 * 1024 * 1024


def _reader(request: HttpRequest) -> Any:
    actor = actor_of(request)
    shown_or_404(policies.can_read_reports(actor), "report")
    return actor


def _year(request: HttpRequest) -> tuple[int, str]:
    """The year asked for (default: the latest year that has data), or that default with an error to show when it
    is not a year."""
    raw = request.GET.get("year", "")
    default = selectors.national_default_year(actor=actor_of(request))
    if not raw:
        return default, ""
    try:
        _kind, year, _format, _basis = services.validate_parameters(ReportKind.NATIONAL, raw, "csv")
    except DomainError as exc:
        return default, exc.message
    return year, ""


def _page(request: HttpRequest, template: str, kind: str, year: int, error: str, **context: Any) -> HttpResponse:
    actor = actor_of(request)
    context.update(
        {
            "kind": kind,
            "year": year,
            "year_error": error,
            "formats": [ReportFormat(value) for value in ("csv", "xlsx", "pdf")],
            "can_generate": policies.can_generate_report_file(actor),
            "years": list(range(timezone.localdate().year, services.FIRST_YEAR - 1, -1))[:30],
        }
    )
    return render(request, template, context, status=400 if error else 200)


def _bar_chart(labels: list[Any], label: str, data: list[Any]) -> dict[str, Any]:
    """The one-series bar chart the report pages draw (static/excon/report-chart.js reads this shape)."""
    return {"type": "bar", "labels": labels, "series": [{"label": label, "data": data}]}


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    files = selectors.report_file_list(actor=actor)[:20]
    return render(request, "reports/index.html", {"files": files, "published": selectors.published_list()})


@login_required
@require_GET
def national(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    year, error = _year(request)
    report = selectors.national_get(actor=actor, year=year)
    by_destination: dict[str, Decimal] = defaultdict(Decimal)
    for total in report.destination_totals:
        by_destination[f"{total.destination} ({total.currency})"] += total.value_issued
    top = sorted(by_destination.items(), key=lambda item: item[1], reverse=True)[:15]
    chart = _bar_chart(
        [name for name, _value in top], "Value of licences issued", [float(value) for _name, value in top]
    )
    return _page(
        request,
        "reports/national.html",
        ReportKind.NATIONAL,
        year,
        error,
        report=report,
        chart=chart,
        columns=CSV_COLUMNS,
        can_publish=policies.can_publish_report(actor),
    )


@login_required
@require_GET
def att(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    year, error = _year(request)
    basis = request.GET.get("basis") or AttBasis.AUTHORISED
    if basis not in AttBasis.values:
        basis, error = AttBasis.AUTHORISED, f"the basis is {' or '.join(AttBasis.values)}"
    report = selectors.att_get(actor=actor, year=year, basis=basis)
    totals = category_totals(report)
    chart = _bar_chart(list(totals), "Items", list(totals.values()))
    return _page(
        request,
        "reports/treaty.html",
        ReportKind.ATT,
        year,
        error,
        report=report,
        chart=chart,
        title="Arms Trade Treaty annual report",
        bases=AttBasis.choices,
        basis=basis,
    )


@login_required
@require_GET
def unroca(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    year, error = _year(request)
    report = selectors.unroca_get(actor=actor, year=year)
    totals = category_totals(report)
    totals.pop("SALW", None)
    chart = _bar_chart(list(totals), "Items", list(totals.values()))
    return _page(
        request,
        "reports/treaty.html",
        ReportKind.UNROCA,
        year,
        error,
        report=report,
        chart=chart,
        title="UN Register of Conventional Arms: exports",
        unroca=True,
    )


@login_required
@require_GET
def processing(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    year, error = _year(request)
    report = selectors.processing_get(actor=actor, year=year)
    labels = [f"{row.licence_type[:30]} Q{row.quarter}" for row in report.decisions]
    chart = _bar_chart(labels, "Average days to decision", [float(r.average_days or 0) for r in report.decisions])
    return _page(request, "reports/processing.html", ReportKind.PROCESSING, year, error, report=report, chart=chart)


@login_required
@require_GET
def revenue(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    year, error = _year(request)
    report = selectors.revenue_get(actor=actor, year=year)
    ratios = [row for row in report.prices if row.ratio is not None]
    chart = _bar_chart(
        [f"{row.product} ({row.currency})" for row in ratios],
        "Export ÷ domestic unit price",
        [float(row.ratio or 0) for row in ratios],
    )
    categories = report.capacity_by_category
    capacity_chart = {
        "type": "bar",
        "labels": [row.category for row in categories],
        "series": [
            {"label": "Capacity declared", "data": [row.capacity for row in categories]},
            {"label": "Domestic requirements", "data": [row.domestic_requirement for row in categories]},
            {"label": "Licensed for export", "data": [row.licensed_quantity for row in categories]},
            {"label": "Shipped", "data": [row.shipped_quantity for row in categories]},
        ],
    }
    return _page(
        request,
        "reports/revenue.html",
        ReportKind.REVENUE,
        year,
        error,
        report=report,
        chart=chart,
        capacity_chart=capacity_chart,
    )


@login_required
@require_POST
def file_request(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    asked = {name: request.POST.get(name, "") for name in ("kind", "year", "file_format", "basis")}
    return post_action(
        request,
        lambda: services.report_file_request(actor=actor, **asked),
        then=lambda report_file: reverse("reports:file_detail", kwargs={"file_id": report_file.pk}),
        back="reports:index",
    )


@login_required
@require_GET
def file_detail(request: HttpRequest, file_id: Any) -> HttpResponse:
    actor = _reader(request)
    report_file = found_or_404(selectors.report_file_get, actor=actor, file_id=file_id)
    context = {"file": report_file, "finished": report_file.status in (ReportFileStatus.DONE, ReportFileStatus.FAILED)}
    if is_partial(request):
        return render(request, "reports/_file_status.html", context)
    return render(request, "reports/file_detail.html", context)


@login_required
@require_GET
def file_download(request: HttpRequest, file_id: Any) -> HttpResponse:
    actor = _reader(request)
    report_file = found_or_404(selectors.report_file_get, actor=actor, file_id=file_id)
    if report_file.status != ReportFileStatus.DONE:
        raise Http404("report file")
    response = HttpResponse(services.read_report_file(report_file), content_type=CONTENT_TYPES[report_file.file_format])
    response["Content-Disposition"] = f'attachment; filename="{report_file.filename}"'
    return response


@login_required
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    year = request.POST.get("year", "")
    return post_action(
        request,
        lambda: services.report_publish(actor=actor, year=year),
        message=lambda published: (
            f"The national report for {published.year} is published (version {published.version})"
        ),
        then=lambda published: reverse("open_data_year", kwargs={"year": published.year}),
        back=f"{reverse('reports:national')}?year={year}",
    )


# Public pages: no login -------------------------------------------------------------------------------------


@require_GET
def open_data_index(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/open_data_index.html", {"published": selectors.published_list()})


def _public_cells(row: dict[str, Any], year: int) -> list[object]:
    return [
        year,
        row["destination"],
        row["destination_iso"],
        row["category"],
        row["licences_issued"],
        Decimal(row["value_issued"]),
        row["licences_refused"],
        row["refusal_criteria"],
        Decimal(row["actual_exports_value"]),
        row["currency"],
    ]


@require_GET
def open_data_year(request: HttpRequest, year: int) -> HttpResponse:
    published = found_or_404(selectors.published_get, year=year)
    return render(request, "reports/open_data_year.html", {"published": published, "columns": CSV_COLUMNS})


@require_GET
def open_data_csv(request: HttpRequest, year: int) -> HttpResponse:
    published = found_or_404(selectors.published_get, year=year)
    content = csv_text(CSV_COLUMNS, [_public_cells(row, published.year) for row in published.rows])
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="national-report-{published.year}.csv"'
    return response


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Anyone checks a report file: upload it; ExCon hashes it and checks the signature of the matching record."""
    result = None
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or not upload.size:
            error = "Choose the report file to check"
        elif upload.size > MAX_VERIFY_BYTES:
            error = "The file is larger than any report ExCon produces"
        else:
            result = selectors.report_file_verify(upload.read())
    return render(request, "reports/verify.html", {"result": result, "error": error}, status=400 if error else 200)
