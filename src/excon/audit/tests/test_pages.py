"""The audit log pages: only auditors and system administrators (others get 404), filters, pagination,
chain verification, and the readable history shown beside objects."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from excon.accounts import services
from excon.accounts.tests.factories import OrganisationFactory, user_with_role
from excon.audit.labels import verb_label
from excon.audit.models import AuditEntry
from excon.audit.services import audit_record
from excon.audit.views import describe_payload
from excon.core.roles import Role

from .tampering import tamper
from .verbs import SampleVerb

pytestmark = pytest.mark.django_db

READERS = {Role.AUDITOR, Role.SYSTEM_ADMIN}


def fill_log(count: int) -> None:
    organisation = OrganisationFactory()
    for number in range(count):
        audit_record(actor=None, verb=SampleVerb.THING_DONE, target=organisation, payload={"n": number})


@pytest.mark.parametrize("role", list(Role.values))
def test_audit_pages_only_for_auditors_and_system_admins(client: Client, role: str) -> None:
    client.force_login(user_with_role(role))
    expected = 200 if role in READERS else 404
    assert client.get(reverse("audit:entry_list")).status_code == expected
    assert client.post(reverse("audit:verify")).status_code == expected


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("audit:entry_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_verify_needs_post(client: Client) -> None:
    client.force_login(user_with_role(Role.AUDITOR))
    assert client.get(reverse("audit:verify")).status_code == 405


def test_list_filters_and_paginates(client: Client) -> None:
    admin = user_with_role(Role.SYSTEM_ADMIN)
    client.force_login(admin)
    fill_log(60)
    organisation = services.organisation_create(
        actor=admin, kind="exporter", name="Filtered Ltd", registration_number="F1"
    )

    response = client.get(reverse("audit:entry_list"))
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == 61
    assert len(page.object_list) == 50
    assert page.object_list[0].verb == "organisation.created"  # newest first
    fields = response.context["form"].fields
    assert ("test.thing_done", "Did a test thing") in fields["verb"].choices
    assert ("accounts.organisation", "accounts.organisation") in fields["target_type"].choices

    response = client.get(reverse("audit:entry_list"), {"verb": "organisation.created"})
    assert [row["verb"] for row in response.context["rows"]] == ["organisation.created"]
    body = response.content.decode()
    assert "Registered the organisation" in body
    assert organisation.name in body

    response = client.get(reverse("audit:entry_list"), {"target_type": "accounts.organisation", "page": 2})
    assert response.context["page"].number == 2
    assert "target_type=accounts.organisation" in response.context["query"]

    partial = client.get(reverse("audit:entry_list"), {"verb": "test.thing_done"}, HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith('<div id="results">')


def test_list_query_count_is_bounded(client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client.force_login(user_with_role(Role.AUDITOR))
    fill_log(120)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("audit:entry_list")).status_code == 200


def test_verify_chain_reports_an_intact_log(client: Client) -> None:
    client.force_login(user_with_role(Role.AUDITOR))
    fill_log(5)
    response = client.post(reverse("audit:verify"))
    assert response.status_code == 200
    assert "The audit log is intact: 5 entries verified" in response.content.decode()
    partial = client.post(reverse("audit:verify"), HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "Log verified" in body
    assert "5 committed and awaiting sequencing" in body
    assert "<html" not in body


def test_verify_chain_reports_a_tampered_log(client: Client) -> None:
    client.force_login(user_with_role(Role.SYSTEM_ADMIN))
    fill_log(3)
    forged = AuditEntry.objects.order_by("seq")[1]
    tamper("UPDATE audit_auditentry SET verb = 'forged' WHERE seq = %s", [forged.seq])
    body = client.post(reverse("audit:verify")).content.decode()
    assert "The audit log is broken" in body
    assert f"#{forged.seq}" in body


def test_readable_summaries() -> None:
    assert verb_label("organisation.status_changed") == "Changed the organisation's status"
    assert verb_label("widget.frobbed") == "Widget: frobbed"
    assert (
        describe_payload({"from": "active", "to": "suspended", "reason": "fraud"})
        == "Active → Suspended; reason: fraud"
    )
    assert describe_payload({"changes": {"address": {"from": "", "to": "2 Road"}}}) == "address: (empty) → 2 Road"
    assert describe_payload({"added": ["case_officer"], "removed": []}) == "added: Case officer"
    assert describe_payload({}) == ""
    assert len(describe_payload({"note": "x" * 1000})) <= 300


def test_a_history_beside_an_object_reads_in_words_and_the_audit_log_keeps_the_identifiers() -> None:
    payload = {
        "type": "standard_individual",
        "contract_value": "1500000.00",
        "document_id": "5b60542d-4262-48e4-ae5f-5cca5b3565a7",
        "sha256": "a" * 64,
        "filename": "design.pdf",
        "code": "application.no_capacity_declared",
    }
    plain = describe_payload(payload)
    assert plain == (
        "type: Standard individual export licence; contract value: 1,500,000.00; filename: design.pdf; "
        "code: No capacity declared"
    )
    technical = describe_payload(payload, technical=True)
    assert "5b60542d-4262-48e4-ae5f-5cca5b3565a7" in technical
    assert "a" * 64 in technical


def test_history_beside_an_object_is_readable(client: Client) -> None:
    admin = user_with_role(Role.SYSTEM_ADMIN)
    client.force_login(admin)
    organisation = services.organisation_create(
        actor=admin, kind="exporter", name="History Ltd", registration_number="H1"
    )
    services.organisation_set_status(actor=admin, organisation=organisation, status="suspended", reason="inquiry")
    body = client.get(reverse("accounts:organisation_detail", args=[organisation.pk])).content.decode()
    assert "History" in body
    assert "Changed the organisation&#x27;s status" in body
    assert "Active → Suspended; reason: inquiry" in body
    assert admin.username in body
