"""Report files (recorded, stored, signed, verifiable; built as a background job with progress), the pages of each
report with their downloads, the permission matrix (exporters: not found everywhere), publishing and the public
open-data pages, and the CLI contract."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook

from excon.audit.models import AuditEntry
from excon.core.errors import PermissionDenied, ValidationError
from excon.reports import selectors, services
from excon.reports.models import PublishedReport, ReportFile
from excon.reports.national import CSV_COLUMNS

from .factories import analyst, auditor, exporter_user, licence, mapped_entries

pytestmark = pytest.mark.django_db

Y = 2024
ON = dt.date(Y, 3, 10)
PAGES = [
    "/reports/",
    "/reports/national/",
    "/reports/att/",
    "/reports/unroca/",
    "/reports/processing/",
    "/reports/revenue/",
]


@pytest.fixture
def data() -> None:
    mapped_entries()
    holder_name = "Secret Exporter Holdings"
    from excon.accounts.tests.factories import OrganisationFactory

    holder = OrganisationFactory(name=holder_name)
    licence(on=ON, destination="PL", holder=holder, lines=[{"entry": "ML6.a", "value": "1000.50", "quantity": 2}])
    licence(on=ON, destination="PL", lines=[{"entry": "ML6.a", "value": "0"}], legacy="refused", criteria=[1, 3])


def request_file(actor, django_capture_on_commit_callbacks, **kwargs) -> ReportFile:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        report_file = services.report_file_request(actor=actor, **kwargs)
    report_file.refresh_from_db()
    return report_file


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "pdf"])
def test_a_requested_file_is_built_stored_signed_and_verifiable(
    data,
    file_format,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    actor = analyst()
    report_file = request_file(
        actor, django_capture_on_commit_callbacks, kind="national", year=Y, file_format=file_format
    )
    assert (report_file.status, report_file.progress, report_file.requested_by) == ("done", 100, actor)
    content = services.read_report_file(report_file)
    assert hashlib.sha256(content).hexdigest() == report_file.sha256
    assert report_file.signature
    assert report_file.signing_key is not None
    assert selectors.report_file_verify(content).authentic
    assert not selectors.report_file_verify(content + b" ").authentic
    verbs = set(AuditEntry.objects.filter(target_id=str(report_file.pk)).values_list("verb", flat=True))
    assert verbs == {"reports.file_requested", "reports.file_generated"}
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(content.decode())))
        assert tuple(rows[0]) == CSV_COLUMNS
        assert rows[1] == [str(Y), "PL", "PL", "ML6", "1", "1000.50", "1", "1:1;3:1", "0.00", "EUR"]
    elif file_format == "xlsx":
        book = load_workbook(io.BytesIO(content))
        sheet = book["Destinations by category"]
        assert sheet["F2"].value == 1000.5
        assert isinstance(sheet["E2"].value, int)
        assert book["Cover"]["A2"].value == "Reporting state"
    else:
        assert content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"kind": "weather", "year": Y, "file_format": "csv"}, "report.unknown_kind"),
        ({"kind": "national", "year": "20x4", "file_format": "csv"}, "report.bad_year"),
        ({"kind": "national", "year": 2999, "file_format": "csv"}, "report.bad_year"),
        ({"kind": "national", "year": Y, "file_format": "docx"}, "report.bad_format"),
        ({"kind": "att", "year": Y, "file_format": "csv", "basis": "hoped"}, "report.bad_basis"),
    ],
)
def test_bad_parameters_are_refused_and_nothing_is_recorded(kwargs, code) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        services.report_file_request(actor=analyst(), **kwargs)
    assert caught.value.code == code
    assert not ReportFile.objects.exists()


def test_auditors_read_but_do_not_generate_and_exporters_do_neither(data) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.report_file_request(actor=auditor(), kind="national", year=Y, file_format="csv")
    with pytest.raises(PermissionDenied):
        services.report_file_request(actor=exporter_user(), kind="national", year=Y, file_format="csv")
    client = Client()
    client.force_login(auditor())
    assert all(client.get(page).status_code == 200 for page in PAGES)


def test_every_report_page_for_an_analyst_and_none_for_an_exporter(
    data,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    client = Client()
    client.force_login(analyst())
    for page in PAGES:
        response = client.get(f"{page}?year={Y}")
        assert response.status_code == 200, page
    # Amounts on pages have thousands separators.
    assert "1,000.50" in client.get(f"/reports/national/?year={Y}").content.decode()
    assert "Nil report" in client.get("/reports/national/?year=2001").content.decode()
    bad = client.get("/reports/national/?year=abc")
    assert bad.status_code == 400
    assert "the year must be" in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/files/", {"kind": "att", "year": Y, "file_format": "xlsx", "basis": "actual"})
    assert response.status_code == 302
    report_file = ReportFile.objects.get()
    detail = client.get(response["Location"])
    assert "Download att-2024-actual.xlsx" in detail.content.decode()
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert 'data-status="done"' in partial.content.decode()
    assert "<html" not in partial.content.decode()
    download = client.get(f"/reports/files/{report_file.pk}/download/")
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == report_file.sha256

    outsider = Client()
    outsider.force_login(exporter_user())
    for page in [*PAGES, f"/reports/files/{report_file.pk}/", f"/reports/files/{report_file.pk}/download/"]:
        assert outsider.get(page).status_code == 404, page
    assert outsider.post("/reports/files/", {"kind": "national", "year": Y, "file_format": "csv"}).status_code == 404
    assert outsider.post("/reports/publish/", {"year": Y}).status_code == 404


def test_publish_and_the_public_open_data_pages(data) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.report_publish(actor=exporter_user(), year=Y)
    with pytest.raises(ValidationError) as caught:
        services.report_publish(actor=analyst(), year=2001)
    assert caught.value.code == "report.nothing_to_publish"
    client = Client()
    client.force_login(analyst())
    refused = client.post("/reports/publish/", {"year": 2001}, follow=True)  # a nil year: back, with the reason
    assert refused.redirect_chain == [("/reports/national/?year=2001", 302)]
    assert "there is nothing to publish for 2001" in refused.content.decode()
    published = client.post("/reports/publish/", {"year": Y}, follow=True)
    assert published.redirect_chain == [(f"/open-data/{Y}/", 302)]
    assert f"The national report for {Y} is published (version 1)" in published.content.decode()
    bad_file = client.post("/reports/files/", {"kind": "nonsense", "year": Y, "file_format": "csv"}, follow=True)
    assert bad_file.redirect_chain == [("/reports/", 302)]
    assert not ReportFile.objects.exists()
    again = services.report_publish(actor=analyst(), year=Y)
    assert again.version == 2
    assert PublishedReport.objects.count() == 1
    public = Client()
    page = public.get(f"/open-data/{Y}/").content.decode()
    assert "1,000.50" in page  # amounts with thousands separators
    assert "Secret Exporter Holdings" not in page
    assert str(Y) in public.get("/open-data/").content.decode()
    download = public.get(f"/open-data/{Y}.csv")
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[1][4:8] == ["1", "1000.50", "1", "1:1;3:1"]
    assert public.get("/open-data/1999/").status_code == 404
    assert public.get("/reports/").status_code == 302  # the reports themselves need a sign-in


def test_public_verification_page(data, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    report_file = request_file(
        analyst(), django_capture_on_commit_callbacks, kind="national", year=Y, file_format="csv"
    )
    content = services.read_report_file(report_file)
    public = Client()
    good = public.post("/open-data/verify/", {"file": SimpleUploadedFile("u.csv", content)})
    assert 'data-verification="authentic"' in good.content.decode()
    forged = public.post(
        "/open-data/verify/", {"file": SimpleUploadedFile("u.csv", content.replace(b"1000.50", b"1000.51"))}
    )
    assert 'data-verification="not-authentic"' in forged.content.decode()
    assert public.post("/open-data/verify/", {}).status_code == 400


# The CLI ----------------------------------------------------------------------------------------------------


def test_cli_national_csv_is_the_contract(data, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "national.csv"
    stdout = io.StringIO()
    call_command("report", "national", "--year", str(Y), "--out", str(out), stdout=stdout)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert rows[0]["refusal_criteria"] == "1:1;3:1"
    assert rows[0]["value_issued"] == "1000.50"
    assert "SHA-256" in stdout.getvalue()
    recorded = ReportFile.objects.get()
    assert (recorded.requested_by, recorded.requested_via, recorded.sha256) == (
        None,
        "cli",
        hashlib.sha256(out.read_bytes()).hexdigest(),
    )


def test_cli_nil_report_other_reports_and_formats(data, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    nil = tmp_path / "nil.csv"
    call_command("report", "national", "--year", "2001", "--out", str(nil), stdout=io.StringIO())
    assert nil.read_text().strip() == ",".join(CSV_COLUMNS)
    att = tmp_path / "att.csv"
    call_command("report", "att", "--year", str(Y), "--basis", "actual", "--out", str(att), stdout=io.StringIO())
    assert att.read_text().splitlines()[0].startswith("year,basis,category")
    unroca = tmp_path / "unroca.xlsx"
    call_command("report", "unroca", "--year", str(Y), "--format", "xlsx", "--out", str(unroca), stdout=io.StringIO())
    assert load_workbook(unroca)["Exports"]["A1"].value == "year"
    pdf = tmp_path / "national.pdf"
    call_command("report", "national", "--year", str(Y), "--format", "pdf", "--out", str(pdf), stdout=io.StringIO())
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "argv",
    [
        ["national", "--year", "19x9", "--out", "{tmp}/x.csv"],
        ["national", "--year", "2999", "--out", "{tmp}/x.csv"],
        ["national", "--year", "2024", "--out", "{tmp}/missing/x.csv"],
        ["national", "--year", "2024", "--out", "{tmp}"],
    ],
)
def test_cli_bad_parameters_exit_with_a_clear_message(argv, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError) as caught:
        call_command("report", *[arg.replace("{tmp}", str(tmp_path)) for arg in argv], stdout=io.StringIO())
    assert str(caught.value)
    assert not ReportFile.objects.exists()


def test_cli_refuses_unknown_choices_through_argparse(tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        call_command("report", "att", "--year", "2024", "--basis", "hoped", "--out", str(tmp_path / "a.csv"))
    with pytest.raises(CommandError):
        call_command("report", "unroca", "--year", "2024", "--format", "pdf", "--out", str(tmp_path / "a.pdf"))
