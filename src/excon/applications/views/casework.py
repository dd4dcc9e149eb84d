"""The authority's casework: the work queue with filters and saved filters, the case page (particulars, checks,
referrals and advice, consolidated advice, readiness, the timeline) and the case officer's actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from excon.accounts.models import User
from excon.audit.policies import can_view_audit_log
from excon.audit.views import history_rows
from excon.core.errors import DomainError
from excon.core.pages import post_action, shown_or_404

from .. import forms, policies, selectors, services
from ..enums import (
    EU_CRITERIA,
    AdviceType,
    ApplicationAction,
    ApplicationStatus,
    ConsolidatedAdvice,
    ReferralStatus,
    RiskLevel,
)
from ..models import Application
from .common import actor_of, application_or_404, paginate, posted, render_list, require
from .exporter import _case_page, _particulars, criteria_named, one_form_page
from .exporter import _exporter_page as exporter_page

QUEUE_PARAMS = ("search", "status", "destination", "control_entry", "min_value", "flag")


def _queue_reader(actor: User) -> None:
    shown_or_404(policies.can_view_work_queue(actor), "work queue")


@login_required
@require_GET
def work_queue(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    _queue_reader(actor)
    filters = forms.QueueFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    applications = selectors.work_queue(
        actor=actor,
        status=data.get("status") or "",
        destination=(data.get("destination") or "").strip(),
        control_entry=(data.get("control_entry") or "").strip(),
        min_value=data.get("min_value"),
        flag=data.get("flag") or "",
        search=(data.get("search") or "").strip(),
    )
    page, query = paginate(request, applications)
    cases = list(page.object_list)
    rows = [
        {"application": app, "clock": clock} for app, clock in zip(cases, selectors.case_clocks(cases), strict=True)
    ]
    context = {
        "filters": filters,
        "page": page,
        "rows": rows,
        "query": query,
        "saved": list(selectors.saved_filters(actor=actor)),
        "save_form": forms.SavedFilterForm(),
    }
    return render_list(request, "applications/queue.html", "applications/_queue_results.html", context)


@login_required
@require_POST
def saved_filter_save(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    _queue_reader(actor)
    form = forms.SavedFilterForm(request.POST)
    params = {key: request.POST.get(key, "") for key in QUEUE_PARAMS}
    query = "&".join(f"{key}={value}" for key, value in params.items() if value)
    back = reverse("applications:queue") + (f"?{query}" if query else "")
    if not form.is_valid():
        messages.error(request, "Name the filter to save it.")
        return redirect(back)
    name = form.cleaned_data["name"]
    return post_action(
        request,
        lambda: services.saved_filter_save(actor=actor, name=name, params=params),
        message=f"The filter “{name}” is saved.",
        then=back,
    )


@login_required
@require_POST
def saved_filter_delete(request: HttpRequest, filter_id: Any) -> HttpResponse:
    actor = actor_of(request)
    try:
        services.saved_filter_delete(actor=actor, filter_id=filter_id)
    except DomainError as exc:
        raise Http404("saved filter") from exc
    messages.success(request, "The saved filter is deleted.")
    return redirect("applications:queue")


# The case page -------------------------------------------------------------------------------------------------


def _referral_rows(actor: User, application: Application) -> list[dict[str, Any]]:
    rows = []
    for referral in selectors.referrals_for(actor=actor, application=application):
        advice = list(referral.advice.all())
        rows.append(
            {
                "referral": referral,
                "advice": [{"advice": item, "criteria": criteria_named(item.refusal_criteria)} for item in advice],
                "can_advise": policies.can_give_advice(actor, referral),
                "can_countersign": referral.status == ReferralStatus.AWAITING_COUNTERSIGNATURE
                and bool(advice)
                and all(policies.can_countersign_advice(actor, item) for item in advice),
            }
        )
    return rows


def _runs(application: Application) -> list[Any]:
    return list(application.check_runs.prefetch_related("results").order_by("-run_number"))


def case_page(request: HttpRequest, application: Application) -> HttpResponse:
    """The government's view of a case. Departments see only their own referral and advice."""
    actor = actor_of(request)
    authority = policies.in_authority(actor)
    officer = policies.is_case_officer(actor)
    runs = _runs(application)
    consolidated = services.consolidated_advice(application) if authority else None
    entries = selectors.case_history(actor=actor, application=application)
    status = application.status
    problems = services.readiness_problems(application) if authority and status == "under_review" else []
    decisions = [
        {"decision": d, "criteria": criteria_named(d.refusal_criteria), "can_countersign": False}
        for d in selectors.decisions(application)
    ]
    context: dict[str, Any] = {
        "application": application,
        **_particulars(application),
        "latest_run": runs[0] if runs else None,
        "earlier_runs": runs[1:],
        "referrals": _referral_rows(actor, application),
        "authority": authority,
        "consolidated": consolidated,
        "conflicting": consolidated == ConsolidatedAdvice.CONFLICTING,
        "problems": problems,
        "next_action": selectors.case_next_action(actor=actor, application=application, problems=problems),
        "can_refer": officer and policies.can_refer_by_hand(actor, application),
        "notes": list(selectors.case_notes(actor=actor, application=application))
        if policies.can_read_case_notes(actor, application)
        else None,
        "can_note": policies.can_write_case_notes(actor, application),
        "note_form": forms.CaseNoteForm(),
        "requests": list(selectors.information_requests(application)),
        "decisions": decisions,
        "clock": selectors.case_clock(application),
        "officer": officer,
        "can_assign": officer and policies.can_assign_case(actor),
        "can_request": officer
        and policies.can_transition_application(actor, application, ApplicationAction.REQUEST_INFORMATION)
        and status in (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.CHECKS_FAILED),
        "can_recheck": officer and status in (ApplicationStatus.CHECKS_FAILED, ApplicationStatus.UNDER_REVIEW),
        "can_mark_ready": officer and status == ApplicationStatus.UNDER_REVIEW,
        "can_send_back": officer
        and status == ApplicationStatus.READY_FOR_COMMISSION
        and policies.can_transition_application(actor, application, ApplicationAction.SEND_BACK),
        "can_resolve": consolidated == ConsolidatedAdvice.CONFLICTING
        and policies.can_resolve_conflict(actor, application),
        "resolve_form": forms.ResolutionForm(),
        "can_decide_appeal": status == ApplicationStatus.APPEALED
        and policies.can_transition_application(actor, application, ApplicationAction.DECIDE_APPEAL),
        "assign_form": forms.AssignForm(officers=selectors.case_officers()) if officer else None,
        "criteria_names": EU_CRITERIA,
        "risk_levels": dict(RiskLevel.choices),
        "refuse": AdviceType.REFUSE,
        "history": history_rows(entries),
        "audit_log": can_view_audit_log(actor),
    }
    return render(request, "applications/case.html", context)


