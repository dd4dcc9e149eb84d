"""The exporter's pages: my applications, the draft (particulars, goods, parties, documents, the end-user
certificate), check and submit, and after submission the read-only view with requests for information, withdrawal,
amendment, the decision and the appeal. The exporter never sees advice, referrals, votes or check details."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from excon.audit.selectors import audit_history_for
from excon.audit.views import history_rows
from excon.core.errors import DomainError
from excon.core.files import open_stored
from excon.core.pages import found_or_404
from excon.core.roles import EXPORTER_ROLES
from excon.products import selectors as product_selectors
from excon.products.enums import ProductStatus

from .. import checks, forms, policies, selectors, services, workflow
from ..enums import EU_CRITERIA, ApplicationAction, DecisionOutcome, DecisionStatus
from ..models import Application
from ..services.commission import appeal_deadline
from .common import actor_of, application_or_404, paginate, posted, require

# What the exporter may read of its case's history: its own acts and the authority's moves that concern it —
# never the referrals, checks, advice, votes or the consolidated advice in other entries' payloads.
EXPORTER_HISTORY_VERBS = frozenset(
    {
        "application.created",
        "application.updated",
        "application.goods_line_added",
        "application.goods_line_removed",
        "application.party_added",
        "application.party_removed",
        "application.document_attached",
        "application.euc_recorded",
        "application.euc_updated",
        "application.amendment_started",
        "application.amendment_submitted",
        "application.submit",
        "application.request_information",
        "application.answer_information",
        "application.decide",
        "application.appeal",
        "application.decide_appeal",
        "application.withdraw",
        "application.supersede",
        "information.answered",
    }
)


def criteria_named(numbers: Any) -> list[dict[str, Any]]:
    return [{"number": n, "name": EU_CRITERIA.get(int(n), "")} for n in numbers or []]


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    """My applications (the exporter's organisation's); government users go to their own lists."""
    actor = actor_of(request)
    if not actor.has_any_role(*EXPORTER_ROLES):
        if policies.in_department(actor):
            return redirect("applications:referred")
        if policies.in_authority(actor):
            return redirect("applications:queue")
        raise Http404("applications")
    page, query = paginate(request, selectors.application_list(actor=actor))
    context = {"page": page, "query": query, "can_create": policies.can_create_application(actor)}
    return render(request, "applications/application_list.html", context)


@login_required
def application_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require(policies.can_create_application(actor))
    form = forms.ApplicationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(actor=actor, **form.service_fields())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"Draft {application.reference} is started.")
            return redirect("applications:detail", application_id=application.pk)
    return render(request, "applications/application_form.html", {"form": form, "application": None})


@login_required
def application_edit(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.can_edit_application(actor, application))
    initial = {
        "destination": application.destination.iso2 if application.destination else "",
        "end_use_statement": application.end_use_statement,
        "contract_reference": application.contract_reference,
        "contract_value": format(application.contract_value, "f") if application.contract_value is not None else "",
        "contract_currency": application.contract_currency,
    }
    form = forms.ApplicationForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(actor=actor, application=application, **form.service_fields())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "The particulars are saved.")
            return redirect("applications:detail", application_id=application.pk)
    return render(request, "applications/application_form.html", {"form": form, "application": application})


@login_required
@require_GET
def application_detail(request: HttpRequest, application_id: Any) -> HttpResponse:
    """One address for every reader: the case page for government, the draft or the read-only view for the
    exporter."""
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    if policies.can_view_internal(actor, application):
        from .casework import case_page

        return case_page(request, application)
    return _exporter_page(request, application)


def _particulars(application: Application) -> dict[str, Any]:
    return {
        "lines": list(application.goods_lines.select_related("product", "control_entry")),
        "parties": list(application.parties.select_related("country")),
        "documents": list(application.documents.select_related("party")),
        "certificate": getattr(application, "end_user_certificate", None),
    }


def _exporter_page(request: HttpRequest, application: Application) -> HttpResponse:
    actor = actor_of(request)
    context: dict[str, Any] = {"application": application, **_particulars(application)}
    if policies.can_edit_application(actor, application):
        context["missing"] = checks.missing_particulars(application)
        context["history"] = history_rows(audit_history_for(application))
        return render(request, "applications/draft.html", context)
    requests = list(selectors.information_requests(application))
    final = [d for d in selectors.decisions(application) if d.status == DecisionStatus.FINAL]
    deadline = appeal_deadline(application)
    appeal = getattr(application, "appeal", None)
    can_appeal = (
        application.outcome in (DecisionOutcome.REFUSE, DecisionOutcome.PARTIALLY_APPROVE)
        and appeal is None
        and policies.can_transition_application(actor, application, ApplicationAction.APPEAL)
        and workflow.TABLE.target_of(application.status, ApplicationAction.APPEAL) is not None
        and (deadline is None or timezone.localdate() <= deadline)
    )
    open_state = application.status in workflow.OPEN_STATES
    context.update(
        {
            "requests": requests,
            "open_request": next((r for r in requests if r.answered_at is None), None),
            "answer_form": forms.AnswerForm(),
            "decisions": [{"decision": d, "criteria": criteria_named(d.refusal_criteria)} for d in final],
            "appeal": appeal,
            "can_appeal": can_appeal,
            "appeal_deadline": deadline,
            "can_withdraw": open_state
            and policies.can_transition_application(actor, application, ApplicationAction.WITHDRAW),
            "can_amend": open_state
            and policies.can_transition_application(actor, application, ApplicationAction.SUPERSEDE),
            "history": history_rows([e for e in audit_history_for(application) if e.verb in EXPORTER_HISTORY_VERBS]),
        }
    )
    return render(request, "applications/exporter_view.html", context)


# Draft sections ------------------------------------------------------------------------------------------------


def _one_form(
    request: HttpRequest,
    application: Application,
    form: Any,
    heading: str,
    *,
    multipart: bool = False,
    button: str = "Save",
) -> HttpResponse:
    context = {"form": form, "application": application, "heading": heading, "multipart": multipart, "button": button}
    return render(request, "applications/_one_form.html", context)


@login_required
def goods_line_add(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.can_edit_application(actor, application))
    products = product_selectors.product_list(actor=actor, status=ProductStatus.DECIDED)
    form = forms.GoodsLineForm(posted(request), products=products, initial={"currency": application.contract_currency})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.goods_line_add(
                actor=actor,
                application=application,
                product_id=data["product"] or None,
                description=data["description"],
                origin=data["origin"],
                control_code=data["control_code"],
                quantity=data["quantity"],
                unit_value=data["unit_value"],
                currency=data["currency"],
            )
        except DomainError as exc:
            form.add_domain_error(exc, field_map=forms.GOODS_FIELD_MAP)
        else:
            messages.success(request, "The goods line is added.")
            return redirect("applications:detail", application_id=application.pk)
    return _one_form(request, application, form, "Add goods")


@login_required
@require_POST
def goods_line_remove(request: HttpRequest, application_id: Any, line_number: int) -> HttpResponse:
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.can_edit_application(actor, application))
    try:
        services.goods_line_remove(actor=actor, application=application, line_number=line_number)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Line {line_number} is removed.")
    return redirect("applications:detail", application_id=application.pk)


@login_required
def party_add(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.can_edit_application(actor, application))
    form = forms.PartyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.party_add(actor=actor, application=application, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "The party is added.")
            return redirect("applications:detail", application_id=application.pk)
    return _one_form(request, application, form, "Add a party")


@login_required
@require_POST
def party_remove(request: HttpRequest, application_id: Any, party_id: Any) -> HttpResponse:
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.can_edit_application(actor, application))
    try:
        services.party_remove(actor=actor, application=application, party_id=party_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The party is removed.")
    return redirect("applications:detail", application_id=application.pk)


@login_required
def document_add(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.can_edit_application(actor, application))
    parties = application.parties.all()
    if request.method == "POST":
        form = forms.DocumentForm(request.POST, request.FILES, parties=parties)
    else:
        form = forms.DocumentForm(parties=parties)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.document_attach(
                actor=actor,
                application=application,
                kind=form.cleaned_data["kind"],
                file=upload,
                filename=upload.name,
                party_id=form.cleaned_data["party"] or None,
                description=form.cleaned_data["description"],
            )
        except DomainError as exc:
            form.add_domain_error(exc, field_map=forms.DOCUMENT_FIELD_MAP)
        else:
            messages.success(request, f"{upload.name} is attached.")
            return redirect("applications:detail", application_id=application.pk)
    return _one_form(request, application, form, "Attach a document", multipart=True, button="Upload")


@login_required
def end_user_certificate(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.can_edit_application(actor, application))
    current = getattr(application, "end_user_certificate", None)
    initial = (
        {
            "number": current.number,
            "issue_date": current.issue_date,
            "issuing_authority": current.issuing_authority,
            "signatory": current.signatory,
        }
        if current
        else {}
    )
    if request.method == "POST":
        form = forms.EndUserCertificateForm(request.POST, request.FILES, initial=initial)
    else:
        form = forms.EndUserCertificateForm(initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.pop("file")
        try:
            services.end_user_certificate_set(
                actor=actor, application=application, file=upload, filename=upload.name if upload else "", **data
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "The end-user certificate is recorded.")
            return redirect("applications:detail", application_id=application.pk)
    return _one_form(request, application, form, "End-user certificate", multipart=True)


@login_required
def application_submit(request: HttpRequest, application_id: Any) -> HttpResponse:
    """Check and submit: what is missing, then the Submit button (the service checks again)."""
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.can_edit_application(actor, application))
    error = None
    details: list[dict[str, Any]] = []
    if request.method == "POST":
        try:
            application = services.application_submit(actor=actor, application=application)
        except DomainError as exc:
            error = exc.message
            details = list(exc.details.get("missing", [])) if isinstance(exc.details, dict) else []
        else:
            messages.success(request, f"{application.reference} is submitted.")
            return redirect("applications:detail", application_id=application.pk)
    context = {
        "application": application,
        "missing": details or checks.missing_particulars(application),
        "error": error,
        **_particulars(application),
    }
    return render(request, "applications/submit.html", context)


# After submission ---------------------------------------------------------------------------------------------


@login_required
def information_answer(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.is_applicant_staff(actor, application))
    form = forms.AnswerForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.information_answer(actor=actor, application=application, answer=form.cleaned_data["answer"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Your answer is sent; the case is back under review.")
            return redirect("applications:detail", application_id=application.pk)
    return _one_form(request, application, form, "Answer the request for information", button="Send the answer")


@login_required
def application_withdraw(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.can_transition_application(actor, application, ApplicationAction.WITHDRAW))
    form = forms.ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(actor=actor, application=application, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"{application.reference} is withdrawn.")
            return redirect("applications:detail", application_id=application.pk)
    return _one_form(request, application, form, "Withdraw the application", button="Withdraw")


@login_required
@require_POST
def application_amend(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.can_transition_application(actor, application, ApplicationAction.SUPERSEDE))
    try:
        amendment = services.application_amend(actor=actor, application=application)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("applications:detail", application_id=application.pk)
    messages.success(request, f"{amendment.reference} replaces {application.reference}: change it and submit it.")
    return redirect("applications:detail", application_id=amendment.pk)


@login_required
def appeal_lodge(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.can_transition_application(actor, application, ApplicationAction.APPEAL))
    form = forms.GroundsForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_lodge(actor=actor, application=application, grounds=form.cleaned_data["grounds"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Your appeal is lodged.")
            return redirect("applications:detail", application_id=application.pk)
    return _one_form(request, application, form, "Appeal the decision", button="Lodge the appeal")


@login_required
@require_GET
def document_download(request: HttpRequest, document_id: Any) -> FileResponse:
    """Stream a document to someone who may see its application; never from a public URL."""
    actor = actor_of(request)
    document = found_or_404(selectors.application_document_get, actor=actor, document_id=document_id)
    try:
        handle = open_stored(document.storage_name)
    except FileNotFoundError as exc:
        raise Http404("document file") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_filename, content_type=document.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
