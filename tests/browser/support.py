"""Helpers for the browser tests (imported by the test modules; the fixtures live in conftest.py)."""

from __future__ import annotations

import os
import re
import shutil
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
