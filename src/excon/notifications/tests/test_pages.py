"""The inbox pages: only one's own messages, unread first; marking read through the service; the header badge."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from excon.accounts.tests.factories import user_with_role
from excon.audit.models import AuditEntry
from excon.core.roles import Role
from excon.notifications.models import InboxMessage
from excon.notifications.services import notify

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_inbox_lists_own_messages_unread_first_and_marks_them_read() -> None:
    user = user_with_role(Role.CASE_OFFICER)
    other = user_with_role(Role.CASE_OFFICER)
    [old] = notify(recipients=[user], subject="Old news", body="", link="", event="test")
    InboxMessage.objects.filter(pk=old.pk).update(read_at=old.created_at)
    notify(recipients=[user], subject="Fresh news", body="body", link="/applications/", event="test")
    [foreign] = notify(recipients=[other], subject="Not yours", body="", link="", event="test")
    client = _client(user)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "Not yours" not in page
    assert page.index("Fresh news") < page.index("Old news")
    badge = client.get(reverse("notifications:badge")).content.decode()
    assert ">1<" in badge
    assert client.post(reverse("notifications:mark_read", args=[foreign.pk])).status_code == 404
    fresh = InboxMessage.objects.get(subject="Fresh news")
    client.post(reverse("notifications:mark_read", args=[fresh.pk]))
    fresh.refresh_from_db()
    assert fresh.read_at is not None
    assert AuditEntry.objects.filter(verb="inbox.read").count() == 1
    assert "govuk-tag" not in client.get(reverse("notifications:badge")).content.decode()


def test_mark_all_read() -> None:
    user = user_with_role(Role.EXPORTER_USER)
    notify(recipients=[user], subject="One", body="", link="", event="test")
    notify(recipients=[user], subject="Two", body="", link="", event="test")
    response = _client(user).post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert not InboxMessage.objects.filter(recipient=user, read_at__isnull=True).exists()


def test_inbox_needs_sign_in() -> None:
    response = Client().get(reverse("notifications:inbox"))
    assert response.status_code == 302
