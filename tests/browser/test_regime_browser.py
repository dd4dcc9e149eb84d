"""End to end in a real browser: a producer applies for its export authorisation with the evidence, the case
officer sends it to the commission, a department advises and a member votes, the officer records the grant, the
producer appears in the register of authorised exporters, and once published in the public register."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from excon.accounts.tests.factories import TEST_PASSWORD
from excon.applications.tests.factories import licensing_world
from excon.core.roles import DepartmentKind
from excon.products.tests.factories import pdf_bytes
from excon.regime.enums import REQUIRED_EVIDENCE, AuthorisationStatus, EvidenceKind
from excon.regime.models import ExportAuthorisation
from tests.browser.support import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def patient_expectations() -> Iterator[None]:
    """This test's expectations wait longer than Playwright's 5 seconds; the others' are left as they were."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


def switch_user(page: Any, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username, TEST_PASSWORD)


def test_a_producer_obtains_its_export_authorisation(page: Any, live_server: Any, results_dir: Path) -> None:
    # A long walk through five sign-ins on a shared machine; the first pages compile their templates.
    page.set_default_timeout(30_000)
    world = licensing_world()
    exporter = world.exporter
    until = timezone.localdate() + dt.timedelta(days=365)

    sign_in(page, str(exporter.username), TEST_PASSWORD)
    page.locator("nav[aria-label=Main]").get_by_role("link", name="Export authorisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Export authorisations")
    page.get_by_role("link", name="Apply for an export authorisation").click()
    page.get_by_label("Control-list categories").fill("ML6")
    page.get_by_label("NATO (nato)").check()
    page.get_by_label("Validity asked for, until").fill(until.isoformat())
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("alert").first).to_contain_text("saved as a draft")
    expect(page.locator("[data-status]")).to_have_text("Draft")

    # Submitting without the evidence is refused with the service's message.
    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_role("alert").first).to_contain_text("evidence missing")
    for kind in REQUIRED_EVIDENCE:
        page.get_by_role("link", name="Add evidence").click()
        page.get_by_label("Evidence").select_option(kind)
        page.get_by_label("Document (PDF or image)").set_input_files(
            files=[{"name": f"{kind}.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(kind)}]
        )
        page.get_by_role("button", name="Upload").click()
        expect(page.get_by_role("link", name=re.compile(re.escape(EvidenceKind(kind).label)))).to_be_visible()
    page.get_by_role("button", name="Submit the application").click()
    expect(page.locator("[data-status]")).to_have_text("Submitted")
    authorisation = ExportAuthorisation.objects.get(holder=world.exporter_org)
    detail = f"/regime/authorisations/{authorisation.pk}/"

    # The case officer sends it to the commission.
    switch_user(page, str(world.officer.username))
    page.goto(detail)
    page.get_by_role("link", name="Send to the commission").click()
    page.get_by_role("button", name="Send to the commission").click()
    expect(page.locator("h1 [data-status]")).to_have_text("Before the commission")

    # The defence ministry advises, and its member votes.
    switch_user(page, str(world.members[DepartmentKind.DEFENCE].username))
    page.goto(detail)
    page.get_by_role("link", name="Give your department's advice").click()
    page.get_by_label("Your department's advice").select_option("approve")
    page.get_by_label("Rationale").fill("Known producer; premises cleared.")
    page.get_by_role("button", name="Give the advice").click()
    page.get_by_role("link", name="Vote", exact=True).click()
    page.get_by_label("Your vote").select_option("approve")
    page.get_by_role("button", name="Vote").click()
    expect(page.locator("[data-tally]")).to_contain_text("1 to approve")

    # The officer records the commission's decision: granted.
    switch_user(page, str(world.officer.username))
    page.goto(detail)
    page.get_by_role("link", name="Record the decision").click()
    page.get_by_label("Decision").select_option("grant")
    page.get_by_label("Reasons").fill("Evidence verified; the vote carried.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("h1 [data-status]")).to_have_text("Granted")
    authorisation.refresh_from_db()
    assert authorisation.status == AuthorisationStatus.GRANTED
    assert authorisation.valid_until == until

    # It is in the register; a senior officer publishes it and anyone can read the published register.
    switch_user(page, str(world.senior.username))
    page.goto("/regime/register/")
    register = page.locator("[data-register]")
    expect(register).to_contain_text(world.exporter_org.name)
    expect(register).to_contain_text("ML6")
    page.get_by_role("button", name=re.compile("Publish the register")).click()
    expect(page.get_by_role("alert").first).to_contain_text("published (1 exporters)")
    page.screenshot(path=str(results_dir / "regime-register.png"), full_page=True)
    page.context.clear_cookies()
    page.goto("/authorised-exporters/")
    expect(page.locator("[data-register]")).to_contain_text(world.exporter_org.name)
