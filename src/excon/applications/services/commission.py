"""The interdepartmental commission: meetings, members and quorum, the agenda, votes, decisions with
countersignature, denials for partner states, and appeals reviewed by officers not involved before."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from excon.accounts.models import User
from excon.accounts.selectors import users_with_roles
from excon.audit.services import audit_record
from excon.core.errors import Conflict, InvalidTransition, NotFound, ValidationError
from excon.core.ids import parse_uuid
from excon.core.refnumbers import next_reference
from excon.core.roles import DepartmentKind, OrganisationKind, Role
from excon.notifications.services import notify

from .. import policies
from ..checks import application_control_entries
from ..decision_registry import run_approval_hooks
from ..enums import (
    AppealOutcome,
    ApplicationAction,
    ApplicationStatus,
    AuditVerb,
    DecisionOutcome,
    DecisionStatus,
    MeetingStatus,
    PartyRole,
    Vote,
)
from ..models import AgendaItem, Appeal, Application, CommissionMeeting, Decision, Denial, MeetingMember, MemberVote
from .common import application_link, deny, locked, require_text, text
from .review import clean_criteria
from .transitions import application_transition

if TYPE_CHECKING:
    pass

# Outcomes that need a senior officer's countersignature before they are final.
COUNTERSIGNED_OUTCOMES = frozenset({DecisionOutcome.REFUSE, DecisionOutcome.PARTIALLY_APPROVE})
# Outcomes that let goods go (the approval hooks of decision_registry run on them).
APPROVING_OUTCOMES = frozenset(
    {DecisionOutcome.APPROVE, DecisionOutcome.APPROVE_WITH_CONDITIONS, DecisionOutcome.PARTIALLY_APPROVE}
)


def _meeting_locked(meeting: CommissionMeeting) -> CommissionMeeting:
    return CommissionMeeting.objects.select_for_update().get(pk=meeting.pk)


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    scheduled_for: dt.datetime,
    quorum_minimum: int = 3,
    quorum_departments: list[str] | None = None,
) -> CommissionMeeting:
    if not policies.can_manage_meeting(actor):
        raise deny("only case officers and senior officers convene the commission")
    if quorum_minimum < 1:
        raise ValidationError("a quorum is at least one member", code="meeting.invalid_quorum")
    departments = sorted(set(quorum_departments or []))
    unknown = [kind for kind in departments if kind not in DepartmentKind.values]
    if unknown:
        raise ValidationError(f"unknown department(s): {', '.join(unknown)}", code="meeting.invalid_quorum")
    meeting = CommissionMeeting.objects.create(
        reference=next_reference("COM"),
        scheduled_for=scheduled_for,
        chair=actor,
        quorum_minimum=quorum_minimum,
        quorum_departments=departments,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.MEETING_CREATED,
        target=meeting,
        payload={"scheduled_for": scheduled_for, "quorum_minimum": quorum_minimum, "quorum_departments": departments},
    )
    return meeting


@transaction.atomic
def meeting_set_members(
    *, actor: User, meeting: CommissionMeeting, member_ids: list[Any], present_ids: list[Any]
) -> list[MeetingMember]:
    """Who sits on this meeting and who is present (taken at the start of the session)."""
    meeting = _meeting_locked(meeting)
    if not policies.can_manage_meeting(actor, meeting):
        raise deny("only case officers and senior officers run the commission's meetings")
    if meeting.status == MeetingStatus.CLOSED:
        raise Conflict("the meeting is closed", code="meeting.closed")
    keys = [parse_uuid(value) for value in member_ids]
    members = list(User.objects.filter(pk__in=[key for key in keys if key], is_active=True))
    if len(members) != len(set(member_ids)):
        raise ValidationError(
            "unknown or inactive member", code="meeting.unknown_member", details={"field": "member_ids"}
        )
    not_members = [str(user) for user in members if not user.has_role(Role.COMMISSION_MEMBER)]
    if not_members:
        raise ValidationError(
            f"not commission members: {', '.join(not_members)}", code="meeting.not_a_commission_member"
        )
    present = {str(parse_uuid(value)) for value in present_ids}
    if not present <= {str(user.pk) for user in members}:
        raise ValidationError("a present member must be a member", code="meeting.unknown_member")
    meeting.members.exclude(user__in=members).delete()
    rows = []
    for user in members:
        row, _ = MeetingMember.objects.update_or_create(
            meeting=meeting, user=user, defaults={"present": str(user.pk) in present}
        )
        rows.append(row)
    audit_record(
        actor=actor,
        verb=AuditVerb.MEETING_MEMBERS_SET,
        target=meeting,
        payload={
            "members": [str(user) for user in members],
            "present": [str(u) for u in members if str(u.pk) in present],
        },
    )
    return rows


def quorum_problems(meeting: CommissionMeeting) -> list[str]:
    present = list(meeting.members.filter(present=True).select_related("user__organisation"))
    problems = []
    if len(present) < meeting.quorum_minimum:
        problems.append(f"{len(present)} of the {meeting.quorum_minimum} members needed are present")
    departments = {
        member.user.organisation.department_kind
        for member in present
        if member.user.organisation.kind == OrganisationKind.DEPARTMENT
    }
    missing = [kind for kind in meeting.quorum_departments if kind not in departments]
    if missing:
        problems.append("no member present from: " + ", ".join(DepartmentKind(kind).label for kind in missing))
    return problems


@transaction.atomic
def agenda_add(*, actor: User, meeting: CommissionMeeting, application: Application) -> AgendaItem:
    meeting = _meeting_locked(meeting)
    application = locked(application)
    if not policies.can_manage_meeting(actor, meeting):
        raise deny("only case officers and senior officers set the agenda")
    if meeting.status == MeetingStatus.CLOSED:
        raise Conflict("the meeting is closed", code="meeting.closed")
    if application.status != ApplicationStatus.READY_FOR_COMMISSION:
        raise Conflict(
            "only cases ready for the commission (all advice in) go on the agenda", code="agenda.case_not_ready"
        )
    position = (meeting.agenda.aggregate(top=Max("position"))["top"] or 0) + 1
    try:
        with transaction.atomic():
            item = AgendaItem.objects.create(meeting=meeting, application=application, position=position)
    except IntegrityError as exc:
        raise Conflict("the case is already on this agenda", code="agenda.duplicate") from exc
    audit_record(
        actor=actor,
        verb=AuditVerb.MEETING_CASE_ADDED,
        target=meeting,
        payload={"application": application.reference, "position": position},
    )
    return item


@transaction.atomic
def meeting_open(*, actor: User, meeting: CommissionMeeting) -> CommissionMeeting:
    meeting = _meeting_locked(meeting)
    if not policies.can_manage_meeting(actor, meeting):
        raise deny("only the commission's officers open a session")
    if meeting.status != MeetingStatus.PLANNED:
        raise Conflict("the meeting is not planned", code="meeting.invalid_state")
    meeting.status = MeetingStatus.IN_SESSION
    meeting.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, verb=AuditVerb.MEETING_OPENED, target=meeting, payload={})
    return meeting


@transaction.atomic
def vote_cast(*, actor: User, item: AgendaItem, vote: str, comment: str = "") -> MemberVote:
    meeting = _meeting_locked(item.meeting)
    if meeting.status != MeetingStatus.IN_SESSION:
        raise Conflict("votes are cast while the meeting is in session", code="meeting.not_in_session")
    refusal = policies.vote_refusal(actor, meeting)
    if refusal:
        code, message = refusal
        raise deny(message, code=code)
    if vote not in Vote.values:
        raise ValidationError(f"unknown vote {vote!r}", code="vote.invalid", details={"field": "vote"})
    try:
        with transaction.atomic():
            row = MemberVote.objects.create(item=item, member=actor, vote=vote, comment=text(comment))
    except IntegrityError as exc:
        raise Conflict("you have already voted on this case", code="vote.duplicate") from exc
    audit_record(
        actor=actor,
        verb=AuditVerb.VOTE_CAST,
        target=item.application,
        payload={"meeting": meeting.reference, "vote": vote, "comment": text(comment)},
    )
    return row


def vote_tally(item: AgendaItem) -> dict[str, int]:
    tally = dict.fromkeys(Vote.values, 0)
    for vote in item.votes.all():
        tally[vote.vote] += 1
    return tally


def _make_denial(application: Application, criteria: list[int]) -> Denial:
    end_user = application.parties.filter(role=PartyRole.END_USER).first()
    goods = "; ".join(
        f"{line.quantity} × {line.product.designation if line.product else line.description}"
        for line in application.goods_lines.select_related("product")
    )
    assert application.destination is not None  # a decided case passed the completeness check
    return Denial.objects.create(
        application=application,
        reference=next_reference("DEN"),
        destination=application.destination,
        end_user=end_user.name if end_user else "",
        goods=goods,
        control_entries=application_control_entries(application),
        criteria=criteria,
    )


def _finalise(actor: User, decision: Decision) -> None:
    """Apply a final decision to its application (the case becomes decided; refusals create a denial)."""
    application = decision.application
    if decision.outcome == DecisionOutcome.DEFER:
        return
    if decision.outcome in APPROVING_OUTCOMES:
        run_approval_hooks(application, decision)
    application.outcome = decision.outcome
    application.save(update_fields=["outcome", "updated_at"])
    action = ApplicationAction.DECIDE_APPEAL if decision.on_appeal else ApplicationAction.DECIDE
    application_transition(
        actor=actor,
        application=application,
        action=action,
        payload={"outcome": decision.outcome, "criteria": decision.refusal_criteria},
    )
    if decision.outcome in (DecisionOutcome.REFUSE, DecisionOutcome.PARTIALLY_APPROVE) and not decision.on_appeal:
        denial = _make_denial(application, decision.refusal_criteria)
        audit_record(
            actor=actor,
            verb=AuditVerb.DENIAL_RECORDED,
            target=application,
            payload={"denial": denial.reference, "criteria": decision.refusal_criteria},
        )
    notify(
        recipients=application.applicant.users.filter(is_active=True),
        subject=f"{application.reference}: {decision.get_outcome_display().lower()}",
        body=decision.reasons or decision.conditions,
        link=application_link(application),
        event="application.decided",
    )


@transaction.atomic
def decision_record(
    *,
    actor: User,
    item: AgendaItem,
    outcome: str,
    reasons: str = "",
    conditions: str = "",
    refusal_criteria: Any = (),
    approved_lines: list[int] | None = None,
) -> Decision:
    """The commission's decision on one agenda item. Needs a quorum. Refusals and partial approvals wait for a
    senior officer's countersignature; other outcomes are final at once. Deferral keeps the case ready."""
    meeting = _meeting_locked(item.meeting)
    application = locked(item.application)
    if not policies.can_manage_meeting(actor, meeting):
        raise deny("the commission's secretary (a case or senior officer) records decisions")
    if meeting.status != MeetingStatus.IN_SESSION:
        raise Conflict("decisions are taken while the meeting is in session", code="meeting.not_in_session")
    problems = quorum_problems(meeting)
    if problems:
        raise Conflict("no quorum: " + "; ".join(problems), code="decision.no_quorum", details={"problems": problems})
    if application.status != ApplicationStatus.READY_FOR_COMMISSION:
        raise InvalidTransition("the case is not awaiting a decision", code="application.invalid_transition")
    if outcome not in DecisionOutcome.values:
        raise ValidationError(
            f"unknown outcome {outcome!r}", code="decision.invalid_outcome", details={"field": "outcome"}
        )
    criteria = clean_criteria(refusal_criteria)
    reasons = text(reasons)
    conditions = text(conditions)
    all_lines = sorted(application.goods_lines.values_list("line_number", flat=True))
    if outcome in (DecisionOutcome.REFUSE, DecisionOutcome.PARTIALLY_APPROVE) and not criteria:
        raise ValidationError(
            "a refusal cites the criteria it rests on",
            code="decision.criteria_required",
            details={"field": "refusal_criteria"},
        )
    if outcome == DecisionOutcome.APPROVE_WITH_CONDITIONS and not conditions:
        raise ValidationError(
            "state the conditions", code="decision.conditions_required", details={"field": "conditions"}
        )
    if outcome == DecisionOutcome.PARTIALLY_APPROVE:
        approved = sorted(set(approved_lines or []))
        if not approved or not set(approved) < set(all_lines):
            raise ValidationError(
                "a partial approval approves some, not all, of the goods lines",
                code="decision.invalid_lines",
                details={"field": "approved_lines", "lines": all_lines},
            )
    elif outcome in (DecisionOutcome.APPROVE, DecisionOutcome.APPROVE_WITH_CONDITIONS):
        approved = all_lines
    else:
        approved = []
    if application.decisions.filter(status=DecisionStatus.AWAITING_COUNTERSIGNATURE).exists():
        raise Conflict("a decision already awaits countersignature", code="decision.pending_countersignature")
    needs_countersignature = outcome in COUNTERSIGNED_OUTCOMES
    decision = Decision.objects.create(
        application=application,
        agenda_item=item,
        outcome=outcome,
        status=DecisionStatus.AWAITING_COUNTERSIGNATURE if needs_countersignature else DecisionStatus.FINAL,
        conditions=conditions,
        refusal_criteria=criteria,
        reasons=reasons,
        approved_lines=approved,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.DECISION_RECORDED,
        target=application,
        payload={
            "meeting": meeting.reference,
            "outcome": outcome,
            "criteria": criteria,
            "approved_lines": approved,
            "votes": vote_tally(item),
            "awaiting_countersignature": needs_countersignature,
        },
    )
    if not needs_countersignature:
        _finalise(actor, decision)
    return decision


