"""The regime's API: an exporter's authorisation from application to grant, errors with their codes, scoping, the
published register without login, policy versions and quotas."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from excon.applications.tests.factories import World
from excon.applications.tests.test_api import bearer, code_of, post
from excon.core.roles import DepartmentKind
from excon.products.tests.factories import pdf_bytes
from excon.regime.enums import REQUIRED_EVIDENCE

from .factories import granted_authorisation, other_exporter

pytestmark = pytest.mark.django_db


def test_an_exporter_obtains_its_authorisation_over_the_api(client: Client, world: World) -> None:
    exporter = bearer(world.exporter)
    until = (timezone.localdate() + dt.timedelta(days=300)).isoformat()
    bad = post(
        client, "/api/v1/regime/authorisations", {"categories": ["ML99"], "destination_groups": ["nato"]}, exporter
    )
    assert (bad.status_code, code_of(bad)) == (422, "authorisation.unknown_category")
    created = post(
        client,
        "/api/v1/regime/authorisations",
        {"categories": ["ML6"], "destination_groups": ["nato"], "requested_until": until},
        exporter,
    )
    assert created.status_code == 201, created.content
    key = created.json()["id"]
    early = post(client, f"/api/v1/regime/authorisations/{key}/submit", {}, exporter)
    assert (early.status_code, code_of(early)) == (422, "authorisation.evidence_missing")
    for kind in REQUIRED_EVIDENCE:
        uploaded = client.post(
            f"/api/v1/regime/authorisations/{key}/evidence",
            {"kind": kind, "file": _upload(kind)},
            **exporter,
        )
        assert uploaded.status_code == 201, uploaded.content
        assert len(uploaded.json()["sha256"]) == 64
    assert post(client, f"/api/v1/regime/authorisations/{key}/submit", {}, exporter).json()["status"] == "submitted"
    hidden = client.get(f"/api/v1/regime/authorisations/{key}", **bearer(other_exporter()))
    assert (hidden.status_code, code_of(hidden)) == (404, "not_found")
    officer = bearer(world.officer)
    refused_move = post(client, f"/api/v1/regime/authorisations/{key}/moves", {"action": "fly"}, officer)
    assert (refused_move.status_code, code_of(refused_move)) == (422, "authorisation.unknown_action")
    moved = post(client, f"/api/v1/regime/authorisations/{key}/moves", {"action": "refer"}, officer)
    assert moved.json()["status"] == "in_commission"
    member = bearer(world.members[DepartmentKind.DEFENCE])
    advice = {"advice_type": "approve", "rationale": "ok"}
    assert post(client, f"/api/v1/regime/authorisations/{key}/advice", advice, member).status_code == 201
    assert post(client, f"/api/v1/regime/authorisations/{key}/votes", {"vote": "approve"}, member).status_code == 201
    decided = post(
        client, f"/api/v1/regime/authorisations/{key}/decision", {"outcome": "grant", "reasons": "Complete"}, officer
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "granted"
    assert decided.json()["valid_until"] == until
    register = client.get("/api/v1/regime/register", **officer)
    assert [entry["holder"] for entry in register.json()] == [world.exporter_org.name]
    assert code_of(client.get("/api/v1/regime/register", **exporter)) == "not_found"


def test_the_published_register_is_public_and_holds_names_and_scope_only(client: Client, world: World) -> None:
    granted_authorisation(world)
    assert Client().get("/api/v1/public/authorised-exporters").json() == {"published_at": None, "entries": []}
    refused = post(client, "/api/v1/regime/register/publications", {}, bearer(world.officer))
    assert (refused.status_code, code_of(refused)) == (403, "permission_denied")
    assert post(client, "/api/v1/regime/register/publications", {}, bearer(world.senior)).status_code == 201
    public = Client().get("/api/v1/public/authorised-exporters").json()
    assert [set(entry) for entry in public["entries"]] == [
        {"holder", "reference", "categories", "destination_groups", "valid_until"}
    ]
    assert public["entries"][0]["holder"] == world.exporter_org.name
    assert public["entries"][0]["categories"] == ["ML6"]


def test_policy_versions_and_quotas_over_the_api(client: Client, world: World) -> None:
    senior = bearer(world.senior)
    today = timezone.localdate().isoformat()
    version = post(
        client,
        "/api/v1/regime/policy",
        {
            "in_force_from": today,
            "reason": "Decree 1",
            "destinations": {"PL": "priority_partner", "group:nato": "allowed_with_review"},
        },
        senior,
    )
    assert version.status_code == 201, version.content
    assert {entry["destination"] for entry in version.json()["destinations"]} == {"PL", "group:nato"}
    bad_tier = post(
        client,
        "/api/v1/regime/policy",
        {"in_force_from": today, "reason": "x", "destinations": {"PL": "friend"}},
        senior,
    )
    assert (bad_tier.status_code, code_of(bad_tier)) == (422, "policy.unknown_tier")
    assert client.get("/api/v1/regime/policy/1", **senior).json()["reason"] == "Decree 1"
    assert client.get("/api/v1/regime/policy/1", **bearer(world.exporter)).status_code == 404
    year = timezone.localdate().year
    created = post(
        client,
        "/api/v1/regime/quotas",
        {"year": year, "destination": "PL", "category": "ML6", "cap_quantity": 40},
        senior,
    )
    assert created.status_code == 201, created.content
    duplicate = post(
        client,
        "/api/v1/regime/quotas",
        {"year": year, "destination": "PL", "category": "ML6", "cap_quantity": 4},
        senior,
    )
    assert (duplicate.status_code, code_of(duplicate)) == (409, "quota.duplicate")
    listed = client.get(f"/api/v1/regime/quotas?year={year}", **senior).json()
    assert [(row["quota"]["category"], row["remaining_quantity"]) for row in listed] == [("ML6", 40)]
    changed = client.patch(
        f"/api/v1/regime/quotas/{created.json()['id']}",
        {"reason": "Raised", "cap_quantity": 60},
        content_type="application/json",
        **senior,
    )
    assert changed.json()["cap_quantity"] == 60


def _upload(kind: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{kind}.pdf", pdf_bytes(kind), content_type="application/pdf")
