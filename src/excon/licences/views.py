"""Pages for licences: the list and the licence page (lines, shipments, versions, history, the signed PDF and its
verification link), issuing from an approved application, shipments and their reversal, status changes,
amendments, bulk actions, the customs pages (declarations import, discrepancies, serial-number trace) and the
signing keys.

Pages hold no rules: reads go through the selectors (out of scope reads as 404), writes through the services
(which check the policy and the workflow, validate and audit), and the policies only decide which actions to
show. A DomainError from a service is shown on the form, and nothing is stored."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from excon.accounts.models import User
from excon.applications import selectors as application_selectors
from excon.audit.selectors import audit_history_for
from excon.audit.views import describe_payload, history_rows
from excon.core.errors import DomainError
from excon.core.pages import actor_of as _actor
from excon.core.pages import form_page, found_or_404, post_action, render_partial, shown_or_404
from excon.core.pages import paginate as _page
from excon.core.pages import posted as _posted
from excon.core.pages import require as _require
from excon.supply import policies as supply_policies
from excon.supply import selectors as supply_selectors

from . import document, forms, policies, selectors, services, type_forms, types, views_types, workflow
from .enums import LicenceAction, LicenceStatus, ReconciliationOutcome
from .models import Licence

_AMENDABLE = (LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED)
# The status changes a person makes from the licence page (the others ExCon makes by itself).
_PERSON_ACTIONS = (LicenceAction.SUSPEND, LicenceAction.REINSTATE, LicenceAction.REVOKE, LicenceAction.SURRENDER)
_ACTION_TEXT = {
    LicenceAction.SUSPEND: "No export may be made under the licence until it is reinstated.",
    LicenceAction.REINSTATE: "The licence becomes active again and exports may resume.",
    LicenceAction.REVOKE: "The licence is withdrawn for good. This cannot be undone.",
    LicenceAction.SURRENDER: "You give the licence back; no further export may be made under it.",
}


def _licence_or_404(actor: User, licence_id: Any) -> Licence:
    return found_or_404(selectors.licence_get, actor=actor, licence_id=licence_id)


def _licence_page(licence: Licence) -> str:
    return reverse("licences:detail", kwargs={"licence_id": licence.pk})


# The list and the licence page ----------------------------------------------------------------------------------


@login_required
@require_GET
def licence_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(policies.can_list_licences(actor), "licences")
    filters = forms.LicenceFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    licences = selectors.licence_list(
        actor=actor,
        status=data.get("status") or "",
        destination=(data.get("destination") or "").strip(),
        holder=(data.get("holder") or "").strip(),
        control_entry=(data.get("control_entry") or "").strip(),
        source=data.get("source") or "",
        search=(data.get("q") or "").strip(),
    )
    page, query = _page(request, licences)
    context = {
        "filters": filters,
        "page": page,
        "query": query,
        "show_holder": policies.sees_licence_holders(actor),
        "can_bulk": policies.can_bulk_act(actor),
    }
    return render_partial(request, "licences/licence_list.html", "licences/_licence_results.html", context)


def _qr_svg(url: str) -> str:
    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=2))


@login_required
@require_GET
def licence_detail(request: HttpRequest, licence_id: Any) -> HttpResponse:
    actor = _actor(request)
    licence = _licence_or_404(actor, licence_id)
    shipments = list(selectors.licence_shipments(licence))
    reversed_ids = {shipment.reverses_id for shipment in shipments if shipment.reverses_id}
    confirmed = policies.customs_confirmed_ids(licence)
    actions = [
        {"action": action, "label": action.label}
        for action in _PERSON_ACTIONS
        if workflow.TABLE.target_of(licence.effective_status, action) is not None
        and policies.can_transition_licence(actor, licence, action)
    ]
    can_reverse = {
        shipment.pk
        for shipment in shipments
        if shipment.reverses_id is None
        and shipment.pk not in reversed_ids
        and policies.can_reverse_shipment(actor, shipment, confirmed=shipment.pk in confirmed)
    }
    verification = document.verification_url(licence) if licence.signature else ""
    context = {
        "licence": licence,
        "lines": list(selectors.licence_lines(licence)),
        "shipments": [
            {
                "shipment": shipment,
                "reversed": shipment.pk in reversed_ids,
                "can_reverse": shipment.pk in can_reverse,
                "confirmed": shipment.pk in confirmed,
            }
            for shipment in shipments
        ],
        "versions": [
            {"version": version, "changes": describe_payload({"changes": version.changes})}
            for version in selectors.licence_versions(licence)
        ],
        "history": history_rows(audit_history_for(licence)),
        "actions": actions,
        "can_ship": policies.can_record_shipment(actor, licence)
        and licence.effective_status in workflow.SHIPPABLE_STATES
        and types.allows_shipments(licence),
        "can_amend": policies.can_amend_licence(actor, licence) and licence.effective_status in _AMENDABLE,
        "verification_url": verification,
        "qr": _qr_svg(verification) if verification else "",
        **views_types.type_context(actor, licence),
    }
    return render(request, "licences/licence_detail.html", context)


@login_required
@require_GET
def licence_pdf(request: HttpRequest, licence_id: Any) -> HttpResponse:
    licence = _licence_or_404(_actor(request), licence_id)
    response = HttpResponse(document.licence_pdf(licence), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{licence.number}-v{licence.version}.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Issuing ----------------------------------------------------------------------------------------------------------


@login_required
def licence_issue(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor = _actor(request)
    application = found_or_404(application_selectors.application_get, actor=actor, application_id=application_id)
    _require(policies.can_issue_licence(actor))
    existing = selectors.licence_for_application(actor=actor, application=application)
    if existing is not None and request.method == "GET":
        messages.info(request, "This application's licence is already issued.")
        return redirect("licences:detail", licence_id=existing.pk)
    decision = application_selectors.final_decision(application)
    goods = application_selectors.licensed_goods(application)
    return form_page(
        request,
        forms.IssueForm(_posted(request)),
        lambda data: services.licence_issue(actor=actor, application=application, valid_until=data["valid_until"]),
        message=lambda licence: f"Licence {licence.number} is issued and signed.",
        then=_licence_page,
        template="licences/licence_issue.html",
        context={"application": application, "decision": decision, "goods": goods},
    )


# Shipments --------------------------------------------------------------------------------------------------------


@login_required
def shipment_record(request: HttpRequest, licence_id: Any) -> HttpResponse:
    actor = _actor(request)
    licence = _licence_or_404(actor, licence_id)
    _require(policies.can_record_shipment(actor, licence))
    lines = list(selectors.licence_lines(licence))
    destinations = types.destinations_of(licence)
    if len(destinations) > 1:  # an open licence's shipment names which of its destinations it goes to
        form: forms.ShipmentForm = type_forms.OpenShipmentForm(
            _posted(request), lines=lines, destinations=[(code, code) for code in destinations]
        )
    else:
        form = forms.ShipmentForm(_posted(request), lines=lines)

    def record(data: dict[str, Any]) -> Any:
        return services.shipment_record(
            actor=actor,
            licence=licence,
            shipped_on=data["shipped_on"],
            lines=form.line_inputs(),
            declaration_number=data["declaration_number"],
            exit_point=data["exit_point"],
            transport=data["transport"],
            destination=data.get("destination"),
        )

    return form_page(
        request,
        form,
        record,
        message=lambda shipment: f"Shipment {shipment.reference} is recorded against {licence.number}.",
        then=_licence_page(licence),
        template="licences/shipment_form.html",
        context={"licence": licence},
    )


@login_required
def shipment_reverse(request: HttpRequest, licence_id: Any, shipment_id: Any) -> HttpResponse:
    actor = _actor(request)
    licence = _licence_or_404(actor, licence_id)
    shipment = found_or_404(selectors.licence_shipment_get, licence=licence, shipment_id=shipment_id)
    _require(policies.can_reverse_shipment(actor, shipment))
    return form_page(
        request,
        forms.ReasonForm(_posted(request)),
        lambda data: services.shipment_reverse(actor=actor, shipment=shipment, reason=data["reason"]),
        message=lambda reversal: f"Shipment {shipment.reference} is reversed by {reversal.reference}.",
        then=_licence_page(licence),
        template="licences/shipment_reverse.html",
        context={"licence": licence, "shipment": shipment},
    )


# Status changes and amendments ------------------------------------------------------------------------------------


@login_required
def licence_transition(request: HttpRequest, licence_id: Any, action: str) -> HttpResponse:
    actor = _actor(request)
    licence = _licence_or_404(actor, licence_id)
    if action not in _PERSON_ACTIONS:
        raise Http404("action")
    move = LicenceAction(action)
    _require(policies.can_transition_licence(actor, licence, move))
    return form_page(
        request,
        forms.ReasonForm(_posted(request)),
        lambda data: services.licence_transition(actor=actor, licence=licence, action=move, reason=data["reason"]),
        message=lambda moved: f"Licence {moved.number} is now {moved.get_status_display().lower()}.",
        then=_licence_page,
        template="licences/licence_transition.html",
        context={"licence": licence, "action": move, "heading": move.label, "intro": _ACTION_TEXT[move]},
    )


@login_required
def licence_amend(request: HttpRequest, licence_id: Any) -> HttpResponse:
    actor = _actor(request)
    licence = _licence_or_404(actor, licence_id)
    _require(policies.can_amend_licence(actor, licence))
    initial = {
        "valid_until": licence.valid_until,
        "end_user": licence.end_user,
        "consignees": forms.consignees_text(licence.consignees),
    }
    form = forms.AmendForm(_posted(request), initial=initial, lines=selectors.licence_lines(licence))
    return form_page(
        request,
        form,
        lambda data: services.licence_amend(actor=actor, licence=licence, **form.service_arguments(licence.consignees)),
        message=lambda amended: f"Licence {amended.number} is amended: version {amended.version}, re-signed.",
        then=_licence_page,
        template="licences/licence_amend.html",
        context={"licence": licence},
    )


# Bulk actions -----------------------------------------------------------------------------------------------------


def _bulk_preview(criteria: dict[str, str]) -> list[Licence]:
    """The licences a bulk action with these criteria would touch: the service's own query, so they cannot differ."""
    return list(selectors.bulk_action_targets(criteria).select_related("holder", "destination").order_by("number"))


