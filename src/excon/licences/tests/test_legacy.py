"""The legacy licence import: validation with row/column/reason, all-or-nothing unless --partial, idempotency on
the licence number, legacy exporters, dual-use codes filed under their group, one audit entry per run; and the
real UK licensing statistics (2008-2015, 96,311 rows) loaded end to end."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from excon.accounts.models import Organisation
from excon.accounts.tests.factories import AuthorityFactory, OrganisationFactory
from excon.audit.models import AuditEntry
from excon.audit.verification import verify_chain
from excon.licences.legacy import COLUMNS, import_legacy_licences, legacy_exporter_registration
from excon.licences.models import Licence, LicenceLine
from excon.refdata.countries import country_code
from excon.refdata.loading import load_refdata
from excon.refdata.models import ControlListEntry, Country

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)


def csv_text(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


@pytest.fixture
def refdata() -> None:
    load_refdata()


GOOD = csv_text(
    "OLD-1,2012-03-01,Acme Defence Ltd,United States of America,ML10,2,1500.50,GBP,issued",
    "OLD-1,2012-03-01,Acme Defence Ltd,United States of America,5A002,,200,GBP,issued",
    "OLD-2,2013-07-15,Acme Defence Ltd,South Korea,PL5001,1,99,EUR,refused",
)


# The importer -------------------------------------------------------------------------------------------------


def test_good_file_creates_historical_licences_with_lines(refdata: None) -> None:
    result = import_legacy_licences(GOOD)
    assert result.errors == []
    assert (result.licences_created, result.licences_unchanged, result.lines, result.rejected) == (2, 0, 3, 0)
    first = Licence.objects.get(number="OLD-1")
    assert (first.source, first.status, first.legacy_outcome) == ("legacy", "historical", "issued")
    assert first.destination.iso2 == "US"
    assert str(first.valid_from) == "2012-03-01"
    assert first.valid_until is None
    assert str(first.issued_on) == "2012-03-01"
    lines = list(first.lines.select_related("control_entry").order_by("line_number"))
    assert [(line.line_number, line.control_entry.code, line.quantity) for line in lines] == [  # type: ignore[union-attr]
        (1, "ML10", 2),
        (2, "5A", None),  # 5A002 is not in the tree: filed under its group, the code kept in the description
    ]
    assert lines[0].value == Decimal("1500.50")
    assert lines[0].currency == "GBP"
    assert "5A002" in lines[1].description
    refused = Licence.objects.get(number="OLD-2")
    assert refused.legacy_outcome == "refused"
    assert refused.destination.iso2 == "KR"


def test_unknown_exporter_name_becomes_one_audited_legacy_exporter(refdata: None) -> None:
    import_legacy_licences(GOOD)
    exporter = Organisation.objects.get(name="Acme Defence Ltd")
    assert exporter.kind == "exporter"
    assert exporter.status == "active"
    assert exporter.registration_number == legacy_exporter_registration("acme  DEFENCE ltd")
    assert exporter.registration_number.startswith("LEGACY-")
    assert set(Licence.objects.values_list("holder", flat=True)) == {exporter.pk}
    assert AuditEntry.objects.filter(verb="organisation.created", target_id=str(exporter.pk)).count() == 1


def test_exporter_by_registration_number_or_existing_name(refdata: None) -> None:
    known = OrganisationFactory.create(name="Known Arms JSC", registration_number="EXP-777")
    result = import_legacy_licences(
        csv_text(
            "OLD-10,2012-01-01,exp-777,DE,ML1,1,10,EUR,issued",
            "OLD-11,2012-01-01,known arms jsc,DE,ML1,1,10,EUR,issued",
        )
    )
    assert result.errors == []
    assert result.exporters_created == 0
    assert set(Licence.objects.values_list("holder", flat=True)) == {known.pk}


def test_a_name_of_an_organisation_that_is_not_an_exporter_is_a_row_error(refdata: None) -> None:
    AuthorityFactory(name="The Authority")
    result = import_legacy_licences(csv_text("OLD-1,2012-01-01,The Authority,DE,ML1,1,10,EUR,issued"))
    assert [(e.row, e.column, e.code) for e in result.errors] == [(2, "exporter", "import.not_an_exporter")]
    assert Licence.objects.count() == 0


def test_second_run_is_unchanged_and_modifies_nothing(refdata: None) -> None:
    import_legacy_licences(GOOD)
    before = list(Licence.objects.order_by("number").values_list("number", "updated_at"))
    result = import_legacy_licences(GOOD.replace("1500.50", "9999.00"))  # a changed value is still "unchanged"
    assert (result.licences_created, result.licences_unchanged, result.lines) == (0, 2, 0)
    assert list(Licence.objects.order_by("number").values_list("number", "updated_at")) == before
    assert LicenceLine.objects.get(licence__number="OLD-1", line_number=1).value == Decimal("1500.50")
    assert Organisation.objects.filter(registration_number__startswith="LEGACY-").count() == 1


def test_one_audit_entry_per_run_not_per_licence(refdata: None) -> None:
    before = AuditEntry.objects.filter(verb="licences.legacy_imported").count()
    import_legacy_licences(GOOD)
    entries = AuditEntry.objects.filter(verb="licences.legacy_imported")
    assert entries.count() == before + 1
    entry = entries.order_by("-seq").first()
    assert entry is not None
    assert entry.actor is None
    assert entry.actor_repr == "system:import-licences"
    assert entry.payload["licences_created"] == 2
    assert entry.payload["lines"] == 3
    assert verify_chain().ok


BAD_ROWS = [
    ("OLD-3,2012-13-01,Acme,DE,ML1,1,10,EUR,issued", "issued_on", "import.bad_date"),
    ("OLD-3,2099-01-01,Acme,DE,ML1,1,10,EUR,issued", "issued_on", "import.future_date"),
    ("OLD-3,2012-01-01,Acme,Atlantis,ML1,1,10,EUR,issued", "destination", "country.unknown"),
    ("OLD-3,2012-01-01,Acme,Serbia and Montenegro,ML1,1,10,EUR,issued", "destination", "country.unknown"),
    ("OLD-3,2012-01-01,Acme,DE,ML99,1,10,EUR,issued", "control_entry", "control_entry.unknown"),
    ("OLD-3,2012-01-01,Acme,DE,HR AII,1,10,EUR,issued", "control_entry", "control_entry.unknown"),
    ("OLD-3,2012-01-01,Acme,DE,ML1,-1,10,EUR,issued", "quantity", "import.bad_quantity"),
    ("OLD-3,2012-01-01,Acme,DE,ML1,1.5,10,EUR,issued", "quantity", "import.bad_quantity"),
    ("OLD-3,2012-01-01,Acme,DE,ML1,1,ten,EUR,issued", "value", "import.bad_value"),
    ("OLD-3,2012-01-01,Acme,DE,ML1,1,10.001,EUR,issued", "value", "import.bad_value"),
    ("OLD-3,2012-01-01,Acme,DE,ML1,1,10,XYZ,issued", "currency", "money.unknown_currency"),
    ("OLD-3,2012-01-01,Acme,DE,ML1,1,10,EUR,pending", "status", "import.bad_status"),
    ("OLD-3,2012-01-01,,DE,ML1,1,10,EUR,issued", "exporter", "import.required"),
    ("OLD-3,2012-01-01,Acme,DE,ML1,1,,EUR,issued", "value", "import.required"),
]


def test_a_refused_row_may_have_no_value(refdata: None) -> None:
    result = import_legacy_licences(csv_text("OLD-5,2012-01-01,Acme,DE,ML1,,,GBP,refused"))
    assert result.errors == []
    assert LicenceLine.objects.get(licence__number="OLD-5").value == Decimal(0)


def test_kosovo_rows_import_as_xk(refdata: None) -> None:
    result = import_legacy_licences(csv_text("OLD-6,2012-01-01,Acme,Kosovo,ML1,,10,GBP,issued"))
    assert result.errors == []
    assert Licence.objects.get(number="OLD-6").destination.iso2 == "XK"


CRITERIA_HEADER = HEADER + ",refusal_criteria"


def test_refusal_criteria_column_is_optional_and_stored_per_criterion(refdata: None) -> None:
    text = "\n".join(
        [
            CRITERIA_HEADER,
            "OLD-7,2012-01-01,Acme,DE,ML1,,,GBP,refused,1;7",
            "OLD-7,2012-01-01,Acme,DE,ML2,,,GBP,refused,7",
            "OLD-8,2012-01-01,Acme,DE,ML1,,5,GBP,issued,",
        ]
    )
    result = import_legacy_licences(text + "\n")
    assert result.errors == []
    licence = Licence.objects.get(number="OLD-7")
    assert list(licence.refusal_criteria.values_list("criterion", flat=True)) == [1, 7]
    assert not Licence.objects.get(number="OLD-8").refusal_criteria.exists()


@pytest.mark.parametrize(
    ("row", "code"),
    [
        ("OLD-9,2012-01-01,Acme,DE,ML1,,,GBP,refused,9", "import.bad_refusal_criteria"),
        ("OLD-9,2012-01-01,Acme,DE,ML1,,,GBP,refused,one", "import.bad_refusal_criteria"),
        ("OLD-9,2012-01-01,Acme,DE,ML1,,5,GBP,issued,2", "import.criteria_on_issued"),
    ],
)
def test_bad_refusal_criteria_are_row_errors(refdata: None, row: str, code: str) -> None:
    result = import_legacy_licences(f"{CRITERIA_HEADER}\n{row}\n")
    assert [(e.row, e.column, e.code) for e in result.errors] == [(2, "refusal_criteria", code)]
    assert Licence.objects.count() == 0


@pytest.mark.parametrize(("row", "column", "code"), BAD_ROWS)
def test_a_bad_row_is_reported_with_row_column_reason_and_nothing_is_written(
    refdata: None, row: str, column: str, code: str
) -> None:
    result = import_legacy_licences(GOOD + row + "\n")
    assert [(e.row, e.column, e.code) for e in result.errors] == [(5, column, code)]
    assert result.errors[0].message
    assert Licence.objects.count() == 0
    assert result.licences_created == 0
    assert not Organisation.objects.filter(registration_number__startswith="LEGACY-").exists()
    assert not AuditEntry.objects.filter(verb="licences.legacy_imported").exists()


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("OLD-1,2012-03-02,Acme Defence Ltd,United States of America,ML1,1,10,GBP,issued", "issued_on"),
        ("OLD-1,2012-03-01,Other Ltd,United States of America,ML1,1,10,GBP,issued", "exporter"),
        ("OLD-1,2012-03-01,Acme Defence Ltd,CA,ML1,1,10,GBP,issued", "destination"),
        ("OLD-1,2012-03-01,Acme Defence Ltd,United States of America,ML1,1,10,GBP,refused", "status"),
    ],
)
def test_rows_of_one_licence_must_agree(refdata: None, row: str, column: str) -> None:
    result = import_legacy_licences(GOOD + row + "\n")
    assert [(e.row, e.column, e.code) for e in result.errors] == [(5, column, "import.licence_rows_disagree")]


def test_the_same_country_written_two_ways_agrees(refdata: None) -> None:
    result = import_legacy_licences(GOOD + "OLD-1,2012-03-01,ACME defence ltd,US,ML1,1,10,GBP,issued\n")
    assert result.errors == []
    assert result.lines == 4


def test_partial_writes_good_licences_and_rejects_a_licence_with_any_bad_row_whole(refdata: None) -> None:
    text = (
        GOOD + "OLD-1,2012-03-01,Acme Defence Ltd,US,NOPE,1,10,GBP,issued\nOLD-4,2012-01-01,Acme,DE,ML1,,5,EUR,issued\n"
    )
    result = import_legacy_licences(text, partial=True)
    assert [(e.row, e.column) for e in result.errors] == [(5, "control_entry")]
    assert set(Licence.objects.values_list("number", flat=True)) == {"OLD-2", "OLD-4"}
    assert (result.licences_created, result.lines, result.rejected) == (2, 2, 3)


def test_header_must_be_exact(refdata: None) -> None:
    result = import_legacy_licences("licence_number,issued_on\nX,2012-01-01\n")
    assert {(e.row, e.column, e.code) for e in result.errors} >= {(1, "exporter", "import.missing_column")}
    reordered = ",".join(reversed(COLUMNS)) + "\n"
    assert import_legacy_licences(reordered).errors[0].code == "import.bad_header"
    assert import_legacy_licences("").errors[0].code == "import.empty"


def test_command_json_summary_and_exit_status(refdata: None, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    call_command("import_licences", str(good), "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert {k: summary[k] for k in ("licences_created", "licences_unchanged", "lines", "rejected")} == {
        "licences_created": 2,
        "licences_unchanged": 0,
        "lines": 3,
        "rejected": 0,
    }
    assert set(summary) == {"licences_created", "licences_unchanged", "lines", "rejected", "errors"}
    bad = tmp_path / "bad.csv"
    bad.write_text(csv_text("OLD-9,2012-01-01,Acme,DE,ML1,1,10,EUR,maybe"), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_licences", str(bad), "--json", stdout=out)
    assert json.loads(out.getvalue())["errors"][0]["column"] == "status"
    assert not Licence.objects.filter(number="OLD-9").exists()
    call_command("import_licences", str(bad), "--partial", stdout=io.StringIO(), stderr=io.StringIO())


# The real UK licensing statistics ------------------------------------------------------------------------------

UK_FILE = "uk_licensing/caat_uk_values_2008-01_to_2015-03.csv"
UK_EXPORTER = "UK exporter (not named in the published statistics)"


def uk_licence_number(group: str) -> str:
    return f"UK-{int(group):06d}"


def uk_rows_to_import(path: Path) -> str:
    """The CAAT compilation of the UK's licensing statistics (licence_group, date, rating, count, value, country,
    refused) in the legacy-import format. The statistics name no exporter, so one placeholder exporter holds all;
    values are GBP; `count` is how many times the rating was listed, not a number of items, so lines are
    value-only."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            writer.writerow(
                [
                    uk_licence_number(row["licence_group"]),
                    row["date"],
                    UK_EXPORTER,
                    row["country"],
                    row["rating"],
                    "",
                    row["value"],
                    "GBP",
                    "refused" if row["refused"] == "1" else "issued",
                ]
            )
    return out.getvalue()


