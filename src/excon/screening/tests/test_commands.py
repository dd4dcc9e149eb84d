"""`excon screen`: hits written per row, bad rows reported and skipped."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import call_command

from excon.screening.enums import EntryKind
from excon.screening.index import forget_index

from .factories import list_entry

pytestmark = pytest.mark.django_db


def test_screen_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    forget_index()
    list_entry("Zala Aero Group", kind=EntryKind.ORGANISATION, countries=("RU",))
    list_entry("Ivan Petrovich Sidorov", countries=("RU",))
    source = tmp_path / "in.csv"
    source.write_text(
        "name,kind,country,birth_date\n"
        "ZALA AERO,organisation,RU,\n"
        ",person,,\n"
        "Sidorov Ivan,person,Russia,\n"
        "Ivan Sidorov,person,RU,1970\n"
        "Jane Doe,alien,,\n"
        "Olaf Scholz,person,DE,1958-06-14\n",
        encoding="utf-8",
    )
    out = tmp_path / "hits.csv"
    call_command("screen", str(source), "--out", str(out), "--threshold", "0.8")
    captured = capsys.readouterr()
    assert "row 3: skipped: name is empty" in captured.err
    assert "row 4: skipped: country 'Russia'" in captured.err
    assert "row 6: skipped: unknown kind" in captured.err
    with open(out, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["row"] for row in rows] == ["2", "5"]
    assert rows[0]["matched_name"] == "Zala Aero Group"
    assert rows[0]["explanation"].startswith("name ")
    assert "3 names" in captured.out
    assert "3 rows skipped" in captured.out
    forget_index()


def test_screen_out_neutralises_names_a_spreadsheet_would_run(tmp_path: Path) -> None:
    forget_index()
    list_entry("=Zala Aero Group", kind=EntryKind.ORGANISATION, countries=("RU",))
    source = tmp_path / "in.csv"
    source.write_text('name,kind,country,birth_date\n"=Zala Aero Group",organisation,RU,\n', encoding="utf-8")
    out = tmp_path / "hits.csv"
    call_command("screen", str(source), "--out", str(out), "--threshold", "0.8")
    with open(out, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    assert rows[0]["name"] == "'=Zala Aero Group"
    assert rows[0]["matched_name"] == "'=Zala Aero Group"
    forget_index()