@login_required
def bulk_action(request: HttpRequest) -> HttpResponse:
    """Two steps: the criteria and reason, then a confirmation listing what would be touched; then the action."""
    actor = _actor(request)
    shown_or_404(policies.can_bulk_act(actor), "bulk actions")
    form = forms.BulkActionForm(_posted(request), initial={"kind": "suspend"})
    if request.method == "POST" and form.is_valid():
        criteria = form.criteria()
        if request.POST.get("confirm") == "yes":
            try:
                bulk = services.licences_bulk_action(
                    actor=actor, kind=form.cleaned_data["kind"], criteria=criteria, reason=form.cleaned_data["reason"]
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, f"{bulk.licences.count()} licence(s) {bulk.get_kind_display().lower()}ed.")
                return redirect("licences:bulk_result", bulk_id=bulk.pk)
        else:
            try:
                targets = _bulk_preview(criteria)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                if not (form.cleaned_data["reason"] or "").strip():
                    form.add_error("reason", "Give the reason")
                    form._mark_errors()
                else:
                    context = {"form": form, "targets": targets, "criteria": criteria}
                    return render(request, "licences/bulk_confirm.html", context)
    return render(request, "licences/bulk_form.html", {"form": form})


@login_required
@require_GET
def bulk_result(request: HttpRequest, bulk_id: Any) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(policies.can_bulk_act(actor), "bulk action")
    bulk = found_or_404(selectors.bulk_action_get, actor=actor, bulk_id=bulk_id)
    licences = bulk.licences.select_related("holder", "destination").order_by("number")
    return render(request, "licences/bulk_result.html", {"bulk": bulk, "licences": licences})


