"""The commission's pages: meetings, members and attendance, the agenda, the session with votes and decisions,
countersignature, the minutes as a PDF, and appeals."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from excon.core.errors import DomainError

from .. import forms, policies, selectors, services
from ..enums import ApplicationAction, ApplicationStatus, DecisionStatus, MeetingStatus
from ..minutes import meeting_minutes_pdf
from ..models import AgendaItem, CommissionMeeting
from ..services.commission import quorum_problems, vote_tally
from .common import actor_of, application_or_404, item_or_404, meeting_or_404, paginate, posted, require
from .exporter import criteria_named


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not policies.can_view_meetings(actor):
        raise Http404("meetings")
    page, query = paginate(request, selectors.meeting_list(actor=actor))
    context = {"page": page, "query": query, "can_manage": policies.can_manage_meeting(actor)}
    return render(request, "applications/meeting_list.html", context)


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require(policies.can_manage_meeting(actor))
    form = forms.MeetingForm(posted(request), initial={"quorum_minimum": 3})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=actor, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"Meeting {meeting.reference} is planned.")
            return redirect("applications:meeting", meeting_id=meeting.pk)
    return render(request, "applications/meeting_form.html", {"form": form})


def _item_rows(meeting: CommissionMeeting) -> list[dict[str, Any]]:
    items = meeting.agenda.select_related("application__destination").prefetch_related("votes")
    return [
        {
            "item": item,
            "tally": vote_tally(item),
            "consolidated": services.consolidated_advice(item.application),
            "decisions": list(selectors.decisions(item.application).filter(agenda_item=item)),
        }
        for item in items
    ]


@login_required
@require_GET
def meeting_detail(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    actor = actor_of(request)
    meeting = meeting_or_404(actor, meeting_id)
    manage = policies.can_manage_meeting(actor, meeting) and meeting.status != MeetingStatus.CLOSED
    members = list(meeting.members.select_related("user__organisation").order_by("user__last_name"))
    context: dict[str, Any] = {
        "meeting": meeting,
        "members": members,
        "items": _item_rows(meeting),
        "quorum_problems": quorum_problems(meeting),
        "manage": manage,
    }
    if manage:
        context["members_form"] = forms.MembersForm(
            initial={
                "members": [str(m.user_id) for m in members],
                "present": [str(m.user_id) for m in members if m.present],
            },
            candidates=selectors.commission_members(),
        )
        ready = selectors.application_list(actor=actor, status=ApplicationStatus.READY_FOR_COMMISSION).exclude(
            agenda_items__meeting=meeting
        )
        context["agenda_form"] = forms.AgendaForm(cases=ready)
    return render(request, "applications/meeting.html", context)


@login_required
def meeting_members(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    actor = actor_of(request)
    meeting = meeting_or_404(actor, meeting_id)
    require(policies.can_manage_meeting(actor, meeting))
    form = forms.MembersForm(posted(request), candidates=selectors.commission_members())
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_set_members(
                actor=actor,
                meeting=meeting,
                member_ids=form.cleaned_data["members"],
                present_ids=form.cleaned_data["present"],
            )
        except DomainError as exc:
            form.add_domain_error(exc, field_map={"member_ids": "members"})
        else:
            messages.success(request, "The members and their attendance are saved.")
            return redirect("applications:meeting", meeting_id=meeting.pk)
    return render(request, "applications/meeting_members.html", {"form": form, "meeting": meeting})


@login_required
@require_POST
def agenda_add(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    actor = actor_of(request)
    meeting = meeting_or_404(actor, meeting_id)
    require(policies.can_manage_meeting(actor, meeting))
    application = application_or_404(actor, request.POST.get("application") or "")
    try:
        services.agenda_add(actor=actor, meeting=meeting, application=application)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{application.reference} is on the agenda.")
    return redirect("applications:meeting", meeting_id=meeting.pk)


@login_required
@require_POST
def meeting_open(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    actor = actor_of(request)
    meeting = meeting_or_404(actor, meeting_id)
    require(policies.can_manage_meeting(actor, meeting))
    try:
        services.meeting_open(actor=actor, meeting=meeting)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The session is open.")
    return redirect("applications:meeting", meeting_id=meeting.pk)


@login_required
@require_POST
def meeting_close(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    actor = actor_of(request)
    meeting = meeting_or_404(actor, meeting_id)
    require(policies.can_manage_meeting(actor, meeting))
    try:
        services.meeting_close(actor=actor, meeting=meeting)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The meeting is closed.")
    return redirect("applications:meeting", meeting_id=meeting.pk)


@login_required
@require_GET
def meeting_minutes(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    actor = actor_of(request)
    meeting = meeting_or_404(actor, meeting_id)
    response = HttpResponse(meeting_minutes_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# One agenda item: votes and the decision ------------------------------------------------------------------------


def _item_page(
    request: HttpRequest, item: AgendaItem, *, vote_form: Any = None, decision_form: Any = None
) -> HttpResponse:
    actor = actor_of(request)
    meeting = item.meeting
    application = item.application
    lines = list(application.goods_lines.select_related("product"))
    in_session = meeting.status == MeetingStatus.IN_SESSION
    voted = item.votes.filter(member=actor).first()
    decisions: list[dict[str, Any]] = [
        {
            "decision": d,
            "criteria": criteria_named(d.refusal_criteria),
            "can_countersign": d.status == DecisionStatus.AWAITING_COUNTERSIGNATURE
            and policies.can_countersign_decision(actor, d),
        }
        for d in selectors.decisions(application)
    ]
    manage = policies.can_manage_meeting(actor, meeting)
    pending = any(row["decision"].status == DecisionStatus.AWAITING_COUNTERSIGNATURE for row in decisions)
    context = {
        "item": item,
        "meeting": meeting,
        "application": application,
        "lines": lines,
        "consolidated": services.consolidated_advice(application),
        "tally": vote_tally(item),
        "votes": list(item.votes.select_related("member__organisation")) if manage else [],
        "my_vote": voted,
        "can_vote": in_session and voted is None and policies.can_vote(actor, meeting),
        "vote_form": vote_form or forms.VoteForm(),
        "can_decide": in_session
        and manage
        and application.status == ApplicationStatus.READY_FOR_COMMISSION
        and not pending,
        "decision_form": decision_form or forms.DecisionForm(lines=lines),
        "decisions": decisions,
        "quorum_problems": quorum_problems(meeting),
    }
    return render(request, "applications/agenda_item.html", context)


@login_required
@require_GET
def agenda_item(request: HttpRequest, item_id: Any) -> HttpResponse:
    item = item_or_404(actor_of(request), item_id)
    return _item_page(request, item)


@login_required
@require_POST
def vote_cast(request: HttpRequest, item_id: Any) -> HttpResponse:
    actor = actor_of(request)
    item = item_or_404(actor, item_id)
    form = forms.VoteForm(request.POST)
    if form.is_valid():
        try:
            services.vote_cast(
                actor=actor, item=item, vote=form.cleaned_data["vote"], comment=form.cleaned_data["comment"]
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Your vote is recorded.")
            return redirect("applications:agenda_item", item_id=item.pk)
    return _item_page(request, item, vote_form=form)


@login_required
@require_POST
def decision_record(request: HttpRequest, item_id: Any) -> HttpResponse:
    actor = actor_of(request)
    item = item_or_404(actor, item_id)
    require(policies.can_manage_meeting(actor, item.meeting))
    lines = list(item.application.goods_lines.select_related("product"))
    form = forms.DecisionForm(request.POST, lines=lines)
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.decision_record(
                actor=actor,
                item=item,
                outcome=data["outcome"],
                reasons=data["reasons"],
                conditions=data["conditions"],
                refusal_criteria=forms.criteria_list(data["refusal_criteria"]),
                approved_lines=[int(n) for n in data["approved_lines"]],
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            done = (
                "awaits a senior officer's countersignature"
                if decision.status == DecisionStatus.AWAITING_COUNTERSIGNATURE
                else "is final"
            )
            messages.success(request, f"The decision ({decision.get_outcome_display()}) is recorded and {done}.")
            return redirect("applications:agenda_item", item_id=item.pk)
    return _item_page(request, item, decision_form=form)


@login_required
@require_POST
def decision_countersign(request: HttpRequest, item_id: Any) -> HttpResponse:
    actor = actor_of(request)
    item = item_or_404(actor, item_id)
    decision = selectors.decisions(item.application).filter(status=DecisionStatus.AWAITING_COUNTERSIGNATURE).first()
    if decision is None:
        raise Http404("decision")
    require(policies.can_countersign_decision(actor, decision))
    try:
        services.decision_countersign(actor=actor, decision=decision)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The decision is countersigned and final.")
    return redirect("applications:agenda_item", item_id=item.pk)


# Appeals ---------------------------------------------------------------------------------------------------------


@login_required
def appeal_decide(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.can_transition_application(actor, application, ApplicationAction.DECIDE_APPEAL))
    appeal = getattr(application, "appeal", None)
    if appeal is None:
        raise Http404("appeal")
    form = forms.AppealDecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_decide(
                actor=actor,
                application=application,
                overturn=form.cleaned_data["decision"] == "overturn",
                reasons=form.cleaned_data["reasons"],
                conditions=form.cleaned_data["conditions"],
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "The appeal is decided.")
            return redirect("applications:detail", application_id=application.pk)
    first = [
        {"decision": d, "criteria": criteria_named(d.refusal_criteria)}
        for d in selectors.decisions(application)
        if not d.on_appeal and d.status == DecisionStatus.FINAL
    ]
    context = {"form": form, "application": application, "appeal": appeal, "first": first}
    return render(request, "applications/appeal_decide.html", context)
