"""Login throttling (django-axes): per account across addresses (password spraying) and per address across
accounts."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from excon.accounts.tests.factories import TEST_PASSWORD, user_with_role
from excon.core.roles import Role

pytestmark = pytest.mark.django_db


def _login(username: str, password: str, address: str) -> int:
    response = Client(REMOTE_ADDR=address).post(reverse("accounts:login"), {"username": username, "password": password})
    return response.status_code


def test_an_account_is_locked_after_failures_from_many_addresses() -> None:
    user = user_with_role(Role.EXPORTER_USER)
    statuses = [
        _login(user.username, "wrong-password-guess", f"203.0.113.{attempt + 1}")
        for attempt in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]  # the limit-th failure locks
    # The right password, from an address never seen, is refused while the account is locked.
    assert _login(user.username, TEST_PASSWORD, "198.51.100.7") == 429
    assert _login(user_with_role(Role.EXPORTER_USER).username, TEST_PASSWORD, "198.51.100.7") == 302


def test_an_address_is_locked_after_failures_on_many_accounts() -> None:
    users = [user_with_role(Role.EXPORTER_USER) for _ in range(settings.AXES_FAILURE_LIMIT + 1)]
    statuses = [_login(user.username, "wrong-password-guess", "192.0.2.10") for user in users[:-1]]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert _login(users[-1].username, TEST_PASSWORD, "192.0.2.10") == 429
    assert _login(users[-1].username, TEST_PASSWORD, "192.0.2.11") == 302
