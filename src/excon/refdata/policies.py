"""Who may read and change reference data. The single source used by services, pages and tests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from excon.core.roles import EXPORTER_ROLES, Role

if TYPE_CHECKING:
    from excon.accounts.models import User

    from .models import ArmsEmbargo, DestinationGroup

# Staff of the authority, the departments and customs: everyone who is not an exporter.
GOVERNMENT_ROLES = frozenset(Role.values) - EXPORTER_ROLES
EMBARGO_EDITORS = frozenset({Role.SYSTEM_ADMIN, Role.SENIOR_OFFICER, Role.CASE_OFFICER})
DESTINATION_GROUP_EDITORS = frozenset({Role.SYSTEM_ADMIN, Role.SENIOR_OFFICER})


def _signed_in(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False)) and bool(actor.role_set)


def can_view_refdata(actor: User) -> bool:
    """Reference data is public knowledge: every signed-in user with a role reads it."""
    return _signed_in(actor)


def can_create_embargo(actor: User) -> bool:
    return _signed_in(actor) and actor.has_any_role(*EMBARGO_EDITORS)


def can_change_embargo(actor: User, embargo: ArmsEmbargo) -> bool:
    return can_create_embargo(actor)


def can_end_embargo(actor: User, embargo: ArmsEmbargo) -> bool:
    return can_create_embargo(actor)


def can_create_destination_group(actor: User) -> bool:
    return _signed_in(actor) and actor.has_any_role(*DESTINATION_GROUP_EDITORS)


def can_change_destination_group(actor: User, group: DestinationGroup) -> bool:
    return can_create_destination_group(actor)
