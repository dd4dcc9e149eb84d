"""End to end in a real browser: a compliance officer opens the screening queue, reviews a hit raised through the
services, dismisses it with a reason and no longer finds it among the open hits."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from excon.accounts.tests.factories import TEST_PASSWORD, user_with_role
from excon.core.roles import Role
from excon.screening import services
from excon.screening.enums import HitStatus
from excon.screening.index import forget_index
from excon.screening.models import ScreeningHit
from excon.screening.services import Party
from excon.screening.tests.factories import list_entry
from tests.browser.support import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_compliance_officer_dismisses_a_hit_from_the_queue(page: Any, results_dir: Path) -> None:
    officer = user_with_role(Role.COMPLIANCE_OFFICER, first_name="Iryna")
    list_entry("ZALA AERO GROUP LLC", kind="organisation", countries=("RU",), programme="RUSSIA-EO14024")
    forget_index()
    reference = f"applications.party:{uuid.uuid4()}"
    services.rescreen_parties([Party(reference=reference, name="Zala Aero Group", kind="organisation", country="PL")])
    hit = ScreeningHit.objects.get(target_id=reference.partition(":")[2])

    sign_in(page, officer.username, TEST_PASSWORD)
    expect(page.get_by_role("heading", name="Screening", exact=True)).to_be_visible()
    page.locator("nav[aria-label=Main]").get_by_role("link", name="Screening").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Screening hits")
    page.get_by_role("link", name="Zala Aero Group").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ZALA AERO GROUP LLC")
    expect(page.get_by_role("rowheader", name="Word by word")).to_be_visible()
    page.screenshot(path=str(results_dir / "screening-hit.png"), full_page=True)

    # Without a reason the service refuses, and the page says why.
    page.get_by_role("button", name="Dismiss the hit").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("a reason is required to dismiss a hit")
    page.get_by_label("Reason for dismissing").fill(
        "Registered in Poland; the listed company is the Russian UAV maker."
    )
    page.get_by_role("button", name="Dismiss the hit").click()

    expect(
        page.locator(".govuk-notification-banner, .govuk-panel, [role=status], .excon-message").first
    ).to_contain_text("dismissed")
    expect(page.get_by_role("link", name="Zala Aero Group")).to_have_count(0)
    expect(page.get_by_text("No hits match.")).to_be_visible()
    hit.refresh_from_db()
    assert hit.status == HitStatus.DISMISSED
    assert hit.reviewer == officer
