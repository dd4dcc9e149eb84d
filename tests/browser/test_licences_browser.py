"""End to end in a real browser: an exporter opens its licence, records a shipment and sees the remaining quantity
go down, is refused an overdraft, and an anonymous visitor verifies the licence document from its link."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from excon.accounts.tests.factories import TEST_PASSWORD, UserFactory
from excon.core.roles import Role
from excon.licences.document import verification_url
from excon.licences.models import LicenceLine, Shipment
from excon.licences.tests.factories import direct_licence
from tests.browser.support import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_exporter_records_a_shipment_and_the_document_verifies(
    page: Any, browser: Any, live_server: Any, results_dir: Path
) -> None:
    licence = direct_licence(quantity=10, value="1000.00", number="LIC-2026-000045")
    exporter = UserFactory(organisation=licence.holder, roles=[Role.EXPORTER_USER], first_name="Iryna")

    sign_in(page, str(exporter.username), TEST_PASSWORD)
    page.locator("nav[aria-label=Main]").get_by_role("link", name="Licences").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My licences")
    page.get_by_role("link", name=licence.number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Licence {licence.number}")
    remaining = page.locator("#licence-lines tr[data-line='1'] [data-remaining-quantity]")
    expect(remaining).to_have_text("10 items")

    # Record a shipment of 3 items with their serial numbers.
    page.get_by_role("link", name="Record a shipment").click()
    page.get_by_label("Date of export").fill(timezone.localdate().isoformat())
    page.get_by_label("Customs declaration number").fill("UA-DEC-2026-0001")
    page.get_by_label("Exit point").fill("Yahodyn")
    page.get_by_label("Line 1 quantity").fill("3")
    page.get_by_label("Line 1 value (EUR)").fill("300.00")
    page.get_by_label("Line 1 serial numbers").fill("SN-001\nSN-002\nSN-003")
    page.get_by_role("button", name="Record the shipment").click()
    expect(page.get_by_role("alert").first).to_contain_text("is recorded against")
    expect(remaining).to_have_text("7 items")
    expect(page.locator("#licence-shipments")).to_contain_text("SN-001, SN-002, SN-003")
    assert LicenceLine.objects.get(licence=licence).shipped_quantity == 3
    page.screenshot(path=str(results_dir / "licence-page.png"), full_page=True)

    # An overdraft is refused with the service's message; nothing is stored.
    page.get_by_role("link", name="Record a shipment").click()
    page.get_by_label("Date of export").fill(timezone.localdate().isoformat())
    page.get_by_label("Line 1 quantity").fill("8")
    page.get_by_label("Line 1 value (EUR)").fill("100.00")
    page.get_by_role("button", name="Record the shipment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("line 1: 8 would exceed the 7 remaining")
    assert Shipment.objects.filter(licence=licence).count() == 1

    # Anyone holding the document verifies it without an account.
    parts = urlsplit(verification_url(licence))
    anonymous = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    try:
        visitor = anonymous.new_page()
        visitor.goto(f"{parts.path}?{parts.query}")
        expect(visitor.locator("#verification-result")).to_contain_text("Authentic")
        expect(visitor.locator("#licence-status")).to_have_text("Active")
        visitor.screenshot(path=str(results_dir / "licence-verified.png"), full_page=True)
    finally:
        anonymous.close()
