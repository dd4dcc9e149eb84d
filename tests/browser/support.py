"""Helpers for the browser tests (imported by the test modules; the fixtures live in conftest.py)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from playwright.sync_api import expect


def chromium_path() -> str | None:
    return os.environ.get("EXCON_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def sign_in(page: Any, username: str, password: str) -> None:
    """Sign in through the login form, as a person would, and land on the home page."""
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


@contextmanager
def signed_in(browser: Any, live_server: Any, username: str, password: str = "") -> Iterator[Any]:
    """A fresh browser context (its own cookies) signed in as one user (the test factories' password unless
    another is given)."""
    from excon.accounts.tests.factories import TEST_PASSWORD

    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    context.set_default_navigation_timeout(60_000)  # the first page of a live server can be slow on a busy machine
    page = context.new_page()
    sign_in(page, username, password or TEST_PASSWORD)
    try:
        yield page
    finally:
        context.close()
