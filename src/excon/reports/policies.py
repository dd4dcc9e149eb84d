"""Who may read and produce reports.

* Analysts (of any government body) and the authority's staff read every report; auditors read them too.
* Producing a report file writes a record, so auditors (who change nothing) may not; analysts and the
  authority's staff may.
* Publishing a year's national report as open data is for the authority's senior officers and analysts.
* Exporters reach none of it: their pages answer "not found".
* The domestic prices inside the revenue report follow the supply app's rule (clearance, never exporters)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from excon.core.roles import OrganisationKind, Role

if TYPE_CHECKING:
    from excon.accounts.models import User

READER_ROLES = frozenset({Role.ANALYST, Role.AUDITOR})
# Roles that open the reports through the navigation: every authority role, analysts anywhere, auditors.
NAVIGATION_ROLES = frozenset(
    {
        Role.ANALYST,
        Role.AUDITOR,
        Role.CASE_OFFICER,
        Role.SENIOR_OFFICER,
        Role.COMPLIANCE_OFFICER,
        Role.SYSTEM_ADMIN,
    }
)


def _is_authority_staff(actor: User) -> bool:
    return actor.organisation.kind == OrganisationKind.AUTHORITY and not actor.role_set.isdisjoint(
        NAVIGATION_ROLES | {Role.COMMISSION_MEMBER, Role.IP_COUNSEL}
    )


def can_read_reports(actor: User) -> bool:
    if not actor.is_authenticated or not actor.is_government:
        return False
    return actor.has_any_role(*READER_ROLES) or _is_authority_staff(actor)


def can_generate_report_file(actor: User) -> bool:
    if not can_read_reports(actor):
        return False
    return actor.has_role(Role.ANALYST) or (_is_authority_staff(actor) and not actor.role_set <= {Role.AUDITOR})


def can_publish_report(actor: User) -> bool:
    return (
        actor.is_authenticated
        and actor.organisation.kind == OrganisationKind.AUTHORITY
        and actor.has_any_role(Role.SENIOR_OFFICER, Role.ANALYST)
    )
