"""Writes to organisations, users, roles and tokens. Each checks the policy, validates, writes and audits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import pycountry
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from excon.audit.services import audit_record
from excon.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from excon.core.markings import ProtectiveMarking
from excon.core.roles import DepartmentKind, OrganisationKind, Role, roles_allowed_for
from excon.core.validation import require_text

from . import policies
from .enums import AuditVerb
from .models import ApiToken, Organisation, OrganisationStatus, RoleAssignment, User
from .policies import EXPORTER_ADMIN_EDITABLE_FIELDS as EXPORTER_ADMIN_EDITABLE_FIELDS  # the pages tests read it here
from .policies import ORGANISATION_EDITABLE_FIELDS
from .tokens import new_token

USER_EDITABLE_FIELDS = ("first_name", "last_name", "email", "job_title")


# Validation helpers ------------------------------------------------------------------------------------------


def _clean_country(value: str) -> str:
    code = (value or "").strip().upper()
    if code and pycountry.countries.get(alpha_2=code) is None:
        raise ValidationError(
            f"{value!r} is not an ISO 3166-1 alpha-2 country code",
            code="country.unknown",
            details={"field": "country"},
        )
    return code


def _clean_email(value: str, *, required: bool = False) -> str:
    email = (value or "").strip()
    if not email:
        if required:
            raise ValidationError("an e-mail address is required", code="email.required", details={"field": "email"})
        return ""
    try:
        validate_email(email)
    except DjangoValidationError as exc:
        raise ValidationError(
            f"{email!r} is not an e-mail address", code="email.invalid", details={"field": "email"}
        ) from exc
    return email


def _clean_organisation_fields(fields: dict[str, Any], *, kind: str, exclude_pk: Any = None) -> dict[str, Any]:
    cleaned = dict(fields)
    if "name" in cleaned:
        cleaned["name"] = (cleaned["name"] or "").strip()
        if not cleaned["name"]:
            raise ValidationError(
                "an organisation needs a name", code="organisation.name_required", details={"field": "name"}
            )
        clash = Organisation.objects.filter(name__iexact=cleaned["name"]).exclude(pk=exclude_pk)
        if clash.exists():
            raise Conflict(
                f"an organisation named {cleaned['name']!r} already exists",
                code="organisation.duplicate_name",
                details={"field": "name"},
            )
    if "registration_number" in cleaned:
        number = (cleaned["registration_number"] or "").strip().upper()
        if kind == OrganisationKind.EXPORTER and not number:
            raise ValidationError(
                "an exporter needs a registration number",
                code="organisation.registration_number_required",
                details={"field": "registration_number"},
            )
        if number and Organisation.objects.filter(registration_number=number).exclude(pk=exclude_pk).exists():
            raise Conflict(
                f"registration number {number} is already taken",
                code="organisation.duplicate_registration_number",
                details={"field": "registration_number"},
            )
        cleaned["registration_number"] = number
    if "country" in cleaned:
        cleaned["country"] = _clean_country(cleaned["country"])
    if "email" in cleaned:
        cleaned["email"] = _clean_email(cleaned["email"])
    for key in ("address", "phone"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
    return cleaned


def _changes(obj: Any, fields: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: {"from": getattr(obj, name), "to": value} for name, value in fields.items() if getattr(obj, name) != value
    }


# Organisations ------------------------------------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *,
    actor: User | None,
    kind: str,
    name: str,
    department_kind: str = "",
    registration_number: str = "",
    address: str = "",
    country: str = "",
    email: str = "",
    phone: str = "",
) -> Organisation:
    """Register an organisation. `actor=None` is the system (installation and the demo loader)."""
    if actor is not None and not policies.can_create_organisation(actor):
        raise PermissionDenied("only a system administrator registers organisations")
    if kind not in OrganisationKind.values:
        raise ValidationError(
            f"unknown organisation kind {kind!r}", code="organisation.unknown_kind", details={"field": "kind"}
        )
    if kind == OrganisationKind.DEPARTMENT:
        if department_kind not in DepartmentKind.values:
            raise ValidationError(
                "a government department needs its kind (defence, foreign_affairs, security, economy)",
                code="organisation.department_kind_required",
                details={"field": "department_kind"},
            )
    elif department_kind:
        raise ValidationError(
            "only government departments have a department kind",
            code="organisation.department_kind_not_allowed",
            details={"field": "department_kind"},
        )
    fields = _clean_organisation_fields(
        {
            "name": name,
            "registration_number": registration_number,
            "address": address,
            "country": country,
            "email": email,
            "phone": phone,
        },
        kind=kind,
    )
    organisation = Organisation.objects.create(kind=kind, department_kind=department_kind, **fields)
    audit_record(
        actor=actor,
        verb=AuditVerb.ORGANISATION_CREATED,
        target=organisation,
        payload={"kind": kind, "department_kind": department_kind, **fields},
    )
    return organisation


@transaction.atomic
def organisation_update(*, actor: User, organisation: Organisation, **fields: Any) -> Organisation:
    if not policies.can_change_organisation(actor, organisation):
        raise PermissionDenied("you may not change this organisation")
    unknown = set(fields) - set(ORGANISATION_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            f"these fields cannot be changed here: {', '.join(sorted(unknown))}",
            code="organisation.field_not_editable",
        )
    restricted = set(fields) - set(policies.organisation_fields_editable_by(actor))
    if restricted:
        raise PermissionDenied(
            f"only the authority may change {', '.join(sorted(restricted))}",
            code="organisation.field_restricted",
        )
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    cleaned = _clean_organisation_fields(fields, kind=organisation.kind, exclude_pk=organisation.pk)
    changes = _changes(organisation, cleaned)
    if not changes:
        return organisation
    for name, value in cleaned.items():
        setattr(organisation, name, value)
    organisation.save()
    audit_record(actor=actor, verb=AuditVerb.ORGANISATION_UPDATED, target=organisation, payload={"changes": changes})
    return organisation


@transaction.atomic
def organisation_set_status(*, actor: User, organisation: Organisation, status: str, reason: str) -> Organisation:
    if not policies.can_change_organisation_status(actor, organisation):
        raise PermissionDenied("you may not suspend or reactivate this organisation")
    if status not in OrganisationStatus.values:
        raise ValidationError(
            f"unknown status {status!r}", code="organisation.unknown_status", details={"field": "status"}
        )
    reason = require_text(
        reason, field="reason", code="organisation.reason_required", message="give the reason for the change"
    )
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.status == status:
        raise Conflict(f"the organisation is already {status}", code="organisation.status_unchanged")
    previous = organisation.status
    organisation.status = status
    organisation.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.ORGANISATION_STATUS_CHANGED,
        target=organisation,
        payload={"from": previous, "to": status, "reason": reason},
    )
    return organisation


# Users ------------------------------------------------------------------------------------------------------


def _clean_roles(organisation: Organisation, roles: Iterable[str]) -> list[str]:
    role_list = sorted(set(roles))
    unknown = [role for role in role_list if role not in Role.values]
    if unknown:
        raise ValidationError(
            f"unknown role(s): {', '.join(unknown)}", code="user.unknown_role", details={"roles": unknown}
        )
    allowed = roles_allowed_for(organisation.kind, organisation.department_kind)
    misplaced = [role for role in role_list if role not in allowed]
    if misplaced:
        raise ValidationError(
            f"a user of {organisation.name} cannot hold: {', '.join(misplaced)}",
            code="user.role_not_allowed_for_organisation",
            details={"roles": misplaced, "allowed": sorted(allowed)},
        )
    return role_list


def _validate_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationError(
            " ".join(exc.messages),
            code="user.weak_password",
            details={"field": "password", "problems": exc.messages},
        ) from exc


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    organisation: Organisation,
    username: str,
    email: str,
    password: str,
    roles: Iterable[str],
    first_name: str = "",
    last_name: str = "",
    job_title: str = "",
) -> User:
    if actor is not None and not policies.can_manage_users_of(actor, organisation):
        raise PermissionDenied("you may not add users to this organisation")
    role_list = _clean_roles(organisation, roles)
    if actor is not None:
        refused = [role for role in role_list if not policies.can_assign_role(actor, organisation, role)]
        if refused:
            raise PermissionDenied(f"you may not grant: {', '.join(refused)}", code="user.role_grant_forbidden")
    if not role_list:
        raise ValidationError("a user needs at least one role", code="user.role_required", details={"field": "roles"})
    username = (username or "").strip().lower()
    if not username:
        raise ValidationError("a username is required", code="user.username_required", details={"field": "username"})
    try:
        User.username_validator(username)
    except DjangoValidationError as exc:
        raise ValidationError(
            "a username may contain only letters, digits and @.+-_",
            code="user.invalid_username",
            details={"field": "username"},
        ) from exc
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(
            f"the username {username!r} is taken",
            code="user.duplicate_username",
            details={"field": "username"},
        )
    user = User(
        organisation=organisation,
        username=username,
        email=_clean_email(email, required=True),
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        job_title=(job_title or "").strip(),
    )
    _validate_password(password, user)
    user.set_password(password)
    user.save()
    RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=role) for role in role_list])
    audit_record(
        actor=actor,
        verb=AuditVerb.USER_CREATED,
        target=user,
        payload={
            "organisation": str(organisation.pk),
            "username": username,
            "email": user.email,
            "roles": role_list,
        },
    )
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, **fields: Any) -> User:
    if not (actor.pk == user.pk or policies.can_change_user(actor, user)):
        raise PermissionDenied("you may not change this user")
    unknown = set(fields) - set(USER_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            f"these fields cannot be changed here: {', '.join(sorted(unknown))}",
            code="user.field_not_editable",
        )
    cleaned = {key: (value or "").strip() for key, value in fields.items()}
    if "email" in cleaned:
        cleaned["email"] = _clean_email(cleaned["email"], required=True)
    user = User.objects.select_for_update().get(pk=user.pk)
    changes = _changes(user, cleaned)
    if not changes:
        return user
    for name, value in cleaned.items():
        setattr(user, name, value)
    user.save()
    audit_record(actor=actor, verb=AuditVerb.USER_UPDATED, target=user, payload={"changes": changes})
    return user


def _would_remove_last_sysadmin(user: User) -> bool:
    others = RoleAssignment.objects.filter(role=Role.SYSTEM_ADMIN, user__is_active=True).exclude(user=user).exists()
    return not others


@transaction.atomic
def user_set_roles(*, actor: User, user: User, roles: Iterable[str]) -> User:
    if not policies.can_change_user(actor, user):
        raise PermissionDenied("you may not change this user's roles")
    user = User.objects.select_for_update().get(pk=user.pk)
    new_roles = _clean_roles(user.organisation, roles)
    if not new_roles:
        raise ValidationError("a user needs at least one role; deactivate the user instead", code="user.role_required")
    current = set(user.role_assignments.values_list("role", flat=True))
    added = sorted(set(new_roles) - current)
    removed = sorted(current - set(new_roles))
    refused = [role for role in added + removed if not policies.can_assign_role(actor, user.organisation, role)]
    if refused:
        raise PermissionDenied(f"you may not grant or withdraw: {', '.join(refused)}", code="user.role_grant_forbidden")
    if Role.SYSTEM_ADMIN in removed and _would_remove_last_sysadmin(user):
        raise Conflict("ExCon must keep at least one active system administrator", code="user.last_system_admin")
    if not added and not removed:
        return user
    RoleAssignment.objects.filter(user=user, role__in=removed).delete()
    RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=role) for role in added])
    user.forget_roles()
    audit_record(
        actor=actor, verb=AuditVerb.USER_ROLES_CHANGED, target=user, payload={"added": added, "removed": removed}
    )
    return user


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool, reason: str) -> User:
    if not policies.can_deactivate_user(actor, user):
        raise PermissionDenied("you may not deactivate or reactivate this user")
    reason = require_text(reason, field="reason", code="user.reason_required", message="give the reason for the change")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active == active:
        raise Conflict(f"the user is already {'active' if active else 'inactive'}", code="user.status_unchanged")
    if not active and user.has_role(Role.SYSTEM_ADMIN) and _would_remove_last_sysadmin(user):
        raise Conflict("ExCon must keep at least one active system administrator", code="user.last_system_admin")
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    else:
        revoked = 0
    audit_record(
        actor=actor,
        verb=AuditVerb.USER_REACTIVATED if active else AuditVerb.USER_DEACTIVATED,
        target=user,
        payload={"reason": reason, "tokens_revoked": revoked},
    )
    return user


@transaction.atomic
def user_set_password(*, actor: User, user: User, new_password: str, current_password: str | None = None) -> User:
    if not policies.can_reset_password(actor, user):
        raise PermissionDenied("you may not set this user's password")
    user = User.objects.select_for_update().get(pk=user.pk)
    if actor.pk == user.pk and (current_password is None or not user.check_password(current_password)):
        raise ValidationError(
            "the current password is wrong",
            code="user.wrong_current_password",
            details={"field": "current_password"},
        )
    _validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(
        actor=actor, verb=AuditVerb.USER_PASSWORD_CHANGED, target=user, payload={"by_self": actor.pk == user.pk}
    )
    return user


@transaction.atomic
def user_set_clearance(*, actor: User, user: User, clearance: str, reason: str) -> User:
    """Grant or lower a government user's security clearance (system administrators only; audited with a reason)."""
    if not policies.can_set_clearance(actor, user):
        raise PermissionDenied("only a system administrator sets government users' clearances")
    if clearance not in ProtectiveMarking.values:
        raise ValidationError(
            f"unknown clearance {clearance!r}", code="user.unknown_clearance", details={"field": "clearance"}
        )
    reason = require_text(reason, field="reason", code="user.reason_required", message="give the reason for the change")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.clearance == clearance:
        return user
    previous = user.clearance
    user.clearance = clearance
    user.save(update_fields=["clearance"])
    audit_record(
        actor=actor,
        verb=AuditVerb.USER_CLEARANCE_CHANGED,
        target=user,
        payload={"from": previous, "to": clearance, "reason": reason},
    )
    return user


