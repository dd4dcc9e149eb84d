"""The review: departments' advice and countersignature, consolidation and conflict resolution, requests for
information (the clock stops), withdrawal, and sending a ready case to the commission."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from excon.accounts.models import Organisation
from excon.accounts.selectors import users_with_roles
from excon.audit.services import audit_record
from excon.core.errors import Conflict, InvalidTransition, NotFound, ValidationError
from excon.core.ids import parse_uuid
from excon.core.roles import Role
from excon.notifications.services import notify

from .. import policies
from ..consolidation import consolidate
from ..enums import (
    EU_CRITERIA,
    AdviceType,
    ApplicationAction,
    ApplicationStatus,
    AuditVerb,
    ConsolidatedAdvice,
    ReferralStatus,
)
from ..models import Advice, Application, InformationRequest, Referral
from ..party_screening import open_hits_count
from .common import application_link, deny, locked, require_text, text
from .transitions import application_transition

if TYPE_CHECKING:
    from excon.accounts.models import User


def clean_criteria(values: Any, *, field: str = "refusal_criteria") -> list[int]:
    try:
        criteria = sorted({int(value) for value in values or []})
    except (TypeError, ValueError) as exc:
        raise ValidationError("criteria are numbers 1 to 8", code="criteria.invalid", details={"field": field}) from exc
    if any(criterion not in EU_CRITERIA for criterion in criteria):
        raise ValidationError("criteria are numbers 1 to 8", code="criteria.invalid", details={"field": field})
    return criteria


def consolidated_advice(application: Application) -> ConsolidatedAdvice:
    referrals = list(application.referrals.prefetch_related("advice"))
    outstanding = sum(1 for referral in referrals if referral.status != ReferralStatus.COMPLETE)
    kinds = [advice.advice_type for referral in referrals for advice in referral.advice.all()]
    return consolidate(kinds, outstanding=outstanding)


@transaction.atomic
def advice_give(
    *,
    actor: User,
    referral: Referral,
    advice_type: str,
    rationale: str,
    provisos: str = "",
    refusal_criteria: Any = (),
    goods_line_number: int | None = None,
    party_id: Any = None,
    final: bool = True,
) -> Advice:
    """A department's advice on the case (or on one goods line or party where it differs). With `final`, the
    referral is complete — or awaits the department's senior officer where the rules demand a countersignature."""
    locked(referral.application)
    referral = Referral.objects.select_for_update().select_related("application", "department").get(pk=referral.pk)
    if not policies.can_give_advice(actor, referral):
        if referral.status != ReferralStatus.PENDING and actor.organisation_id == referral.department_id:
            raise Conflict("this department's advice was already given", code="advice.already_given")
        raise deny("only the department that was asked gives advice on this case", code="advice.not_referred")
    if advice_type not in AdviceType.values:
        raise ValidationError(
            f"unknown advice {advice_type!r}", code="advice.invalid_type", details={"field": "advice_type"}
        )
    rationale = require_text(
        rationale, field="rationale", code="advice.rationale_required", message="give the rationale"
    )
    criteria = clean_criteria(refusal_criteria)
    provisos = text(provisos)
    if advice_type == AdviceType.REFUSE and not criteria:
        raise ValidationError(
            "a refusal cites the criteria it rests on",
            code="advice.criteria_required",
            details={"field": "refusal_criteria"},
        )
    if advice_type != AdviceType.REFUSE and criteria:
        raise ValidationError("only a refusal cites criteria", code="advice.criteria_not_allowed")
    if advice_type == AdviceType.APPROVE_WITH_PROVISOS and not provisos:
        raise ValidationError("state the provisos", code="advice.provisos_required", details={"field": "provisos"})
    application = referral.application
    line = None
    party = None
    if goods_line_number is not None:
        line = application.goods_lines.filter(line_number=goods_line_number).first()
        if line is None:
            raise NotFound("goods line", details={"field": "goods_line_number"})
    if party_id:
        key = parse_uuid(party_id)
        party = application.parties.filter(pk=key).first() if key else None
        if party is None:
            raise NotFound("party", details={"field": "party_id"})
    try:
        with transaction.atomic():
            advice = Advice.objects.create(
                referral=referral,
                author=actor,
                advice_type=advice_type,
                goods_line=line,
                party=party,
                provisos=provisos,
                refusal_criteria=criteria,
                rationale=rationale,
            )
    except IntegrityError as exc:
        raise Conflict(
            "this department already advised on that (case, line or party)", code="advice.already_given"
        ) from exc
    if final:
        referral.status = (
            ReferralStatus.AWAITING_COUNTERSIGNATURE
            if referral.requires_countersignature or advice_type == AdviceType.REFUSE
            else ReferralStatus.COMPLETE
        )
        referral.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.ADVICE_GIVEN,
        target=application,
        payload={
            "department": referral.department.name,
            "advice": advice_type,
            "line": goods_line_number,
            "party": str(party.pk) if party else None,
            "criteria": criteria,
            "provisos": provisos,
            "referral_status": referral.status,
        },
    )
    return advice


