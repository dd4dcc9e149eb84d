"""Pages of the export regime: authorisations (the holder's application, the commission's advice, votes and
decision, suspension, revocation, renewal), the register of authorised exporters and its public version, the
destination policy's versions with the re-checked cases and affected licences, and the quotas' dashboard. Pages
hold no rules: reads through the selectors, writes through the services."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from excon.audit.selectors import audit_history_for
from excon.audit.views import history_rows
from excon.core.files import stored_download
from excon.core.pages import (
    Message,
    actor_of,
    form_page,
    found_or_404,
    paginate,
    post_action,
    posted,
    require,
    shown_or_404,
    uploads,
)
from excon.refdata.models import DestinationGroup

from . import forms, policies, selectors, services, workflow
from .enums import AuthorisationAction, AuthorisationStatus, EvidenceKind, PolicyTier, QuotaBasis
from .models import ExportAuthorisation

FORM_TEMPLATE = "regime/form_page.html"


def _detail_url(authorisation: ExportAuthorisation) -> str:
    return reverse("regime:authorisation_detail", kwargs={"authorisation_id": authorisation.pk})


def _form(
    request: HttpRequest,
    form: Any,
    save: Any,
    *,
    title: str,
    back: str,
    then: Any,
    message: Message,
    button: str = "Save",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    return form_page(
        request,
        form,
        save,
        message=message,
        then=then,
        template=FORM_TEMPLATE,
        context={"title": title, "back": back, "button": button, **(context or {})},
    )


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    shown_or_404(policies.reads_all(actor))
    today = timezone.localdate()
    context = {
        "open": selectors.authorisation_list(actor=actor).filter(status__in=workflow.OPEN_STATES).count(),
        "authorised": len(selectors.register_rows(today)),
        "policy": selectors.policy_in_force(today),
        "quotas": selectors.quota_list(actor=actor, year=today.year).filter(active=True).count(),
        "can_manage": policies.can_manage_regime(actor),
    }
    return render(request, "regime/index.html", context)


# ------------------------------------------------------------------------------------------------ authorisations


@login_required
@require_GET
def authorisation_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    shown_or_404(policies.reads_all(actor) or policies.is_exporter(actor))
    status = request.GET.get("status", "")
    rows = selectors.authorisation_list(actor=actor, status=status if status in AuthorisationStatus.values else "")
    page, query = paginate(request, rows)
    return render(
        request,
        "regime/authorisation_list.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": AuthorisationStatus.choices,
            "can_apply": policies.can_apply_for_authorisation(actor),
        },
    )


@login_required
def authorisation_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require(policies.can_apply_for_authorisation(actor))
    form = forms.AuthorisationForm(posted(request), groups=DestinationGroup.objects.order_by("name"))
    return _form(
        request,
        form,
        lambda data: services.authorisation_create(actor=actor, **data),
        title="Apply for an export authorisation",
        back=reverse("regime:authorisations"),
        then=_detail_url,
        message="The application is saved as a draft: add the evidence, then submit it.",
        button="Save the draft",
    )


@login_required
@require_GET
def authorisation_detail(request: HttpRequest, authorisation_id: Any) -> HttpResponse:
    actor = actor_of(request)
    authorisation = found_or_404(selectors.authorisation_get, actor=actor, authorisation_id=authorisation_id)
    holder_staff = policies.is_holder_staff(actor, authorisation)
    moves = [
        action
        for action in workflow.TABLE.actions_from(authorisation.status)
        if action not in (AuthorisationAction.SUBMIT, AuthorisationAction.GRANT, AuthorisationAction.REFUSE)
        and not workflow.TABLE.is_system(action)
        and policies.can_transition_authorisation(actor, authorisation, action)
    ]
    revoked = authorisation.status == AuthorisationStatus.REVOKED
    context = {
        "authorisation": authorisation,
        "documents": authorisation.documents.all(),
        "advice": authorisation.advice.select_related("department", "author") if not holder_staff else [],
        "votes": authorisation.votes.select_related("member") if not holder_staff else [],
        "tally": selectors.authorisation_tally(authorisation),
        "missing": [EvidenceKind(kind).label.lower() for kind in services.missing_evidence(authorisation)],
        "can_edit": policies.can_edit_authorisation(actor, authorisation),
        "can_submit": policies.can_edit_authorisation(actor, authorisation),
        "can_advise": policies.can_give_advice(actor, authorisation),
        "can_vote": policies.can_vote(actor, authorisation),
        "can_decide": policies.can_decide_authorisation(actor)
        and authorisation.status == AuthorisationStatus.IN_COMMISSION,
        "can_renew": policies.can_renew_authorisation(actor, authorisation),
        "moves": moves,
        "licences": services.holder_licences(authorisation) if revoked and policies.can_manage_regime(actor) else [],
        "history": history_rows(audit_history_for(authorisation)) if policies.reads_all(actor) else [],
    }
    return render(request, "regime/authorisation_detail.html", context)


@login_required
def authorisation_evidence(request: HttpRequest, authorisation_id: Any) -> HttpResponse:
    actor = actor_of(request)
    authorisation = found_or_404(selectors.authorisation_get, actor=actor, authorisation_id=authorisation_id)
    require(policies.can_edit_authorisation(actor, authorisation))
    form = forms.EvidenceForm(posted(request), uploads(request))

    def save(data: dict[str, Any]) -> Any:
        upload = data["file"]
        return services.authorisation_add_evidence(
            actor=actor,
            authorisation=authorisation,
            kind=data["kind"],
            file=upload,
            filename=upload.name,
            description=data["description"],
        )

    back = _detail_url(authorisation)
    return _form(
        request,
        form,
        save,
        title=f"Evidence for {authorisation.reference}",
        back=back,
        then=back,
        message="The document is stored.",
        button="Upload",
        context={"multipart": True},
    )


@login_required
@require_POST
def authorisation_submit(request: HttpRequest, authorisation_id: Any) -> HttpResponse:
    actor = actor_of(request)
    authorisation = found_or_404(selectors.authorisation_get, actor=actor, authorisation_id=authorisation_id)
    return post_action(
        request,
        lambda: services.authorisation_submit(actor=actor, authorisation=authorisation),
        then=_detail_url(authorisation),
        message="The application is submitted to the authority.",
    )


@login_required
def authorisation_move(request: HttpRequest, authorisation_id: Any, action: str) -> HttpResponse:
    """Withdraw, return, refer, suspend, reinstate or revoke (with a reason where the table asks for one)."""
    actor = actor_of(request)
    authorisation = found_or_404(selectors.authorisation_get, actor=actor, authorisation_id=authorisation_id)
    if action not in AuthorisationAction.values:
        raise Http404("action")
    require(policies.can_transition_authorisation(actor, authorisation, action))
    label = AuthorisationAction(action).label
    back = _detail_url(authorisation)
    return _form(
        request,
        forms.ReasonForm(posted(request)),
        lambda data: services.authorisation_transition(
            actor=actor, authorisation=authorisation, action=action, reason=data["reason"]
        ),
        title=f"{label}: {authorisation.reference}",
        back=back,
        then=back,
        message=f"Done: {label.lower()}.",
        button=label,
    )


def _commission_form(
    request: HttpRequest, authorisation_id: Any, *, allowed: Any, form_class: Any, record: Any, title: str, **texts: Any
) -> HttpResponse:
    """A commission member's form on an authorisation (advice, vote): look-up, policy, the service."""
    actor = actor_of(request)
    authorisation = found_or_404(selectors.authorisation_get, actor=actor, authorisation_id=authorisation_id)
    require(allowed(actor, authorisation))
    back = _detail_url(authorisation)
    return _form(
        request,
        form_class(posted(request)),
        lambda data: record(actor=actor, authorisation=authorisation, **data),
        title=f"{title} {authorisation.reference}",
        back=back,
        then=back,
        **texts,
    )


