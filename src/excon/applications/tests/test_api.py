"""The applications API: the exporter's path, the departments' and the commission's, and what each may see."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.utils import timezone

from excon.accounts import services as account_services
from excon.applications import services
from excon.products.tests.factories import pdf_bytes

from .factories import World, complete_draft, licensing_world

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _, full = account_services.api_token_create(actor=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {full}"}


def post(client: Client, url: str, body: object, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post(url, body, content_type="application/json", **headers)


def code_of(response) -> str:  # type: ignore[no-untyped-def]
    body = response.json()
    assert set(body) == {"code", "message", "details"}, body
    return body["code"]


@pytest.fixture
def world() -> World:
    return licensing_world()


def test_exporter_drafts_and_submits_over_the_api(client: Client, world: World) -> None:
    headers = bearer(world.exporter)
    created = post(client, "/api/v1/applications", {"destination": "PL", "end_use_statement": "Land forces"}, headers)
    assert created.status_code == 201, created.content
    app_id = created.json()["id"]
    incomplete = post(client, f"/api/v1/applications/{app_id}/submit", {}, headers)
    assert (incomplete.status_code, code_of(incomplete)) == (422, "application.incomplete")
    line = post(
        client,
        f"/api/v1/applications/{app_id}/goods-lines",
        {"product_id": str(world.product.pk), "quantity": 4, "unit_value": "120000.00", "currency": "EUR"},
        headers,
    )
    assert line.status_code == 201, line.content
    bad_line = post(
        client,
        f"/api/v1/applications/{app_id}/goods-lines",
        {"description": "x", "quantity": 1, "unit_value": "1", "currency": "EUR"},
        headers,
    )
    assert code_of(bad_line) == "application.origin_required"
    party = post(
        client,
        f"/api/v1/applications/{app_id}/parties",
        {"role": "end_user", "name": "Polish Land Forces", "country": "PL", "kind": "armed_forces"},
        headers,
    )
    assert party.status_code == 201
    euc_file = io.BytesIO(pdf_bytes("EUC"))
    euc_file.name = "euc.pdf"
    euc = client.post(
        f"/api/v1/applications/{app_id}/end-user-certificate",
        {
            "number": "EUC-1",
            "issue_date": "2026-10-01",
            "issuing_authority": "MoND",
            "signatory": "Col. K",
            "file": euc_file,
        },
        **headers,
    )
    assert euc.status_code == 200, euc.content
    document_id = euc.json()["end_user_certificate"]["document_id"]
    download = client.get(f"/api/v1/application-documents/{document_id}/download", **headers)
    assert b"".join(download.streaming_content) == pdf_bytes("EUC")
    submitted = post(client, f"/api/v1/applications/{app_id}/submit", {}, headers)
    assert submitted.json()["status"] == "under_review"
    # The exporter never sees the internal case.
    assert client.get(f"/api/v1/applications/{app_id}/case", **headers).status_code == 404
    timeline = client.get(f"/api/v1/applications/{app_id}/timeline", **headers).json()
    assert not any(entry["verb"].startswith(("advice.", "application.referred")) for entry in timeline)
    changed = client.patch(
        f"/api/v1/applications/{app_id}", {"contract_reference": "x"}, content_type="application/json", **headers
    )
    assert (changed.status_code, code_of(changed)) == (409, "application.not_editable")


def test_departments_and_commission_over_the_api(client: Client, world: World) -> None:
    application = services.application_submit(actor=world.exporter, application=complete_draft(world))
    officer = bearer(world.officer)
    case = client.get(f"/api/v1/applications/{application.pk}/case", **officer).json()
    assert case["consolidated_advice"] == "pending"
    assert {r["department_kind"] for r in case["referrals"]} == {"defence", "foreign_affairs", "security", "economy"}
    for kind, member in world.members.items():
        headers = bearer(member)
        referrals = client.get("/api/v1/referrals", **headers).json()
        assert len(referrals) == 1
        refusal = post(
            client,
            f"/api/v1/referrals/{referrals[0]['id']}/advice",
            {"advice_type": "refuse", "rationale": "x"},
            headers,
        )
        assert code_of(refusal) == "advice.criteria_required"
        given = post(
            client,
            f"/api/v1/referrals/{referrals[0]['id']}/advice",
            {"advice_type": "approve", "rationale": f"{kind} agrees"},
            headers,
        )
        assert given.status_code == 201, given.content
        # A department sees its own referral only.
        own = client.get(f"/api/v1/applications/{application.pk}/case", **headers).json()
        assert [r["department_kind"] for r in own["referrals"]] == [kind]
    ready = post(client, f"/api/v1/applications/{application.pk}/ready", {}, officer)
    assert ready.json()["status"] == "ready_for_commission"
    meeting = post(
        client,
        "/api/v1/meetings",
        {"scheduled_for": timezone.now().isoformat(), "quorum_minimum": 2, "quorum_departments": ["defence"]},
        officer,
    ).json()
    members = [str(member.pk) for member in world.members.values()]
    client.put(
        f"/api/v1/meetings/{meeting['id']}/members",
        {"member_ids": members, "present_ids": members},
        content_type="application/json",
        **officer,
    )
    agenda = post(
        client, f"/api/v1/meetings/{meeting['id']}/agenda", {"application_id": str(application.pk)}, officer
    ).json()
    post(client, f"/api/v1/meetings/{meeting['id']}/open", {}, officer)
    item_id = agenda["agenda"][0]["item_id"]
    tally = post(client, f"/api/v1/agenda-items/{item_id}/votes", {"vote": "approve"}, bearer(world.members["defence"]))
    assert tally.json()["approve"] == 1
    again = post(client, f"/api/v1/agenda-items/{item_id}/votes", {"vote": "refuse"}, bearer(world.members["defence"]))
    assert (again.status_code, code_of(again)) == (409, "vote.duplicate")
    decision = post(client, f"/api/v1/agenda-items/{item_id}/decision", {"outcome": "approve"}, officer)
    assert decision.status_code == 201, decision.content
    exporter_view = client.get(f"/api/v1/applications/{application.pk}", **bearer(world.exporter)).json()
    assert (exporter_view["status"], exporter_view["outcome"]) == ("decided", "approve")
    assert exporter_view["decisions"][0]["outcome"] == "approve"
    inbox = client.get("/api/v1/inbox?unread_only=true", **bearer(world.exporter)).json()
    assert any(message["event"] == "application.decided" for message in inbox["items"])
    marked = post(client, "/api/v1/inbox/read", {}, bearer(world.exporter)).json()
    assert marked["marked_read"] >= 1


def test_outsiders_get_404(client: Client, world: World) -> None:
    application = services.application_submit(actor=world.exporter, application=complete_draft(world, quantity=1))
    from excon.accounts.tests.factories import user_with_role
    from excon.core.roles import Role

    for outsider in (
        user_with_role(Role.EXPORTER_ADMIN),
        world.members["economy"],
        user_with_role(Role.CUSTOMS_OFFICER),
    ):
        response = client.get(f"/api/v1/applications/{application.pk}", **bearer(outsider))
        assert (response.status_code, code_of(response)) == (404, "not_found")


def test_routing_rules_and_risk_profiles(client: Client, world: World) -> None:
    senior = bearer(world.senior)
    rules = client.get("/api/v1/routing-rules", **senior).json()
    assert len(rules) == 5
    bad = post(client, "/api/v1/routing-rules", {"name": "x", "departments": ["navy"]}, senior)
    assert code_of(bad) == "routing.invalid_departments"
    created = post(
        client, "/api/v1/routing-rules", {"name": "Brazil", "destinations": ["BR"], "departments": ["economy"]}, senior
    )
    assert created.status_code == 201
    forbidden = post(client, "/api/v1/routing-rules", {"name": "y", "departments": ["economy"]}, bearer(world.officer))
    assert forbidden.status_code == 403
    profile = client.put(
        "/api/v1/risk-profiles/PL",
        {"criterion_levels": {"2": 1, "7": 3}, "source": "test"},
        content_type="application/json",
        **senior,
    )
    assert profile.status_code == 200, profile.content
    invalid = client.put(
        "/api/v1/risk-profiles/PL", {"criterion_levels": {"9": 1}}, content_type="application/json", **senior
    )
    assert code_of(invalid) == "risk.invalid_levels"
    application = services.application_submit(actor=world.exporter, application=complete_draft(world))
    results = client.get(f"/api/v1/applications/{application.pk}/case", **senior).json()["latest_checks"]["results"]
    risk = next(result for result in results if result["check"] == "risk")
    assert (risk["outcome"], risk["details"]["high"]) == ("warning", [7])
