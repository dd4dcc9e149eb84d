"""The exporter's pages: my applications, the draft (particulars, goods, parties, documents, the end-user
certificate), check and submit, and after submission the read-only view with requests for information, withdrawal,
amendment, the decision and the appeal. The exporter never sees advice, referrals, votes or check details."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from excon.audit.selectors import audit_history_for
from excon.audit.views import history_rows
from excon.core.errors import DomainError
from excon.core.files import stored_download
from excon.core.pages import Message, form_page, found_or_404, post_action, uploads
from excon.products import selectors as product_selectors
from excon.products.enums import ProductStatus

from .. import checks, forms, licence_types, policies, selectors, services, type_forms, workflow
from ..enums import EU_CRITERIA, ApplicationAction, DecisionOutcome
from ..models import Application
from ..services.commission import appeal_deadline
from .common import actor_of, application_or_404, paginate, posted, require


def criteria_named(numbers: Any) -> list[dict[str, Any]]:
    return [{"number": n, "name": EU_CRITERIA.get(int(n), "")} for n in numbers or []]


def _case_page(application: Application) -> str:
    return reverse("applications:detail", kwargs={"application_id": application.pk})


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    """My applications (the exporter's organisation's); government users go to their own lists."""
    actor = actor_of(request)
    if not policies.has_own_applications(actor):
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
    form = type_forms.NewApplicationForm(posted(request))
    return form_page(
        request,
        form,
        lambda data: services.application_create(actor=actor, **form.service_fields()),
        message=lambda application: f"Draft {application.reference} is started.",
        then=_case_page,
        template="applications/application_form.html",
        context={"application": None},
    )


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
    return form_page(
        request,
        form,
        lambda data: services.application_update(actor=actor, application=application, **form.service_fields()),
        message="The particulars are saved.",
        then=_case_page(application),
        template="applications/application_form.html",
        context={"application": application},
    )


def _particulars(application: Application) -> dict[str, Any]:
    return {
        "type_rows": licence_types.terms_rows(licence_types.terms_summary(application)),
        "has_terms": application.application_type in type_forms.TERMS_FORMS,
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
    final = selectors.final_decisions(application)
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
            "history": history_rows(selectors.case_history(actor=actor, application=application)),
            "failed_checks": selectors.failed_checks_for_applicant(actor=actor, application=application),
        }
    )
    return render(request, "applications/exporter_view.html", context)


# Draft sections ------------------------------------------------------------------------------------------------


def one_form_page(
    request: HttpRequest,
    application: Application,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    *,
    heading: str,
    message: Message,
    button: str = "Save",
    multipart: bool = False,
    field_map: dict[str, str] | None = None,
) -> HttpResponse:
    """A case's one-form page (add goods, answer, withdraw…): back to the case page after."""
    context = {"application": application, "heading": heading, "multipart": multipart, "button": button}
    return form_page(
        request,
        form,
        save,
        message=message,
        then=_case_page(application),
        template="applications/_one_form.html",
        context=context,
        field_map=field_map,
    )


@login_required
def goods_line_add(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.can_edit_application(actor, application))
    products = product_selectors.product_list(actor=actor, status=ProductStatus.DECIDED)
    uncapped_allowed = application.application_type in licence_types.UNCAPPED_TYPES
    form_class = type_forms.OpenGoodsLineForm if uncapped_allowed else forms.GoodsLineForm
    form = form_class(posted(request), products=products, initial={"currency": application.contract_currency})

    def add(data: dict[str, Any]) -> Any:
        return services.goods_line_add(
            actor=actor,
            application=application,
            product_id=data["product"] or None,
            description=data["description"],
            origin=data["origin"],
            control_code=data["control_code"],
            quantity=data["quantity"],
            unit_value=data["unit_value"],
            currency=data["currency"],
            capped=not data.get("uncapped", False),
        )

    return one_form_page(
        request,
        application,
        form,
        add,
        heading="Add goods",
        message="The goods line is added.",
        field_map=forms.GOODS_FIELD_MAP,
    )


