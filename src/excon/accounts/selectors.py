"""Reads of organisations, users and tokens, always scoped to what the actor may see."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from excon.core.roles import Role
from excon.core.selectors import one_visible

from . import policies
from .models import ApiToken, Organisation, RoleAssignment, User


def organisation_list(*, actor: User, kind: str = "", search: str = "", status: str = "") -> QuerySet[Organisation]:
    if policies.can_list_all_organisations(actor):
        organisations = Organisation.objects.all()
    elif actor.is_authenticated and actor.role_set:
        organisations = Organisation.objects.filter(pk=actor.organisation_id)
    else:
        organisations = Organisation.objects.none()
    if kind:
        organisations = organisations.filter(kind=kind)
    if status:
        organisations = organisations.filter(status=status)
    if search:
        organisations = organisations.filter(Q(name__icontains=search) | Q(registration_number__icontains=search))
    return organisations.order_by("name")


def organisation_get(*, actor: User, organisation_id: Any) -> Organisation:
    return one_visible(
        Organisation.objects.all(),
        organisation_id,
        "organisation",
        visible=lambda organisation: policies.can_view_organisation(actor, organisation),
    )


def user_list(*, actor: User, organisation: Organisation | None = None, search: str = "") -> QuerySet[User]:
    if policies.can_list_all_users(actor):
        users = User.objects.all()
    elif actor.has_role(Role.EXPORTER_ADMIN):
        users = User.objects.filter(organisation_id=actor.organisation_id)
    elif actor.is_authenticated and actor.role_set:
        users = User.objects.filter(pk=actor.pk)
    else:
        users = User.objects.none()
    if organisation is not None:
        users = users.filter(organisation=organisation)
    if search:
        users = users.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
        )
    return (
        users.select_related("organisation")
        .prefetch_related(Prefetch("role_assignments", queryset=RoleAssignment.objects.order_by("role")))
        .order_by("username")
    )


def user_get(*, actor: User, user_id: Any) -> User:
    return one_visible(User.objects.all(), user_id, "user", visible=lambda user: policies.can_view_user(actor, user))


def api_token_list(*, actor: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor).order_by("-created_at")


def user_roles(user: User) -> list[str]:
    """Roles from the prefetched assignments (no query when the list was fetched by user_list)."""
    return sorted(assignment.role for assignment in user.role_assignments.all())


def users_with_roles(
    roles: Iterable[str], *, organisation_kind: str = "", organisation: Organisation | None = None
) -> QuerySet[User]:
    """Active users holding any of `roles`, optionally in one kind of organisation or one organisation: whom a
    service notifies or offers to choose. Not scoped by an actor: callers decide who may see the list."""
    users = User.objects.filter(is_active=True, role_assignments__role__in=list(roles))
    if organisation_kind:
        users = users.filter(organisation__kind=organisation_kind)
    if organisation is not None:
        users = users.filter(organisation=organisation)
    return users.distinct()


def has_confirmed_device(user: User) -> bool:
    """Whether the user has finished setting up two-factor authentication."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
