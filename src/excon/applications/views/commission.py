"""The commission's pages: meetings, members and attendance, the agenda, the session with votes and decisions,
countersignature, the minutes as a PDF, and appeals."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from excon.core.pages import form_page, post_action, shown_or_404

from .. import forms, policies, selectors, services
from ..enums import ApplicationAction, ApplicationStatus, DecisionStatus, MeetingStatus
from ..minutes import meeting_minutes_pdf
from ..models import AgendaItem, CommissionMeeting
from ..services.commission import quorum_problems, vote_tally
from .common import actor_of, application_or_404, item_or_404, meeting_or_404, paginate, posted, require
from .exporter import _case_page, criteria_named


def _meeting_page(meeting: CommissionMeeting) -> str:
    return reverse("applications:meeting", kwargs={"meeting_id": meeting.pk})


def _item_link(item: AgendaItem) -> str:
    return reverse("applications:agenda_item", kwargs={"item_id": item.pk})


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    shown_or_404(policies.can_view_meetings(actor), "meetings")
    page, query = paginate(request, selectors.meeting_list(actor=actor))
    context = {"page": page, "query": query, "can_manage": policies.can_manage_meeting(actor)}
    return render(request, "applications/meeting_list.html", context)


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require(policies.can_manage_meeting(actor))
    return form_page(
        request,
        forms.MeetingForm(posted(request), initial={"quorum_minimum": 3}),
        lambda data: services.meeting_create(actor=actor, **data),
        message=lambda meeting: f"Meeting {meeting.reference} is planned.",
        then=_meeting_page,
        template="applications/meeting_form.html",
    )


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
    return form_page(
        request,
        forms.MembersForm(posted(request), candidates=selectors.commission_members()),
        lambda data: services.meeting_set_members(
            actor=actor, meeting=meeting, member_ids=data["members"], present_ids=data["present"]
        ),
        message="The members and their attendance are saved.",
        then=_meeting_page(meeting),
        template="applications/meeting_members.html",
        context={"meeting": meeting},
        field_map={"member_ids": "members"},
    )


@login_required
@require_POST
def agenda_add(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    actor = actor_of(request)
    meeting = meeting_or_404(actor, meeting_id)
    require(policies.can_manage_meeting(actor, meeting))
    application = application_or_404(actor, request.POST.get("application") or "")
    return post_action(
        request,
        lambda: services.agenda_add(actor=actor, meeting=meeting, application=application),
        message=f"{application.reference} is on the agenda.",
        then=_meeting_page(meeting),
    )


@login_required
@require_POST
def meeting_open(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    actor = actor_of(request)
    meeting = meeting_or_404(actor, meeting_id)
    require(policies.can_manage_meeting(actor, meeting))
    return post_action(
        request,
        lambda: services.meeting_open(actor=actor, meeting=meeting),
        message="The session is open.",
        then=_meeting_page(meeting),
    )


@login_required
@require_POST
def meeting_close(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    actor = actor_of(request)
    meeting = meeting_or_404(actor, meeting_id)
    require(policies.can_manage_meeting(actor, meeting))
    return post_action(
        request,
        lambda: services.meeting_close(actor=actor, meeting=meeting),
        message="The meeting is closed.",
        then=_meeting_page(meeting),
    )


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
    refusal = policies.vote_refusal(actor, meeting)
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
        "can_vote": in_session and voted is None and refusal is None,
        # a commission member who may not vote is told why, instead of finding no form
        "vote_refused": refusal[1] if refusal and in_session and refusal[0] != "vote.not_commission_member" else "",
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
    return form_page(
        request,
        forms.VoteForm(request.POST),
        lambda data: services.vote_cast(actor=actor, item=item, vote=data["vote"], comment=data["comment"]),
        message="Your vote is recorded.",
        then=_item_link(item),
        template=lambda form: _item_page(request, item, vote_form=form),
    )


@login_required
@require_POST
def decision_record(request: HttpRequest, item_id: Any) -> HttpResponse:
    actor = actor_of(request)
    item = item_or_404(actor, item_id)
    require(policies.can_manage_meeting(actor, item.meeting))
    lines = list(item.application.goods_lines.select_related("product"))

    def record(data: dict[str, Any]) -> Any:
        return services.decision_record(
            actor=actor,
            item=item,
            outcome=data["outcome"],
            reasons=data["reasons"],
            conditions=data["conditions"],
            refusal_criteria=forms.criteria_list(data["refusal_criteria"]),
            approved_lines=[int(n) for n in data["approved_lines"]],
        )

    def recorded(decision: Any) -> str:
        pending = decision.status == DecisionStatus.AWAITING_COUNTERSIGNATURE
        done = "awaits a senior officer's countersignature" if pending else "is final"
        return f"The decision ({decision.get_outcome_display()}) is recorded and {done}."

    return form_page(
        request,
        forms.DecisionForm(request.POST, lines=lines),
        record,
        message=recorded,
        then=_item_link(item),
        template=lambda form: _item_page(request, item, decision_form=form),
    )


@login_required
@require_POST
def decision_countersign(request: HttpRequest, item_id: Any) -> HttpResponse:
    actor = actor_of(request)
    item = item_or_404(actor, item_id)
    decision = selectors.pending_decision(item.application)
    if decision is None:
        raise Http404("decision")
    require(policies.can_countersign_decision(actor, decision))
    return post_action(
        request,
        lambda: services.decision_countersign(actor=actor, decision=decision),
        message="The decision is countersigned and final.",
        then=_item_link(item),
    )


# Appeals ---------------------------------------------------------------------------------------------------------


@login_required
def appeal_decide(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.can_transition_application(actor, application, ApplicationAction.DECIDE_APPEAL))
    appeal = getattr(application, "appeal", None)
    if appeal is None:
        raise Http404("appeal")
    first = [
        {"decision": d, "criteria": criteria_named(d.refusal_criteria)}
        for d in selectors.final_decisions(application, on_appeal=False)
    ]
    return form_page(
        request,
        forms.AppealDecisionForm(posted(request)),
        lambda data: services.appeal_decide(
            actor=actor,
            application=application,
            overturn=data["decision"] == "overturn",
            reasons=data["reasons"],
            conditions=data["conditions"],
        ),
        message="The appeal is decided.",
        then=_case_page(application),
        template="applications/appeal_decide.html",
        context={"application": application, "appeal": appeal, "first": first},
    )
