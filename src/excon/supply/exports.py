"""The dashboard as CSV and XLSX: totals per quarter, then each product."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .selectors import Dashboard

COLUMNS = [
    "category",
    "period",
    "product",
    "capacity",
    "stock",
    "domestic_requirement",
    "licensed_outstanding",
    "shipped",
    "surplus",
]


def dashboard_rows(data: Dashboard) -> list[list[object]]:
    return [
        [
            data.category,
            row.period,
            row.product or "(all products)",
            row.capacity,
            row.stock,
            row.domestic_requirement,
            row.licensed_outstanding,
            row.shipped,
            row.surplus,
        ]
        for row in data.rows
    ]


def dashboard_csv(data: Dashboard) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(dashboard_rows(data))
    return buffer.getvalue()


def dashboard_xlsx(data: Dashboard) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = f"{data.category} {data.year}"[:31]
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in dashboard_rows(data):
        sheet.append(row)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
