"""The dashboard as CSV and XLSX: totals per quarter, then each product."""

from __future__ import annotations

from excon.core.exports import Sheet, csv_text, xlsx_bytes

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
    return csv_text(COLUMNS, dashboard_rows(data))


def dashboard_xlsx(data: Dashboard) -> bytes:
    return xlsx_bytes([Sheet(title=f"{data.category} {data.year}", header=COLUMNS, rows=dashboard_rows(data))])