def uk_expected(path: Path) -> tuple[set[str], int]:
    """The licences (and their number of lines) that must load: every row's rating maps to a control entry (itself,
    or for a dual-use code its group or category) and its destination resolves."""
    codes = {code.upper() for code in ControlListEntry.objects.values_list("code", flat=True)}
    countries = set(Country.objects.values_list("iso2", flat=True))

    def known(rating: str) -> bool:
        rating = rating.strip().upper()
        if rating in codes:
            return True
        return len(rating) == 5 and rating[0].isdigit() and (rating[:2] in codes or rating[:1] in codes)

    good: dict[str, int] = {}
    bad: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            number = uk_licence_number(row["licence_group"])
            if known(row["rating"]) and country_code(row["country"]) in countries:
                good[number] = good.get(number, 0) + 1
            else:
                bad.add(number)
    licences = set(good) - bad
    return licences, sum(good[number] for number in licences)


@pytest.mark.shared_data
def test_real_uk_licensing_statistics_load(shared_data: Path) -> None:
    path = shared_data / UK_FILE
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    load_refdata()
    text = uk_rows_to_import(path)
    expected_licences, expected_lines = uk_expected(path)
    assert len(expected_licences) > 60_000  # the bulk of the 63,408 licence groups

    result = import_legacy_licences(text, partial=True, source_name="uk")
    assert result.rows == 96_311
    assert result.licences_created == len(expected_licences)
    assert result.lines == expected_lines
    assert set(Licence.objects.values_list("number", flat=True)) == expected_licences
    assert LicenceLine.objects.count() == expected_lines
    assert all(error.column in ("control_entry", "destination") for error in result.errors)
    with path.open(encoding="utf-8") as handle:
        refused = {uk_licence_number(row["licence_group"]) for row in csv.DictReader(handle) if row["refused"] == "1"}
    # Refused rows carry no value in the statistics; they load all the same.
    assert set(Licence.objects.filter(legacy_outcome="refused").values_list("number", flat=True)) == (
        refused & expected_licences
    )
    assert len(refused & expected_licences) > 600

    # Spot checks against the file's first rows.
    first = Licence.objects.select_related("destination").get(number="UK-000001")
    assert (str(first.issued_on), first.destination.iso2) == ("2008-01-02", "IT")
    line = first.lines.select_related("control_entry").get()
    assert (line.control_entry.code, line.value, line.currency, line.quantity) == (  # type: ignore[union-attr]
        "ML10",
        Decimal("3540"),
        "GBP",
        None,
    )
    assert Licence.objects.get(number="UK-000002").destination.iso2 == "AE"
    assert Licence.objects.get(number="UK-000004").destination.iso2 == "US"
    assert Organisation.objects.filter(name=UK_EXPORTER, registration_number__startswith="LEGACY-").count() == 1
    dual_use = LicenceLine.objects.filter(licence__source="legacy", control_entry__regime="dual_use").first()
    assert dual_use is not None

    again = import_legacy_licences(text, partial=True, source_name="uk")
    assert (again.licences_created, again.lines) == (0, 0)
    assert again.licences_unchanged == len(expected_licences)
    assert Licence.objects.count() == len(expected_licences)
