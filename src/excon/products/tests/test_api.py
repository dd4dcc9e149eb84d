"""Product registry API: the happy path from registration to decision, uploads, downloads, scoping, error codes."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from excon.accounts import services as account_services
from excon.accounts.tests.factories import user_with_role
from excon.core.markings import ProtectiveMarking
from excon.core.roles import Role
from excon.products.enums import ProductStatus
from excon.refdata.models import HsCode

from .factories import ProductFactory, control_entry, destination_group, pdf_bytes

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _, full = account_services.api_token_create(actor=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {full}"}


def error_code(response) -> str:  # type: ignore[no-untyped-def]
    body = response.json()
    assert set(body) == {"code", "message", "details"}, body
    return body["code"]


@pytest.fixture
def exporter_headers():  # type: ignore[no-untyped-def]
    user = user_with_role(Role.EXPORTER_ADMIN)
    return user, bearer(user)


@pytest.fixture
def expert_headers():  # type: ignore[no-untyped-def]
    user = user_with_role(Role.TECHNICAL_EXPERT, clearance=ProtectiveMarking.SECRET)
    return user, bearer(user)


def _upload(client: Client, headers: dict[str, str], product_id: str, stage: str, data: bytes | None = None):  # type: ignore[no-untyped-def]
    file = io.BytesIO(data if data is not None else pdf_bytes(stage))
    file.name = f"{stage}.pdf"
    return client.post(
        f"/api/v1/products/{product_id}/documents",
        {"stage": stage, "title": f"{stage} dossier", "file": file},
        **headers,
    )


def test_from_registration_to_decision_over_the_api(client: Client, exporter_headers, expert_headers) -> None:  # type: ignore[no-untyped-def]
    HsCode.objects.create(code="8710", description="Tanks", level=4)
    control_entry("ML6.a")
    destination_group("nato", ["PL", "DE"])
    _, exporter = exporter_headers
    _, expert = expert_headers
    created = client.post(
        "/api/v1/products",
        {
            "designation": "BTR-4E",
            "name": "Armoured personnel carrier",
            "development_basis": "own_initiative",
            "hs_code": "8710",
            "characteristics": [{"name": "calibre", "value": "30", "unit": "mm"}],
            "aliases": ["Bucephalus"],
        },
        content_type="application/json",
        **exporter,
    )
    assert created.status_code == 201, created.content
    product_id = created.json()["id"]
    assert created.json()["characteristics"] == [{"name": "calibre", "value": "30.000000", "unit": "mm"}]
    assert (
        client.post(
            f"/api/v1/products/{product_id}/transitions",
            {"action": "submit"},
            content_type="application/json",
            **exporter,
        ).status_code
        == 200
    )
    queue = client.get("/api/v1/products/review-queue", **expert).json()
    assert [item["id"] for item in queue["items"]] == [product_id]
    assert (
        client.post(
            f"/api/v1/products/{product_id}/transitions",
            {"action": "start_review"},
            content_type="application/json",
            **expert,
        ).json()["status"]
        == "under_review"
    )
    for stage in ("design", "production", "operation"):
        uploaded = _upload(client, exporter, product_id, stage)
        assert uploaded.status_code == 201, uploaded.content
        version_id = uploaded.json()["id"]
        assert uploaded.json()["content_type"] == "application/pdf"
        reviewed = client.post(
            f"/api/v1/documents/{version_id}/review", {"accept": True}, content_type="application/json", **expert
        )
        assert reviewed.json()["review_status"] == "accepted"
    waived = client.post(
        f"/api/v1/products/{product_id}/waivers",
        {"stage": "disposal", "reason": "no disposal yet"},
        content_type="application/json",
        **expert,
    )
    assert waived.json()["complete"] is True
    classified = client.post(
        f"/api/v1/products/{product_id}/classification",
        {"control_codes": ["ML6.a"], "att_category": "b", "unroca_category": "II", "rationale": "wheeled APC"},
        content_type="application/json",
        **expert,
    )
    assert classified.status_code == 201, classified.content
    decided = client.post(
        f"/api/v1/products/{product_id}/eligibility",
        {"outcome": "eligible", "allowed_groups": ["nato"]},
        content_type="application/json",
        **expert,
    )
    assert decided.status_code == 201, decided.content
    detail = client.get(f"/api/v1/products/{product_id}", **exporter).json()
    assert detail["status"] == "decided"
    assert detail["classification"]["control_entries"] == ["ML6.a"]
    assert detail["eligibility"]["allowed_groups"] == ["nato"]
    answer = client.get(f"/api/v1/products/{product_id}/eligibility?country=PL", **exporter).json()
    assert (answer["eligible"], answer["code"]) == (True, "eligibility.eligible")
    assert client.get(f"/api/v1/products/{product_id}/eligibility?country=BR", **exporter).json()["eligible"] is False
    history = client.get(f"/api/v1/products/{product_id}/history", **exporter).json()
    assert history[0]["verb"] == "product.decide"


def test_documents_download_only_for_those_who_may_see(client: Client, exporter_headers) -> None:  # type: ignore[no-untyped-def]
    user, headers = exporter_headers
    product = ProductFactory(manufacturer=user.organisation)
    uploaded = _upload(client, headers, str(product.pk), "design")
    version_id = uploaded.json()["id"]
    response = client.get(f"/api/v1/documents/{version_id}/download", **headers)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes("design")
    assert "attachment" in response["Content-Disposition"]
    stranger = bearer(user_with_role(Role.EXPORTER_USER))
    assert error_code(client.get(f"/api/v1/documents/{version_id}/download", **stranger)) == "not_found"
    officer = bearer(user_with_role(Role.CASE_OFFICER))
    # A draft's documents are the manufacturer's own.
    assert client.get(f"/api/v1/documents/{version_id}/download", **officer).status_code == 404


def test_customs_see_the_product_but_not_its_technical_documents(client: Client, exporter_headers) -> None:  # type: ignore[no-untyped-def]
    user, headers = exporter_headers
    product = ProductFactory(manufacturer=user.organisation)
    version_id = _upload(client, headers, str(product.pk), "design").json()["id"]
    ProductFactory._meta.model.objects.filter(pk=product.pk).update(status=ProductStatus.SUBMITTED)
    readers = {
        Role.CUSTOMS_OFFICER: False,
        Role.CASE_OFFICER: True,
        Role.TECHNICAL_EXPERT: True,
        Role.COMPLIANCE_OFFICER: True,
        Role.AUDITOR: True,
    }
    for role, may_read_documents in readers.items():
        reader = bearer(user_with_role(role))
        assert client.get(f"/api/v1/products/{product.pk}", **reader).status_code == 200, role
        listing = client.get(f"/api/v1/products/{product.pk}/documents", **reader)
        download = client.get(f"/api/v1/documents/{version_id}/download", **reader)
        expected = 200 if may_read_documents else 404
        assert (listing.status_code, download.status_code) == (expected, expected), role
        if not may_read_documents:
            assert error_code(download) == "not_found"  # reads exactly like a missing document


def test_bad_upload_is_a_4xx_with_a_code(client: Client, exporter_headers) -> None:  # type: ignore[no-untyped-def]
    user, headers = exporter_headers
    product = ProductFactory(manufacturer=user.organisation)
    response = _upload(client, headers, str(product.pk), "design", data=b"MZ\x90\x00" + b"\x00" * 64)
    assert response.status_code == 422
    assert error_code(response) == "file.type_not_allowed"
    response = _upload(client, headers, str(product.pk), "marketing")
    assert error_code(response) == "document.invalid_stage"


def test_scoping_and_error_codes(client: Client, exporter_headers) -> None:  # type: ignore[no-untyped-def]
    user, headers = exporter_headers
    mine = ProductFactory(manufacturer=user.organisation, designation="MINE-1")
    theirs = ProductFactory(status=ProductStatus.SUBMITTED)
    listing = client.get("/api/v1/products", **headers).json()
    assert [item["designation"] for item in listing["items"]] == ["MINE-1"]
    assert error_code(client.get(f"/api/v1/products/{theirs.pk}", **headers)) == "not_found"
    patch = client.patch(f"/api/v1/products/{theirs.pk}", {"name": "x"}, content_type="application/json", **headers)
    assert patch.status_code == 404
    duplicate = client.post(
        "/api/v1/products",
        {"designation": "mine-1", "name": "dup", "development_basis": "own_initiative"},
        content_type="application/json",
        **headers,
    )
    assert (duplicate.status_code, error_code(duplicate)) == (409, "product.duplicate_designation")
    bad_move = client.post(
        f"/api/v1/products/{mine.pk}/transitions", {"action": "decide"}, content_type="application/json", **headers
    )
    assert (bad_move.status_code, error_code(bad_move)) == (403, "permission_denied")
    bad_hs = client.patch(f"/api/v1/products/{mine.pk}", {"hs_code": "99"}, content_type="application/json", **headers)
    assert (bad_hs.status_code, error_code(bad_hs)) == (422, "hs_code.malformed")
    government = client.post(
        "/api/v1/products",
        {"designation": "G-1", "name": "g", "development_basis": "own_initiative"},
        content_type="application/json",
        **bearer(user_with_role(Role.CASE_OFFICER)),
    )
    assert government.status_code == 403


def test_list_query_count_is_flat(client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    officer = user_with_role(Role.TECHNICAL_EXPERT)
    ProductFactory.create_batch(30, status=ProductStatus.SUBMITTED)
    headers = bearer(officer)
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/products?status=submitted", **headers).json()
    assert body["count"] == 30
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/products/review-queue", **headers).json()["count"] == 30


def test_openapi_lists_product_endpoints(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/products",
        "/api/v1/products/{product_id}/documents",
        "/api/v1/products/{product_id}/eligibility",
        "/api/v1/documents/{version_id}/download",
    ):
        assert path in paths
