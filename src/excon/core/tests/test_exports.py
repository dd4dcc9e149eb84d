"""Every exported text cell is neutralised; numbers and dates keep their types."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from excon.core.exports import Sheet, csv_text, csv_writerow, neutralise, xlsx_bytes

HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_triggers_get_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["", "Rifle AK-12", "ML1.a", "a=b"])
def test_ordinary_text_is_unchanged(text):
    assert neutralise(text) == text


def test_csv_neutralises_text_but_not_numbers():
    document = csv_text(["name", "value", "day"], [["=1+1", Decimal("-5.50"), dt.date(2026, 1, 2)], [None, 3, "x"]])
    rows = list(csv.reader(io.StringIO(document)))
    assert rows[1] == ["'=1+1", "-5.50", "2026-01-02"]
    assert rows[2] == ["", "3", "x"]


def test_streamed_csv_rows_are_neutralised():
    buffer = io.StringIO()
    csv_writerow(csv.writer(buffer), ["@evil", 1])
    assert buffer.getvalue().strip() == "'@evil,1"


def test_xlsx_cells_are_typed_and_never_formulas():
    aware = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    content = xlsx_bytes(
        [Sheet(title="a/b: [report]", header=["name", "value", "when"], rows=[["=cmd|' /C calc'!A0", 7, aware]])]
    )
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "a b   report"
    name, value, when = (cell for cell in sheet[2])
    assert name.data_type == "s"
    assert name.value == "'=cmd|' /C calc'!A0"
    assert value.value == 7
    assert when.value == dt.datetime(2026, 3, 1, 12, 0)
    assert sheet["A1"].font.bold
