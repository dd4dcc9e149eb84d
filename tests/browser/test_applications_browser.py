"""End to end in a real browser: a submitted licence application goes from the departments' advice through the
commission to a decision, which the exporter then reads on their application's page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from excon.applications import services
from excon.applications.enums import ApplicationStatus
from excon.applications.tests.factories import complete_draft, licensing_world
from excon.audit.models import AuditEntry
from tests.browser.support import signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_case_from_submission_to_decision(browser: Any, live_server: Any, results_dir: Path) -> None:
    world = licensing_world()
    application = services.application_submit(actor=world.exporter, application=complete_draft(world))
    assert application.status == ApplicationStatus.UNDER_REVIEW
    # Every department but defence advises through the services, to keep the test short.
    for referral in application.referrals.select_related("department"):
        kind = referral.department.department_kind
        if kind != "defence":
            services.advice_give(actor=world.members[kind], referral=referral, advice_type="approve", rationale="ok")

    # The defence ministry's commission member advises through the page.
    with signed_in(browser, live_server, world.members["defence"].username) as page:
        page.locator("nav[aria-label=Main]").get_by_role("link", name="Referred cases").click()
        page.get_by_role("link", name=application.reference).click()
        page.get_by_role("link", name=re.compile(r"^Give advice")).click()
        page.get_by_label("Approve", exact=True).check()
        page.get_by_label("Rationale").fill("Compatible with the brigade's needs; no technology concern.")
        page.get_by_role("button", name="Record the advice").click()
        expect(page.locator("[data-department=defence]")).to_contain_text("Advice given")

    # The case officer sends the case to the commission, convenes it and records the approval.
    with signed_in(browser, live_server, world.officer.username) as page:
        page.locator("nav[aria-label=Main]").get_by_role("link", name="Work queue").click()
        page.get_by_role("link", name=application.reference).click()
        expect(page.locator("#consolidated")).to_contain_text("Approve")
        page.get_by_role("button", name="Send to the commission").click()
        expect(page.locator("#case-status")).to_contain_text("Ready for the commission")

        page.locator("nav[aria-label=Main]").get_by_role("link", name="Commission").click()
        page.get_by_role("link", name="Plan a meeting").click()
        page.get_by_label("Date and time").fill("2026-11-20T10:00")
        page.get_by_label("Quorum: members present at least").fill("3")
        page.get_by_label("Ministry of Defence").check()
        page.get_by_role("button", name="Plan the meeting").click()
        expect(page.locator("#meeting-status")).to_contain_text("Planned")

        for member in world.members.values():
            page.locator(f"input[name=members][value='{member.pk}']").check()
            page.locator(f"input[name=present][value='{member.pk}']").check()
        page.get_by_role("button", name="Save members").click()
        expect(page.locator("#meeting-status")).to_contain_text("Quorum")
        page.get_by_label("Case ready for the commission").select_option(str(application.pk))
        page.get_by_role("button", name="Add to the agenda").click()
        page.get_by_role("button", name="Open the session").click()
        expect(page.locator("#meeting-status")).to_contain_text("In session")

        page.locator("#agenda ~ table").get_by_role("link", name=application.reference).click()
        page.get_by_label("Approve", exact=True).check()
        page.get_by_label("Reasons").fill("Unanimous advice to approve.")
        page.get_by_role("button", name="Record the decision").click()
        expect(page.locator("[data-decision=approve]")).to_contain_text("Final")

    # The exporter reads the decision.
    with signed_in(browser, live_server, world.exporter.username) as page:
        page.locator("nav[aria-label=Main]").get_by_role("link", name="Licence applications").click()
        page.get_by_role("link", name=application.reference).click()
        expect(page.locator("#application-status")).to_contain_text("Decided")
        expect(page.locator("#decision ~ [data-decision=approve]")).to_contain_text("Approve")
        expect(page.locator("main")).not_to_contain_text("Compatible with the brigade")
        page.screenshot(path=str(results_dir / "application-decided.png"), full_page=True)

    application.refresh_from_db()
    assert (application.status, application.outcome) == (ApplicationStatus.DECIDED, "approve")
    verbs = set(AuditEntry.objects.filter(target_id=str(application.pk)).values_list("verb", flat=True))
    assert {"advice.given", "application.mark_ready", "decision.recorded", "application.decide"} <= verbs