@login_required
def authorisation_advise(request: HttpRequest, authorisation_id: Any) -> HttpResponse:
    return _commission_form(
        request,
        authorisation_id,
        allowed=policies.can_give_advice,
        form_class=forms.AdviceForm,
        record=services.authorisation_advise,
        title="Advice on",
        message="Your department's advice is recorded.",
        button="Give the advice",
    )


@login_required
def authorisation_vote(request: HttpRequest, authorisation_id: Any) -> HttpResponse:
    return _commission_form(
        request,
        authorisation_id,
        allowed=policies.can_vote,
        form_class=forms.VoteForm,
        record=services.authorisation_vote,
        title="Vote on",
        message="Your vote is recorded.",
        button="Vote",
    )


@login_required
def authorisation_decide(request: HttpRequest, authorisation_id: Any) -> HttpResponse:
    actor = actor_of(request)
    authorisation = found_or_404(selectors.authorisation_get, actor=actor, authorisation_id=authorisation_id)
    require(policies.can_decide_authorisation(actor))
    back = _detail_url(authorisation)
    form = forms.DecisionForm(posted(request), initial={"valid_until": authorisation.requested_until})
    return _form(
        request,
        form,
        lambda data: services.authorisation_decide(actor=actor, authorisation=authorisation, **data),
        title=f"The commission's decision on {authorisation.reference}",
        back=back,
        then=back,
        message="The decision is recorded.",
        button="Record the decision",
        context={"tally": selectors.authorisation_tally(authorisation)},
    )


