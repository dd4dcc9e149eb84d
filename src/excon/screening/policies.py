"""Who may screen, review hits and keep the national denial list. The single source for services, API and tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from excon.core.roles import Role

if TYPE_CHECKING:
    from excon.accounts.models import User

# Government roles whose work needs a name check: compliance, case work, the commission (which includes the
# security service's members) and senior officers. Exporters, customs, analysts, auditors and admins do not search.
SEARCH_ROLES = frozenset({Role.COMPLIANCE_OFFICER, Role.CASE_OFFICER, Role.SENIOR_OFFICER, Role.COMMISSION_MEMBER})
NATIONAL_LIST_ROLES = frozenset({Role.COMPLIANCE_OFFICER, Role.SENIOR_OFFICER})
HIT_REVIEW_ROLES = frozenset({Role.COMPLIANCE_OFFICER})
HIT_READ_ROLES = frozenset({Role.COMPLIANCE_OFFICER, Role.SENIOR_OFFICER, Role.CASE_OFFICER, Role.AUDITOR})


def _government_with(actor: User, roles: frozenset[str]) -> bool:
    return bool(actor.is_authenticated and actor.is_active and actor.is_government and actor.has_any_role(*roles))


def can_search_lists(actor: User) -> bool:
    return _government_with(actor, SEARCH_ROLES)


def can_manage_national_list(actor: User) -> bool:
    return _government_with(actor, NATIONAL_LIST_ROLES)


def can_review_hit(actor: User) -> bool:
    return _government_with(actor, HIT_REVIEW_ROLES)


def can_view_hits(actor: User) -> bool:
    return _government_with(actor, HIT_READ_ROLES)


def can_read_lists(actor: User) -> bool:
    """The list pages (status, entries, the national list) are for whoever reviews hits, searches or keeps lists."""
    return can_view_hits(actor) or can_search_lists(actor) or can_manage_national_list(actor)


def can_import_lists(actor: User | None) -> bool:
    """Imports run from the command line or a task (actor None, the system); a person needs compliance rights."""
    return actor is None or _government_with(actor, HIT_REVIEW_ROLES | {Role.SYSTEM_ADMIN})
