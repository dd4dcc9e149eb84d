"""Every endpoint in the OpenAPI document, called by every kind of user with nonsense ids and parameters, answers
with the documented error shape and never a 500."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from excon.accounts import services as account_services
from excon.accounts.tests.factories import user_with_role
from excon.core.roles import Role

pytestmark = pytest.mark.django_db

NONSENSE_IDS = ["00000000-0000-0000-0000-000000000000", "not-a-uuid", "1"]


def _token(role: Role) -> str:
    _, full = account_services.api_token_create(actor=user_with_role(role), name="contract")
    return f"Bearer {full}"


def _operations(client: Client) -> list[tuple[str, str]]:
    document = client.get("/api/v1/openapi.json").json()
    return [(method.upper(), path) for path, item in document["paths"].items() for method in item]


@pytest.mark.parametrize("role", [Role.EXPORTER_ADMIN, Role.CASE_OFFICER, Role.CUSTOMS_OFFICER, None])
def test_no_endpoint_answers_500(client: Client, role: Role | None) -> None:
    headers = {"HTTP_AUTHORIZATION": _token(role)} if role else {}
    operations = _operations(client)
    assert len(operations) > 80
    for method, path in operations:
        for nonsense in NONSENSE_IDS:
            url = re.sub(r"\{[^}]+\}", nonsense, path)
            if method == "GET":
                response = client.get(url, {"page": "x", "country": "ZZZ", "on": "yesterday"}, **headers)
            else:
                response = client.generic(
                    method, url, b'{"unexpected": [1, 2]}', content_type="application/json", **headers
                )
            assert response.status_code < 500, (method, url, response.status_code, response.content[:300])
            if response.status_code >= 400 and response["Content-Type"].startswith("application/json"):
                body = response.json()
                assert {"code", "message", "details"} <= set(body), (method, url, body)
