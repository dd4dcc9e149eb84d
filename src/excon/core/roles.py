"""Organisation kinds and user roles: the vocabulary every policy is written in.

Kept in core (not accounts) because every app's policies speak of roles, and core sits at the bottom of the
dependency graph."""

from __future__ import annotations

from django.db import models


class OrganisationKind(models.TextChoices):
    EXPORTER = "exporter", "Exporter"
    AUTHORITY = "authority", "Licensing authority"
    DEPARTMENT = "department", "Government department"
    CUSTOMS = "customs", "Customs"


class DepartmentKind(models.TextChoices):
    DEFENCE = "defence", "Ministry of Defence"
    FOREIGN_AFFAIRS = "foreign_affairs", "Ministry of Foreign Affairs"
    SECURITY = "security", "Security Service"
    ECONOMY = "economy", "Ministry of Economy and Trade"


class Role(models.TextChoices):
    EXPORTER_ADMIN = "exporter_admin", "Exporter administrator"
    EXPORTER_USER = "exporter_user", "Exporter user"
    CASE_OFFICER = "case_officer", "Case officer"
    SENIOR_OFFICER = "senior_officer", "Senior officer"
    COMMISSION_MEMBER = "commission_member", "Commission member"
    TECHNICAL_EXPERT = "technical_expert", "Technical expert"
    COMPLIANCE_OFFICER = "compliance_officer", "Compliance officer"
    IP_COUNSEL = "ip_counsel", "IP counsel"
    CUSTOMS_OFFICER = "customs_officer", "Customs officer"
    ANALYST = "analyst", "Analyst"
    AUDITOR = "auditor", "Auditor (read-only)"
    SYSTEM_ADMIN = "system_admin", "System administrator"


EXPORTER_ROLES = frozenset({Role.EXPORTER_ADMIN, Role.EXPORTER_USER})

# Which roles a user of each kind of organisation may hold. A role outside its organisation's kind would let,
# say, an exporter's employee act as a case officer, so services refuse it.
ROLES_BY_ORGANISATION_KIND: dict[str, frozenset[str]] = {
    OrganisationKind.EXPORTER: EXPORTER_ROLES,
    OrganisationKind.AUTHORITY: frozenset(
        {
            Role.CASE_OFFICER,
            Role.SENIOR_OFFICER,
            Role.COMPLIANCE_OFFICER,
            Role.IP_COUNSEL,
            Role.ANALYST,
            Role.AUDITOR,
            Role.SYSTEM_ADMIN,
            Role.COMMISSION_MEMBER,
        }
    ),
    # A department's senior officer countersigns its advice where the routing rules demand it.
    OrganisationKind.DEPARTMENT: frozenset(
        {Role.COMMISSION_MEMBER, Role.SENIOR_OFFICER, Role.TECHNICAL_EXPERT, Role.ANALYST, Role.IP_COUNSEL}
    ),
    OrganisationKind.CUSTOMS: frozenset({Role.CUSTOMS_OFFICER, Role.ANALYST}),
}

GOVERNMENT_KINDS = frozenset({OrganisationKind.AUTHORITY, OrganisationKind.DEPARTMENT, OrganisationKind.CUSTOMS})


def roles_allowed_for(kind: str, department_kind: str | None = None) -> frozenset[str]:
    allowed = ROLES_BY_ORGANISATION_KIND[kind]
    # Technical experts classify goods for the defence ministry; other departments advise but do not classify.
    if kind == OrganisationKind.DEPARTMENT and department_kind != DepartmentKind.DEFENCE:
        allowed = allowed - {Role.TECHNICAL_EXPERT}
    return allowed
