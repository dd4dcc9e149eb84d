"""Reference-data pages: the control-list browser, arms embargoes, destination groups and HS codes.

Every signed-in user with a role reads them; the forms call the same services as the API, and a refusal
(DomainError) comes back as a form error, never a server error."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from excon.audit.selectors import audit_history_for
from excon.audit.views import history_rows
from excon.core.errors import DomainError
from excon.core.pages import found_or_404

from . import policies, selectors, services
from .enums import EmbargoAuthority, Regime
from .forms import DestinationGroupForm, EmbargoEndForm, EmbargoForm
from .models import ArmsEmbargo, ControlListEntry, DestinationGroup, HsCode

PAGE_SIZE = 50


def _reader(request: HttpRequest) -> Any:
    actor = request.user
    if not policies.can_view_refdata(actor):  # type: ignore[arg-type]
        raise Http404("reference data")
    return actor


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _history(obj: Any) -> list[dict[str, Any]]:
    return history_rows(audit_history_for(obj))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    today = timezone.localdate()
    context = {
        "entry_count": ControlListEntry.objects.filter(active=True).count(),
        "embargo_count": selectors.embargo_list(actor=actor, active_on=today).count(),
        "group_count": DestinationGroup.objects.count(),
        "hs_count": HsCode.objects.count(),
        "can_create_embargo": policies.can_create_embargo(actor),
        "can_create_group": policies.can_create_destination_group(actor),
    }
    return render(request, "refdata/index.html", context)


# Control list -------------------------------------------------------------------------------------------------


@login_required
def control_list(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    search = request.GET.get("q", "").strip()
    regime = request.GET.get("regime", "").strip()
    if regime not in Regime.values:
        regime = ""
    context: dict[str, Any] = {"q": search, "regime": regime, "regimes": Regime.choices}
    if search:
        context["results"] = list(selectors.control_entry_list(actor=actor, regime=regime, search=search)[:200])
    else:
        tree = selectors.control_tree(actor=actor, regime=regime)
        labels = dict(Regime.choices)
        sections: dict[str, list[dict[str, Any]]] = {}
        for node in tree:
            sections.setdefault(node["entry"].regime, []).append(node)
        context["sections"] = [
            {"regime": key, "label": labels[key], "nodes": sections[key]} for key in Regime.values if key in sections
        ]
    return render(request, "refdata/control_list.html", context)


@login_required
def control_entry_detail(request: HttpRequest, code: str) -> HttpResponse:
    actor = _reader(request)
    entry = found_or_404(selectors.control_entry_get, actor=actor, code=code)
    ancestors: list[ControlListEntry] = []
    parent = entry.parent
    while parent is not None:
        ancestors.insert(0, parent)
        parent = parent.parent
    context = {"entry": entry, "children": list(entry.children.all()), "ancestors": ancestors}
    return render(request, "refdata/control_entry_detail.html", context)


# HS codes -----------------------------------------------------------------------------------------------------


@login_required
def hs_code_list(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    search = request.GET.get("q", "").strip()
    page = Paginator(selectors.hs_code_list(actor=actor, search=search), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "refdata/hs_code_list.html", {"page": page, "q": search, "query": _query_without_page(request)}
    )


# Embargoes ----------------------------------------------------------------------------------------------------


@login_required
def embargo_list(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    country = request.GET.get("country", "").strip().upper()
    imposed_by = request.GET.get("imposed_by", "").strip()
    if imposed_by not in EmbargoAuthority.values:
        imposed_by = ""
    show = request.GET.get("show", "in_force")
    active_on = timezone.localdate() if show != "all" else None
    embargoes = selectors.embargo_list(actor=actor, country=country, active_on=active_on, imposed_by=imposed_by)
    page = Paginator(embargoes, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "country": country,
        "imposed_by": imposed_by,
        "show": show,
        "authorities": EmbargoAuthority.choices,
        "query": _query_without_page(request),
        "today": timezone.localdate(),
        "can_create": policies.can_create_embargo(actor),
    }
    return render(request, "refdata/embargo_list.html", context)


def _embargo(actor: Any, embargo_id: Any) -> ArmsEmbargo:
    return found_or_404(selectors.embargo_get, actor=actor, embargo_id=embargo_id)


@login_required
def embargo_detail(request: HttpRequest, embargo_id: str) -> HttpResponse:
    actor = _reader(request)
    embargo = _embargo(actor, embargo_id)
    context = {
        "embargo": embargo,
        "in_force": embargo.is_active_on(timezone.localdate()),
        "history": _history(embargo),
        "can_change": policies.can_change_embargo(actor, embargo),
        "can_end": policies.can_end_embargo(actor, embargo)
        and (embargo.end_date is None or embargo.end_date > timezone.localdate()),
    }
    return render(request, "refdata/embargo_detail.html", context)


@login_required
def embargo_create(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    if not policies.can_create_embargo(actor):
        raise DjangoPermissionDenied("you may not record embargoes")
    form = EmbargoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            embargo = services.embargo_create(
                actor=actor, reason=form.cleaned_data.get("reason", ""), **form.service_fields()
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "The embargo has been recorded.")
            return redirect("refdata:embargo_detail", embargo_id=embargo.pk)
    return render(request, "refdata/embargo_form.html", {"form": form, "embargo": None})


@login_required
def embargo_edit(request: HttpRequest, embargo_id: str) -> HttpResponse:
    actor = _reader(request)
    embargo = _embargo(actor, embargo_id)
    if not policies.can_change_embargo(actor, embargo):
        raise DjangoPermissionDenied("you may not change embargoes")
    form = EmbargoForm(request.POST or None, embargo=embargo)
    if request.method == "POST" and form.is_valid():
        try:
            services.embargo_update(
                actor=actor, embargo=embargo, reason=form.cleaned_data.get("reason", ""), **form.service_fields()
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "The embargo has been changed.")
            return redirect("refdata:embargo_detail", embargo_id=embargo.pk)
    return render(request, "refdata/embargo_form.html", {"form": form, "embargo": embargo})


@login_required
def embargo_end(request: HttpRequest, embargo_id: str) -> HttpResponse:
    actor = _reader(request)
    embargo = _embargo(actor, embargo_id)
    if not policies.can_end_embargo(actor, embargo):
        raise DjangoPermissionDenied("you may not end embargoes")
    form = EmbargoEndForm(request.POST or None, initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.embargo_end(
                actor=actor, embargo=embargo, reason=form.cleaned_data["reason"], end_date=form.cleaned_data["end_date"]
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "The embargo has been recorded as lifted.")
            return redirect("refdata:embargo_detail", embargo_id=embargo.pk)
    return render(request, "refdata/embargo_end.html", {"form": form, "embargo": embargo})


# Destination groups -------------------------------------------------------------------------------------------


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    groups = list(selectors.destination_group_list(actor=actor))
    return render(
        request,
        "refdata/group_list.html",
        {"groups": groups, "can_create": policies.can_create_destination_group(actor)},
    )


def _group(actor: Any, code: str) -> DestinationGroup:
    return found_or_404(selectors.destination_group_get, actor=actor, code=code)


@login_required
def group_detail(request: HttpRequest, code: str) -> HttpResponse:
    actor = _reader(request)
    group = _group(actor, code)
    context = {
        "group": group,
        "countries": list(group.countries.all()),
        "history": _history(group),
        "can_change": policies.can_change_destination_group(actor, group),
    }
    return render(request, "refdata/group_detail.html", context)


@login_required
def group_create(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    if not policies.can_create_destination_group(actor):
        raise DjangoPermissionDenied("you may not manage destination groups")
    form = DestinationGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.destination_group_create(actor=actor, **form.service_fields())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "The destination group has been created.")
            return redirect("refdata:group_detail", code=group.code)
    return render(request, "refdata/group_form.html", {"form": form, "group": None})


@login_required
def group_edit(request: HttpRequest, code: str) -> HttpResponse:
    actor = _reader(request)
    group = _group(actor, code)
    if not policies.can_change_destination_group(actor, group):
        raise DjangoPermissionDenied("you may not manage destination groups")
    form = DestinationGroupForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            services.destination_group_update(actor=actor, group=group, **form.service_fields())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "The destination group has been changed.")
            return redirect("refdata:group_detail", code=group.code)
    return render(request, "refdata/group_form.html", {"form": form, "group": group})
