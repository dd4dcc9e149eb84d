"""The licence types over the API: a typed draft with its particulars and an uncapped line, the refusals with their
codes, and the authority's rules."""

from __future__ import annotations

import pytest
from django.test import Client

from .factories import World, licensing_world
from .test_api import bearer, code_of, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return licensing_world()


def _put(client: Client, url: str, body: object, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.put(url, body, content_type="application/json", **headers)


def test_an_open_draft_over_the_api(client: Client, world: World) -> None:
    headers = bearer(world.exporter)
    created = post(client, "/api/v1/applications", {"application_type": "open", "destination": "PL"}, headers)
    assert created.status_code == 201
    app_id = created.json()["id"]
    terms = _put(client, f"/api/v1/applications/{app_id}/terms", {"further_destinations": ["DE"]}, headers)
    assert terms.status_code == 200
    assert terms.json()["terms"] == {"further_destinations": ["DE"], "requested_valid_until": None}
    line = post(
        client,
        f"/api/v1/applications/{app_id}/goods-lines",
        {"product_id": str(world.product.pk), "quantity": 5, "unit_value": "10.00", "currency": "EUR", "capped": False},
        headers,
    )
    assert line.status_code == 201
    assert line.json()["goods_lines"][0]["capped"] is False
    foreign = _put(client, f"/api/v1/applications/{app_id}/terms", {"return_date": "2099-01-01"}, headers)
    assert foreign.status_code == 422
    assert code_of(foreign) == "application.terms_not_for_type"


def test_an_uncapped_line_on_a_standard_draft_is_refused(client: Client, world: World) -> None:
    headers = bearer(world.exporter)
    app_id = post(client, "/api/v1/applications", {"destination": "PL"}, headers).json()["id"]
    refused = post(
        client,
        f"/api/v1/applications/{app_id}/goods-lines",
        {"product_id": str(world.product.pk), "quantity": 5, "unit_value": "10.00", "currency": "EUR", "capped": False},
        headers,
    )
    assert refused.status_code == 422
    assert code_of(refused) == "application.cap_required"


def test_the_rules_are_read_by_anyone_signed_in_and_set_by_senior_officers(client: Client, world: World) -> None:
    listed = client.get("/api/v1/licence-types", **bearer(world.exporter))
    assert listed.status_code == 200
    assert {row["application_type"] for row in listed.json()} >= {"open", "temporary"}
    denied = _put(client, "/api/v1/licence-types/open", {"max_validity_days": 10}, bearer(world.officer))
    assert denied.status_code == 403
    changed = _put(client, "/api/v1/licence-types/open", {"return_period_months": 6}, bearer(world.senior))
    assert changed.status_code == 200
    assert changed.json()["return_period_months"] == 6
    bad = _put(client, "/api/v1/licence-types/open", {"reminder_days": 99}, bearer(world.senior))
    assert bad.status_code == 422
    assert code_of(bad) == "licence_type_rules.invalid_number"