@transaction.atomic
def advice_countersign(*, actor: User, referral: Referral) -> Referral:
    locked(referral.application)
    referral = Referral.objects.select_for_update().select_related("application", "department").get(pk=referral.pk)
    if referral.status != ReferralStatus.AWAITING_COUNTERSIGNATURE:
        raise Conflict("nothing awaits countersignature here", code="advice.nothing_to_countersign")
    advice_items = list(referral.advice.all())
    if not advice_items or not all(policies.can_countersign_advice(actor, advice) for advice in advice_items):
        raise deny("the department's senior officer, who did not write the advice, countersigns it")
    now = timezone.now()
    referral.advice.update(countersigned_by=actor, countersigned_at=now, updated_at=now)
    referral.status = ReferralStatus.COMPLETE
    referral.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.ADVICE_COUNTERSIGNED,
        target=referral.application,
        payload={"department": referral.department.name, "advice": [advice.advice_type for advice in advice_items]},
    )
    return referral


@transaction.atomic
def conflict_resolve(*, actor: User, application: Application, resolution: str) -> Application:
    application = locked(application)
    if not policies.can_resolve_conflict(actor, application):
        raise deny("only a case officer resolves conflicting advice on a case under review")
    if consolidated_advice(application) != ConsolidatedAdvice.CONFLICTING:
        raise Conflict("the advice is not conflicting", code="advice.not_conflicting")
    application.advice_resolution = require_text(
        resolution,
        field="resolution",
        code="advice.resolution_required",
        message="explain how the conflict is resolved",
    )
    application.advice_resolved_by = actor
    application.save(update_fields=["advice_resolution", "advice_resolved_by", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.ADVICE_CONFLICT_RESOLVED,
        target=application,
        payload={"resolution": application.advice_resolution},
    )
    return application


@transaction.atomic
def information_request(*, actor: User, application: Application, question: str) -> InformationRequest:
    application = locked(application)
    question = require_text(
        question, field="question", code="information.question_required", message="ask the question"
    )
    application_transition(
        actor=actor, application=application, action=ApplicationAction.REQUEST_INFORMATION, comment=question
    )
    request = InformationRequest.objects.create(
        application=application, question=question, asked_by=actor, asked_at=timezone.now()
    )
    notify(
        recipients=application.applicant.users.filter(is_active=True),
        subject=f"{application.reference}: the authority asks for information",
        body=question,
        link=application_link(application),
        event="application.request_information",
    )
    return request


@transaction.atomic
def information_answer(*, actor: User, application: Application, answer: str) -> InformationRequest:
    application = locked(application)
    request = application.information_requests.filter(answered_at__isnull=True).order_by("-asked_at").first()
    if request is None:
        raise Conflict("there is no open request for information", code="information.none_open")
    answer = require_text(answer, field="answer", code="information.answer_required", message="write the answer")
    application_transition(actor=actor, application=application, action=ApplicationAction.ANSWER_INFORMATION)
    request.answer = answer
    request.answered_by = actor
    request.answered_at = timezone.now()
    request.save(update_fields=["answer", "answered_by", "answered_at", "updated_at"])
    audit_record(actor=actor, verb=AuditVerb.INFORMATION_ANSWERED, target=application, payload={"answer": answer})
    notify(
        recipients=[request.asked_by],
        subject=f"{application.reference}: the exporter answered",
        body=answer,
        link=application_link(application),
        event="information.answered",
    )
    return request


def _problem(code: str, message: str, role: str, department: Organisation | None = None) -> dict[str, str]:
    """One reason a case is not ready, with who must act: the role, and the department when it is one's turn.
    When nobody active holds that role there, it says so: the case would wait for no one."""
    holders = users_with_roles([role], organisation=department) if department else None
    return {
        "code": code,
        "message": message,
        "role": role,
        "department": department.name if department else "",
        "who": (f"{department.name}: " if department else "") + Role(role).label.lower(),
        "nobody": "yes" if holders is not None and not holders.exists() else "",
    }


def readiness_problems(application: Application) -> list[dict[str, str]]:
    """Why a case cannot go to the commission yet (empty when it can), each with who must act (`who`: the
    department and the role; `nobody` when no one active there holds the role)."""
    problems = []
    latest = application.check_runs.order_by("-run_number").first()
    if latest is None or not latest.passed:
        problems.append(
            _problem("application.checks_not_passed", "the automatic checks have not passed", Role.CASE_OFFICER)
        )
    referrals = list(application.referrals.select_related("department").order_by("department__name"))
    if not referrals:
        problems.append(_problem("application.not_referred", "no department was asked to advise", Role.CASE_OFFICER))
    for referral in referrals:
        department = referral.department
        if referral.status == ReferralStatus.PENDING:
            problems.append(
                _problem(
                    "application.advice_outstanding",
                    f"{department.name} has not advised yet (due {referral.due_date:%d %B %Y})",
                    Role.COMMISSION_MEMBER,
                    department,
                )
            )
        elif referral.status == ReferralStatus.AWAITING_COUNTERSIGNATURE:
            problems.append(
                _problem(
                    "application.advice_outstanding",
                    f"the advice of {department.name} awaits its senior officer's countersignature",
                    Role.SENIOR_OFFICER,
                    department,
                )
            )
    consolidated = consolidated_advice(application)
    if consolidated == ConsolidatedAdvice.CONFLICTING and not application.advice_resolution:
        problems.append(
            _problem("application.advice_conflicting", "conflicting advice is not resolved", Role.CASE_OFFICER)
        )
    hits = open_hits_count(application)
    if hits:
        problems.append(
            _problem(
                "application.screening_hits_open",
                f"{hits} screening hit(s) await a compliance review",
                Role.COMPLIANCE_OFFICER,
            )
        )
    return problems


@transaction.atomic
def application_mark_ready(*, actor: User, application: Application) -> Application:
    application = locked(application)
    if application.status != ApplicationStatus.UNDER_REVIEW:
        raise InvalidTransition(
            "only a case under review goes to the commission", code="application.invalid_transition"
        )
    if not policies.can_transition_application(actor, application, ApplicationAction.MARK_READY):
        raise deny("only case officers send cases to the commission")
    problems = readiness_problems(application)
    if problems:
        raise Conflict(
            "the case is not ready: " + "; ".join(problem["message"] for problem in problems),
            code=problems[0]["code"],
            details={"problems": problems},
        )
    return application_transition(
        actor=actor,
        application=application,
        action=ApplicationAction.MARK_READY,
        payload={"consolidated_advice": consolidated_advice(application)},
    )


@transaction.atomic
def application_withdraw(*, actor: User, application: Application, reason: str) -> Application:
    application = locked(application)
    reason = require_text(reason, field="reason", code="application.reason_required", message="give the reason")
    application = application_transition(
        actor=actor, application=application, action=ApplicationAction.WITHDRAW, comment=reason
    )
    application.agenda_items.filter(meeting__status__in=["planned", "in_session"]).delete()
    return application
