"""Pages for organisations, users and the signed-in user's own account.

Pages hold no rules: reads go through the selectors (out of scope reads as 404), writes through the services
(which check the policy, validate and audit), and the policies only decide which actions to show. A DomainError
from a service is shown on the form."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from excon.audit.selectors import audit_history_for
from excon.audit.views import history_rows
from excon.core.pages import actor_of as _actor
from excon.core.pages import form_page, found_or_404, post_action, render_partial
from excon.core.pages import paginate as _page
from excon.core.pages import posted as _posted
from excon.core.pages import require as _require
from excon.core.roles import Role, roles_allowed_for

from . import forms, policies, selectors, services
from .models import Organisation, OrganisationStatus, User

USERS_ON_DETAIL = 25
_ROLE_LABELS = dict(Role.choices)


def _organisation_or_404(actor: User, organisation_id: Any) -> Organisation:
    return found_or_404(selectors.organisation_get, actor=actor, organisation_id=organisation_id)


def _user_or_404(actor: User, user_id: Any) -> User:
    return found_or_404(selectors.user_get, actor=actor, user_id=user_id)


def _role_labels(roles: list[str]) -> list[str]:
    return [_ROLE_LABELS.get(role, role) for role in roles]


def _organisation_page(organisation: Organisation) -> str:
    return reverse("accounts:organisation_detail", kwargs={"organisation_id": organisation.pk})


def _user_page(user: User) -> str:
    return reverse("accounts:user_detail", kwargs={"user_id": user.pk})


# Organisations ------------------------------------------------------------------------------------------------


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    filters = forms.OrganisationFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    organisations = selectors.organisation_list(
        actor=actor, kind=data.get("kind", ""), status=data.get("status", ""), search=(data.get("q") or "").strip()
    )
    page, query = _page(request, organisations)
    context = {
        "filters": filters if filters.is_bound else forms.OrganisationFilterForm(),
        "page": page,
        "query": query,
        "can_create": policies.can_create_organisation(actor),
        "sees_all": policies.can_list_all_organisations(actor),
    }
    return render_partial(request, "accounts/organisation_list.html", "accounts/_organisation_results.html", context)


@login_required
def organisation_detail(request: HttpRequest, organisation_id: Any) -> HttpResponse:
    actor = _actor(request)
    organisation = _organisation_or_404(actor, organisation_id)
    shows_users = policies.can_list_all_users(actor) or policies.can_manage_users_of(actor, organisation)
    users: list[dict[str, Any]] = []
    user_count = 0
    if shows_users:
        members = selectors.user_list(actor=actor, organisation=organisation)
        user_count = members.count()
        users = [
            {"user": user, "roles": _role_labels(selectors.user_roles(user))} for user in members[:USERS_ON_DETAIL]
        ]
    context = {
        "organisation": organisation,
        "shows_users": shows_users,
        "users": users,
        "user_count": user_count,
        "can_change": policies.can_change_organisation(actor, organisation),
        "can_change_status": policies.can_change_organisation_status(actor, organisation),
        "can_add_user": policies.can_manage_users_of(actor, organisation),
        "history": history_rows(audit_history_for(organisation)),
    }
    return render(request, "accounts/organisation_detail.html", context)


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    _require(policies.can_create_organisation(actor))
    return form_page(
        request,
        forms.OrganisationCreateForm(_posted(request)),
        lambda data: services.organisation_create(actor=actor, **data),
        message=lambda organisation: f"{organisation.name} is registered.",
        then=_organisation_page,
        template="accounts/organisation_form.html",
        context={"organisation": None},
    )


@login_required
def organisation_edit(request: HttpRequest, organisation_id: Any) -> HttpResponse:
    actor = _actor(request)
    organisation = _organisation_or_404(actor, organisation_id)
    _require(policies.can_change_organisation(actor, organisation))
    editable = policies.organisation_fields_editable_by(actor)
    initial = {name: getattr(organisation, name) for name in editable}
    return form_page(
        request,
        forms.OrganisationEditForm(_posted(request), initial=initial, editable=editable),
        lambda data: services.organisation_update(actor=actor, organisation=organisation, **data),
        message="The organisation's details are saved.",
        then=_organisation_page(organisation),
        template="accounts/organisation_form.html",
        context={"organisation": organisation},
    )


@login_required
def organisation_status(request: HttpRequest, organisation_id: Any) -> HttpResponse:
    actor = _actor(request)
    organisation = _organisation_or_404(actor, organisation_id)
    _require(policies.can_change_organisation_status(actor, organisation))
    target = OrganisationStatus.SUSPENDED if organisation.is_active else OrganisationStatus.ACTIVE
    return form_page(
        request,
        forms.OrganisationStatusForm(_posted(request), initial={"status": target}),
        lambda data: services.organisation_set_status(actor=actor, organisation=organisation, **data),
        message=lambda changed: f"{changed.name} is {'reactivated' if changed.is_active else 'suspended'}.",
        then=_organisation_page(organisation),
        template="accounts/organisation_status.html",
        context={"organisation": organisation, "suspending": target == OrganisationStatus.SUSPENDED},
    )


# Users ------------------------------------------------------------------------------------------------------


def _assignable_roles(actor: User, organisation: Organisation) -> list[str]:
    allowed = roles_allowed_for(organisation.kind, organisation.department_kind)
    return [role for role in Role.values if role in allowed and policies.can_assign_role(actor, organisation, role)]


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    filters = forms.UserFilterForm(request.GET or None)
    search = (filters.cleaned_data.get("q") or "").strip() if filters.is_valid() else ""
    organisation_id = request.GET.get("organisation")
    organisation = _organisation_or_404(actor, organisation_id) if organisation_id else None
    page, query = _page(request, selectors.user_list(actor=actor, organisation=organisation, search=search))
    rows = [{"user": user, "roles": _role_labels(selectors.user_roles(user))} for user in page.object_list]
    if organisation is not None:
        add_to = organisation if policies.can_manage_users_of(actor, organisation) else None
    else:
        add_to = actor.organisation if policies.can_manage_users_of(actor, actor.organisation) else None
    context = {
        "filters": filters if filters.is_bound else forms.UserFilterForm(),
        "page": page,
        "rows": rows,
        "query": query,
        "organisation": organisation,
        "add_to": add_to,
    }
    return render_partial(request, "accounts/user_list.html", "accounts/_user_results.html", context)


@login_required
def user_detail(request: HttpRequest, user_id: Any) -> HttpResponse:
    actor = _actor(request)
    subject = _user_or_404(actor, user_id)
    can_change = policies.can_change_user(actor, subject)
    context = {
        "subject": subject,
        "roles": _role_labels(sorted(subject.role_assignments.values_list("role", flat=True))),
        "has_mfa": selectors.has_confirmed_device(subject),
        "is_self": actor.pk == subject.pk,
        "can_edit": can_change or actor.pk == subject.pk,
        "can_change_roles": can_change,
        "can_change_active": policies.can_deactivate_user(actor, subject),
        "can_reset_mfa": can_change,
        "can_set_clearance": policies.can_set_clearance(actor, subject),
        "can_view_organisation": policies.can_view_organisation(actor, subject.organisation),
        "history": history_rows(audit_history_for(subject)),
    }
    return render(request, "accounts/user_detail.html", context)


@login_required
def user_create(request: HttpRequest, organisation_id: Any) -> HttpResponse:
    actor = _actor(request)
    organisation = _organisation_or_404(actor, organisation_id)
    _require(policies.can_manage_users_of(actor, organisation))
    assignable = _assignable_roles(actor, organisation)
    return form_page(
        request,
        forms.UserCreateForm(_posted(request), assignable_roles=assignable),
        lambda data: services.user_create(actor=actor, organisation=organisation, **data),
        message=lambda user: f"The user {user.username} is created.",
        then=_user_page,
        template="accounts/user_create.html",
        context={"organisation": organisation},
    )


@login_required
def user_edit(request: HttpRequest, user_id: Any) -> HttpResponse:
    actor = _actor(request)
    subject = _user_or_404(actor, user_id)
    _require(actor.pk == subject.pk or policies.can_change_user(actor, subject))
    initial = {name: getattr(subject, name) for name in services.USER_EDITABLE_FIELDS}
    return form_page(
        request,
        forms.UserDetailsForm(_posted(request), initial=initial),
        lambda data: services.user_update(actor=actor, user=subject, **data),
        message="The details are saved.",
        then="accounts:profile" if actor.pk == subject.pk else _user_page(subject),
        template="accounts/user_edit.html",
        context={"subject": subject},
    )


@login_required
def user_roles(request: HttpRequest, user_id: Any) -> HttpResponse:
    actor = _actor(request)
    subject = _user_or_404(actor, user_id)
    _require(policies.can_change_user(actor, subject))
    assignable = _assignable_roles(actor, subject.organisation)
    current = sorted(subject.role_assignments.values_list("role", flat=True))
    # Roles the actor may not grant or withdraw are kept as they are and shown, not offered.
    fixed = [role for role in current if role not in assignable]
    initial = {"roles": [role for role in current if role in assignable]}
    return form_page(
        request,
        forms.UserRolesForm(_posted(request), initial=initial, assignable_roles=assignable),
        lambda data: services.user_set_roles(actor=actor, user=subject, roles=[*data["roles"], *fixed]),
        message="The roles are saved.",
        then=_user_page(subject),
        template="accounts/user_roles.html",
        context={"subject": subject, "fixed_roles": _role_labels(fixed)},
    )


@login_required
def user_active(request: HttpRequest, user_id: Any) -> HttpResponse:
    actor = _actor(request)
    subject = _user_or_404(actor, user_id)
    _require(policies.can_deactivate_user(actor, subject))
    activating = not subject.is_active
    return form_page(
        request,
        forms.ReasonForm(_posted(request)),
        lambda data: services.user_set_active(actor=actor, user=subject, active=activating, reason=data["reason"]),
        message=f"{subject.username} is {'reactivated' if activating else 'deactivated'}.",
        then=_user_page(subject),
        template="accounts/user_active.html",
        context={"subject": subject, "activating": activating},
    )


@login_required
def user_clearance(request: HttpRequest, user_id: Any) -> HttpResponse:
    actor = _actor(request)
    subject = _user_or_404(actor, user_id)
    _require(policies.can_set_clearance(actor, subject))
    return form_page(
        request,
        forms.ClearanceForm(_posted(request), initial={"clearance": subject.clearance}),
        lambda data: services.user_set_clearance(actor=actor, user=subject, **data),
        message="The clearance is saved.",
        then=_user_page(subject),
        template="accounts/user_clearance.html",
        context={"subject": subject},
    )


@login_required
def user_mfa_reset(request: HttpRequest, user_id: Any) -> HttpResponse:
    actor = _actor(request)
    subject = _user_or_404(actor, user_id)
    _require(policies.can_change_user(actor, subject))
    return form_page(
        request,
        forms.ReasonForm(_posted(request)),
        lambda data: services.totp_device_reset(actor=actor, user=subject, reason=data["reason"]),
        message=f"Two-factor authentication of {subject.username} is reset.",
        then=_user_page(subject),
        template="accounts/user_mfa_reset.html",
        context={"subject": subject, "has_mfa": selectors.has_confirmed_device(subject)},
    )


# My account ---------------------------------------------------------------------------------------------------


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    context = {
        "roles": _role_labels(sorted(actor.role_set)),
        "has_mfa": selectors.has_confirmed_device(actor),
        "mfa_verified": bool(getattr(actor, "is_verified", lambda: False)()),
        "tokens": list(selectors.api_token_list(actor=actor)),
        "can_manage_tokens": policies.can_manage_own_tokens(actor),
        "token_form": forms.ApiTokenCreateForm(),
    }
    return render(request, "accounts/profile.html", context)


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)

    def change(data: dict[str, Any]) -> User:
        user = services.user_set_password(
            actor=actor, user=actor, new_password=data["new_password"], current_password=data["current_password"]
        )
        update_session_auth_hash(request, user)  # the new password keeps this session signed in
        return user

    return form_page(
        request,
        forms.PasswordChangeForm(_posted(request)),
        change,
        message="Your password is changed.",
        then="accounts:profile",
        template="accounts/password_change.html",
        field_map={"password": "new_password"},
    )


@login_required
def token_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)

    def shown_once(created: tuple[Any, str]) -> HttpResponse:
        # The full token is in this one response only: never stored, never cached.
        token, full = created
        response = render(request, "accounts/token_created.html", {"token": token, "full_token": full})
        response["Cache-Control"] = "no-store"
        return response

    return form_page(
        request,
        forms.ApiTokenCreateForm(_posted(request)),
        lambda data: services.api_token_create(actor=actor, **data),
        then=shown_once,
        template="accounts/token_create.html",
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: Any) -> HttpResponse:
    actor = _actor(request)
    return post_action(
        request,
        lambda: found_or_404(services.api_token_revoke, actor=actor, token_id=token_id),
        message=lambda token: f"The token {token.name} ({token.prefix}) is revoked.",
        then=reverse("accounts:profile") + "#api-tokens",
    )
