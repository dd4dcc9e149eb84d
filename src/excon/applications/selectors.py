"""Reads of applications, scoped by the actor: exporters see their own; the authority sees submitted cases;
a department sees the cases referred to it. Not yours looks like not there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from excon.accounts.models import Organisation, User
from excon.accounts.selectors import users_with_roles
from excon.audit.selectors import audit_history_for
from excon.core.errors import NotFound
from excon.core.ids import parse_uuid
from excon.core.roles import EXPORTER_ROLES, OrganisationKind, Role
from excon.core.selectors import one_visible
from excon.screening.enums import HitStatus
from excon.screening.models import ScreeningHit

from . import policies, workflow
from .enums import ApplicationStatus, CheckName, CheckOutcome, DecisionStatus, ReferralStatus
from .models import (
    AgendaItem,
    Application,
    ApplicationDocument,
    CaseNote,
    CheckRun,
    CommissionMeeting,
    Decision,
    DestinationRiskProfile,
    GoodsLine,
    InformationRequest,
    MeetingMember,
    Party,
    Referral,
    RoutingRule,
    SavedFilter,
)
from .party_screening import PARTY_TARGET
from .sla import working_days_open

QUEUE_FLAGS = ("overdue", "conflicting", "hits", "unassigned", "mine")


def _visible(actor: User) -> QuerySet[Application]:
    if not actor.is_authenticated:
        return Application.objects.none()
    if actor.has_any_role(*EXPORTER_ROLES):
        return Application.objects.filter(applicant_id=actor.organisation_id)
    if policies.in_authority(actor) and actor.has_any_role(*policies.AUTHORITY_READERS):
        return Application.objects.exclude(status=ApplicationStatus.DRAFT)
    if policies.in_department(actor) and actor.has_any_role(*policies.DEPARTMENT_ADVISERS):
        referred = Referral.objects.filter(application=OuterRef("pk"), department_id=actor.organisation_id)
        return Application.objects.exclude(status=ApplicationStatus.DRAFT).filter(Exists(referred))
    return Application.objects.none()


def application_list(
    *,
    actor: User,
    status: str = "",
    destination: str = "",
    control_entry: str = "",
    min_value: Decimal | str | None = None,
    flag: str = "",
    search: str = "",
    assigned: str = "",
) -> QuerySet[Application]:
    applications = _visible(actor)
    if status:
        applications = applications.filter(status=status)
    if destination:
        applications = applications.filter(destination__iso2=destination.strip().upper())
    if search:
        applications = applications.filter(
            Q(reference__icontains=search) | Q(applicant__name__icontains=search) | Q(parties__name__icontains=search)
        )
    if control_entry:
        code = control_entry.strip().upper()
        applications = applications.filter(
            Q(goods_lines__control_entry__code__iexact=code)
            | Q(goods_lines__control_entry__code__istartswith=f"{code}.")
            | Q(
                goods_lines__product__classifications__superseded_at__isnull=True,
                goods_lines__product__classifications__entries__code__iexact=code,
            )
            | Q(
                goods_lines__product__classifications__superseded_at__isnull=True,
                goods_lines__product__classifications__entries__code__istartswith=f"{code}.",
            )
        )
    if min_value not in (None, ""):
        applications = applications.filter(contract_value__gte=Decimal(str(min_value)))
    if assigned == "me" or flag == "mine":
        applications = applications.filter(assigned_officer=actor)
    if flag == "unassigned":
        applications = applications.filter(assigned_officer__isnull=True)
    if flag == "overdue":
        late = Referral.objects.filter(
            application=OuterRef("pk"), status=ReferralStatus.PENDING, due_date__lt=timezone.localdate()
        )
        applications = applications.filter(Exists(late))
    if flag == "conflicting":
        applications = applications.filter(
            Exists(Referral.objects.filter(application=OuterRef("pk"), advice__advice_type="refuse"))
            & Exists(
                Referral.objects.filter(
                    application=OuterRef("pk"),
                    advice__advice_type__in=["approve", "approve_with_provisos", "no_objection"],
                )
            ),
            advice_resolution="",
        )
    if flag == "hits":
        applications = applications.filter(pk__in=applications_with_open_hits())
    return (
        applications.select_related("applicant", "destination", "assigned_officer")
        .distinct()
        .order_by("-submitted_at", "-created_at")
    )


def applications_with_open_hits() -> list[Any]:
    """Ids of applications with a party whose screening hit awaits review."""
    target_ids = ScreeningHit.objects.filter(target_type=PARTY_TARGET, status=HitStatus.OPEN).values_list(
        "target_id", flat=True
    )
    party_ids = [key for key in (parse_uuid(value) for value in target_ids) if key]
    return list(Party.objects.filter(pk__in=party_ids).values_list("application_id", flat=True).distinct())


def application_get(*, actor: User, application_id: Any) -> Application:
    return one_visible(
        Application.objects.select_related("applicant", "destination", "assigned_officer", "supersedes"),
        application_id,
        "application",
        visible=lambda application: policies.can_view_application(actor, application),
    )


def application_by_reference(*, actor: User, reference: str) -> Application:
    application = Application.objects.filter(reference=reference.strip().upper()).first()
    if application is None or not policies.can_view_application(actor, application):
        raise NotFound("application")
    return application


def latest_check_run(application: Application) -> CheckRun | None:
    return application.check_runs.prefetch_related("results").order_by("-run_number").first()


@dataclass(frozen=True)
class FailedCheck:
    name: str
    label: str
    reason: str


# What the applicant is told of a failed screening: that a party is being reviewed, not which list entry it
# resembles (the hit may be dismissed; the applicant is not told what the lists say about its parties).
SCREENING_REASON_FOR_APPLICANT = (
    "a party of the application resembles an entry on a sanctions or denied-party list; a compliance officer "
    "reviews it, and the case officer tells you the outcome"
)


def failed_check_reasons(run: CheckRun | None) -> list[FailedCheck]:
    """The mandatory checks a run failed, with the reason each gives, in words the applicant may read."""
    if run is None or run.passed:
        return []
    return [
        FailedCheck(
            result.check_name,
            result.check_label,
            SCREENING_REASON_FOR_APPLICANT if result.check_name == CheckName.SCREENING else result.summary,
        )
        for result in run.results.all()
        if result.outcome == CheckOutcome.FAIL and result.mandatory
    ]


def failed_checks_for_applicant(*, actor: User, application: Application) -> list[FailedCheck]:
    """Why a submitted application stopped at its checks, for anyone who may read the case (its applicant
    included); nothing once the case went on to review."""
    if not policies.can_view_application(actor, application):
        raise NotFound("application")
    if application.status != ApplicationStatus.CHECKS_FAILED:
        return []
    return failed_check_reasons(latest_check_run(application))


def referrals_for(*, actor: User, application: Application) -> QuerySet[Referral]:
    """The referrals the actor may see: all for the authority, only its own for a department, none for exporters."""
    if not policies.can_view_internal(actor, application):
        return Referral.objects.none()
    referrals = application.referrals.select_related("department", "referred_by").prefetch_related(
        "advice__author", "advice__countersigned_by", "advice__goods_line", "advice__party"
    )
    if policies.in_department(actor):
        referrals = referrals.filter(department_id=actor.organisation_id)
    return referrals.order_by("department__name")


def case_notes(*, actor: User, application: Application) -> QuerySet[CaseNote]:
    """The case's internal notes, oldest first; anyone who may not read them gets NotFound, like no case."""
    if not policies.can_read_case_notes(actor, application):
        raise NotFound("case notes")
    return application.notes.select_related("author").order_by("created_at")


