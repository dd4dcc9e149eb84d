"""The national report reproduces the real UK licensing statistics (CAAT compilation, ../shared/data/uk_licensing)
loaded with `excon import-licences`: per destination, the value of licences issued in a year to the penny and
the licences refused; and, from the refusal-criteria file, how often each criterion was cited.

The suite loads one full year (2010: 14,135 rows) to keep its runtime modest (about 5 s on SQLite); every year
of the file is checked the same way by `bench/reports_national.py --uk`. The statistics name no exporter: all
licences go to one placeholder exporter, as in the legacy-import test."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from excon.licences.models import Licence
from excon.refdata.countries import country_code as resolve_country
from excon.refdata.loading import load_refdata
from excon.refdata.models import ControlListEntry
from excon.reports.national import national_report

pytestmark = [pytest.mark.django_db, pytest.mark.shared_data]

VALUES = "uk_licensing/caat_uk_values_2008-01_to_2015-03.csv"
CRITERIA = "uk_licensing/caat_uk_refusal-criteria.csv"
HEADER = "licence_number,issued_on,exporter,destination,control_entry,quantity,value,currency,status,refusal_criteria"
EXPORTER = "UK licensing statistics (exporters not published)"
YEAR = 2010
# The refusal-criteria file gives, per refused licence cohort, only the criteria: no date, destination or rating
# (and its cohort ids do not match the values file's licence groups). Its refusals are loaded under these
# placeholders, in a year of their own, so that only the criteria counts are compared.
CRITERIA_YEAR, CRITERIA_DESTINATION, CRITERIA_RATING = 2016, "GB", "ML1"


def _known_codes() -> set[str]:
    return {code.upper() for code in ControlListEntry.objects.values_list("code", flat=True)}


def _rating_known(rating: str, codes: set[str]) -> bool:
    rating = rating.strip().upper()
    return rating in codes or (
        len(rating) == 5 and rating[0].isdigit() and (rating[:2] in codes or rating[:1] in codes)
    )


def uk_year(path: Path, year: int) -> tuple[str, dict[str, Decimal], dict[str, int]]:
    """The import file for one year, and the expected issued value and refused licences per destination ISO code
    (only licences whose every row loads: a rating in the control list and a destination that is one country)."""
    codes = _known_codes()
    rows = [row for row in csv.DictReader(path.open(encoding="utf-8")) if row["date"].startswith(str(year))]
    bad = {
        row["licence_group"]
        for row in rows
        if not _rating_known(row["rating"], codes) or not resolve_country(row["country"])
    }
    value: dict[str, Decimal] = defaultdict(Decimal)
    refused: dict[str, set[str]] = defaultdict(set)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER.split(","))
    for row in rows:
        status = "refused" if row["refused"] == "1" else "issued"
        writer.writerow(
            [
                f"UK-{int(row['licence_group']):06d}",
                row["date"],
                EXPORTER,
                row["country"],
                row["rating"],
                "",
                row["value"],
                "GBP",
                status,
                "",
            ]
        )
        if row["licence_group"] in bad:
            continue
        iso = resolve_country(row["country"]) or ""
        if status == "issued":
            value[iso] += Decimal(row["value"] or "0")
        else:
            refused[iso].add(row["licence_group"])
    return out.getvalue(), dict(value), {iso: len(groups) for iso, groups in refused.items()}


def test_national_report_reproduces_the_uk_statistics(shared_data: Path, tmp_path: Path) -> None:
    values_path, criteria_path = shared_data / VALUES, shared_data / CRITERIA
    if not values_path.is_file() or not criteria_path.is_file():
        pytest.skip(f"{values_path} or {criteria_path} is not present")
    load_refdata()
    text, expected_value, expected_refused = uk_year(values_path, YEAR)
    import_file = tmp_path / "uk.csv"
    import_file.write_text(text, encoding="utf-8")
    call_command("import_licences", str(import_file), "--partial", stdout=io.StringIO(), stderr=io.StringIO())
    assert Licence.objects.filter(destination__iso2="XK").exists()  # Kosovo's rows load now

    report = national_report(YEAR)
    totals = {t.destination_iso: t for t in report.destination_totals}
    assert {t.currency for t in report.destination_totals} == {"GBP"}
    assert {iso: t.value_issued for iso, t in totals.items() if t.value_issued} == {
        iso: amount for iso, amount in expected_value.items() if amount
    }
    assert {iso: t.licences_refused for iso, t in totals.items() if t.licences_refused} == expected_refused
    assert len(expected_value) > 150
    assert sum(expected_value.values()) > Decimal("1000000000")

    # Refusal criteria: every cohort of the file as a refused licence with its criteria.
    cited: dict[str, set[int]] = defaultdict(set)
    for row in csv.DictReader(criteria_path.open(encoding="utf-8")):
        cited[row["licence_cohort_id"]].add(int(row["criterion"]))
    refusals = tmp_path / "refusals.csv"
    refusals.write_text(
        HEADER
        + "\n"
        + "".join(
            f"UKR-{cohort},{CRITERIA_YEAR}-06-30,{EXPORTER},{CRITERIA_DESTINATION},{CRITERIA_RATING},,,GBP,refused,"
            f"{';'.join(map(str, sorted(numbers)))}\n"
            for cohort, numbers in cited.items()
        ),
        encoding="utf-8",
    )
    call_command("import_licences", str(refusals), stdout=io.StringIO())
    expected_criteria = Counter(number for numbers in cited.values() for number in numbers)
    criteria_report = national_report(CRITERIA_YEAR)
    assert criteria_report.criteria_totals() == dict(sorted(expected_criteria.items()))
    assert sum(t.licences_refused for t in criteria_report.destination_totals) == len(cited)