@login_required
@require_POST
def authorisation_renew(request: HttpRequest, authorisation_id: Any) -> HttpResponse:
    actor = actor_of(request)
    authorisation = found_or_404(selectors.authorisation_get, actor=actor, authorisation_id=authorisation_id)
    return post_action(
        request,
        lambda: services.authorisation_renew(actor=actor, authorisation=authorisation),
        then=_detail_url,
        back=_detail_url(authorisation),
        message="The renewal is started as a draft with the same scope.",
    )


@login_required
@require_POST
def authorisation_suspend_licences(request: HttpRequest, authorisation_id: Any) -> HttpResponse:
    actor = actor_of(request)
    authorisation = found_or_404(selectors.authorisation_get, actor=actor, authorisation_id=authorisation_id)
    return post_action(
        request,
        lambda: services.authorisation_suspend_licences(actor=actor, authorisation=authorisation),
        then=_detail_url(authorisation),
        message=lambda bulk: f"{bulk.licences.count()} licence(s) suspended.",
    )


@login_required
@require_GET
def document_download(request: HttpRequest, document_id: Any) -> FileResponse:
    actor = actor_of(request)
    document = found_or_404(selectors.authorisation_document_get, actor=actor, document_id=document_id)
    return stored_download(
        document.storage_name, filename=document.original_filename, content_type=document.content_type
    )


# ------------------------------------------------------------------------------------------------------ the register


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    rows = found_or_404(selectors.register_list, actor=actor)
    return render(
        request,
        "regime/register.html",
        {"rows": rows, "published": selectors.register_published(), "can_publish": policies.can_manage_regime(actor)},
    )


