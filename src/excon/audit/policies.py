from __future__ import annotations

from typing import TYPE_CHECKING

from excon.core.roles import Role

if TYPE_CHECKING:
    from excon.accounts.models import User


def can_view_audit_log(actor: User) -> bool:
    return actor.is_authenticated and actor.has_any_role(Role.AUDITOR, Role.SYSTEM_ADMIN)