def referral_departments() -> QuerySet[Any]:
    """The departments a case officer can refer a case to by hand."""
    return Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT, status="active").order_by("name")


def referral_get(*, actor: User, referral_id: Any) -> Referral:
    key = parse_uuid(referral_id)
    referral = Referral.objects.select_related("application", "department").filter(pk=key).first() if key else None
    if referral is None or not policies.can_view_internal(actor, referral.application):
        raise NotFound("referral")
    if policies.in_department(actor) and referral.department_id != actor.organisation_id:
        raise NotFound("referral")
    return referral


def department_inbox(*, actor: User, pending_only: bool = True) -> QuerySet[Referral]:
    if not policies.in_department(actor):
        return Referral.objects.none()
    referrals = Referral.objects.filter(department_id=actor.organisation_id).select_related("application__destination")
    if pending_only:
        referrals = referrals.exclude(status=ReferralStatus.COMPLETE)
    return referrals.order_by("due_date")


def information_requests(application: Application) -> QuerySet[InformationRequest]:
    return application.information_requests.select_related("asked_by", "answered_by").order_by("asked_at")


def decisions(application: Application) -> QuerySet[Decision]:
    return application.decisions.select_related("recorded_by", "countersigned_by").order_by("created_at")


def final_decisions(application: Application, *, on_appeal: bool | None = None) -> QuerySet[Decision]:
    """The case's final decisions, oldest first (awaiting countersignature is not final); `on_appeal=False` keeps
    the first instance's."""
    found = decisions(application).filter(status=DecisionStatus.FINAL)
    return found if on_appeal is None else found.filter(on_appeal=on_appeal)


