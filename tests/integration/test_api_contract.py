"""Every endpoint in the OpenAPI document, called by every kind of user with nonsense ids and parameters, answers
with the documented error shape and never a 500."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from django.test import Client
from ninja import Router

import excon
from excon.accounts import services as account_services
from excon.accounts.tests.factories import user_with_role
from excon.api import api
from excon.core.roles import Role

pytestmark = pytest.mark.django_db

NONSENSE_IDS = ["00000000-0000-0000-0000-000000000000", "not-a-uuid", "1"]


def _token(role: Role) -> str:
    _, full = account_services.api_token_create(actor=user_with_role(role), name="contract")
    return f"Bearer {full}"


def _operations(client: Client) -> list[tuple[str, str]]:
    document = client.get("/api/v1/openapi.json").json()
    return [(method.upper(), path) for path, item in document["paths"].items() for method in item]


def _routers_defined_in_the_project() -> list[tuple[str, Router]]:
    """Every module-level Router of every `api` module (or `api` package module) under excon."""
    found = []
    for module_info in pkgutil.walk_packages(excon.__path__, prefix="excon."):
        name = module_info.name
        if ".tests" in name or not (name.endswith(".api") or ".api." in name):
            continue
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            if isinstance(value, Router):
                found.append((f"{name}.{attribute}", value))
    return found


def test_every_router_is_mounted_on_the_api() -> None:
    """A router defined but never added to excon.api.api answers 404 and is missing from the document: caught here."""
    mounted: set[int] = set()
    pending = [router for _, router in api._routers]
    while pending:  # a router added to a mounted router is mounted too
        router = pending.pop()
        mounted.add(id(router))
        pending.extend(child for _, child, *_ in getattr(router, "_routers", []))
    routers = _routers_defined_in_the_project()
    assert routers, "no routers found: the discovery is broken"
    unmounted = sorted({name for name, router in routers if id(router) not in mounted})
    assert not unmounted, f"routers not mounted in excon.api: {unmounted}"


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
