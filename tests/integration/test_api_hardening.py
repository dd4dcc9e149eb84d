"""The API refuses bad input with the one error shape, never a 500: bounded integers answer 422, a multipart body
without a boundary answers 400, schema names are unique, and a list counts at most once, boundedly."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from ninja import Schema

from excon.accounts import services as account_services
from excon.accounts.tests.factories import OrganisationFactory, user_with_role
from excon.api import api
from excon.applications import services as application_services
from excon.core import api as core_api
from excon.core.roles import Role
from excon.products.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def _bearer(role: Role, **kwargs: object) -> dict[str, str]:
    _, token = account_services.api_token_create(actor=user_with_role(role, **kwargs), name="hardening")  # type: ignore[arg-type]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.mark.parametrize(
    ("url", "role"),
    [
        (f"/api/v1/applications?page={HUGE}", Role.CASE_OFFICER),
        (f"/api/v1/users?page={HUGE}", Role.SYSTEM_ADMIN),
        (f"/api/v1/organisations?page={HUGE}", Role.SYSTEM_ADMIN),
        (f"/api/v1/licences?page={HUGE}", Role.CASE_OFFICER),
        ("/api/v1/licences?page=0", Role.CASE_OFFICER),
        ("/api/v1/licences?page_size=100000", Role.CASE_OFFICER),
        (f"/api/v1/products?waiting_days_min={HUGE}", Role.TECHNICAL_EXPERT),
        ("/api/v1/products?waiting_days_min=-3", Role.TECHNICAL_EXPERT),
        (f"/api/v1/products/review-queue?waiting_days_min={HUGE}", Role.TECHNICAL_EXPERT),
        ("/api/v1/products/review-queue?waiting_days_min=-1", Role.TECHNICAL_EXPERT),
        (f"/api/v1/refdata/hs-codes?level={HUGE}", Role.CASE_OFFICER),
        ("/api/v1/supply/declarations?year=99999", Role.CASE_OFFICER),
        ("/api/v1/applications?min_value=1e30", Role.CASE_OFFICER),
    ],
)
def test_out_of_range_parameters_answer_422(client: Client, url: str, role: Role) -> None:
    response = client.get(url, **_bearer(role))
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "request.invalid"
    assert body["details"]["errors"]


def test_out_of_range_body_integers_answer_422(client: Client) -> None:
    headers = _bearer(Role.EXPORTER_ADMIN)
    response = client.post(
        "/api/v1/tokens", {"name": "x", "expires_in_days": int(HUGE)}, content_type="application/json", **headers
    )
    assert (response.status_code, response.json()["code"]) == (422, "request.invalid")


def test_upload_endpoints_answer_400_to_multipart_without_a_boundary(client: Client) -> None:
    exporter = user_with_role(Role.EXPORTER_ADMIN, organisation=OrganisationFactory())
    _, token = account_services.api_token_create(actor=exporter, name="uploads")
    exporter_headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    product = ProductFactory(manufacturer=exporter.organisation)
    application = application_services.application_create(actor=exporter, destination="", end_use_statement="")
    uploads = [
        (f"/api/v1/products/{product.pk}/documents", exporter_headers),
        (f"/api/v1/applications/{application.pk}/documents", exporter_headers),
        (f"/api/v1/applications/{application.pk}/end-user-certificate", exporter_headers),
        ("/api/v1/customs/declarations", _bearer(Role.CUSTOMS_OFFICER)),
    ]
    body = b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4\r\n--x--\r\n'
    for url, headers in uploads:
        response = client.generic("POST", url, body, content_type="multipart/form-data", **headers)
        assert response.status_code == 400, (url, response.content)
        assert response.json() == {
            "code": "request.malformed_multipart",
            "message": "the multipart/form-data body cannot be read (is the boundary missing?)",
            "details": {},
        }


def test_schema_names_are_unique_and_routing_rules_have_their_own_shape() -> None:
    def schemas(cls: type) -> list[type]:
        return [cls, *(found for sub in cls.__subclasses__() for found in schemas(sub))]

    ours = [cls for cls in schemas(Schema) if cls.__module__.startswith("excon.")]
    names = [cls.__name__ for cls in ours]
    assert len(ours) > 50
    assert sorted({name for name in names if names.count(name) > 1}) == []
    document = api.get_openapi_schema()
    listing = document["paths"]["/api/v1/routing-rules"]["get"]["responses"][200]
    assert listing["content"]["application/json"]["schema"]["items"]["$ref"].endswith("/RoutingRuleOut")
    assert "departments" in document["components"]["schemas"]["RoutingRuleOut"]["properties"]


def test_every_operation_documents_its_error_answers() -> None:
    document = api.get_openapi_schema()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            answers = {str(status) for status in operation["responses"]}
            assert len(answers) == len(operation["responses"]), (method, path)  # no status listed twice
            if operation.get("security"):
                assert {"401", "403", "404"} <= answers, (method, path)
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in answers, (method, path)
            error = operation["responses"].get(404, {}).get("content", {}).get("application/json", {})
            if error:
                assert error["schema"]["$ref"].endswith("/ErrorOut"), (method, path)


def test_a_list_counts_once_and_boundedly(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    headers = _bearer(Role.SYSTEM_ADMIN)
    OrganisationFactory.create_batch(5)
    monkeypatch.setattr(core_api, "COUNT_LIMIT", 3)
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/organisations", **headers).json()
    counts = [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"].upper()]
    assert len(counts) == 1
    assert "LIMIT 3" in counts[0]
    assert (body["count"], body["count_exact"]) == (3, False)
    assert len(body["items"]) >= 5  # the page is not cut by the count