def final_decision(application: Application) -> Decision | None:
    """The decision that stands: the latest final one (the appeal's once it is decided, else the first one)."""
    return final_decisions(application).order_by("-created_at").first()


def pending_decision(application: Application) -> Decision | None:
    """The decision recorded in session that awaits a senior officer's countersignature, if any."""
    return decisions(application).filter(status=DecisionStatus.AWAITING_COUNTERSIGNATURE).first()


def licensed_goods(application: Application) -> list[GoodsLine]:
    """The goods a licence from this case covers: the lines the decision that stands approved, in line order."""
    decision = final_decision(application)
    approved = set(decision.approved_lines) if decision else set()
    lines = application.goods_lines.select_related("product", "control_entry").order_by("line_number")
    return [line for line in lines if line.line_number in approved]


def case_history(*, actor: User, application: Application) -> list[Any]:
    """The case's audit history as the actor may read it: the authority all of it, everyone else (the exporter, a
    department) only the entries policies.EXPORTER_HISTORY_VERBS names."""
    entries = list(audit_history_for(application))
    if policies.reads_full_case_history(actor):
        return entries
    return [entry for entry in entries if entry.verb in policies.EXPORTER_HISTORY_VERBS]


@dataclass(frozen=True)
class CaseClock:
    working_days_open: int
    paused_working_days: int
    days_in_status: int
    overdue_referrals: int
    paused: bool


def case_clock(application: Application, today: dt.date | None = None, *, overdue: int | None = None) -> CaseClock:
    """SLA figures in working days; the clock stops while the authority waits for the exporter. `overdue` is the
    number of overdue referrals when the caller has counted them already (see `case_clocks`)."""
    today = today or timezone.localdate()
    if application.submitted_at is None:
        return CaseClock(0, 0, 0, 0, False)
    end = timezone.localdate(application.decided_at) if application.decided_at else today
    start = timezone.localdate(application.submitted_at)
    pauses = [
        (timezone.localdate(request.asked_at), timezone.localdate(request.answered_at) if request.answered_at else None)
        for request in application.information_requests.all()
    ]
    gross = working_days_open(start, end)
    net = working_days_open(start, end, pauses)
    in_status = working_days_open(timezone.localdate(application.status_changed_at or application.submitted_at), end)
    if overdue is None:
        overdue = application.referrals.filter(status=ReferralStatus.PENDING, due_date__lt=today).count()
    return CaseClock(net, gross - net, in_status, overdue, application.status in workflow.PAUSED_STATES)


