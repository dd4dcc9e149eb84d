"""Every report as tables, and the tables as CSV, XLSX (typed cells, through excon.core.exports) and PDF
(ReportLab). The treaty reports' XLSX and PDF follow the layout of their official templates: a cover with the
reporting state's choices (year, authorised or actual exports, nil report) and the export table with the
template's columns, one section per category."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from excon.core.exports import Sheet, csv_text, xlsx_bytes

from .analytics import ProcessingReport, RevenueReport
from .enums import AttBasis, ReportKind
from .national import CSV_COLUMNS, NationalReport
from .treaty import ATT_CSV_COLUMNS, CATEGORY_ORDER, UNROCA_CSV_COLUMNS, TreatyReport


@dataclass
class Tables:
    """A report ready to write: a title, cover lines, and its tables (the first is the CSV)."""

    title: str
    cover: list[tuple[str, object]]
    sheets: list[Sheet]
    notes: list[str] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return len(list(self.sheets[0].rows)) if self.sheets else 0


BROKERING_COLUMNS = ("brokering_licences_issued", "brokering_value_issued")


def _authority() -> str:
    return str(getattr(settings, "EXCON_AUTHORITY_NAME", "National Export Control Authority"))


def national_tables(report: NationalReport) -> Tables:
    totals = [
        [
            t.destination,
            t.destination_iso,
            t.currency,
            t.licences_issued,
            t.value_issued,
            t.licences_refused,
            t.actual_exports_value,
            t.brokering_licences_issued,
            t.brokering_value_issued,
            "yes" if t.embargoed else "",
        ]
        for t in report.destination_totals
    ]
    year_totals = [
        [
            t.currency,
            t.licences_issued,
            t.value_issued,
            t.licences_refused,
            t.actual_exports_value,
            t.brokering_licences_issued,
            t.brokering_value_issued,
        ]
        for t in report.year_totals
    ]
    regions = [
        [
            t.region,
            t.currency,
            t.destinations,
            t.licences_issued,
            t.value_issued,
            t.licences_refused,
            t.actual_exports_value,
            t.brokering_licences_issued,
            t.brokering_value_issued,
        ]
        for t in report.region_totals
    ]
    brokering = [
        [
            row.destination,
            row.destination_iso,
            row.category,
            row.currency,
            row.brokering_licences_issued,
            row.brokering_value_issued,
        ]
        for row in report.rows
        if row.brokering_licences_issued
    ]
    criteria = [[number, count] for number, count in report.criteria_totals().items()]
    return Tables(
        title=f"National annual report on exports of military goods, {report.year}",
        cover=[
            ("Reporting state", _authority()),
            ("Year", report.year),
            ("Layout", "EU COARM annual report: destination × EU Common Military List category"),
            ("Nil report", "yes: no licences, refusals or exports in the year" if report.nil else "no"),
        ],
        sheets=[
            Sheet("Destinations by category", CSV_COLUMNS, [row.csv_cells() for row in report.rows]),
            Sheet(
                "Totals per destination",
                (
                    "destination",
                    "destination_iso",
                    "currency",
                    "licences_issued",
                    "value_issued",
                    "licences_refused",
                    "actual_exports_value",
                    *BROKERING_COLUMNS,
                    "embargo",
                ),
                totals,
            ),
            Sheet(
                "Totals per region",
                (
                    "region",
                    "currency",
                    "destinations",
                    "licences_issued",
                    "value_issued",
                    "licences_refused",
                    "actual_exports_value",
                    *BROKERING_COLUMNS,
                ),
                regions,
            ),
            Sheet(
                "Totals for the year",
                (
                    "currency",
                    "licences_issued",
                    "value_issued",
                    "licences_refused",
                    "actual_exports_value",
                    *BROKERING_COLUMNS,
                ),
                year_totals,
            ),
            Sheet(
                "Brokering licences",
                ("destination", "destination_iso", "category", "currency", *BROKERING_COLUMNS),
                brokering,
            ),
            Sheet("Refusal criteria cited", ("criterion", "refused_licences_citing_it"), criteria),
        ],
        notes=[
            "Values in the licence currency; no exchange rate is applied. Legacy licences count like issued ones.",
            "Brokering licences are counted apart from the licences issued (nothing is shipped from this state).",
            "Regions: UN M49 (intermediate region where there is one, else sub-region), UN Statistics Division.",
        ],
    )


def _treaty_cover(report: TreatyReport, form: str) -> list[tuple[str, object]]:
    basis = dict(AttBasis.choices)[report.basis]
    return [
        ("Reporting state", _authority()),
        ("Form", form),
        ("Calendar year", report.year),
        ("Reporting basis", basis),
        ("Nil report", "yes: no exports in the categories in the year" if report.nil else "no"),
        ("Withheld information", "Items marked confidential or secret are withheld for national security (art. 13(3))"),
    ]


def att_tables(report: TreatyReport) -> Tables:
    sections = []
    for category in CATEGORY_ORDER:
        rows = [cells for cells, row in zip(report.att_cells(), report.rows, strict=True) if row.category == category]
        if rows:
            sections.append(Sheet(f"Category {category}", ATT_CSV_COLUMNS, rows))
    return Tables(
        title=f"Arms Trade Treaty annual report: exports, {report.year}",
        cover=_treaty_cover(report, "ATT annual report, exports (art. 13(3))"),
        sheets=[Sheet("Exports", ATT_CSV_COLUMNS, report.att_cells()), *sections],
    )


def unroca_tables(report: TreatyReport) -> Tables:
    return Tables(
        title=f"UN Register of Conventional Arms: exports, {report.year}",
        cover=_treaty_cover(report, "UN Register standardized form: exports (categories I–VII)"),
        sheets=[Sheet("Exports", UNROCA_CSV_COLUMNS, report.unroca_cells())],
        notes=["Intermediate locations: the countries of the intermediate consignees named on the licences."],
    )


def processing_tables(report: ProcessingReport) -> Tables:
    return Tables(
        title=f"Processing times, {report.year}",
        cover=[("Year", report.year), ("Nil report", "yes" if report.nil else "no")],
        sheets=[
            Sheet(
                "Submission to decision",
                ("year", "licence_type", "quarter", "decided", "average_days", "longest_days"),
                [
                    [report.year, r.licence_type, r.quarter, r.decided, r.average_days, r.longest_days]
                    for r in report.decisions
                ],
            ),
            Sheet(
                "Departmental advice",
                ("year", "department", "quarter", "advice_given", "average_days", "after_due_date"),
                [[report.year, r.department, r.quarter, r.advice_given, r.average_days, r.late] for r in report.advice],
            ),
        ],
    )


def revenue_tables(report: RevenueReport) -> Tables:
    return Tables(
        title=f"Revenue and prices, {report.year}",
        cover=[
            ("Year", report.year),
            (
                "Domestic prices and requirements",
                "included (up to the reader's clearance)" if report.prices_visible else "not included",
            ),
        ],
        sheets=[
            Sheet(
                "Export revenue",
                ("year", "product", "category", "destination", "currency", "licensed_value", "shipped_value"),
                [
                    [report.year, r.product, r.category, r.destination, r.currency, r.licensed_value, r.shipped_value]
                    for r in report.revenue
                ],
            ),
            Sheet(
                "Export vs domestic prices",
                ("year", "product", "currency", "export_unit_price", "domestic_unit_price", "ratio"),
                [
                    [report.year, r.product, r.currency, r.export_unit_price, r.domestic_unit_price, r.ratio]
                    for r in report.prices
                ],
            ),
            Sheet(
                "Capacity and demand",
                ("year", "product", "capacity", "domestic_requirement", "licensed_quantity"),
                [
                    [report.year, r.product, r.capacity, r.domestic_requirement, r.licensed_quantity]
                    for r in report.capacity
                ],
            ),
            Sheet(
                "Capacity per category",
                ("year", "category", "capacity", "domestic_requirement", "licensed_quantity", "shipped_quantity"),
                [
                    [
                        report.year,
                        r.category,
                        r.capacity,
                        r.domestic_requirement,
                        r.licensed_quantity,
                        r.shipped_quantity,
                    ]
                    for r in report.capacity_by_category
                ],
            ),
        ],
    )


TABLES_BY_KIND: dict[str, Callable[[Any], Tables]] = {
    ReportKind.NATIONAL: national_tables,
    ReportKind.ATT: att_tables,
    ReportKind.UNROCA: unroca_tables,
    ReportKind.PROCESSING: processing_tables,
    ReportKind.REVENUE: revenue_tables,
}


def _materialise(tables: Tables) -> Tables:
    tables.sheets = [
        Sheet(sheet.title, list(sheet.header), [list(row) for row in sheet.rows]) for sheet in tables.sheets
    ]
    return tables


def render(tables: Tables, file_format: str) -> bytes:
    tables = _materialise(tables)
    if file_format == "csv":
        first = tables.sheets[0]
        return csv_text(first.header, first.rows).encode("utf-8")
    if file_format == "xlsx":
        cover = Sheet("Cover", ("field", "value"), [[name, value] for name, value in tables.cover])
        return xlsx_bytes([cover, *tables.sheets])
    if file_format == "pdf":
        return _pdf(tables)
    raise ValueError(file_format)


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _pdf(tables: Tables) -> bytes:
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7, leading=8.5)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=tables.title,
        author=_authority(),
    )
    story: list[Any] = [Paragraph(tables.title, styles["Title"])]
    cover = Table(
        [[Paragraph(f"<b>{name}</b>", small), Paragraph(_cell(value), small)] for name, value in tables.cover],
        colWidths=[55 * mm, 200 * mm],
    )
    story += [cover, Spacer(1, 4 * mm)]
    story += [Paragraph(note, small) for note in tables.notes]
    story.append(Paragraph(f"Generated {timezone.now():%Y-%m-%d %H:%M} UTC", small))
    for index, sheet in enumerate(tables.sheets):
        if index:
            story.append(PageBreak())
        story.append(Paragraph(sheet.title, styles["Heading2"]))
        data: list[list[Any]] = [
            [Paragraph(f"<b>{_cell(name)}</b>", small) for name in sheet.header],
            *[[Paragraph(_escape(_cell(value)), small) for value in row] for row in sheet.rows],
        ]
        if len(data) == 1:
            story.append(Paragraph("Nothing to report.", styles["BodyText"]))
            continue
        table = Table(data, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    document.build(story)
    return buffer.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