@login_required
@require_POST
def goods_line_remove(request: HttpRequest, application_id: Any, line_number: int) -> HttpResponse:
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.can_edit_application(actor, application))
    return post_action(
        request,
        lambda: services.goods_line_remove(actor=actor, application=application, line_number=line_number),
        message=f"Line {line_number} is removed.",
        then=_case_page(application),
    )


@login_required
def party_add(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.can_edit_application(actor, application))
    return one_form_page(
        request,
        application,
        forms.PartyForm(posted(request)),
        lambda data: services.party_add(actor=actor, application=application, **data),
        heading="Add a party",
        message="The party is added.",
    )


@login_required
@require_POST
def party_remove(request: HttpRequest, application_id: Any, party_id: Any) -> HttpResponse:
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.can_edit_application(actor, application))
    return post_action(
        request,
        lambda: services.party_remove(actor=actor, application=application, party_id=party_id),
        message="The party is removed.",
        then=_case_page(application),
    )


@login_required
def document_add(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.can_edit_application(actor, application))
    form = forms.DocumentForm(posted(request), uploads(request), parties=application.parties.all())

    def attach(data: dict[str, Any]) -> Any:
        upload = data["file"]
        return services.document_attach(
            actor=actor,
            application=application,
            kind=data["kind"],
            file=upload,
            filename=upload.name,
            party_id=data["party"] or None,
            description=data["description"],
        )

    return one_form_page(
        request,
        application,
        form,
        attach,
        heading="Attach a document",
        message=lambda document: f"{form.cleaned_data['file'].name} is attached.",
        button="Upload",
        multipart=True,
        field_map=forms.DOCUMENT_FIELD_MAP,
    )


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

    def record(data: dict[str, Any]) -> Any:
        fields = dict(data)
        upload = fields.pop("file")
        filename = upload.name if upload else ""
        return services.end_user_certificate_set(
            actor=actor, application=application, file=upload, filename=filename, **fields
        )

    return one_form_page(
        request,
        application,
        forms.EndUserCertificateForm(posted(request), uploads(request), initial=initial),
        record,
        heading="End-user certificate",
        message="The end-user certificate is recorded.",
        multipart=True,
    )


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
    return one_form_page(
        request,
        application,
        forms.AnswerForm(posted(request)),
        lambda data: services.information_answer(actor=actor, application=application, answer=data["answer"]),
        heading="Answer the request for information",
        message="Your answer is sent; the case is back under review.",
        button="Send the answer",
    )


@login_required
def application_withdraw(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.can_transition_application(actor, application, ApplicationAction.WITHDRAW))
    return one_form_page(
        request,
        application,
        forms.ReasonForm(posted(request)),
        lambda data: services.application_withdraw(actor=actor, application=application, reason=data["reason"]),
        heading="Withdraw the application",
        message=f"{application.reference} is withdrawn.",
        button="Withdraw",
    )


@login_required
@require_POST
def application_amend(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.can_transition_application(actor, application, ApplicationAction.SUPERSEDE))
    return post_action(
        request,
        lambda: services.application_amend(actor=actor, application=application),
        message=lambda amendment: f"{amendment.reference} replaces {application.reference}: change it and submit it.",
        then=_case_page,
        back=_case_page(application),
    )


@login_required
def appeal_lodge(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.can_transition_application(actor, application, ApplicationAction.APPEAL))
    return one_form_page(
        request,
        application,
        forms.GroundsForm(posted(request)),
        lambda data: services.appeal_lodge(actor=actor, application=application, grounds=data["grounds"]),
        heading="Appeal the decision",
        message="Your appeal is lodged.",
        button="Lodge the appeal",
    )


@login_required
@require_GET
def document_download(request: HttpRequest, document_id: Any) -> FileResponse:
    """Stream a document to someone who may see its application; never from a public URL."""
    actor = actor_of(request)
    document = found_or_404(selectors.application_document_get, actor=actor, document_id=document_id)
    return stored_download(
        document.storage_name, filename=document.original_filename, content_type=document.content_type
    )
