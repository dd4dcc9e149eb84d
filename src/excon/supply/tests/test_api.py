"""The supply API through django-ninja's TestClient: declarations, corrections, confidentiality, error codes."""

from __future__ import annotations

from typing import Any

import pytest
from ninja import NinjaAPI
from ninja.testing import TestClient

from excon.accounts import services as account_services
from excon.accounts.auth import TokenAuth
from excon.accounts.tests.factories import user_with_role
from excon.core.api import install_error_handlers
from excon.core.roles import Role
from excon.supply.api import router
from excon.supply.selectors import current_period

from .factories import ministry_user, requirement

pytestmark = pytest.mark.django_db


def _client() -> TestClient:
    """The real API once the router is mounted there; until then a test API with the same auth and error shape."""
    if getattr(router, "api", None) is not None:
        return TestClient(router.api)  # type: ignore[arg-type]
    api = NinjaAPI(auth=[TokenAuth()], urls_namespace="supply-tests")
    install_error_handlers(api)
    api.add_router("/", router)
    return TestClient(api)


CLIENT = _client()


def bearer(user: Any) -> dict[str, str]:
    _, full = account_services.api_token_create(actor=user, name="test")
    return {"Authorization": f"Bearer {full}"}


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    from excon.applications.tests.factories import licensing_world

    return licensing_world()


def test_declare_correct_and_read_surplus(world) -> None:  # type: ignore[no-untyped-def]
    period = current_period()
    body = {
        "product_id": str(world.product.pk),
        "year": period.year,
        "quarter": period.quarter,
        "capacity": 9,
        "stock": 1,
    }
    created = CLIENT.post("/supply/declarations", json=body, headers=bearer(world.exporter))
    assert created.status_code == 201, created.json()
    ministry = ministry_user()
    corrected = CLIENT.post(
        f"/supply/declarations/{created.json()['id']}/corrections",
        json={"capacity": 7, "stock": 1, "reason": "audit visit"},
        headers=bearer(ministry),
    )
    assert corrected.status_code == 201
    assert corrected.json()["source"] == "ministry_correction"
    requirement(ministry, 3, product=world.product, reference="SO-CONF", marking="confidential")
    surplus = CLIENT.get(
        f"/supply/surplus?product_id={world.product.pk}&year={period.year}&quarter={period.quarter}",
        headers=bearer(world.exporter),
    )
    assert surplus.status_code == 200, surplus.json()
    row = surplus.json()[0]
    assert (row["capacity"], row["domestic_requirement"], row["surplus"], row["requirements"]) == (7, 3, 5, [])
    assert row["declaration_version"] == 2
    assert row["declared_on"]
    history = CLIENT.get("/supply/declarations?history=true", headers=bearer(world.exporter)).json()
    assert [item["version"] for item in history] == [2, 1]


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"capacity": -1}, 422, "supply.negative_quantity"),
        ({"quarter": 7}, 422, "supply.invalid_quarter"),
        ({"product_id": "00000000-0000-0000-0000-000000000000"}, 404, "supply.unknown_product"),
    ],
)
def test_declaration_errors(world, changes, status, code) -> None:  # type: ignore[no-untyped-def]
    body = {"product_id": str(world.product.pk), "year": 2026, "quarter": 1, "capacity": 1, "stock": 1, **changes}
    response = CLIENT.post("/supply/declarations", json=body, headers=bearer(world.exporter))
    assert (response.status_code, response.json()["code"]) == (status, code)


def test_another_exporters_product_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    body = {"product_id": str(world.product.pk), "year": 2026, "quarter": 1, "capacity": 1, "stock": 1}
    response = CLIENT.post("/supply/declarations", json=body, headers=bearer(user_with_role(Role.EXPORTER_USER)))
    assert (response.status_code, response.json()["code"]) == (403, "supply.not_manufacturer")


def test_requirements_over_the_api_follow_clearance(world) -> None:  # type: ignore[no-untyped-def]
    ministry = ministry_user()
    period = current_period()
    created = CLIENT.post(
        "/supply/requirements",
        json={
            "control_entry": "ML6",
            "year": period.year,
            "quarter": period.quarter,
            "quantity": 4,
            "kind": "planned_procurement",
            "reference": "PP-CONF",
            "marking": "confidential",
        },
        headers=bearer(ministry),
    )
    assert created.status_code == 201, created.json()
    assert CLIENT.get("/supply/requirements", headers=bearer(world.exporter)).status_code == 403
    uncleared = user_with_role(Role.CASE_OFFICER, clearance="restricted")
    assert CLIENT.get("/supply/requirements", headers=bearer(uncleared)).json() == []
    cleared = user_with_role(Role.CASE_OFFICER, clearance="confidential")
    assert [r["reference"] for r in CLIENT.get("/supply/requirements", headers=bearer(cleared)).json()] == ["PP-CONF"]
    overlap = {"control_entry": "ML6", "start": "2026-01-01", "end": "2026-03-31", "reason": "r"}
    assert CLIENT.post("/supply/priorities", json=overlap, headers=bearer(ministry)).status_code == 201
    again = CLIENT.post("/supply/priorities", json=overlap, headers=bearer(ministry))
    assert (again.status_code, again.json()["code"]) == (409, "supply.priority_overlap")
    dashboard = CLIENT.get(f"/supply/dashboard?category=ML6&year={period.year}", headers=bearer(cleared))
    assert dashboard.status_code == 200
    assert len(dashboard.json()["totals"]) == 4
    assert (
        CLIENT.get(f"/supply/dashboard?category=ML6&year={period.year}", headers=bearer(world.exporter)).status_code
        == 403
    )
