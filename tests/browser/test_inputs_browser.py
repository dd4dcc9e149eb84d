"""Inputs that cannot go wrong silently, in a real browser: a country is picked by its name (or a former name), not
typed as a code; a date survives reopening its form; a refused upload says in words which kinds are accepted."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from excon.accounts.tests.factories import TEST_PASSWORD
from excon.applications.models import Application
from excon.applications.tests.factories import complete_draft, licensing_world
from excon.products.tests.factories import country, pdf_bytes
from tests.browser.support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_destination_picker_chooses_estonia_by_its_name(page: Any, screenshots_dir: Path) -> None:
    world = licensing_world()
    country("EE", "Estonia")
    country("ES", "Spain")
    country("SZ", "Eswatini")
    page.set_default_navigation_timeout(60_000)  # the first page of a live server can be slow on a busy machine
    sign_in(page, world.exporter.username, TEST_PASSWORD)
    page.goto("/applications/new/")

    destination = page.get_by_role("combobox", name="Destination country")
    destination.press_sequentially("Estonia")
    expect(page.get_by_role("option", name="Estonia")).to_be_visible()
    expect(page.get_by_role("option", name="Spain")).to_have_count(0)
    page.screenshot(path=str(screenshots_dir / "picker-estonia.png"))
    page.get_by_role("option", name="Estonia").click()
    expect(destination).to_have_value("Estonia")
    page.get_by_label("End-use statement").fill("For the land forces; no re-export.")
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft")

    draft = Application.objects.filter(applicant=world.exporter_org).latest("created_at")
    assert draft.destination is not None
    assert draft.destination.iso2 == "EE"

    # A former name finds the country under its current name; a code finds it too.
    page.goto("/applications/new/")
    destination = page.get_by_role("combobox", name="Destination country")
    destination.press_sequentially("Swaziland")
    expect(page.get_by_role("option", name="Eswatini")).to_be_visible()
    destination.fill("")
    destination.press_sequentially("ES")
    expect(page.get_by_role("option").first).to_have_text("Spain")


def test_the_picker_without_javascript_is_a_plain_select(browser: Any, live_server: Any) -> None:
    world = licensing_world()
    country("EE", "Estonia")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.set_default_navigation_timeout(60_000)
    try:
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(world.exporter.username)
        page.get_by_label("Password").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto("/applications/new/")
        page.get_by_label("Destination country").select_option(label="Estonia")
        page.get_by_label("End-use statement").fill("For the land forces; no re-export.")
        page.get_by_role("button", name="Create the draft").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Draft")
    finally:
        context.close()
    draft = Application.objects.filter(applicant=world.exporter_org).latest("created_at")
    assert draft.destination is not None
    assert draft.destination.iso2 == "EE"


def test_the_end_user_certificate_keeps_its_issue_date_and_a_refused_upload_says_what_is_accepted(
    page: Any, tmp_path: Path
) -> None:
    world = licensing_world()
    draft = complete_draft(world)
    page.set_default_navigation_timeout(60_000)
    sign_in(page, world.exporter.username, TEST_PASSWORD)
    url = f"/applications/{draft.pk}/end-user-certificate/"

    # Reopened, the certificate shows the date it was recorded with, and saving it again keeps it.
    page.goto(url)
    expect(page.get_by_label("Issue date")).to_have_value("2026-10-01")
    page.get_by_label("Issue date").fill("2026-10-14")
    page.get_by_role("button", name=re.compile("Save|Record")).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("end-user certificate is recorded")
    page.goto(url)
    expect(page.get_by_label("Issue date")).to_have_value("2026-10-14")
    page.get_by_role("button", name=re.compile("Save|Record")).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("end-user certificate is recorded")
    draft.end_user_certificate.refresh_from_db()
    assert draft.end_user_certificate.issue_date == dt.date(2026, 10, 14)

    # A text file is refused, in words a person knows.
    notes = tmp_path / "scan.txt"
    notes.write_text("not a scan")
    page.goto(url)
    page.get_by_label("Scanned certificate").set_input_files(str(notes))
    page.get_by_role("button", name=re.compile("Save|Record")).click()
    error = page.locator(".govuk-error-message").filter(has_text="not accepted")
    expect(error).to_contain_text("PDF, Word (.docx), Excel (.xlsx)")
    expect(error).not_to_contain_text("application/")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(pdf_bytes("certificate"))
    page.get_by_label("Scanned certificate").set_input_files(str(scan))
    page.get_by_role("button", name=re.compile("Save|Record")).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("end-user certificate is recorded")
