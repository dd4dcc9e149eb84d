"""End to end in a real browser: a system administrator registers an exporter and its administrator; that
administrator adds a colleague and sees nothing of other exporters."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from excon.accounts.models import Organisation, User
from excon.accounts.tests.factories import TEST_PASSWORD, OrganisationFactory, user_with_role
from excon.audit.models import AuditEntry
from excon.core.roles import Role
from excon.products.tests.factories import country
from tests.browser.support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "browser-tested-passphrase-2026"


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def nav_labels(page: Any) -> list[str]:
    return [label.strip() for label in page.locator("nav[aria-label=Main] a").all_inner_texts()]


def test_system_admin_registers_an_exporter_whose_admin_adds_a_colleague(page: Any, results_dir: Path) -> None:
    admin = user_with_role(Role.SYSTEM_ADMIN, first_name="Sofia", last_name="Admin")
    rival = OrganisationFactory(name="Rival Arms Ltd")
    country("UA", "Ukraine")

    # The system administrator signs in through the form and sees their section and navigation.
    sign_in(page, admin.username, TEST_PASSWORD)
    expect(page.get_by_role("heading", name="System administration")).to_be_visible()
    assert {"Home", "Organisations", "Users", "Audit log"} <= set(nav_labels(page))
    page.screenshot(path=str(results_dir / "home-system-admin.png"), full_page=True)

    # Register an exporter.
    page.locator("nav[aria-label=Main]").get_by_role("link", name="Organisations").click()
    expect(page.get_by_role("link", name="Rival Arms Ltd")).to_be_visible()
    page.get_by_role("link", name="Register an organisation").first.click()
    page.get_by_label("Kind of organisation").select_option("exporter")
    page.get_by_label("Name", exact=True).fill("Kyiv Optics JSC")
    page.get_by_label("Registration number").fill("ua-4242")
    page.get_by_role("combobox", name="Country").press_sequentially("Ukr")  # the country picker
    page.get_by_role("option", name="Ukraine").click()
    page.get_by_label("E-mail address").fill("office@kyiv-optics.test")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kyiv Optics JSC")
    expect(page.get_by_text("UA-4242", exact=True)).to_be_visible()
    assert Organisation.objects.get(name="Kyiv Optics JSC").country == "UA"
    expect(page.locator(".excon-history")).to_contain_text("Registered the organisation")
    page.screenshot(path=str(results_dir / "organisation-detail.png"), full_page=True)

    # Create its administrator.
    page.get_by_role("link", name="Add a user").click()
    page.get_by_label("Username").fill("mykola")
    page.get_by_label("First name").fill("Mykola")
    page.get_by_label("Last name").fill("Optics")
    page.get_by_label("E-mail address").fill("mykola@kyiv-optics.test")
    page.get_by_label("Initial password").fill(NEW_PASSWORD)
    page.get_by_label("Exporter administrator").check()
    page.get_by_role("button", name="Create user").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mykola Optics")
    sign_out(page)

    exporter = Organisation.objects.get(name="Kyiv Optics JSC")
    assert User.objects.get(username="mykola").organisation == exporter
    assert AuditEntry.objects.filter(verb="user.created", actor=admin).exists()

    # The exporter administrator signs in, adds a colleague, and sees only their own organisation.
    sign_in(page, "mykola", NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Your organisation")).to_be_visible()
    labels = nav_labels(page)
    assert {"Home", "Your organisation", "Users", "Products"} <= set(labels)
    assert "Organisations" not in labels  # an exporter sees only its own organisation
    page.screenshot(path=str(results_dir / "home-exporter-admin.png"), full_page=True)

    page.locator("nav[aria-label=Main]").get_by_role("link", name="Users").click()
    page.get_by_role("link", name="Add a user to Kyiv Optics JSC").click()
    expect(page.get_by_label("Case officer")).to_have_count(0)
    page.get_by_label("Username").fill("halyna")
    page.get_by_label("E-mail address").fill("halyna@kyiv-optics.test")
    page.get_by_label("Initial password").fill("short")
    page.get_by_label("Exporter user").check()
    page.get_by_role("button", name="Create user").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("too short")
    page.screenshot(path=str(results_dir / "user-create-error.png"), full_page=True)
    page.get_by_label("Initial password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create user").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("halyna")
    assert User.objects.get(username="halyna").organisation == exporter

    page.locator("nav[aria-label=Main]").get_by_role("link", name="Your organisation").click()
    expect(page.get_by_role("link", name="Kyiv Optics JSC")).to_be_visible()
    expect(page.get_by_text("Rival Arms Ltd")).to_have_count(0)
    response = page.goto(f"/accounts/organisations/{rival.pk}/")
    assert response is not None
    assert response.status == 404
    sign_out(page)


def test_organisation_search_filters_as_you_type(page: Any) -> None:
    admin = user_with_role(Role.CASE_OFFICER)
    OrganisationFactory(name="Alpha Ballistics")
    OrganisationFactory(name="Beta Radar Systems")
    sign_in(page, admin.username, TEST_PASSWORD)
    page.goto("/accounts/organisations/")
    expect(page.get_by_role("link", name="Alpha Ballistics")).to_be_visible()
    page.get_by_label("Name or registration number").fill("radar")  # htmx swaps the results, no reload
    expect(page.get_by_role("link", name="Alpha Ballistics")).to_have_count(0)
    expect(page.get_by_role("link", name="Beta Radar Systems")).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=radar"))
