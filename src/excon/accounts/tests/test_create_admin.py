from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from excon.accounts.models import Organisation, User
from excon.audit.models import AuditEntry
from excon.core.roles import Role

pytestmark = pytest.mark.django_db


def test_create_admin_makes_the_authority_and_a_system_admin(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EXCON_ADMIN_PASSWORD", "a-very-long-passphrase-2026")
    call_command("create_admin", "--username", "root.admin", "--email", "root@authority.example")
    user = User.objects.get(username="root.admin")
    assert user.has_role(Role.SYSTEM_ADMIN)
    assert user.organisation.kind == "authority"
    assert list(AuditEntry.objects.values_list("verb", flat=True)) == ["organisation.created", "user.created"]


def test_create_admin_reports_bad_input_without_writing(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EXCON_ADMIN_PASSWORD", "short")
    with pytest.raises(CommandError, match=r"user\.weak_password"):
        call_command("create_admin", "--username", "root.admin", "--email", "root@authority.example")
    assert not User.objects.exists()
    assert not Organisation.objects.exists()
