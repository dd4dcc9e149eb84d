"""Quotas: the check fails or warns with the remaining amount; a final approving decision counts against a quota
on the approved basis and is refused when it would exceed one in fail mode; the issued and shipped bases count
licences and shipments; the dashboard shows use against each quota with a chart."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from excon.applications import services as application_services
from excon.applications.enums import ApplicationStatus, CheckOutcome
from excon.applications.models import Application, Decision
from excon.applications.tests.factories import World, complete_draft
from excon.core.errors import Conflict, PermissionDenied, ValidationError
from excon.licences.services import ShipmentLineInput, shipment_record
from excon.licences.tests.factories import approved_application, direct_licence
from excon.regime import checks, selectors, services
from excon.regime.models import QuotaUse

from .factories import quota

pytestmark = pytest.mark.django_db


def ready_case(world: World, quantity: int = 10) -> tuple[Application, object]:
    """A submitted case, advised and on an open meeting's agenda (returns it and its agenda item)."""
    application = application_services.application_submit(
        actor=world.exporter, application=complete_draft(world, quantity=quantity)
    )
    for referral in application.referrals.select_related("department"):
        application_services.advice_give(
            actor=world.members[referral.department.department_kind],
            referral=referral,
            advice_type="approve",
            rationale="ok",
        )
    application_services.application_mark_ready(actor=world.officer, application=application)
    meeting = application_services.meeting_create(actor=world.officer, scheduled_for=timezone.now(), quorum_minimum=1)
    members = list(world.members.values())
    application_services.meeting_set_members(
        actor=world.officer, meeting=meeting, member_ids=[m.pk for m in members], present_ids=[m.pk for m in members]
    )
    item = application_services.agenda_add(actor=world.officer, meeting=meeting, application=application)
    application_services.meeting_open(actor=world.officer, meeting=meeting)
    return application, item


def test_an_application_above_the_remaining_quota_fails_with_the_remaining_amount(world: World) -> None:
    quota(world, cap_quantity=5)
    outcome, summary, details = checks.assess_quotas(complete_draft(world, quantity=10))
    assert outcome == CheckOutcome.FAIL
    assert details["code"] == "application.quota_exceeded"
    assert details["quotas"][0]["remaining_quantity"] == 5
    assert details["quotas"][0]["exceeds"] == ["quantity"]
    assert "remaining 5 items" in summary


def test_a_quota_in_warning_mode_warns_and_a_value_cap_counts_its_currency(world: World) -> None:
    quota(world, cap_quantity=None, cap_value="1000000.00", currency="EUR", mode="warning")
    outcome, _summary, details = checks.assess_quotas(complete_draft(world, quantity=10))  # 10 × 150,000 EUR
    assert outcome == CheckOutcome.WARNING
    assert details["quotas"][0]["remaining_value"] == "1000000.00"
    assert details["quotas"][0]["exceeds"] == ["value"]
    assert checks.assess_quotas(complete_draft(world, quantity=6))[0] == CheckOutcome.PASS


def test_a_quota_on_another_category_or_destination_does_not_apply(world: World) -> None:
    quota(world, category="ML4", cap_quantity=1)
    quota(world, destination="DE", cap_quantity=1)
    outcome, summary, _details = checks.assess_quotas(complete_draft(world, quantity=10))
    assert outcome == CheckOutcome.PASS
    assert summary == "no quota applies"


def test_a_group_quota_applies_to_its_members(world: World) -> None:
    quota(world, destination="group:nato", cap_quantity=3)
    assert checks.assess_quotas(complete_draft(world, quantity=10))[0] == CheckOutcome.FAIL


def test_approvals_count_against_the_quota_and_one_that_would_exceed_it_is_refused(world: World) -> None:
    capped = quota(world, cap_quantity=15)
    first, first_item = ready_case(world)
    second, second_item = ready_case(world)  # both passed their check: nothing was counted yet
    application_services.decision_record(actor=world.officer, item=first_item, outcome="approve")
    assert QuotaUse.objects.get(quota=capped, application=first).quantity == 10
    with pytest.raises(Conflict) as caught:
        application_services.decision_record(actor=world.officer, item=second_item, outcome="approve")
    assert caught.value.code == "quota.exceeded"
    assert caught.value.details["remaining_quantity"] == 5
    second.refresh_from_db()
    assert second.status == ApplicationStatus.READY_FOR_COMMISSION
    assert not Decision.objects.filter(application=second).exists()
    usage = selectors.quota_usage(capped)
    assert (usage.used_quantity, usage.remaining_quantity) == (10, 5)
    refusal = application_services.decision_record(
        actor=world.officer, item=second_item, outcome="refuse", refusal_criteria=[7], reasons="quota"
    )
    assert refusal.outcome == "refuse"  # a refusal never counts


def test_a_warning_quota_lets_the_approval_through_and_counts_it(world: World) -> None:
    capped = quota(world, cap_quantity=5, mode="warning")
    application, item = ready_case(world)
    application_services.decision_record(actor=world.officer, item=item, outcome="approve")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECIDED
    assert selectors.quota_usage(capped).remaining_quantity == -5


def test_the_issued_and_shipped_bases_count_licences_and_shipments(world: World) -> None:
    issued = quota(world, basis="issued", cap_quantity=100)
    shipped = quota(world, destination="group:nato", basis="shipped", cap_quantity=100)
    licence = direct_licence(world.exporter_org, quantity=30, number="LIC-TEST-000401")
    assert selectors.quota_usage(issued).used_quantity == 30
    assert selectors.quota_usage(shipped).used_quantity == 0
    shipment_record(
        actor=world.exporter,
        licence=licence,
        shipped_on=timezone.localdate(),
        lines=[ShipmentLineInput(line_number=1, quantity=12, value="100.00")],
    )
    assert selectors.quota_usage(shipped).used_quantity == 12


def test_quotas_are_set_by_senior_officers_with_valid_caps(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.quota_set(actor=world.officer, year=2026, destination="PL", category="ML6", cap_quantity=1)
    with pytest.raises(ValidationError) as caught:
        quota(world, cap_quantity=None)
    assert caught.value.code == "quota.cap_required"
    with pytest.raises(ValidationError) as caught:
        quota(world, cap_quantity=None, cap_value="-1", currency="EUR")
    assert caught.value.code == "quota.invalid_cap"
    capped = quota(world)
    with pytest.raises(Conflict):
        quota(world)
    changed = services.quota_change(actor=world.senior, quota=capped, reason="More", cap_quantity=80)
    assert changed.cap_quantity == 80


def test_the_dashboard_shows_use_against_each_quota_with_a_chart(world: World) -> None:
    capped = quota(world, cap_quantity=20, cap_value="6000000.00", currency="EUR")
    approved_application(world, quantity=10)
    client = Client()
    client.force_login(world.senior)
    response = client.get(reverse("regime:quotas"))
    assert response.status_code == 200
    chart = response.context["chart"]
    assert chart["labels"] == [f"ML6 → {capped.destination_label}"]
    assert chart["series"][0]["data"] == [50.0]  # 10 of 20 items; 1.5 of 6 million EUR is less
    assert b'data-chart="quota-chart-data"' in response.content
    assert selectors.quota_usage(capped).used_value == Decimal("1500000.00")
