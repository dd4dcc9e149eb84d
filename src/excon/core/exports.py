"""The one way ExCon writes spreadsheets (CSV and XLSX).

Every exported text cell goes through `neutralise()`: a spreadsheet runs a cell that begins with `=`, `+`, `-`, `@`,
a tab or a carriage return as a formula (OWASP "CSV injection"), and an exporter controls many of the texts we export
(product designations, party names). Such a text gets a leading apostrophe, so it is shown, never run. Numbers,
decimals and dates keep their types: analysts sum and sort them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | Decimal | dt.date | dt.datetime | bool | None


def neutralise(value: str) -> str:
    """Text a spreadsheet will show as it is, never evaluate."""
    if value and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _typed(value: object) -> Cell:
    """A cell value keeping numbers and dates as themselves and making everything else safe text."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        # openpyxl refuses aware datetimes; spreadsheets have no time zones, so write UTC.
        return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date):
        return value
    return neutralise(str(value))


def _csv_text(value: object) -> str:
    typed = _typed(value)
    if typed is None:
        return ""
    if isinstance(typed, dt.datetime | dt.date):
        return typed.isoformat()
    return str(typed)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A CSV document (header first) with every text cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise(str(name)) for name in header])
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    return buffer.getvalue()


class RowWriter(Protocol):
    def writerow(self, row: Iterable[object], /) -> object: ...


def csv_writerow(writer: RowWriter, row: Sequence[object]) -> object:
    """Write one neutralised row to an open csv.writer (for streamed files such as `excon screen --out` and the
    audit log's export); returns what the writer returns (the line, for a streamed response)."""
    return writer.writerow([_csv_text(value) for value in row])


@dataclass
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[object]] = field(default_factory=list)


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX workbook, one worksheet per `Sheet`: bold frozen header, typed cells, neutralised text."""
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    for sheet_data in sheets:
        sheet = workbook.create_sheet(title=_sheet_title(sheet_data.title))
        sheet.append([neutralise(str(name)) for name in sheet_data.header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in sheet_data.rows:
            sheet.append([_typed(value) for value in row])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    # Excel limits titles to 31 characters and forbids a few; a title must never fail an export.
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip() or "Sheet"
    return cleaned[:31]