# Customs and compliance -------------------------------------------------------------------------------------------


@login_required
def declarations_import(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(policies.can_import_declarations(actor), "declarations")
    form = (
        forms.DeclarationsImportForm(request.POST, request.FILES)
        if request.method == "POST"
        else forms.DeclarationsImportForm()
    )
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            text = form.text()
        except forms.forms.ValidationError as exc:
            form.add_error("file", exc)
        else:
            try:
                report = services.declarations_import(actor=actor, text=text, partial=form.cleaned_data["partial"])
            except DomainError as exc:
                form.add_domain_error(exc)
    outcomes = []
    if report is not None:
        labels = dict(ReconciliationOutcome.choices)
        outcomes = [{"outcome": key, "label": labels.get(key, key), "count": n} for key, n in report.outcomes.items()]
    context = {"form": form, "report": report, "outcomes": outcomes, "columns": services.customs.COLUMNS}
    return render(request, "licences/declarations_import.html", context)


@login_required
@require_GET
def discrepancy_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(policies.can_view_discrepancies(actor), "discrepancies")
    filters = forms.DiscrepancyFilterForm(request.GET if request.GET else None, initial={"status": "open"})
    if filters.is_bound and filters.is_valid():
        status, outcome = filters.cleaned_data["status"], filters.cleaned_data["outcome"]
    else:
        status, outcome = "open", ""
    declarations = selectors.discrepancy_list(actor=actor, status=status, outcome=outcome)
    page, query = _page(request, declarations)
    context = {
        "filters": filters,
        "page": page,
        "query": query,
        "can_resolve": policies.can_resolve_discrepancy(actor),
    }
    return render_partial(request, "licences/discrepancy_list.html", "licences/_discrepancy_results.html", context)


@login_required
def discrepancy_resolve(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    actor = _actor(request)
    declaration = found_or_404(selectors.discrepancy_get, actor=actor, declaration_id=declaration_id)
    _require(policies.can_resolve_discrepancy(actor))
    return form_page(
        request,
        forms.ResolveForm(_posted(request)),
        lambda data: services.discrepancy_resolve(
            actor=actor, declaration_id=declaration.pk, resolution=data["resolution"]
        ),
        message=f"Declaration {declaration.declaration_number} is resolved.",
        then="licences:discrepancies",
        template="licences/discrepancy_resolve.html",
        context={"declaration": declaration},
    )


@login_required
@require_GET
def serial_trace(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(policies.can_list_licences(actor), "serial trace")
    form = forms.SerialTraceForm(request.GET or None)
    trace = selectors.serial_trace(actor=actor, serial=form.cleaned_data["serial"]) if form.is_valid() else None
    return render(request, "licences/serial_trace.html", {"form": form, "trace": trace})


# Signing keys -----------------------------------------------------------------------------------------------------


@login_required
def signing_keys(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    shown_or_404(policies.can_rotate_keys(actor), "signing keys")
    error = ""
    if request.method == "POST":
        try:
            key = services.signing_key_rotate(actor=actor)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, f"Key {key.key_id} now signs new licence documents; the old key still verifies.")
            return redirect("licences:keys")
    keys = selectors.signing_key_list(actor=actor)
    return render(request, "licences/signing_keys.html", {"keys": keys, "error": error})


@login_required
@require_POST
def priority_suspend(request: HttpRequest, priority_id: Any) -> HttpResponse:
    """The "Suspend affected licences" button of supply's domestic priorities page."""
    actor = _actor(request)
    shown_or_404(supply_policies.can_suspend_for_priority(actor), "page")
    priority = found_or_404(supply_selectors.priority_get, actor=actor, priority_id=priority_id)

    def suspended(bulk: Any) -> str:
        numbers = sorted(bulk.licences.values_list("number", flat=True))
        return f"Suspended {len(numbers)} licence(s)" + (f": {', '.join(numbers)}" if numbers else "")

    return post_action(
        request,
        lambda: services.licences_suspend_for_priority(actor=actor, priority=priority),
        message=suspended,
        then="supply:priorities",
    )