@transaction.atomic
def decision_countersign(*, actor: User, decision: Decision) -> Decision:
    decision = Decision.objects.select_for_update().select_related("application").get(pk=decision.pk)
    locked(decision.application)
    if decision.status != DecisionStatus.AWAITING_COUNTERSIGNATURE:
        raise Conflict("this decision does not await countersignature", code="decision.nothing_to_countersign")
    if not policies.can_countersign_decision(actor, decision):
        raise deny("a senior officer other than the one who recorded it countersigns a decision")
    decision.status = DecisionStatus.FINAL
    decision.countersigned_by = actor
    decision.countersigned_at = timezone.now()
    decision.save(update_fields=["status", "countersigned_by", "countersigned_at", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.DECISION_COUNTERSIGNED,
        target=decision.application,
        payload={"outcome": decision.outcome},
    )
    _finalise(actor, decision)
    return decision


@transaction.atomic
def meeting_close(*, actor: User, meeting: CommissionMeeting) -> CommissionMeeting:
    meeting = _meeting_locked(meeting)
    if not policies.can_manage_meeting(actor, meeting):
        raise deny("only the commission's officers close a session")
    if meeting.status != MeetingStatus.IN_SESSION:
        raise Conflict("the meeting is not in session", code="meeting.invalid_state")
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = timezone.now()
    meeting.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(actor=actor, verb=AuditVerb.MEETING_CLOSED, target=meeting, payload={"cases": meeting.agenda.count()})
    return meeting


# Appeals ----------------------------------------------------------------------------------------------------


def appeal_deadline(application: Application) -> dt.date | None:
    if application.decided_at is None:
        return None
    return timezone.localdate(application.decided_at) + dt.timedelta(days=settings.EXCON_APPEAL_WINDOW_DAYS)


@transaction.atomic
def appeal_lodge(*, actor: User, application: Application, grounds: str) -> Appeal:
    application = locked(application)
    grounds = require_text(grounds, field="grounds", code="appeal.grounds_required", message="state the grounds")
    if application.outcome not in (DecisionOutcome.REFUSE, DecisionOutcome.PARTIALLY_APPROVE):
        raise Conflict("only a refusal or a partial approval can be appealed", code="appeal.not_appealable")
    deadline = appeal_deadline(application)
    if deadline is not None and timezone.localdate() > deadline:
        raise Conflict(f"the appeal window closed on {deadline:%d %B %Y}", code="appeal.window_closed")
    if Appeal.objects.filter(application=application).exists():
        raise Conflict("this decision was already appealed", code="appeal.duplicate")
    application_transition(actor=actor, application=application, action=ApplicationAction.APPEAL, comment=grounds)
    appeal = Appeal.objects.create(application=application, lodged_by=actor, grounds=grounds)
    seniors = users_with_roles([Role.SENIOR_OFFICER], organisation_kind=OrganisationKind.AUTHORITY)
    notify(
        recipients=[user for user in seniors if not policies.is_involved(user, application)],
        subject=f"{application.reference}: appeal lodged",
        body=grounds,
        link=application_link(application),
        event="appeal.lodged",
    )
    return appeal


@transaction.atomic
def appeal_decide(
    *, actor: User, application: Application, overturn: bool, reasons: str, conditions: str = ""
) -> Appeal:
    """An officer not involved in the first decision upholds the refusal or overturns it (approving the case)."""
    application = locked(application)
    appeal = Appeal.objects.select_for_update().filter(application=application).first()
    if appeal is None or appeal.outcome != AppealOutcome.PENDING:
        raise NotFound("pending appeal")
    if not policies.can_transition_application(actor, application, ApplicationAction.DECIDE_APPEAL):
        raise deny(
            "an appeal is decided by a senior officer who was not involved in the first decision",
            code="appeal.reviewer_involved",
        )
    reasons = require_text(reasons, field="reasons", code="appeal.reasons_required", message="give the reasons")
    first = application.decisions.filter(status=DecisionStatus.FINAL, on_appeal=False).first()
    outcome = (
        (DecisionOutcome.APPROVE_WITH_CONDITIONS if text(conditions) else DecisionOutcome.APPROVE)
        if overturn
        else (first.outcome if first else DecisionOutcome.REFUSE)
    )
    decision = Decision.objects.create(
        application=application,
        outcome=outcome,
        status=DecisionStatus.FINAL,
        conditions=text(conditions),
        refusal_criteria=[] if overturn else (first.refusal_criteria if first else []),
        reasons=reasons,
        approved_lines=sorted(application.goods_lines.values_list("line_number", flat=True))
        if overturn
        else (first.approved_lines if first else []),
        recorded_by=actor,
        on_appeal=True,
    )
    appeal.reviewer = actor
    appeal.outcome = AppealOutcome.OVERTURNED if overturn else AppealOutcome.UPHELD
    appeal.reasons = reasons
    appeal.decided_at = timezone.now()
    appeal.save()
    if overturn:
        Denial.objects.filter(application=application, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_record(
        actor=actor,
        verb=AuditVerb.APPEAL_DECIDED,
        target=application,
        payload={"outcome": appeal.outcome, "reasons": reasons, "decision_outcome": outcome},
    )
    _finalise(actor, decision)
    return appeal
