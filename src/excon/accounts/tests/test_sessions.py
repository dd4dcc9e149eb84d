"""Session lifetimes: the idle clock is refreshed at most once a minute (not a write per page view), and a session
ends after the absolute lifetime however active it is."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from excon.accounts import middleware
from excon.accounts.tests.factories import TEST_PASSWORD, user_with_role
from excon.core.roles import Role

pytestmark = pytest.mark.django_db

START = 1_800_000_000


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    now = [START]
    monkeypatch.setattr(middleware, "_now", lambda: now[0])
    return now


def _sign_in(client: Client) -> None:
    user = user_with_role(Role.EXPORTER_USER)
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302


def _stored_session(client: Client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def test_page_views_within_a_minute_do_not_write_the_session(client: Client, clock: list[int]) -> None:
    _sign_in(client)
    stored = _stored_session(client)
    clock[0] += 30
    assert client.get(reverse("home")).status_code == 200
    assert _stored_session(client).expire_date == stored.expire_date
    assert _stored_session(client).session_data == stored.session_data


def test_a_page_view_after_a_minute_refreshes_the_idle_clock(client: Client, clock: list[int]) -> None:
    _sign_in(client)
    before = _stored_session(client).get_decoded()[middleware.SEEN_AT]
    clock[0] += 61
    assert client.get(reverse("home")).status_code == 200
    assert _stored_session(client).get_decoded()[middleware.SEEN_AT] == before + 61


def test_the_session_ends_after_the_absolute_lifetime(client: Client, clock: list[int], settings) -> None:
    _sign_in(client)
    clock[0] += settings.EXCON_SESSION_MAX_AGE - 1
    assert client.get(reverse("home")).status_code == 200
    clock[0] += 1
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
