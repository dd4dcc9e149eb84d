"""The Content-Security-Policy is sent with every page, and the pages still work under it in a real browser:
the scripts moved out of the templates run (govuk-frontend's js-enabled class, select-on-focus of a new token),
htmx loads the inbox badge, the API docs render from our own static files, and the browser reports no refusal."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from excon.accounts.tests.factories import TEST_PASSWORD, user_with_role
from excon.core.roles import Role
from tests.browser.support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_work_under_the_content_security_policy(page: Any) -> None:
    refusals: list[str] = []
    page.on(
        "console",
        lambda message: (
            refusals.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
            else None
        ),
    )
    exporter = user_with_role(Role.EXPORTER_ADMIN)

    page.set_default_navigation_timeout(60_000)  # the first page of a live server can be slow on a busy machine
    response = page.goto("/accounts/login/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy

    sign_in(page, exporter.username, TEST_PASSWORD)
    assert page.evaluate("document.body.classList.contains('js-enabled')")
    expect(page.locator("header")).to_contain_text("Inbox")  # the htmx-loaded badge replaced its placeholder

    page.goto("/accounts/me/tokens/new/")
    page.get_by_label("Name").fill("notebook")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("heading", name="API token created")).to_be_visible()
    token = page.get_by_label("Your token")
    token.focus()
    selected = page.evaluate("(el => el.value.substring(el.selectionStart, el.selectionEnd))(document.activeElement)")
    assert selected.startswith("excon_")
    assert selected == token.input_value()

    assert refusals == []
    page.goto("/api/v1/docs")
    # Swagger UI fetches and renders the whole OpenAPI document: allow for a busy machine.
    expect(page.locator(".swagger-ui .title")).to_contain_text("ExCon API", timeout=60_000)
    expect(page.get_by_text(re.compile(r"/api/v1/licences")).first).to_be_visible()

    assert refusals == []