def user_login_recorded(*, user: User, ip_address: str | None) -> None:
    """Logins are history worth keeping (who entered when); not a state change of the user."""
    audit_record(actor=user, verb=AuditVerb.USER_LOGGED_IN, target=user, payload={"ip_address": ip_address or ""})


# API tokens -------------------------------------------------------------------------------------------------


@transaction.atomic
def api_token_create(*, actor: User, name: str, expires_in_days: int | None = None) -> tuple[ApiToken, str]:
    """Create a personal token; returns the row and the full token, which is never shown again."""
    if not policies.can_manage_own_tokens(actor):
        raise PermissionDenied("you may not create API tokens")
    name = (name or "").strip()
    if not name:
        raise ValidationError(
            "name the token after what will use it", code="token.name_required", details={"field": "name"}
        )
    days = settings.EXCON_API_TOKEN_DEFAULT_DAYS if expires_in_days is None else expires_in_days
    if not 1 <= days <= settings.EXCON_API_TOKEN_MAX_DAYS:
        raise ValidationError(
            f"a token lives between 1 and {settings.EXCON_API_TOKEN_MAX_DAYS} days",
            code="token.invalid_lifetime",
            details={"field": "expires_in_days"},
        )
    full, prefix, secret_hash = new_token()
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        prefix=prefix,
        secret_hash=secret_hash,
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.API_TOKEN_CREATED,
        target=token,
        payload={"prefix": prefix, "expires_at": token.expires_at},
    )
    return token, full


