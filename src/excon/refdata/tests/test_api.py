"""The reference-data API: reads for every signed-in user, writes by policy, one error shape, bounded queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from excon.accounts.tests.factories import user_with_role
from excon.audit.models import AuditEntry
from excon.core.roles import Role
from excon.refdata.models import ArmsEmbargo
from excon.refdata.tests.factories import load

pytestmark = pytest.mark.django_db
API = "/api/v1/refdata"
MAY_EDIT_EMBARGOES = {Role.SYSTEM_ADMIN, Role.SENIOR_OFFICER, Role.CASE_OFFICER}
MAY_EDIT_GROUPS = {Role.SYSTEM_ADMIN, Role.SENIOR_OFFICER}


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    return body  # type: ignore[no-any-return]


@pytest.fixture
def refdata() -> None:
    load()


def signed_in(role: Role = Role.EXPORTER_USER) -> Client:
    client = Client()
    client.force_login(user_with_role(role))
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/countries",
        "/countries/FR",
        "/control-entries",
        "/control-entries/ML1",
        "/hs-codes",
        "/embargoes",
        "/destination-groups",
        "/embargo-status?country=FR",
    ],
)
def test_unauthenticated_requests_get_401(client: Client, path: str) -> None:
    assert_error(client.get(API + path), 401, "authentication_required")


def test_unauthenticated_writes_get_401(client: Client) -> None:
    assert_error(client.post(f"{API}/embargoes", {}, content_type="application/json"), 401, "authentication_required")


def test_countries(refdata: None) -> None:
    client = signed_in()
    body = client.get(f"{API}/countries?search=fran").json()
    assert "FR" in [item["iso2"] for item in body["items"]]
    france = client.get(f"{API}/countries/fr").json()
    assert france == {
        "iso2": "FR",
        "iso3": "FRA",
        "numeric": "250",
        "name": "France",
        "official_name": "French Republic",
    }
    assert_error(client.get(f"{API}/countries/ZZ"), 404, "not_found")


def test_control_entries_filters_and_detail(refdata: None) -> None:
    client = signed_in()
    top = client.get(f"{API}/control-entries?regime=eu_military&top_level=true&page_size=100").json()
    assert top["count"] == 22
    children = client.get(f"{API}/control-entries?parent=ML6").json()["items"]
    assert [item["code"] for item in children] == ["ML6.a", "ML6.b"]
    assert children[0]["parent_code"] == "ML6"
    assert children[0]["att_categories"] == ["a", "b"]
    assert children[0]["unroca_categories"] == ["I", "II"]
    found = client.get(f"{API}/control-entries?search=caseless").json()["items"]
    assert [item["code"] for item in found] == ["ML1.c"]
    detail = client.get(f"{API}/control-entries/ML10").json()
    assert detail["att_category"] == "d"
    assert "ML10.c" in [child["code"] for child in detail["children"]]
    assert detail["parent_code"] is None
    assert_error(client.get(f"{API}/control-entries/ML99"), 404, "not_found")


def test_hs_codes(refdata: None) -> None:
    body = signed_in().get(f"{API}/hs-codes?search=9301").json()
    assert [item["code"] for item in body["items"]][:4] == ["9301", "930110", "930120", "930190"]
    assert body["items"][0]["parent_code"] == "93"


def test_embargo_list_filters(refdata: None) -> None:
    client = signed_in()
    body = client.get(f"{API}/embargoes?country=IR").json()
    assert body["count"] == 4
    active = client.get(f"{API}/embargoes?country=IR&active_on=2024-01-01").json()
    assert [item["imposed_by"] for item in active["items"]] == ["eu"]
    assert active["items"][0]["in_force"] is True
    assert client.get(f"{API}/embargoes?country=NO").json()["count"] == 0
    assert_error(client.get(f"{API}/embargoes?active_on=yesterday"), 422, "request.invalid")


def test_embargo_status_endpoint(refdata: None) -> None:
    client = signed_in()
    body = client.get(f"{API}/embargo-status?country=HT&entries=ML1.a,ML6&on=2025-01-01").json()
    assert body["level"] == "partial"
    assert body["matched_entries"] == ["ML1.a"]
    assert body["government_exempt"] is True
    assert client.get(f"{API}/embargo-status?country=HT&entries=ML6").json()["level"] == "none"
    assert client.get(f"{API}/embargo-status?country=FR").json()["level"] == "none"
    assert_error(client.get(f"{API}/embargo-status?country=ZZ"), 404, "not_found")
    assert_error(client.get(f"{API}/embargo-status?country=HT&entries=ML99"), 422, "control_entry.unknown")


def test_list_query_counts_do_not_grow(refdata: None, django_assert_max_num_queries: Any) -> None:
    client = signed_in()
    client.get(f"{API}/countries")  # warm the session and the user's roles
    for path, limit in [
        # session, user, roles, (session save), count, rows, + one per prefetched relation
        ("/countries?page_size=100", 8),
        ("/control-entries?page_size=100", 8),
        ("/hs-codes?page_size=100", 8),
        ("/embargoes?page_size=50", 9),
        ("/destination-groups", 9),
    ]:
        with django_assert_max_num_queries(limit):
            response = client.get(API + path)
        assert response.status_code == 200, path
        assert response.json()["count"] > 0, path


@pytest.mark.parametrize("role", list(Role))
def test_embargo_writes_by_role(refdata: None, role: Role) -> None:
    client = signed_in(role)
    embargo = ArmsEmbargo.objects.get(seed_key="eu-cn-1989")
    create = client.post(
        f"{API}/embargoes",
        {
            "country": "NO",
            "imposed_by": "national",
            "start_date": "2025-01-01",
            "legal_reference": "Decree 1/2025",
            "scope": "partial",
            "control_entries": ["ML1", "ML3"],
        },
        content_type="application/json",
    )
    patch = client.patch(
        f"{API}/embargoes/{embargo.pk}",
        {"reason": "typo", "notes": "Madrid declaration"},
        content_type="application/json",
    )
    end = client.post(f"{API}/embargoes/{embargo.pk}/end", {"reason": "lifted"}, content_type="application/json")
    if role in MAY_EDIT_EMBARGOES:
        assert create.status_code == 201, create.content
        assert create.json()["control_entries"] == ["ML1", "ML3"]
        assert patch.status_code == 200
        assert patch.json()["notes"] == "Madrid declaration"
        assert end.status_code == 200
        assert end.json()["end_date"] is not None
        assert end.json()["in_force"] is False
    else:
        for response in (create, patch, end):
            assert_error(response, 403, "permission_denied")


def test_embargo_write_errors(refdata: None) -> None:
    client = signed_in(Role.CASE_OFFICER)
    body = assert_error(
        client.post(
            f"{API}/embargoes",
            {
                "country": "NO",
                "imposed_by": "eu",
                "start_date": "2025-01-01",
                "end_date": "2024-01-01",
                "legal_reference": "x",
            },
            content_type="application/json",
        ),
        422,
        "embargo.invalid_dates",
    )
    assert body["details"]["field"] == "end_date"
    assert_error(
        client.post(f"{API}/embargoes", {"country": "NO"}, content_type="application/json"), 422, "request.invalid"
    )
    missing = "00000000-0000-0000-0000-000000000000"
    assert_error(
        client.patch(f"{API}/embargoes/{missing}", {"reason": "x"}, content_type="application/json"), 404, "not_found"
    )
    assert_error(client.get(f"{API}/embargoes/not-a-uuid"), 404, "not_found")
    embargo = ArmsEmbargo.objects.get(seed_key="un-ci-2004")
    assert_error(
        client.post(f"{API}/embargoes/{embargo.pk}/end", {"reason": "x"}, content_type="application/json"),
        409,
        "embargo.already_ended",
    )


@pytest.mark.parametrize("role", list(Role))
def test_destination_group_writes_by_role(refdata: None, role: Role) -> None:
    client = signed_in(role)
    create = client.post(
        f"{API}/destination-groups",
        {"code": "nordic", "name": "Nordic states", "countries": ["NO", "SE", "DK", "FI", "IS"]},
        content_type="application/json",
    )
    patch = client.patch(f"{API}/destination-groups/nato", {"name": "NATO"}, content_type="application/json")
    if role in MAY_EDIT_GROUPS:
        assert create.status_code == 201, create.content
        assert create.json()["countries"] == ["DK", "FI", "IS", "NO", "SE"]
        assert patch.status_code == 200
        assert patch.json()["name"] == "NATO"
    else:
        assert_error(create, 403, "permission_denied")
        assert_error(patch, 403, "permission_denied")


def test_destination_group_reads_and_errors(refdata: None) -> None:
    client = signed_in(Role.SYSTEM_ADMIN)
    body = client.get(f"{API}/destination-groups").json()
    assert {item["code"] for item in body["items"]} == {"eu", "nato", "wassenaar"}
    assert len(client.get(f"{API}/destination-groups/eu").json()["countries"]) == 27
    assert_error(client.get(f"{API}/destination-groups/nope"), 404, "not_found")
    body = assert_error(
        client.patch(f"{API}/destination-groups/eu", {"countries": ["FR", "XX"]}, content_type="application/json"),
        422,
        "destination_group.unknown_country",
    )
    assert body["details"]["unknown"] == ["XX"]
    count = AuditEntry.objects.count()
    client.patch(
        f"{API}/destination-groups/eu", {"countries": ["FR"], "reason": "test"}, content_type="application/json"
    )
    assert AuditEntry.objects.count() == count + 1
    assert_error(
        client.post(f"{API}/destination-groups", {"code": "eu", "name": "again"}, content_type="application/json"),
        409,
        "destination_group.duplicate_code",
    )
