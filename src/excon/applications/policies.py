"""Who may do what with licence applications, advice, the commission and appeals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from excon.core.roles import EXPORTER_ROLES, OrganisationKind, Role

from . import workflow
from .enums import ApplicationStatus, AuditVerb, ReferralStatus

if TYPE_CHECKING:
    from excon.accounts.models import User

    from .models import Advice, Application, CommissionMeeting, Decision, Referral

AUTHORITY_READERS = frozenset(
    {
        Role.CASE_OFFICER,
        Role.SENIOR_OFFICER,
        Role.COMPLIANCE_OFFICER,
        Role.ANALYST,
        Role.AUDITOR,
        Role.COMMISSION_MEMBER,
    }
)
DEPARTMENT_ADVISERS = frozenset({Role.COMMISSION_MEMBER, Role.SENIOR_OFFICER})


def in_authority(actor: User) -> bool:
    return actor.organisation.kind == OrganisationKind.AUTHORITY


# What the exporter (and a department) may read of a case's history: the exporter's own acts and the authority's
# moves that concern it, never the referrals, checks, advice, votes or the consolidated advice in other entries.
EXPORTER_HISTORY_VERBS: frozenset[str] = frozenset(
    {
        AuditVerb.APPLICATION_CREATED,
        AuditVerb.APPLICATION_UPDATED,
        AuditVerb.APPLICATION_GOODS_LINE_ADDED,
        AuditVerb.APPLICATION_GOODS_LINE_REMOVED,
        AuditVerb.APPLICATION_PARTY_ADDED,
        AuditVerb.APPLICATION_PARTY_REMOVED,
        AuditVerb.APPLICATION_DOCUMENT_ATTACHED,
        AuditVerb.APPLICATION_EUC_RECORDED,
        AuditVerb.APPLICATION_EUC_UPDATED,
        AuditVerb.APPLICATION_AMENDMENT_STARTED,
        AuditVerb.APPLICATION_AMENDMENT_SUBMITTED,
        AuditVerb.APPLICATION_SUBMIT,
        AuditVerb.APPLICATION_REQUEST_INFORMATION,
        AuditVerb.APPLICATION_ANSWER_INFORMATION,
        AuditVerb.APPLICATION_DECIDE,
        AuditVerb.APPLICATION_APPEAL,
        AuditVerb.APPLICATION_DECIDE_APPEAL,
        AuditVerb.APPLICATION_WITHDRAW,
        AuditVerb.APPLICATION_SUPERSEDE,
        AuditVerb.INFORMATION_ANSWERED,
    }
)


def reads_full_case_history(actor: User) -> bool:
    return in_authority(actor)


def in_department(actor: User) -> bool:
    return actor.organisation.kind == OrganisationKind.DEPARTMENT


def is_applicant_staff(actor: User, application: Application) -> bool:
    return actor.organisation_id == application.applicant_id and actor.has_any_role(*EXPORTER_ROLES)


def is_case_officer(actor: User) -> bool:
    return in_authority(actor) and actor.has_any_role(Role.CASE_OFFICER, Role.SENIOR_OFFICER)


def is_authority_senior(actor: User) -> bool:
    return in_authority(actor) and actor.has_role(Role.SENIOR_OFFICER)


def department_referred(actor: User, application: Application) -> bool:
    return (
        in_department(actor)
        and actor.has_any_role(*DEPARTMENT_ADVISERS)
        and application.referrals.filter(department_id=actor.organisation_id).exists()
    )


def can_view_application(actor: User, application: Application) -> bool:
    if not actor.is_authenticated:
        return False
    if is_applicant_staff(actor, application):
        return True
    if application.status == ApplicationStatus.DRAFT:
        return False
    if in_authority(actor) and actor.has_any_role(*AUTHORITY_READERS):
        return True
    return department_referred(actor, application)


def can_view_internal(actor: User, application: Application) -> bool:
    """Advice, votes, check details and risk: government eyes only (never the exporter's)."""
    return not actor.has_any_role(*EXPORTER_ROLES) and can_view_application(actor, application)


def can_create_application(actor: User) -> bool:
    return actor.organisation.is_exporter and actor.organisation.is_active and actor.has_any_role(*EXPORTER_ROLES)


def can_edit_application(actor: User, application: Application) -> bool:
    return is_applicant_staff(actor, application) and application.status in workflow.EDITABLE_STATES


def is_involved(actor: User, application: Application) -> bool:
    """Took part in the first decision: an appeal must be reviewed by someone who did not."""
    if application.assigned_officer_id == actor.pk:
        return True
    first_decisions = application.decisions.filter(on_appeal=False)
    if first_decisions.filter(recorded_by=actor).exists() or first_decisions.filter(countersigned_by=actor).exists():
        return True
    return (
        application.referrals.filter(advice__author=actor).exists()
        or application.referrals.filter(advice__countersigned_by=actor).exists()
    )


def can_transition_application(actor: User, application: Application, action: str) -> bool:
    kind = workflow.TABLE.actor_kind_for(action)
    if kind == workflow.EXPORTER:
        return is_applicant_staff(actor, application)
    if kind in (workflow.CASE_OFFICER, workflow.COMMISSION_SECRETARY):
        return is_case_officer(actor)
    if kind == workflow.APPEAL_REVIEWER:
        return is_authority_senior(actor) and not is_involved(actor, application)
    return False  # system moves are never made by a person


def can_refer_by_hand(actor: User, application: Application) -> bool:
    """A case officer asks a department to advise beside the routing rules, on a case under review."""
    return (
        is_case_officer(actor)
        and can_view_application(actor, application)
        and application.status == ApplicationStatus.UNDER_REVIEW
    )


def can_read_case_notes(actor: User, application: Application) -> bool:
    """Internal case notes: the authority's readers of the case; never the exporter, nor a department."""
    return in_authority(actor) and can_view_internal(actor, application)


def can_write_case_notes(actor: User, application: Application) -> bool:
    return is_case_officer(actor) and can_read_case_notes(actor, application)


def can_assign_case(actor: User) -> bool:
    return is_case_officer(actor)


def has_own_applications(actor: User) -> bool:
    """An exporter's staff, whose list is their organisation's applications (government users have queues)."""
    return actor.has_any_role(*EXPORTER_ROLES)


def can_view_work_queue(actor: User) -> bool:
    return in_authority(actor) and actor.has_any_role(*AUTHORITY_READERS)


def can_view_department_inbox(actor: User) -> bool:
    return in_department(actor) and actor.has_any_role(*DEPARTMENT_ADVISERS)


def is_referral_department(actor: User, referral: Referral) -> bool:
    """The actor works in the department the case is referred to (the service checks the countersigning role)."""
    return in_department(actor) and actor.organisation_id == referral.department_id


def can_give_advice(actor: User, referral: Referral) -> bool:
    return (
        in_department(actor)
        and actor.organisation_id == referral.department_id
        and actor.has_any_role(*DEPARTMENT_ADVISERS)
        and referral.status == ReferralStatus.PENDING
        and referral.application.status in (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.AWAITING_INFORMATION)
    )


def can_countersign_advice(actor: User, advice: Advice) -> bool:
    return (
        in_department(actor)
        and actor.organisation_id == advice.referral.department_id
        and actor.has_role(Role.SENIOR_OFFICER)
        and advice.author_id != actor.pk
    )


def can_resolve_conflict(actor: User, application: Application) -> bool:
    return is_case_officer(actor) and application.status == ApplicationStatus.UNDER_REVIEW


def can_manage_routing(actor: User) -> bool:
    return in_authority(actor) and actor.has_any_role(Role.SENIOR_OFFICER, Role.SYSTEM_ADMIN)


def can_manage_licence_types(actor: User) -> bool:
    """The licence types' rules (longest validity, open licences' returns) are the authority's senior officers'."""
    return in_authority(actor) and actor.has_any_role(Role.SENIOR_OFFICER)


def can_manage_risk_profiles(actor: User) -> bool:
    return in_authority(actor) and actor.has_any_role(Role.SENIOR_OFFICER, Role.SYSTEM_ADMIN)


def can_manage_meeting(actor: User, meeting: CommissionMeeting | None = None) -> bool:
    return is_case_officer(actor)


def can_view_meetings(actor: User) -> bool:
    return (in_authority(actor) and actor.has_any_role(*AUTHORITY_READERS)) or (
        in_department(actor) and actor.has_role(Role.COMMISSION_MEMBER)
    )


def vote_refusal(actor: User, meeting: CommissionMeeting) -> tuple[str, str] | None:
    """Why this person may not vote at this meeting: ``(code, message)``, or None when they may. The service
    refuses with it and the agenda item's page says it instead of showing the vote form."""
    if not actor.has_role(Role.COMMISSION_MEMBER):
        return "vote.not_commission_member", "only commission members vote"
    member = meeting.members.filter(user=actor).first()
    if member is None:
        return "vote.not_member", "you are not a member of this meeting, so you cannot vote on its cases"
    if not member.present:
        return (
            "vote.member_absent",
            "you are recorded as absent from this meeting, and only members present vote; "
            "the commission's secretary can record your attendance",
        )
    return None


def can_vote(actor: User, meeting: CommissionMeeting) -> bool:
    return vote_refusal(actor, meeting) is None


def can_countersign_decision(actor: User, decision: Decision) -> bool:
    return is_authority_senior(actor) and decision.recorded_by_id != actor.pk