def overdue_referral_counts(applications: Iterable[Application], today: dt.date | None = None) -> dict[Any, int]:
    """The number of overdue referrals of each of these applications, in one query (absent means none)."""
    today = today or timezone.localdate()
    keys = [application.pk for application in applications]
    if not keys:
        return {}
    rows = (
        Referral.objects.filter(application_id__in=keys, status=ReferralStatus.PENDING, due_date__lt=today)
        .values("application_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["application_id"]: row["n"] for row in rows}


def work_queue(*, actor: User, **filters: Any) -> QuerySet[Application]:
    """The authority's queue: application_list with the case clocks' information requests read in one query."""
    requests = Prefetch("information_requests", queryset=InformationRequest.objects.order_by("asked_at"))
    return application_list(actor=actor, **filters).prefetch_related(requests)


def case_clocks(applications: Iterable[Application], today: dt.date | None = None) -> list[CaseClock]:
    """`case_clock` for a page of applications: the overdue referrals of all of them are counted in one query (the
    information requests come from the caller's prefetch)."""
    today = today or timezone.localdate()
    rows = list(applications)
    overdue = overdue_referral_counts(rows, today)
    return [case_clock(application, today, overdue=overdue.get(application.pk, 0)) for application in rows]


def _visible_meetings(actor: User) -> QuerySet[CommissionMeeting]:
    """The authority's readers see every meeting; a department's commission member only those they sit on."""
    if not policies.can_view_meetings(actor):
        return CommissionMeeting.objects.none()
    if policies.in_authority(actor):
        return CommissionMeeting.objects.all()
    return CommissionMeeting.objects.filter(
        Exists(MeetingMember.objects.filter(meeting=OuterRef("pk"), user_id=actor.pk))
    )


def meeting_list(*, actor: User) -> QuerySet[CommissionMeeting]:
    return _visible_meetings(actor).select_related("chair").order_by("-scheduled_for")


def meeting_get(*, actor: User, meeting_id: Any) -> CommissionMeeting:
    return one_visible(_visible_meetings(actor), meeting_id, "meeting")


def agenda_item_get(*, actor: User, item_id: Any) -> AgendaItem:
    key = parse_uuid(item_id)
    item = (
        AgendaItem.objects.select_related("meeting", "application")
        .filter(pk=key, meeting__in=_visible_meetings(actor))
        .first()
        if key
        else None
    )
    if item is None:
        raise NotFound("agenda item")
    return item


def decision_get(*, actor: User, decision_id: Any) -> Decision:
    """A decision, for government readers of its application only (the exporter reads decisions on its case)."""
    return one_visible(
        Decision.objects.select_related("application"),
        decision_id,
        "decision",
        visible=lambda decision: policies.can_view_internal(actor, decision.application),
    )


def application_document_get(*, actor: User, document_id: Any) -> ApplicationDocument:
    """A document of an application the actor may see."""
    return one_visible(
        ApplicationDocument.objects.select_related("application"),
        document_id,
        "document",
        visible=lambda document: policies.can_view_application(actor, document.application),
    )


def routing_rules(*, actor: User) -> QuerySet[RoutingRule]:
    if not (policies.in_authority(actor) and actor.is_government):
        return RoutingRule.objects.none()
    return RoutingRule.objects.order_by("priority", "name")


def routing_rule_get(*, actor: User, rule_id: Any) -> RoutingRule:
    return one_visible(routing_rules(actor=actor), rule_id, "routing rule")


def saved_filters(*, actor: User) -> QuerySet[SavedFilter]:
    return SavedFilter.objects.filter(owner=actor).order_by("name")


# Risk profiles ---------------------------------------------------------------------------------------------------


def _may_read_risk_profiles(actor: User) -> bool:
    return actor.is_authenticated and (policies.in_authority(actor) or policies.in_department(actor))


def risk_profile_list(*, actor: User) -> QuerySet[DestinationRiskProfile]:
    """Destination risk profiles: government eyes only (the authority and the departments)."""
    if not _may_read_risk_profiles(actor):
        return DestinationRiskProfile.objects.none()
    return DestinationRiskProfile.objects.select_related("country").order_by("country__name")


def risk_profile_get(*, actor: User, iso2: str) -> DestinationRiskProfile:
    profile = risk_profile_list(actor=actor).filter(country__iso2=(iso2 or "").strip().upper()).first()
    if profile is None:
        raise NotFound("risk profile")
    return profile


# People the commission and casework choose from ------------------------------------------------------------------


def case_officers() -> QuerySet[User]:
    """Active case and senior officers of the authority: who a case may be assigned to."""
    return users_with_roles(
        [Role.CASE_OFFICER, Role.SENIOR_OFFICER], organisation_kind=OrganisationKind.AUTHORITY
    ).order_by("last_name", "username")


def case_officer_get(officer_id: Any) -> User | None:
    """One of case_officers() by id; None for anyone else (or an id that is not one)."""
    key = parse_uuid(officer_id)
    return case_officers().filter(pk=key).first() if key else None


def commission_members() -> QuerySet[User]:
    """Active commission members of every organisation: who may sit on a meeting."""
    return (
        users_with_roles([Role.COMMISSION_MEMBER])
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "username")
    )


def user_get(*, actor: User, user_id: Any) -> User:
    """A person named in a request by the government (an officer to assign); the services check the role."""
    key = parse_uuid(user_id)
    user = User.objects.filter(pk=key).first() if key and actor.is_authenticated and actor.is_government else None
    if user is None:
        raise NotFound("user")
    return user


def case_next_action(*, actor: User, application: Application, problems: list[dict[str, str]]) -> str:
    """The one action this reader can take on the case now, which the case page makes its primary button ('' when
    it is someone else's turn: `problems`, from services.readiness_problems, say whose). "Send to the commission"
    is primary only on a case with nothing missing."""
    status = application.status
    if status == ApplicationStatus.APPEALED:
        return "decide_appeal" if policies.can_transition_application(actor, application, "decide_appeal") else ""
    if not policies.is_case_officer(actor):
        return ""
    if status == ApplicationStatus.CHECKS_FAILED:
        return "recheck"
    if status != ApplicationStatus.UNDER_REVIEW:
        return ""
    codes = {problem["code"] for problem in problems}
    if not codes:
        return "mark_ready"
    if "application.checks_not_passed" in codes:
        return "recheck"
    if "application.advice_conflicting" in codes and policies.can_resolve_conflict(actor, application):
        return "resolve"
    if "application.not_referred" in codes:
        return "refer"
    return ""