@transaction.atomic
def api_token_revoke(*, actor: User, token_id: Any) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
    if token is None:
        raise NotFound("API token")
    if token.revoked_at is not None:
        raise Conflict("the token is already revoked", code="token.already_revoked")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    audit_record(actor=actor, verb=AuditVerb.API_TOKEN_REVOKED, target=token, payload={"prefix": token.prefix})
    return token


# Two-factor authentication ------------------------------------------------------------------------------------


@transaction.atomic
def totp_device_begin(*, actor: User) -> TOTPDevice:
    """Start enrolling an authenticator app: an unconfirmed device whose secret the user scans as a QR code."""
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=actor, name="Authenticator app", confirmed=False)
    audit_record(actor=actor, verb=AuditVerb.MFA_ENROLMENT_STARTED, target=actor, payload={})
    return device


@transaction.atomic
def totp_device_confirm(*, actor: User, token: str) -> TOTPDevice:
    device = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=False).first()
    if device is None:
        raise Conflict("start the enrolment first", code="mfa.no_pending_device")
    if not device.verify_token((token or "").strip()):
        raise ValidationError("that code is wrong or has expired", code="mfa.invalid_token", details={"field": "token"})
    TOTPDevice.objects.filter(user=actor, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=actor, verb=AuditVerb.MFA_DEVICE_CONFIRMED, target=actor, payload={})
    return device


@transaction.atomic
def totp_device_reset(*, actor: User, user: User, reason: str) -> None:
    """An administrator removes a lost authenticator so the user can enrol again."""
    if not policies.can_change_user(actor, user):
        raise PermissionDenied("you may not reset this user's two-factor authentication")
    reason = require_text(reason, field="reason", code="mfa.reason_required", message="give the reason for the reset")
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    audit_record(
        actor=actor, verb=AuditVerb.MFA_RESET, target=user, payload={"reason": reason, "devices_removed": removed}
    )