# The case officer's actions -------------------------------------------------------------------------------------


def _officer_case(request: HttpRequest, application_id: Any) -> tuple[User, Application]:
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.is_case_officer(actor))
    return actor, application


@login_required
@require_POST
def application_assign(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor, application = _officer_case(request, application_id)
    target = request.POST.get("officer") or ""
    officer = actor if target in ("", "me") else selectors.case_officer_get(target)
    if officer is None:
        messages.error(request, "Choose a case officer.")
        return redirect(_case_page(application))
    return post_action(
        request,
        lambda: services.application_assign(actor=actor, application=application, officer=officer),
        message=f"{application.reference} is assigned to {officer}.",
        then=_case_page(application),
    )


@login_required
def information_request(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor, application = _officer_case(request, application_id)
    return one_form_page(
        request,
        application,
        forms.QuestionForm(posted(request)),
        lambda data: services.information_request(actor=actor, application=application, question=data["question"]),
        heading="Request information",
        message="The exporter is asked; the clock stops until they answer.",
        button="Send",
    )


@login_required
@require_POST
def application_recheck(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor, application = _officer_case(request, application_id)
    return post_action(
        request,
        lambda: services.application_recheck(actor=actor, application=application),
        message=lambda run: f"Checks run #{run.run_number}: {'passed' if run.passed else 'a check failed'}.",
        then=_case_page(application),
    )


@login_required
@require_POST
def application_mark_ready(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor, application = _officer_case(request, application_id)
    return post_action(
        request,
        lambda: services.application_mark_ready(actor=actor, application=application),
        message=f"{application.reference} is ready for the commission.",
        then=_case_page(application),
    )


@login_required
@require_POST
def application_send_back(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor, application = _officer_case(request, application_id)
    comment = request.POST.get("comment", "")
    return post_action(
        request,
        lambda: services.application_transition(
            actor=actor, application=application, action=ApplicationAction.SEND_BACK, comment=comment
        ),
        message=f"{application.reference} is back under review.",
        then=_case_page(application),
    )


@login_required
def referral_by_hand(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor, application = _officer_case(request, application_id)
    require(policies.can_refer_by_hand(actor, application))
    return one_form_page(
        request,
        application,
        forms.ReferralForm(posted(request), departments=selectors.referral_departments()),
        lambda data: services.referral_by_hand(
            actor=actor,
            application=application,
            department_id=data["department"],
            reason=data["reason"],
            due_working_days=data["due_working_days"],
            requires_countersignature=data["requires_countersignature"],
        ),
        heading="Refer the case to a department",
        message=lambda referral: f"{referral.department.name} is asked to advise by {referral.due_date:%d %B %Y}.",
        button="Refer",
        field_map={"department_id": "department"},
    )


@login_required
def case_note_add(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor, application = _officer_case(request, application_id)
    return one_form_page(
        request,
        application,
        forms.CaseNoteForm(posted(request)),
        lambda data: services.case_note_add(actor=actor, application=application, text=data["text"]),
        heading="Add an internal note",
        message="The note is added. The exporter does not see it.",
        button="Add the note",
    )


@login_required
def conflict_resolve(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor, application = _officer_case(request, application_id)
    return one_form_page(
        request,
        application,
        forms.ResolutionForm(posted(request)),
        lambda data: services.conflict_resolve(actor=actor, application=application, resolution=data["resolution"]),
        heading="Resolve conflicting advice",
        message="The resolution of the conflicting advice is recorded.",
    )


@login_required
@require_GET
def application_detail(request: HttpRequest, application_id: Any) -> HttpResponse:
    """One address for every reader: the case page for government, the draft or the read-only view for the
    exporter (exporter.py's pages; the case page is here, and this module reads exporter.py, not the reverse)."""
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    if policies.can_view_internal(actor, application):
        return case_page(request, application)
    return exporter_page(request, application)