@login_required
@require_POST
def register_publish(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    return post_action(
        request,
        lambda: services.register_publish(actor=actor),
        then=reverse("regime:register"),
        message=lambda publication: f"The register is published ({len(publication.entries)} exporters).",
    )


@require_GET
def register_public(request: HttpRequest) -> HttpResponse:
    """The published register, without login: names and scope only."""
    return render(request, "regime/register_public.html", {"published": selectors.register_published()})


# ------------------------------------------------------------------------------------------------------- the policy


@login_required
@require_GET
def policy(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    versions = found_or_404(selectors.policy_versions, actor=actor)
    current = selectors.policy_in_force(timezone.localdate())
    return render(
        request,
        "regime/policy.html",
        {"versions": versions, "current": current, "can_manage": policies.can_manage_regime(actor)},
    )


@login_required
@require_GET
def policy_version(request: HttpRequest, number: int) -> HttpResponse:
    actor = actor_of(request)
    version = found_or_404(selectors.policy_version_get, actor=actor, number=number)
    return render(
        request,
        "regime/policy_version.html",
        {
            "version": version,
            "destinations": version.destinations.select_related("country", "group"),
            "rules": version.category_rules.all(),
            "tiers": PolicyTier.choices,
            "recheck": version.recheck or {},
            "can_manage": policies.can_manage_regime(actor),
            "in_force": version.in_force_from <= timezone.localdate(),
        },
    )


def _version_url(version: Any) -> str:
    return reverse("regime:policy_version", kwargs={"number": version.number})


@login_required
def policy_change(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require(policies.can_manage_regime(actor))
    form = forms.PolicyChangeForm(posted(request), initial={"in_force_from": timezone.localdate()})
    return _form(
        request,
        form,
        lambda _data: services.policy_publish(actor=actor, **form.service_arguments()),
        title="Change the destination policy",
        back=reverse("regime:policy"),
        then=_version_url,
        message=lambda version: f"Version {version.number} is published.",
        button="Publish the new version",
    )


@login_required
@require_POST
def policy_recheck(request: HttpRequest, number: int) -> HttpResponse:
    actor = actor_of(request)
    version = found_or_404(selectors.policy_version_get, actor=actor, number=number)
    return post_action(
        request,
        lambda: services.policy_recheck(actor=actor, version=version),
        then=_version_url(version),
        message="The open cases are checked again.",
    )


@login_required
@require_POST
def policy_suspend_licences(request: HttpRequest, number: int) -> HttpResponse:
    actor = actor_of(request)
    version = found_or_404(selectors.policy_version_get, actor=actor, number=number)
    return post_action(
        request,
        lambda: services.policy_suspend_licences(actor=actor, version=version),
        then=_version_url(version),
        message=lambda bulks: f"{sum(bulk.licences.count() for bulk in bulks)} licence(s) suspended.",
    )


# ---------------------------------------------------------------------------------------------------------- quotas


def quota_chart(usages: list[selectors.QuotaUsage]) -> dict[str, Any]:
    """Use against each quota in per cent of its cap, in the shape static/excon/report-chart.js draws."""
    return {
        "type": "bar",
        "labels": [f"{usage.quota.category} → {usage.quota.destination_label}" for usage in usages],
        "series": [{"label": "Used (% of the cap)", "data": [usage.percent_used for usage in usages]}],
    }


@login_required
@require_GET
def quotas(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    shown_or_404(policies.can_view_quotas(actor))
    form = forms.YearForm({"year": request.GET.get("year") or timezone.localdate().year})
    year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
    usages = selectors.quota_dashboard(actor=actor, year=year)
    return render(
        request,
        "regime/quotas.html",
        {
            "form": form,
            "year": year,
            "usages": usages,
            "chart": quota_chart(usages) if usages else None,
            "bases": dict(QuotaBasis.choices),
            "can_manage": policies.can_manage_regime(actor),
        },
    )


@login_required
def quota_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require(policies.can_manage_regime(actor))
    form = forms.QuotaForm(posted(request), initial={"year": timezone.localdate().year, "currency": "EUR"})
    return _form(
        request,
        form,
        lambda data: services.quota_set(actor=actor, **data),
        title="Set a quota",
        back=reverse("regime:quotas"),
        then=reverse("regime:quotas"),
        message="The quota is set.",
    )


@login_required
def quota_change(request: HttpRequest, quota_id: Any) -> HttpResponse:
    actor = actor_of(request)
    quota = found_or_404(selectors.quota_get, actor=actor, quota_id=quota_id)
    require(policies.can_manage_regime(actor))
    form = forms.QuotaChangeForm(
        posted(request),
        initial={
            "cap_quantity": quota.cap_quantity,
            "cap_value": quota.cap_value,
            "mode": quota.mode,
            "active": quota.active,
        },
    )
    return _form(
        request,
        form,
        lambda data: services.quota_change(actor=actor, quota=quota, **data),
        title=f"Change the quota {quota}",
        back=reverse("regime:quotas"),
        then=reverse("regime:quotas"),
        message="The quota is changed.",
    )
