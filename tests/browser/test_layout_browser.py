"""Every role's demo user, in a real browser: the navigation fits on one line at 1366 px, no page is wider than a
375 px phone screen, axe-core finds no serious or critical accessibility violation on the pages the navigation
leads to, and those pages are written as screenshots to artifacts/screenshots/ for a reviewer."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from excon.accounts.models import User
from excon.core.roles import Role
from excon.demo.world import build_demo_world, demo_password

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WIDE, NARROW = 1366, 375
# WCAG 2.1 A and AA rules, as the GOV.UK service standard asks.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def demo_users() -> dict[str, User]:
    """One demo user per role (the first the demo lists), from the demo world itself."""
    call_command("load_refdata", verbosity=0)
    build_demo_world()
    chosen: dict[str, User] = {}
    for user in User.objects.order_by("date_joined", "username"):
        for role in user.role_set:
            chosen.setdefault(role, user)
    assert set(chosen) == set(Role.values)
    return chosen


@contextmanager
def signed_in(browser: Any, live_server: Any, user: User, width: int) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    context.set_default_navigation_timeout(60_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(demo_password())
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    try:
        yield page
    finally:
        context.close()


def nav_links(page: Any) -> list[tuple[str, str]]:
    links = page.locator("nav[aria-label=Main] a")
    return [(links.nth(i).inner_text().strip(), links.nth(i).get_attribute("href")) for i in range(links.count())]


def nav_lines(page: Any) -> int:
    """How many lines the navigation's items take (distinct top edges)."""
    return int(
        page.evaluate(
            "new Set([...document.querySelectorAll('nav[aria-label=Main] li')]"
            ".map(li => Math.round(li.getBoundingClientRect().top))).size"
        )
    )


def overflow(page: Any) -> int:
    """By how many pixels the page is wider than the window (0 when it fits)."""
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page, as "rule: target" lines."""
    page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated, not injected as a tag: the CSP refuses inline scripts
    result = page.evaluate(f"axe.run(document, {json.dumps(AXE_OPTIONS)})")
    return [
        f"{violation['id']} ({violation['impact']}): "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def test_every_role_gets_a_one_line_navigation_a_phone_layout_and_no_serious_accessibility_violation(
    browser: Any, live_server: Any, demo_users: dict[str, User], screenshots_dir: Path
) -> None:
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci`")
    problems: list[str] = []
    for role, user in sorted(demo_users.items()):
        with signed_in(browser, live_server, user, WIDE) as page:
            links = nav_links(page)
            assert links, role
            for label, href in links:
                page.goto(href)
                expect(page.locator("main")).to_be_visible()
                if nav_lines(page) != 1:
                    problems.append(f"{role} {href}: the navigation takes {nav_lines(page)} lines at {WIDE} px")
                problems += [f"{role} {href}: {found}" for found in serious_violations(page)]
                page.screenshot(path=str(screenshots_dir / f"{slug(role)}-{slug(label)}.png"), full_page=True)
            if role in (Role.CASE_OFFICER, Role.EXPORTER_ADMIN):
                # The case page and the licence page, as the officer and the exporter read them.
                for listing, name in (
                    ("/applications/queue/" if role == Role.CASE_OFFICER else "/applications/", "case"),
                    ("/licences/", "licence"),
                ):
                    page.goto(listing)
                    page.locator("main table a").first.click()
                    expect(page.locator("main h1")).to_be_visible()
                    problems += [f"{role} {page.url}: {found}" for found in serious_violations(page)]
                    page.screenshot(path=str(screenshots_dir / f"{slug(role)}-{name}-page.png"), full_page=True)
            page.set_viewport_size({"width": NARROW, "height": 800})
            for _label, href in links:
                page.goto(href)
                if overflow(page) > 0:
                    problems.append(f"{role} {href}: {overflow(page)} px wider than a {NARROW} px screen")
            page.goto(links[0][1])
            page.screenshot(path=str(screenshots_dir / f"{slug(role)}-phone.png"), full_page=True)
    assert not problems, "\n".join(problems)
