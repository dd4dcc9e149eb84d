"""The screening API as mounted at /api/v1/screening/ (TestClient over excon.api.api): results, codes, roles."""

from __future__ import annotations

from typing import Any

import pytest
from ninja.testing import TestClient

from excon.accounts import services as account_services
from excon.accounts.tests.factories import user_with_role
from excon.api import api
from excon.core.roles import Role
from excon.screening import services
from excon.screening.enums import EntryKind
from excon.screening.index import forget_index
from excon.screening.models import ScreeningHit
from excon.screening.policies import SEARCH_ROLES
from excon.screening.services import Party

from .factories import list_entry

pytestmark = pytest.mark.django_db
PREFIX = "/screening"


# The project's own mounted API, so the test exercises the prefix, authentication and error handlers in use.
CLIENT = TestClient(api)


def bearer(role: str) -> dict[str, str]:
    user = user_with_role(role)
    _, full = account_services.api_token_create(actor=user, name="test")
    return {"Authorization": f"Bearer {full}"}


def post(path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return CLIENT.post(f"{PREFIX}{path}", json=body, headers=headers)


@pytest.fixture(autouse=True)
def _entries():  # type: ignore[no-untyped-def]
    forget_index()
    list_entry("Zala Aero Group", kind=EntryKind.ORGANISATION, countries=("RU",), aliases=('ООО "Зала Аэро"',))
    list_entry("Ivan Petrovich Sidorov", countries=("RU",), birth_dates=("1970-05-01",))
    yield
    forget_index()


def test_search_returns_ranked_explained_hits() -> None:
    response = post(
        "/search", {"name": "Зала Аэро", "kind": "organisation", "country": "RU"}, bearer(Role.COMPLIANCE_OFFICER)
    )
    assert response.status_code == 200, response.json()
    hits = response.json()["hits"]
    assert hits[0]["entry_name"] == "Zala Aero Group"
    explanation = hits[0]["explanation"]
    assert explanation["name_similarity"] > 0.9
    assert explanation["adjustments"][0]["factor"] == "country"
    response = post("/search", {"name": "Sidorov Ivan", "birth_date": "1970-05-01"}, bearer(Role.CASE_OFFICER))
    assert response.json()["hits"][0]["score"] >= 0.9


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"name": ""}, "screening.name_required"),
        ({"name": " ,;"}, "screening.name_required"),
        ({"name": "Ivan", "threshold": 0}, "screening.bad_threshold"),
        ({"name": "Ivan", "limit": 0}, "screening.bad_limit"),
        ({"name": "Ivan", "country": "Atlantis"}, "screening.bad_country"),
        ({}, "request.invalid"),
    ],
)
def test_search_error_codes(body: dict[str, Any], code: str) -> None:
    response = post("/search", body, bearer(Role.COMPLIANCE_OFFICER))
    assert response.status_code == 422
    assert set(response.json()) == {"code", "message", "details"}
    assert response.json()["code"] == code


@pytest.mark.parametrize("role", list(Role))
def test_search_permission_matrix(role: Role) -> None:
    response = post("/search", {"name": "Zala Aero"}, bearer(role))
    assert response.status_code == (200 if role in SEARCH_ROLES else 403)


def test_search_needs_authentication() -> None:
    assert post("/search", {"name": "Zala Aero"}, {}).status_code == 401


@pytest.mark.parametrize("role", list(Role))
def test_hit_review_over_the_api(role: Role) -> None:
    services.rescreen_parties(
        [Party(reference="applications.party:7", name="Zala Aero Group LLC", kind="organisation")]
    )
    hit = ScreeningHit.objects.get()
    headers = bearer(role)
    response = post(f"/hits/{hit.pk}/dismiss", {"reason": "a different company"}, headers)
    if role == Role.COMPLIANCE_OFFICER:
        assert response.status_code == 200
        assert response.json()["status"] == "dismissed"
        assert post(f"/hits/{hit.pk}/confirm", {}, headers).json()["code"] == "screening.hit_already_reviewed"
    else:
        assert response.status_code == 403


def test_dismiss_without_reason_is_refused() -> None:
    services.rescreen_parties([Party(reference="x:1", name="Zala Aero Group", kind="organisation")])
    hit = ScreeningHit.objects.get()
    response = post(f"/hits/{hit.pk}/dismiss", {"reason": ""}, bearer(Role.COMPLIANCE_OFFICER))
    assert response.status_code == 422
    assert response.json()["code"] == "screening.reason_required"
    assert post("/hits/not-a-uuid/confirm", {}, bearer(Role.COMPLIANCE_OFFICER)).status_code == 404


def test_search_is_served_at_the_mounted_url(client) -> None:  # type: ignore[no-untyped-def]
    """Through Django's URLconf, as a user calls it: /api/v1/screening/search and in the OpenAPI document."""
    response = client.post(
        "/api/v1/screening/search",
        {"name": "Zala Aero Group"},
        content_type="application/json",
        HTTP_AUTHORIZATION=bearer(Role.COMPLIANCE_OFFICER)["Authorization"],
    )
    assert response.status_code == 200, response.content
    assert response.json()["hits"][0]["entry_name"] == "Zala Aero Group"
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/screening/search", "/api/v1/screening/hits"} <= set(paths)
