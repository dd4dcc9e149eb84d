"""The accounts API: authentication (session and bearer token), scoping (not yours = not found), error shape."""

from __future__ import annotations

import pytest
from django.test import Client

from excon.accounts import services
from excon.accounts.tests.factories import OrganisationFactory, UserFactory, user_with_role
from excon.core.roles import Role

pytestmark = pytest.mark.django_db
STRONG = "a-very-long-passphrase-2026"


def bearer(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _, full = services.api_token_create(actor=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {full}"}


def assert_error(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    return body


def test_unauthenticated_requests_get_401_in_the_error_shape(client: Client) -> None:
    assert_error(client.get("/api/v1/me"), 401, "authentication_required")
    assert_error(client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer excon_nope_nope"), 401, "authentication_required")


def test_me_with_a_token(client: Client) -> None:
    user = user_with_role(Role.CASE_OFFICER)
    body = client.get("/api/v1/me", **bearer(user)).json()
    assert body["username"] == user.username
    assert body["roles"] == [Role.CASE_OFFICER]
    assert body["organisation_kind"] == "authority"


def test_me_with_a_session(client: Client) -> None:
    user = user_with_role(Role.EXPORTER_USER)
    client.force_login(user)
    assert client.get("/api/v1/me").json()["username"] == user.username


def test_session_writes_need_csrf() -> None:
    user = user_with_role(Role.EXPORTER_USER)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert "code" in response.json()


def test_exporter_sees_only_its_own_organisation(client: Client) -> None:
    exporter = user_with_role(Role.EXPORTER_USER)
    other = OrganisationFactory()
    headers = bearer(exporter)
    listing = client.get("/api/v1/organisations", **headers).json()
    assert [item["id"] for item in listing["items"]] == [str(exporter.organisation_id)]
    assert listing["count"] == 1
    assert_error(client.get(f"/api/v1/organisations/{other.pk}", **headers), 404, "not_found")
    # Missing and not-yours look exactly the same.
    missing = client.get("/api/v1/organisations/00000000-0000-0000-0000-000000000000", **headers)
    assert missing.json() == client.get(f"/api/v1/organisations/{other.pk}", **headers).json()
    assert_error(client.get("/api/v1/organisations/not-a-uuid", **headers), 404, "not_found")


def test_government_user_lists_all_organisations(client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    officer = user_with_role(Role.CASE_OFFICER)
    OrganisationFactory.create_batch(30)
    headers = bearer(officer)
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/organisations?kind=exporter", **headers).json()
    assert body["count"] == 30


def test_user_list_query_count_does_not_grow(client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    sysadmin = user_with_role(Role.SYSTEM_ADMIN)
    for organisation in OrganisationFactory.create_batch(5):
        UserFactory.create_batch(8, organisation=organisation, roles=[Role.EXPORTER_USER])
    headers = bearer(sysadmin)
    with django_assert_max_num_queries(9):
        body = client.get("/api/v1/users", **headers).json()
    assert body["count"] == 41
    assert all(item["roles"] for item in body["items"])


def test_exporter_admin_creates_user_via_api(client: Client) -> None:
    admin = user_with_role(Role.EXPORTER_ADMIN)
    headers = bearer(admin)
    payload = {
        "organisation_id": str(admin.organisation_id),
        "username": "clerk",
        "email": "clerk@example.test",
        "password": STRONG,
        "roles": ["exporter_user"],
    }
    response = client.post("/api/v1/users", payload, content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    assert response.json()["roles"] == ["exporter_user"]
    assert "password" not in response.json()
    # Into another exporter: the organisation is not found for this admin.
    payload.update(organisation_id=str(OrganisationFactory().pk), username="clerk2")
    assert_error(client.post("/api/v1/users", payload, content_type="application/json", **headers), 404, "not_found")
    # A weak password is a 422 with the specific code.
    payload.update(organisation_id=str(admin.organisation_id), password="short")
    body = assert_error(
        client.post("/api/v1/users", payload, content_type="application/json", **headers),
        422,
        "user.weak_password",
    )
    assert body["details"]["field"] == "password"


def test_forbidden_and_conflict_codes(client: Client) -> None:
    officer = user_with_role(Role.CASE_OFFICER)
    headers = bearer(officer)
    body = {"kind": "exporter", "name": "X", "registration_number": "X1"}
    assert_error(
        client.post("/api/v1/organisations", body, content_type="application/json", **headers),
        403,
        "permission_denied",
    )
    sysadmin = user_with_role(Role.SYSTEM_ADMIN)
    admin_headers = bearer(sysadmin)
    assert (
        client.post("/api/v1/organisations", body, content_type="application/json", **admin_headers).status_code == 201
    )
    assert_error(
        client.post("/api/v1/organisations", body, content_type="application/json", **admin_headers),
        409,
        "organisation.duplicate_name",
    )


def test_malformed_body_is_422_request_invalid(client: Client) -> None:
    headers = bearer(user_with_role(Role.SYSTEM_ADMIN))
    response = client.post("/api/v1/organisations", "{not json", content_type="application/json", **headers)
    assert response.status_code in (400, 422)
    assert "code" in response.json()
    body = assert_error(
        client.post("/api/v1/organisations", {"name": 5}, content_type="application/json", **headers),
        422,
        "request.invalid",
    )
    assert body["details"]["errors"]


def test_token_lifecycle_over_the_api(client: Client) -> None:
    user = user_with_role(Role.ANALYST)
    client.force_login(user)
    created = client.post("/api/v1/tokens", {"name": "notebook", "expires_in_days": 7}, content_type="application/json")
    assert created.status_code == 201
    full = created.json()["token"]
    listed = client.get("/api/v1/tokens").json()
    assert "token" not in listed[0]
    anonymous = Client()
    assert anonymous.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {full}").status_code == 200
    token_id = created.json()["id"]
    assert client.delete(f"/api/v1/tokens/{token_id}").status_code == 200
    assert anonymous.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {full}").status_code == 401


def test_roles_and_deactivation_over_the_api(client: Client) -> None:
    sysadmin = user_with_role(Role.SYSTEM_ADMIN)
    target = user_with_role(Role.CASE_OFFICER, organisation=sysadmin.organisation)
    headers = bearer(sysadmin)
    response = client.put(
        f"/api/v1/users/{target.pk}/roles",
        {"roles": ["case_officer", "senior_officer"]},
        content_type="application/json",
        **headers,
    )
    assert response.json()["roles"] == ["case_officer", "senior_officer"]
    assert_error(
        client.post(
            f"/api/v1/users/{target.pk}/deactivate",
            {"reason": ""},
            content_type="application/json",
            **headers,
        ),
        422,
        "user.reason_required",
    )
    response = client.post(
        f"/api/v1/users/{target.pk}/deactivate",
        {"reason": "moved"},
        content_type="application/json",
        **headers,
    )
    assert response.json()["is_active"] is False


def test_openapi_document_and_docs(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert document["info"]["title"] == "ExCon API"
    assert "/api/v1/organisations" in document["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_healthz(client: Client) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
