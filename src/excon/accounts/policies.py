"""Who may do what with organisations, users and tokens. The single source used by services, pages and tests."""

from __future__ import annotations

from excon.core.roles import EXPORTER_ROLES, OrganisationKind, Role

from .models import Organisation, User


def _is_sysadmin(actor: User) -> bool:
    return actor.has_role(Role.SYSTEM_ADMIN)


def _is_exporter_admin_of(actor: User, organisation: Organisation) -> bool:
    return actor.has_role(Role.EXPORTER_ADMIN) and actor.organisation_id == organisation.pk


# Organisations ------------------------------------------------------------------------------------------------


def can_view_organisation(actor: User, organisation: Organisation) -> bool:
    if not actor.is_authenticated or not actor.role_set:
        return False
    if actor.organisation_id == organisation.pk:
        return True
    # Government staff work with every registered organisation; an exporter sees only its own.
    return actor.is_government


def can_list_all_organisations(actor: User) -> bool:
    return actor.is_authenticated and actor.is_government and bool(actor.role_set)


def can_create_organisation(actor: User) -> bool:
    return _is_sysadmin(actor)


def can_change_organisation(actor: User, organisation: Organisation) -> bool:
    return _is_sysadmin(actor) or _is_exporter_admin_of(actor, organisation)


# What each may change of an organisation's details: the authority everything, the exporter's administrator only
# how to reach it (name, country and registration are the authority's record).
ORGANISATION_EDITABLE_FIELDS = ("name", "address", "country", "email", "phone", "registration_number")
EXPORTER_ADMIN_EDITABLE_FIELDS = ("address", "email", "phone")


def organisation_fields_editable_by(actor: User) -> tuple[str, ...]:
    return ORGANISATION_EDITABLE_FIELDS if _is_sysadmin(actor) else EXPORTER_ADMIN_EDITABLE_FIELDS


def can_change_organisation_status(actor: User, organisation: Organisation) -> bool:
    # An exporter cannot lift its own suspension, and nobody suspends the authority they administer from.
    return _is_sysadmin(actor) and organisation.kind != OrganisationKind.AUTHORITY


# Users ------------------------------------------------------------------------------------------------------


def can_view_user(actor: User, user: User) -> bool:
    if not actor.is_authenticated or not actor.role_set:
        return False
    if actor.pk == user.pk:
        return True
    if actor.has_any_role(Role.SYSTEM_ADMIN, Role.AUDITOR):
        return True
    return _is_exporter_admin_of(actor, user.organisation)


def can_list_all_users(actor: User) -> bool:
    return actor.has_any_role(Role.SYSTEM_ADMIN, Role.AUDITOR)


def can_manage_users_of(actor: User, organisation: Organisation) -> bool:
    """Create users in, and change users of, this organisation."""
    if _is_sysadmin(actor):
        return True
    return _is_exporter_admin_of(actor, organisation)


def can_change_user(actor: User, user: User) -> bool:
    return can_manage_users_of(actor, user.organisation)


def can_assign_role(actor: User, organisation: Organisation, role: str) -> bool:
    if _is_sysadmin(actor):
        return True
    return _is_exporter_admin_of(actor, organisation) and role in EXPORTER_ROLES


def can_set_clearance(actor: User, user: User) -> bool:
    return _is_sysadmin(actor) and user.organisation.is_government


def can_deactivate_user(actor: User, user: User) -> bool:
    return actor.pk != user.pk and can_change_user(actor, user)


def can_reset_password(actor: User, user: User) -> bool:
    return actor.pk == user.pk or can_change_user(actor, user)


# Tokens and MFA -------------------------------------------------------------------------------------------


def can_manage_own_tokens(actor: User) -> bool:
    return actor.is_authenticated and actor.is_active and bool(actor.role_set)
