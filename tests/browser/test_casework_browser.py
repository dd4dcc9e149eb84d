"""The case page as a case officer reads it, the auditor's log, the absent member and the shipment refusals, in a
real browser (issue 12). Screenshots of the case page, the licence page and the auditor's log go to
artifacts/screenshots/ (git-ignored) for a reviewer."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from excon.accounts.tests.factories import UserFactory, user_with_role
from excon.applications import services
from excon.applications.models import CaseNote, MemberVote
from excon.applications.tests.factories import World, complete_draft, licensing_world
from excon.core.roles import DepartmentKind, Role
from excon.licences import services as licence_services
from excon.licences.models import LicenceLine, Shipment
from excon.licences.services import ShipmentLineInput
from excon.licences.tests.factories import direct_licence
from excon.products.tests.factories import ProductFactory
from tests.browser.support import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _case_without_defence(world: World):  # type: ignore[no-untyped-def]
    """A case under review, the defence ministry not (yet) asked; every other department has approved."""
    application = services.application_submit(actor=world.exporter, application=complete_draft(world))
    application.referrals.filter(department=world.departments[DepartmentKind.DEFENCE]).delete()
    return application


def test_the_case_officer_reads_what_is_missing_refers_by_hand_and_keeps_a_note(
    browser: Any, live_server: Any, screenshots_dir: Path
) -> None:
    world = licensing_world()
    application = _case_without_defence(world)
    defence = world.departments[DepartmentKind.DEFENCE]
    foreign = world.departments[DepartmentKind.FOREIGN_AFFAIRS]
    for referral in application.referrals.exclude(department=foreign):
        kind = referral.department.department_kind
        services.advice_give(actor=world.members[kind], referral=referral, advice_type="approve", rationale="ok")

    with signed_in(browser, live_server, world.officer.username) as page:
        page.locator("nav[aria-label=Main]").get_by_role("link", name="Work queue").click()
        page.get_by_role("link", name=application.reference).click()
        # Not ready: what is missing, and who must act; no green "Send to the commission".
        readiness = page.locator("#readiness")
        expect(readiness).to_contain_text("Not ready for the commission yet")
        expect(readiness).to_contain_text(f"{foreign.name}: commission member")
        expect(page.get_by_role("button", name="Send to the commission")).to_have_count(0)
        # The checks come before the departments' advice.
        checks_top = page.locator("#checks").bounding_box()
        advice_top = page.locator("#referrals").bounding_box()
        assert checks_top is not None
        assert advice_top is not None
        assert checks_top["y"] < advice_top["y"]

        # Refer the case to the defence ministry by hand, with a reason.
        page.get_by_role("link", name="Refer to a department").click()
        page.get_by_role("button", name="Refer").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()  # the reason is required
        page.get_by_label("Department", exact=True).select_option(str(defence.pk))
        page.get_by_label("Why must this department advise?").fill("The sights use night-vision technology.")
        page.get_by_label("Working days to advise").fill("5")
        page.get_by_role("button", name="Refer").click()
        expect(page.get_by_role("alert").first).to_contain_text(f"{defence.name} is asked to advise")
        card = page.locator("[data-department=defence]")
        expect(card).to_contain_text("Reason: The sights use night-vision technology.")
        expect(readiness).to_contain_text(f"{defence.name}: commission member")

        # An internal note.
        page.get_by_label("Internal note").fill("Exporter's agent was evasive about the end user's depot.")
        page.get_by_role("button", name="Add the note").click()
        expect(page.locator("#notes ~ [data-note]").first).to_contain_text("evasive about the end user")
        page.screenshot(path=str(screenshots_dir / "case-page-not-ready.png"), full_page=True)
    assert CaseNote.objects.filter(application=application).count() == 1

    # The departments advise; the case becomes ready and "Send to the commission" is the primary action.
    for referral in application.referrals.filter(department__in=[defence, foreign]):
        kind = referral.department.department_kind
        services.advice_give(actor=world.members[kind], referral=referral, advice_type="approve", rationale="ok")
    with signed_in(browser, live_server, world.officer.username) as page:
        page.goto(f"/applications/{application.pk}/")
        expect(page.locator("#readiness")).to_contain_text("Ready for the commission")
        send = page.get_by_role("button", name="Send to the commission")
        expect(send).to_have_attribute("data-primary", "")
        expect(send).not_to_have_class("govuk-button--secondary")
        page.screenshot(path=str(screenshots_dir / "case-page-ready.png"), full_page=True)
        send.click()
        expect(page.locator("#case-status")).to_contain_text("Ready for the commission")

    # The exporter never sees the note nor the referral's reason.
    with signed_in(browser, live_server, world.exporter.username) as page:
        page.goto(f"/applications/{application.pk}/")
        expect(page.locator("main")).not_to_contain_text("evasive")
        expect(page.locator("main")).not_to_contain_text("night-vision technology")


def test_an_absent_member_is_told_why_they_cannot_vote(browser: Any, live_server: Any) -> None:
    world = licensing_world()
    application = services.application_submit(actor=world.exporter, application=complete_draft(world))
    for referral in application.referrals.select_related("department"):
        kind = referral.department.department_kind
        services.advice_give(actor=world.members[kind], referral=referral, advice_type="approve", rationale="ok")
    services.application_mark_ready(actor=world.officer, application=application)
    meeting = services.meeting_create(actor=world.officer, scheduled_for=timezone.now(), quorum_minimum=1)
    members = list(world.members.values())
    absent = world.members["economy"]
    services.meeting_set_members(
        actor=world.officer,
        meeting=meeting,
        member_ids=[m.pk for m in members],
        present_ids=[m.pk for m in members if m != absent],
    )
    item = services.agenda_add(actor=world.officer, meeting=meeting, application=application)
    services.meeting_open(actor=world.officer, meeting=meeting)
    with signed_in(browser, live_server, absent.username) as page:
        page.goto(f"/applications/commission/items/{item.pk}/")
        expect(page.locator("#vote-refused")).to_contain_text("recorded as absent from this meeting")
        expect(page.get_by_role("button", name="Cast the vote")).to_have_count(0)
    assert not MemberVote.objects.filter(member=absent).exists()


def test_the_auditor_finds_a_case_filters_the_log_and_downloads_it(
    browser: Any, live_server: Any, screenshots_dir: Path
) -> None:
    world = licensing_world()
    application = services.application_submit(actor=world.exporter, application=complete_draft(world))
    services.application_assign(actor=world.officer, application=application, officer=world.officer)
    auditor = user_with_role(Role.AUDITOR, organisation=world.authority)
    with signed_in(browser, live_server, auditor.username) as page:
        page.locator("nav[aria-label=Main]").get_by_role("link", name="Cases").click()
        page.get_by_role("link", name=application.reference).click()
        page.get_by_role("link", name="Everything recorded about this case in the audit log").click()
        expect(page.get_by_label("Case or licence")).to_have_value(application.reference)
        rows = page.locator("#results tbody tr")
        expect(rows.first).to_be_visible()
        assert rows.count() >= 3
        # Narrow it to what the case officer did today.
        page.get_by_label("User", exact=True).fill(world.officer.username)
        today = timezone.localdate().isoformat()
        page.get_by_label("From", exact=True).fill(today)
        page.get_by_label("To", exact=True).fill(today)
        page.get_by_role("button", name="Filter").click()
        expect(page.locator("#results")).to_contain_text("1 entry")
        expect(page.locator("#results tbody tr").first).to_contain_text("Assigned the case")
        page.screenshot(path=str(screenshots_dir / "audit-log-filtered.png"), full_page=True)
        with page.expect_download() as download_info:
            page.locator("#audit-export").click()
        downloaded = Path(download_info.value.path()).read_text(encoding="utf-8")  # gone once the context closes
    rows_csv = list(csv.reader(io.StringIO(downloaded)))
    assert rows_csv[0][:4] == ["seq", "occurred_at", "actor", "verb"]
    assert [row[3] for row in rows_csv[1:]] == ["application.assigned"]


def test_the_licence_page_refuses_a_shipment_without_value_or_with_serials_already_shipped(
    browser: Any, live_server: Any, screenshots_dir: Path
) -> None:
    licence = direct_licence(quantity=20, value="900000.00", number="LIC-2026-000077")
    product = ProductFactory(manufacturer=licence.holder)
    LicenceLine.objects.filter(licence=licence).update(product=product)
    exporter = UserFactory(organisation=licence.holder, roles=[Role.EXPORTER_USER])
    customs = user_with_role(Role.CUSTOMS_OFFICER)
    licence_services.shipment_record(
        actor=customs,
        licence=licence,
        shipped_on=timezone.localdate(),
        lines=[ShipmentLineInput(1, 5, "225000.00", [f"SKL-{n:04d}" for n in range(6, 11)])],
        declaration_number="UA-DEC-2026-0100",
    )
    with signed_in(browser, live_server, exporter.username) as page:
        page.goto(f"/licences/{licence.pk}/")
        expect(page.locator("#licence-shipments")).to_contain_text("Confirmed by customs")
        expect(page.locator("#licence-shipments").get_by_role("link", name="Reverse")).to_have_count(0)
        page.get_by_role("link", name="Record a shipment").click()
        page.get_by_label("Date of export").fill(timezone.localdate().isoformat())
        page.get_by_label("Line 1 quantity").fill("5")
        page.get_by_role("button", name="Record the shipment").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("give the value of what was shipped")
        page.get_by_label("Line 1 value (EUR)").fill("225000.00")
        page.get_by_label("Line 1 serial numbers").fill("\n".join(f"SKL-{n:04d}" for n in range(6, 11)))
        page.get_by_role("button", name="Record the shipment").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("already shipped: SKL-0006")
        page.goto(f"/licences/{licence.pk}/")
        page.screenshot(path=str(screenshots_dir / "licence-page.png"), full_page=True)
    assert Shipment.objects.filter(licence=licence).count() == 1
    line = LicenceLine.objects.get(licence=licence)
    assert (line.shipped_quantity, line.shipped_value) == (5, 225000)
