"""End to end in a real browser: the holder of an open individual licence ships to one of its further destinations,
decrements the capped line (an overdraft is refused), ships beyond the estimate of the uncapped line, and submits
the return of a period that has ended, listing that period's shipment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from excon.accounts.tests.factories import TEST_PASSWORD, UserFactory
from excon.core.roles import Role
from excon.licences.models import Licence, LicenceLine, Shipment, UsageReturn
from excon.licences.tests.factories import issued_licence
from tests.browser.support import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_an_open_licences_shipments_and_returns(page: Any, live_server: Any, results_dir: Path) -> None:
    _, licence = issued_licence(application_type="open")
    today = timezone.localdate()
    # Setup: the licence started 30 days ago and its first period ended yesterday, so its return can be made.
    start = today - dt.timedelta(days=30)
    Licence.objects.filter(pk=licence.pk).update(valid_from=start)
    first = licence.usage_returns.order_by("period_start").first()
    assert first is not None
    UsageReturn.objects.filter(pk=first.pk).update(period_start=start, period_end=today - dt.timedelta(days=1))
    holder = UserFactory(organisation=licence.holder, roles=[Role.EXPORTER_USER])
    page.set_default_timeout(60_000)  # the issued licence's setup is heavy; on a loaded machine pages come slowly

    sign_in(page, str(holder.username), TEST_PASSWORD)
    page.goto(f"/licences/{licence.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Open individual export licence {licence.number}")
    expect(page.locator("#licence-type")).to_contain_text("any of the destinations named")
    expect(page.locator("#licence-type-particulars")).to_contain_text("DE")
    capped = page.locator("#licence-lines tr[data-line='1'] [data-remaining-quantity]")
    expect(capped).to_have_text("10 items")
    expect(page.locator("#licence-lines tr[data-line='2'] [data-no-cap]")).to_be_visible()

    # A shipment to the further destination, in the period that has ended: 3 on the capped line, 150 on the
    # uncapped one (beyond its estimate of 100).
    page.get_by_role("link", name="Record a shipment").click()
    page.get_by_label("Date of export").fill((today - dt.timedelta(days=2)).isoformat())
    page.get_by_label("Destination of this shipment").select_option("DE")
    page.get_by_label("Customs declaration number").fill("UA-DEC-2026-0100")
    page.get_by_label("Line 1 quantity").fill("3")
    page.get_by_label("Line 1 value (EUR)").fill("450000.00")
    page.get_by_label("Line 2 quantity").fill("150")
    page.get_by_label("Line 2 value (EUR)").fill("150000.00")
    page.get_by_role("button", name="Record the shipment").click()
    expect(page.get_by_role("alert").first).to_contain_text("is recorded against")
    expect(capped).to_have_text("7 items")
    shipment = Shipment.objects.get(licence=licence)
    assert shipment.destination.iso2 == "DE"
    assert LicenceLine.objects.get(licence=licence, line_number=2).shipped_quantity == 150

    # The capped line is never overdrawn: the service's refusal is on the form, nothing is stored.
    page.get_by_role("link", name="Record a shipment").click()
    page.get_by_label("Date of export").fill(today.isoformat())
    page.get_by_label("Line 1 quantity").fill("8")
    page.get_by_label("Line 1 value (EUR)").fill("100.00")
    page.get_by_role("button", name="Record the shipment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("line 1: 8 would exceed the 7 remaining")
    assert Shipment.objects.filter(licence=licence).count() == 1

    # The return of the period that has ended lists its shipment; once submitted, the licence page says so.
    page.goto(f"/licences/{licence.pk}/")
    returns = page.locator("#usage-returns")
    expect(returns.locator(f"tr[data-period='{start.isoformat()}']")).to_contain_text("Due")
    returns.get_by_role("link", name="Submit the return").click()
    expect(page.locator("#return-lines")).to_contain_text("450000.00")
    expect(page.get_by_text(shipment.reference)).to_be_visible()
    page.get_by_label("Note to the authority").fill("All to the German depot.")
    page.get_by_role("button", name="Submit the return").click()
    expect(page.get_by_role("alert").first).to_contain_text("is submitted")
    row = page.locator(f"#usage-returns tr[data-period='{start.isoformat()}']")
    expect(row).to_contain_text("Submitted")
    expect(row).to_contain_text("1 shipment(s)")
    first.refresh_from_db()
    assert first.submitted_at is not None
    assert first.report["lines"][0] == {"line": 1, "quantity": 3, "value": "450000.00"}
    page.screenshot(path=str(results_dir / "open-licence-returns.png"), full_page=True)
