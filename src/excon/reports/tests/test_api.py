"""The reports API through the mounted API: every report as JSON, files (request, status, download, who sees
which), publishing, and object-level authorisation (exporters get 404, auditors may not write)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from ninja.testing import TestClient

from excon.accounts import services as account_services
from excon.api import api
from excon.reports.models import PublishedReport

from .factories import analyst, auditor, department_analyst, exporter_user, licence, mapped_entries

pytestmark = pytest.mark.django_db

CLIENT = TestClient(api)
Y = 2023
ON = dt.date(Y, 6, 1)
DATA_ENDPOINTS = [
    f"/reports/national?year={Y}",
    f"/reports/att?year={Y}",
    f"/reports/unroca?year={Y}",
    f"/reports/processing?year={Y}",
    f"/reports/revenue?year={Y}",
    "/reports/files",
]


def bearer(user: Any) -> dict[str, str]:
    _, full = account_services.api_token_create(actor=user, name="test")
    return {"Authorization": f"Bearer {full}"}


@pytest.fixture
def data() -> None:
    mapped_entries()
    licence(on=ON, destination="PL", lines=[{"entry": "ML6.a", "value": "1000.50", "quantity": 2}])
    licence(on=ON, destination="DE", lines=[{"entry": "ML6.a", "value": "250", "quantity": 1}])
    licence(on=ON, destination="PL", lines=[{"entry": "ML6.a", "value": "0"}], legacy="refused", criteria=[1, 3])
    licence(
        on=ON,
        destination="NG",
        licence_type="brokering",
        lines=[{"entry": "ML1.a", "value": "80", "quantity": 4, "description": "Assault rifles"}],
    )


def test_an_analyst_reads_every_report_as_json(data) -> None:  # type: ignore[no-untyped-def]
    headers = bearer(analyst())
    for path in DATA_ENDPOINTS:
        answer = CLIENT.get(path, headers=headers)
        assert answer.status_code == 200, (path, answer.json())
    national = CLIENT.get(f"/reports/national?year={Y}", headers=headers).json()
    rows = {(row["destination_iso"], row["category"]): row for row in national["rows"]}
    assert rows[("PL", "ML6")]["value_issued"] == "1000.50"
    assert rows[("PL", "ML6")]["refusal_criteria"] == "1:1;3:1"
    assert rows[("NG", "ML1")]["licences_issued"] == 0
    assert (rows[("NG", "ML1")]["brokering_licences_issued"], rows[("NG", "ML1")]["brokering_value_issued"]) == (
        1,
        "80.00",
    )
    regions = {row["region"]: row for row in national["region_totals"]}
    assert (regions["Eastern Europe"]["licences_issued"], regions["Eastern Europe"]["licences_refused"]) == (1, 1)
    assert regions["Western Europe"]["value_issued"] == "250.00"
    assert regions["Western Africa"]["brokering_licences_issued"] == 1
    assert national["criteria_totals"] == {"1": 1, "3": 1}
    att = CLIENT.get(f"/reports/att?year={Y}&basis=authorised", headers=headers).json()
    salw = [row for row in att["rows"] if row["category"] == "SALW"]
    assert [(row["importer_iso"], row["items"], row["category_label"]) for row in salw] == [
        ("NG", 4, "Small arms and light weapons: Small arms: assault rifles")
    ]


def test_the_national_report_defaults_to_the_latest_year_with_data(data) -> None:  # type: ignore[no-untyped-def]
    answer = CLIENT.get("/reports/national", headers=bearer(analyst()))
    assert answer.status_code == 200
    assert answer.json()["year"] == Y


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/reports/national?year=1800", "report.bad_year"),
        ("/reports/att?year=abc", "report.bad_year"),
        (f"/reports/att?year={Y}&basis=rumoured", "report.bad_basis"),
        ("/reports/revenue?year=2999", "report.bad_year"),
    ],
)
def test_bad_parameters_answer_422_with_the_reports_code(path, code) -> None:  # type: ignore[no-untyped-def]
    answer = CLIENT.get(path, headers=bearer(analyst()))
    assert (answer.status_code, answer.json()["code"]) == (422, code)


def test_exporters_get_404_and_strangers_401(data) -> None:  # type: ignore[no-untyped-def]
    headers = bearer(exporter_user())
    for path in [*DATA_ENDPOINTS, "/reports/national"]:
        answer = CLIENT.get(path, headers=headers)
        assert (answer.status_code, answer.json()["code"]) == (404, "not_found"), path
        assert CLIENT.get(path).status_code == 401
    request = CLIENT.post(
        "/reports/files", json={"kind": "national", "year": str(Y), "file_format": "csv"}, headers=headers
    )
    assert request.status_code == 403
    assert CLIENT.post("/reports/published", json={"year": str(Y)}, headers=headers).status_code == 403


def test_files_are_requested_built_listed_and_downloaded(data, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    owner = analyst()
    headers = bearer(owner)
    with django_capture_on_commit_callbacks(execute=True):
        created = CLIENT.post(
            "/reports/files", json={"kind": "national", "year": str(Y), "file_format": "csv"}, headers=headers
        )
    assert created.status_code == 201, created.json()
    file_id = created.json()["id"]
    detail = CLIENT.get(f"/reports/files/{file_id}", headers=headers).json()
    assert (detail["status"], detail["progress"], detail["kind"]) == ("done", 100, "national")
    assert detail["key_id"]
    assert detail["signature"]
    download = CLIENT.get(f"/reports/files/{file_id}/download", headers=headers)
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == detail["sha256"] == download["X-Report-SHA256"]
    assert download.content.decode().startswith("year,destination,destination_iso,category")
    listed = CLIENT.get("/reports/files", headers=headers).json()
    assert [item["id"] for item in listed["items"]] == [file_id]
    # another reader sees the national file; a revenue file only its requester
    with django_capture_on_commit_callbacks(execute=True):
        revenue = CLIENT.post(
            "/reports/files", json={"kind": "revenue", "year": str(Y), "file_format": "xlsx"}, headers=headers
        ).json()
    other = bearer(analyst())
    assert CLIENT.get(f"/reports/files/{file_id}", headers=other).status_code == 200
    assert CLIENT.get(f"/reports/files/{revenue['id']}", headers=other).status_code == 404
    assert CLIENT.get(f"/reports/files/{revenue['id']}/download", headers=other).status_code == 404
    exporter = bearer(exporter_user())
    assert CLIENT.get(f"/reports/files/{file_id}/download", headers=exporter).status_code == 404
    assert CLIENT.get("/reports/files/not-a-uuid", headers=headers).status_code == 404


def test_file_request_errors_and_auditors(data) -> None:  # type: ignore[no-untyped-def]
    headers = bearer(analyst())
    bad_format = CLIENT.post(
        "/reports/files", json={"kind": "att", "year": str(Y), "file_format": "docx"}, headers=headers
    )
    assert (bad_format.status_code, bad_format.json()["code"]) == (422, "report.bad_format")
    unknown = CLIENT.post(
        "/reports/files", json={"kind": "gossip", "year": str(Y), "file_format": "csv"}, headers=headers
    )
    assert (unknown.status_code, unknown.json()["code"]) == (422, "report.unknown_kind")
    reader = bearer(auditor())
    assert CLIENT.get(f"/reports/national?year={Y}", headers=reader).status_code == 200
    refused = CLIENT.post(
        "/reports/files", json={"kind": "national", "year": str(Y), "file_format": "csv"}, headers=reader
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")


def test_publishing_over_the_api(data) -> None:  # type: ignore[no-untyped-def]
    published = CLIENT.post("/reports/published", json={"year": str(Y)}, headers=bearer(analyst()))
    assert published.status_code == 201, published.json()
    assert published.json()["version"] == 1
    assert {row["destination_iso"] for row in published.json()["rows"]} == {"PL", "DE", "NG"}
    assert PublishedReport.objects.get(year=Y).version == 1
    nil = CLIENT.post("/reports/published", json={"year": "2001"}, headers=bearer(analyst()))
    assert (nil.status_code, nil.json()["code"]) == (422, "report.nothing_to_publish")
    department = CLIENT.post("/reports/published", json={"year": str(Y)}, headers=bearer(department_analyst()))
    assert department.status_code == 403
