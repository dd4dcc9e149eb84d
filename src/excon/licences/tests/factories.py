"""Licences for tests: one issued through the whole chain (application → commission → licence), and a direct
factory for shipment and reconciliation tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from excon.accounts.models import Organisation, User
from excon.accounts.tests.factories import OrganisationFactory
from excon.applications import services as application_services
from excon.applications.models import Application
from excon.applications.tests.factories import World, licensing_world, typed_draft
from excon.licences import services
from excon.licences.models import Licence, LicenceLine, LicenceVersion
from excon.products.tests.factories import control_entry, country


def approved_application(world: World, application_type: str = "standard_individual", **draft: object) -> Application:
    """Approved by the commission; a type other than the standard licence with its particulars (typed_draft)."""
    application = application_services.application_submit(
        actor=world.exporter, application=typed_draft(world, application_type, **draft)
    )
    for referral in application.referrals.select_related("department"):
        application_services.advice_give(
            actor=world.members[referral.department.department_kind],
            referral=referral,
            advice_type="approve_with_provisos" if referral.department.department_kind == "defence" else "approve",
            provisos="No transfer of the remote weapon station's fire-control software.",
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
    application_services.decision_record(
        actor=world.officer,
        item=item,
        outcome="approve_with_conditions",
        conditions="Delivery verification within 90 days.",
    )
    application.refresh_from_db()
    return application


def issued_licence(world: World | None = None, **draft: object) -> tuple[World, Licence]:
    world = world or licensing_world()
    application = approved_application(world, **draft)
    return world, services.licence_issue(actor=world.officer, application=application)


def direct_licence(
    holder: Organisation | None = None,
    *,
    quantity: int | None = 10,
    value: str = "1000.00",
    valid_days: int = 365,
    destination: str = "PL",
    number: str = "LIC-TEST-000001",
    actor: User | None = None,
) -> Licence:
    """A licence built straight in the database (signed), for tests about shipments and customs."""
    holder = holder or OrganisationFactory()
    today = timezone.localdate()
    licence = Licence.objects.create(
        number=number,
        holder=holder,
        destination=country(destination),
        end_user="Land Forces",
        issued_on=today - dt.timedelta(days=10),
        valid_from=today - dt.timedelta(days=10),
        valid_until=today + dt.timedelta(days=valid_days),
    )
    LicenceLine.objects.create(
        licence=licence,
        line_number=1,
        description="Armoured personnel carrier",
        control_entry=control_entry("ML6.a"),
        hs_code="871000",
        quantity=quantity,
        value=Decimal(value),
        currency="EUR",
    )
    signed = services.lifecycle.sign_licence(licence)  # type: ignore[attr-defined]
    LicenceVersion.objects.create(
        licence=licence, version=1, changed_by=actor, reason="issued", snapshot={"signed": signed, "lines": []}
    )
    return licence
