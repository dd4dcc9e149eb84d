"""Pages for organisations, users and the signed-in user's own account.

Pages hold no rules: reads go through the selectors (out of scope reads as 404), writes through the services
(which check the policy, validate and audit), and the policies only decide which actions to show. A DomainError
from a service is shown on the form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from excon.audit.selectors import audit_history_for
from excon.audit.views import history_rows
from excon.core.errors import DomainError, NotFound
from excon.core.pages import actor_of as _actor
from excon.core.pages import found_or_404
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


def _render_list(
    request: HttpRequest, page_template: str, results_template: str, context: dict[str, Any]
) -> HttpResponse:
    """The whole page, or only the results when htmx asks for them (search as you type)."""
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]
    response = render(request, results_template if partial else page_template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


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
    return _render_list(request, "accounts/organisation_list.html", "accounts/_organisation_results.html", context)


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
    form = forms.OrganisationCreateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(actor=actor, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"{organisation.name} is registered.")
            return redirect("accounts:organisation_detail", organisation_id=organisation.pk)
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": None})


@login_required
def organisation_edit(request: HttpRequest, organisation_id: Any) -> HttpResponse:
    actor = _actor(request)
    organisation = _organisation_or_404(actor, organisation_id)
    _require(policies.can_change_organisation(actor, organisation))
    editable = (
        services.ORGANISATION_EDITABLE_FIELDS
        if actor.has_role(Role.SYSTEM_ADMIN)
        else services.EXPORTER_ADMIN_EDITABLE_FIELDS
    )
    initial = {name: getattr(organisation, name) for name in editable}
    form = forms.OrganisationEditForm(_posted(request), initial=initial, editable=editable)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(actor=actor, organisation=organisation, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "The organisation's details are saved.")
            return redirect("accounts:organisation_detail", organisation_id=organisation.pk)
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
def organisation_status(request: HttpRequest, organisation_id: Any) -> HttpResponse:
    actor = _actor(request)
    organisation = _organisation_or_404(actor, organisation_id)
    _require(policies.can_change_organisation_status(actor, organisation))
    target = OrganisationStatus.SUSPENDED if organisation.is_active else OrganisationStatus.ACTIVE
    form = forms.OrganisationStatusForm(_posted(request), initial={"status": target})
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_set_status(
                actor=actor,
                organisation=organisation,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            done = "suspended" if form.cleaned_data["status"] == OrganisationStatus.SUSPENDED else "reactivated"
            messages.success(request, f"{organisation.name} is {done}.")
            return redirect("accounts:organisation_detail", organisation_id=organisation.pk)
    return render(
        request,
        "accounts/organisation_status.html",
        {"form": form, "organisation": organisation, "suspending": target == OrganisationStatus.SUSPENDED},
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
    return _render_list(request, "accounts/user_list.html", "accounts/_user_results.html", context)


@login_required
def user_detail(request: HttpRequest, user_id: Any) -> HttpResponse:
    actor = _actor(request)
    subject = _user_or_404(actor, user_id)
    can_change = policies.can_change_user(actor, subject)
    context = {
        "subject": subject,
        "roles": _role_labels(sorted(subject.role_assignments.values_list("role", flat=True))),
        "has_mfa": _has_confirmed_device(subject),
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
    form = forms.UserCreateForm(_posted(request), assignable_roles=assignable)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=actor, organisation=organisation, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"The user {user.username} is created.")
            return redirect("accounts:user_detail", user_id=user.pk)
    return render(request, "accounts/user_create.html", {"form": form, "organisation": organisation})


@login_required
def user_edit(request: HttpRequest, user_id: Any) -> HttpResponse:
    actor = _actor(request)
    subject = _user_or_404(actor, user_id)
    _require(actor.pk == subject.pk or policies.can_change_user(actor, subject))
    initial = {name: getattr(subject, name) for name in services.USER_EDITABLE_FIELDS}
    form = forms.UserDetailsForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=actor, user=subject, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "The details are saved.")
            if actor.pk == subject.pk:
                return redirect("accounts:profile")
            return redirect("accounts:user_detail", user_id=subject.pk)
    return render(request, "accounts/user_edit.html", {"form": form, "subject": subject})


@login_required
def user_roles(request: HttpRequest, user_id: Any) -> HttpResponse:
    actor = _actor(request)
    subject = _user_or_404(actor, user_id)
    _require(policies.can_change_user(actor, subject))
    assignable = _assignable_roles(actor, subject.organisation)
    current = sorted(subject.role_assignments.values_list("role", flat=True))
    # Roles the actor may not grant or withdraw are kept as they are and shown, not offered.
    fixed = [role for role in current if role not in assignable]
    form = forms.UserRolesForm(
        _posted(request), initial={"roles": [r for r in current if r in assignable]}, assignable_roles=assignable
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_roles(actor=actor, user=subject, roles=[*form.cleaned_data["roles"], *fixed])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "The roles are saved.")
            return redirect("accounts:user_detail", user_id=subject.pk)
    return render(
        request,
        "accounts/user_roles.html",
        {"form": form, "subject": subject, "fixed_roles": _role_labels(fixed)},
    )


@login_required
def user_active(request: HttpRequest, user_id: Any) -> HttpResponse:
    actor = _actor(request)
    subject = _user_or_404(actor, user_id)
    _require(policies.can_deactivate_user(actor, subject))
    activating = not subject.is_active
    form = forms.ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_active(actor=actor, user=subject, active=activating, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"{subject.username} is {'reactivated' if activating else 'deactivated'}.")
            return redirect("accounts:user_detail", user_id=subject.pk)
    return render(request, "accounts/user_active.html", {"form": form, "subject": subject, "activating": activating})


@login_required
def user_clearance(request: HttpRequest, user_id: Any) -> HttpResponse:
    actor = _actor(request)
    subject = _user_or_404(actor, user_id)
    _require(policies.can_set_clearance(actor, subject))
    form = forms.ClearanceForm(_posted(request), initial={"clearance": subject.clearance})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_clearance(actor=actor, user=subject, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "The clearance is saved.")
            return redirect("accounts:user_detail", user_id=subject.pk)
    return render(request, "accounts/user_clearance.html", {"form": form, "subject": subject})


@login_required
def user_mfa_reset(request: HttpRequest, user_id: Any) -> HttpResponse:
    actor = _actor(request)
    subject = _user_or_404(actor, user_id)
    _require(policies.can_change_user(actor, subject))
    form = forms.ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_device_reset(actor=actor, user=subject, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"Two-factor authentication of {subject.username} is reset.")
            return redirect("accounts:user_detail", user_id=subject.pk)
    return render(
        request,
        "accounts/user_mfa_reset.html",
        {"form": form, "subject": subject, "has_mfa": _has_confirmed_device(subject)},
    )


# My account ---------------------------------------------------------------------------------------------------


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    context = {
        "roles": _role_labels(sorted(actor.role_set)),
        "has_mfa": _has_confirmed_device(actor),
        "mfa_verified": bool(getattr(actor, "is_verified", lambda: False)()),
        "tokens": list(selectors.api_token_list(actor=actor)),
        "can_manage_tokens": policies.can_manage_own_tokens(actor),
        "token_form": forms.ApiTokenCreateForm(),
    }
    return render(request, "accounts/profile.html", context)


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = forms.PasswordChangeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_set_password(
                actor=actor,
                user=actor,
                new_password=form.cleaned_data["new_password"],
                current_password=form.cleaned_data["current_password"],
            )
        except DomainError as exc:
            form.add_domain_error(exc, field_map={"password": "new_password"})
        else:
            update_session_auth_hash(request, user)
            messages.success(request, "Your password is changed.")
            return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def token_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = forms.ApiTokenCreateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            token, full = services.api_token_create(
                actor=actor, name=form.cleaned_data["name"], expires_in_days=form.cleaned_data["expires_in_days"]
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            # The full token is in this one response only: never stored, never cached.
            response = render(request, "accounts/token_created.html", {"token": token, "full_token": full})
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "accounts/token_create.html", {"form": form})


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: Any) -> HttpResponse:
    actor = _actor(request)
    try:
        token = services.api_token_revoke(actor=actor, token_id=token_id)
    except NotFound as exc:
        raise Http404("API token") from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"The token {token.name} ({token.prefix}) is revoked.")
    return redirect(reverse("accounts:profile") + "#api-tokens")
