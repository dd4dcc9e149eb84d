"""Reads of applications, scoped by the actor: exporters see their own; the authority sees submitted cases;
a department sees the cases referred to it. Not yours looks like not there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from excon.core.errors import NotFound
from excon.core.ids import parse_uuid
from excon.core.roles import EXPORTER_ROLES
from excon.screening.enums import HitStatus
from excon.screening.models import ScreeningHit

from . import policies, workflow
from .enums import ApplicationStatus, ReferralStatus
from .models import (
    AgendaItem,
    Application,
    CheckRun,
    CommissionMeeting,
    Decision,
    InformationRequest,
    Party,
    Referral,
    RoutingRule,
    SavedFilter,
)
from .party_screening import PARTY_TARGET
from .sla import working_days_open

if TYPE_CHECKING:
    from excon.accounts.models import User

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
    key = parse_uuid(application_id)
    application = (
        Application.objects.select_related("applicant", "destination", "assigned_officer", "supersedes")
        .filter(pk=key)
        .first()
        if key
        else None
    )
    if application is None or not policies.can_view_application(actor, application):
        raise NotFound("application")
    return application


def application_by_reference(*, actor: User, reference: str) -> Application:
    application = Application.objects.filter(reference=reference.strip().upper()).first()
    if application is None or not policies.can_view_application(actor, application):
        raise NotFound("application")
    return application


def latest_check_run(application: Application) -> CheckRun | None:
    return application.check_runs.prefetch_related("results").order_by("-run_number").first()


def referrals_for(*, actor: User, application: Application) -> QuerySet[Referral]:
    """The referrals the actor may see: all for the authority, only its own for a department, none for exporters."""
    if not policies.can_view_internal(actor, application):
        return Referral.objects.none()
    referrals = application.referrals.select_related("department").prefetch_related(
        "advice__author", "advice__countersigned_by", "advice__goods_line", "advice__party"
    )
    if policies.in_department(actor):
        referrals = referrals.filter(department_id=actor.organisation_id)
    return referrals.order_by("department__name")


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


@dataclass(frozen=True)
class CaseClock:
    working_days_open: int
    paused_working_days: int
    days_in_status: int
    overdue_referrals: int
    paused: bool


def case_clock(application: Application, today: dt.date | None = None) -> CaseClock:
    """SLA figures in working days; the clock stops while the authority waits for the exporter."""
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
    overdue = application.referrals.filter(status=ReferralStatus.PENDING, due_date__lt=today).count()
    return CaseClock(net, gross - net, in_status, overdue, application.status in workflow.PAUSED_STATES)


def meeting_list(*, actor: User) -> QuerySet[CommissionMeeting]:
    if not policies.can_view_meetings(actor):
        return CommissionMeeting.objects.none()
    return CommissionMeeting.objects.select_related("chair").order_by("-scheduled_for")


def meeting_get(*, actor: User, meeting_id: Any) -> CommissionMeeting:
    key = parse_uuid(meeting_id)
    meeting = CommissionMeeting.objects.filter(pk=key).first() if key else None
    if meeting is None or not policies.can_view_meetings(actor):
        raise NotFound("meeting")
    return meeting


def agenda_item_get(*, actor: User, item_id: Any) -> AgendaItem:
    key = parse_uuid(item_id)
    item = AgendaItem.objects.select_related("meeting", "application").filter(pk=key).first() if key else None
    if item is None or not policies.can_view_meetings(actor):
        raise NotFound("agenda item")
    return item


def routing_rules(*, actor: User) -> QuerySet[RoutingRule]:
    if not (policies.in_authority(actor) and actor.is_government):
        return RoutingRule.objects.none()
    return RoutingRule.objects.order_by("priority", "name")


def saved_filters(*, actor: User) -> QuerySet[SavedFilter]:
    return SavedFilter.objects.filter(owner=actor).order_by("name")
