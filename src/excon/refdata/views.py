"""Reference-data pages: the control-list browser, arms embargoes, destination groups and HS codes.

Every signed-in user with a role reads them; the forms call the same services as the API, and a refusal
(DomainError) comes back as a form error, never a server error."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from excon.audit.selectors import audit_history_for
from excon.audit.views import history_rows
from excon.core.pages import form_page, found_or_404, paginate, posted, shown_or_404

from . import policies, selectors, services
from .enums import EmbargoAuthority, Regime
from .forms import DestinationGroupForm, EmbargoEndForm, EmbargoForm
from .models import ArmsEmbargo, ControlListEntry, DestinationGroup

PAGE_SIZE = 50


def _reader(request: HttpRequest) -> Any:
    actor = request.user
    shown_or_404(policies.can_view_refdata(actor), "reference data")  # type: ignore[arg-type]
    return actor


def _embargo_page(embargo: ArmsEmbargo) -> str:
    return reverse("refdata:embargo_detail", kwargs={"embargo_id": embargo.pk})


def _group_page(group: DestinationGroup) -> str:
    return reverse("refdata:group_detail", kwargs={"code": group.code})


def _history(obj: Any) -> list[dict[str, Any]]:
    return history_rows(audit_history_for(obj))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    today = timezone.localdate()
    context = {
        **selectors.reference_counts(actor=actor, today=today),
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
    page, query = paginate(request, selectors.hs_code_list(actor=actor, search=search), PAGE_SIZE)
    return render(request, "refdata/hs_code_list.html", {"page": page, "q": search, "query": query})


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
    page, query = paginate(request, embargoes, PAGE_SIZE)
    context = {
        "page": page,
        "country": country,
        "imposed_by": imposed_by,
        "show": show,
        "authorities": EmbargoAuthority.choices,
        "query": query,
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
    form = EmbargoForm(posted(request))
    return form_page(
        request,
        form,
        lambda data: services.embargo_create(actor=actor, reason=data.get("reason", ""), **form.service_fields()),
        message="The embargo has been recorded.",
        then=_embargo_page,
        template="refdata/embargo_form.html",
        context={"embargo": None},
    )


@login_required
def embargo_edit(request: HttpRequest, embargo_id: str) -> HttpResponse:
    actor = _reader(request)
    embargo = _embargo(actor, embargo_id)
    if not policies.can_change_embargo(actor, embargo):
        raise DjangoPermissionDenied("you may not change embargoes")
    form = EmbargoForm(posted(request), embargo=embargo)
    return form_page(
        request,
        form,
        lambda data: services.embargo_update(
            actor=actor, embargo=embargo, reason=data.get("reason", ""), **form.service_fields()
        ),
        message="The embargo has been changed.",
        then=_embargo_page(embargo),
        template="refdata/embargo_form.html",
        context={"embargo": embargo},
    )


@login_required
def embargo_end(request: HttpRequest, embargo_id: str) -> HttpResponse:
    actor = _reader(request)
    embargo = _embargo(actor, embargo_id)
    if not policies.can_end_embargo(actor, embargo):
        raise DjangoPermissionDenied("you may not end embargoes")
    return form_page(
        request,
        EmbargoEndForm(posted(request), initial={"end_date": timezone.localdate()}),
        lambda data: services.embargo_end(
            actor=actor, embargo=embargo, reason=data["reason"], end_date=data["end_date"]
        ),
        message="The embargo has been recorded as lifted.",
        then=_embargo_page(embargo),
        template="refdata/embargo_end.html",
        context={"embargo": embargo},
    )


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
    form = DestinationGroupForm(posted(request))
    return form_page(
        request,
        form,
        lambda data: services.destination_group_create(actor=actor, **form.service_fields()),
        message="The destination group has been created.",
        then=_group_page,
        template="refdata/group_form.html",
        context={"group": None},
    )


@login_required
def group_edit(request: HttpRequest, code: str) -> HttpResponse:
    actor = _reader(request)
    group = _group(actor, code)
    if not policies.can_change_destination_group(actor, group):
        raise DjangoPermissionDenied("you may not manage destination groups")
    form = DestinationGroupForm(posted(request), group=group)
    return form_page(
        request,
        form,
        lambda data: services.destination_group_update(actor=actor, group=group, **form.service_fields()),
        message="The destination group has been changed.",
        then=_group_page(group),
        template="refdata/group_form.html",
        context={"group": group},
    )
