"""Submitting an application, running the automatic checks, and routing the case to the departments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from excon.accounts.models import Organisation, User
from excon.accounts.selectors import users_with_roles
from excon.audit.services import audit_record
from excon.core.errors import Conflict, InvalidTransition, ValidationError
from excon.core.roles import OrganisationKind, Role
from excon.notifications.services import notify
from excon.refdata.models import DestinationGroup

from .. import checks, policies
from ..check_registry import run_checks as run_registered_checks
from ..enums import ApplicationAction, ApplicationStatus, AuditVerb, CheckOutcome
from ..models import Application, CheckResult, CheckRun, Referral, RoutingRule
from ..routing import CaseFacts, route
from ..selectors import failed_check_reasons
from ..sla import add_working_days
from .common import application_link, deny, locked
from .transitions import application_transition

if TYPE_CHECKING:
    pass


def _case_officers() -> list[User]:
    return list(users_with_roles([Role.CASE_OFFICER], organisation_kind=OrganisationKind.AUTHORITY))


def run_checks(*, actor: User | None, application: Application) -> CheckRun:
    """Run every check and record the results as a new run (called inside the caller's transaction)."""
    results = run_registered_checks(application)
    number = (application.check_runs.aggregate(top=Max("run_number"))["top"] or 0) + 1
    passed = not any(result.mandatory and result.outcome == CheckOutcome.FAIL for result in results)
    run = CheckRun.objects.create(application=application, run_number=number, triggered_by=actor, passed=passed)
    CheckResult.objects.bulk_create(
        [
            CheckResult(
                run=run,
                check_name=result.check,
                outcome=result.outcome,
                mandatory=result.mandatory,
                summary=result.summary,
                details=result.details,
            )
            for result in results
        ]
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.APPLICATION_CHECKS_RUN,
        target=application,
        payload={
            "run": number,
            "passed": passed,
            "results": {result.check: result.outcome for result in results},
            "failures": [result.summary for result in results if result.outcome == CheckOutcome.FAIL],
        },
        system_label="system:checks",
    )
    return run


def case_facts(application: Application, run: CheckRun | None = None) -> CaseFacts:
    destination = application.destination
    groups = (
        frozenset(DestinationGroup.objects.filter(countries=destination).values_list("code", flat=True))
        if destination
        else frozenset()
    )
    outcomes = (
        frozenset(f"{result.check_name}:{result.outcome}" for result in run.results.all()) if run else frozenset()
    )
    return CaseFacts(
        control_entries=frozenset(checks.application_control_entries(application)),
        destination=destination.iso2 if destination else "",
        destination_groups=groups,
        total_value=checks.total_value(application),
        party_kinds=frozenset(application.parties.values_list("kind", flat=True)),
        check_outcomes=outcomes,
    )


def ask_department(application: Application, referral: Referral) -> None:
    """Tell the department's advisers that it is asked to advise (after the change commits)."""
    department = referral.department
    notify(
        recipients=users_with_roles([Role.COMMISSION_MEMBER, Role.SENIOR_OFFICER], organisation=department),
        subject=f"Advice requested on {application.reference}",
        body=f"{department.name} is asked to advise by {referral.due_date:%d %B %Y}."
        + (f" Reason: {referral.reason}" if referral.reason else ""),
        link=application_link(application),
        event="application.referred",
    )


def route_application(application: Application, run: CheckRun | None) -> list[Referral]:
    """Create the referrals the active routing rules ask for (departments already asked are kept)."""
    decisions = route(case_facts(application, run), RoutingRule.objects.filter(active=True))
    created = []
    today = timezone.localdate()
    for department_kind, decision in decisions.items():
        department = Organisation.objects.filter(
            kind=OrganisationKind.DEPARTMENT, department_kind=department_kind, status="active"
        ).first()
        if department is None:
            continue
        referral, was_created = Referral.objects.get_or_create(
            application=application,
            department=department,
            defaults={
                "due_date": add_working_days(today, decision.due_working_days),
                "requires_countersignature": decision.requires_countersignature,
                "rules": decision.rules,
            },
        )
        if was_created:
            created.append(referral)
            ask_department(application, referral)
    if created:
        audit_record(
            actor=None,
            verb=AuditVerb.APPLICATION_REFERRED,
            target=application,
            payload={
                "departments": [referral.department.name for referral in created],
                "due": {referral.department.name: referral.due_date for referral in created},
                "rules": sorted({rule for referral in created for rule in referral.rules}),
            },
            system_label="system:routing",
        )
    return created


def _after_checks(actor: User | None, application: Application, run: CheckRun) -> Application:
    if run.passed:
        action = ApplicationAction.CHECKS_PASSED if application.status == ApplicationStatus.SUBMITTED else None
        if action:
            application = application_transition(
                actor=actor, application=application, action=action, system=True, payload={"run": run.run_number}
            )
        route_application(application, run)
    elif application.status == ApplicationStatus.SUBMITTED:
        application = application_transition(
            actor=actor,
            application=application,
            action=ApplicationAction.CHECKS_FAILED,
            system=True,
            payload={"run": run.run_number},
        )
        notify(
            recipients=_case_officers(),
            subject=f"{application.reference}: a mandatory check failed",
            body="; ".join(result.summary for result in run.results.all() if result.outcome == CheckOutcome.FAIL),
            link=application_link(application),
            event="application.checks_failed",
        )
        reasons = failed_check_reasons(run)
        notify(
            recipients=application.applicant.users.filter(is_active=True),
            subject=f"{application.reference}: your application did not pass its checks",
            body="\n".join(f"{item.label}: {item.reason}" for item in reasons)
            + "\n\nA case officer looks at the case; the case page shows what failed and why.",
            link=application_link(application),
            event="application.checks_failed",
        )
    return application


@transaction.atomic
def application_submit(*, actor: User, application: Application) -> Application:
    """Submit a complete draft: the checks run at once, and the case goes to review or stops with the reasons."""
    application = locked(application)
    if not policies.is_applicant_staff(actor, application):
        raise deny("only the applicant's staff submit its application")
    if application.status != ApplicationStatus.DRAFT:
        raise InvalidTransition("the application was already submitted", code="application.invalid_transition")
    missing = checks.missing_particulars(application)
    if missing:
        raise ValidationError(
            "the application is not complete: " + ", ".join(item["message"] for item in missing),
            code="application.incomplete",
            details={"missing": missing},
        )
    application = application_transition(actor=actor, application=application, action=ApplicationAction.SUBMIT)
    if application.supersedes_id:
        audit_record(
            actor=actor,
            verb=AuditVerb.APPLICATION_AMENDMENT_SUBMITTED,
            target=application,
            payload={"supersedes": application.supersedes.reference if application.supersedes else None},
        )
    run = run_checks(actor=None, application=application)
    return _after_checks(None, application, run)


@transaction.atomic
def application_recheck(*, actor: User, application: Application) -> CheckRun:
    """Run the checks again (e.g. after a screening hit was reviewed or an embargo changed)."""
    application = locked(application)
    if not policies.is_case_officer(actor) or not policies.can_view_application(actor, application):
        raise deny("only case officers run the checks again")
    if application.status not in (ApplicationStatus.CHECKS_FAILED, ApplicationStatus.UNDER_REVIEW):
        raise InvalidTransition(
            "checks run again only on cases that failed them or are under review", code="application.invalid_transition"
        )
    run = run_checks(actor=actor, application=application)
    if run.passed and application.status == ApplicationStatus.CHECKS_FAILED:
        application = application_transition(
            actor=actor, application=application, action=ApplicationAction.RECHECK, payload={"run": run.run_number}
        )
    if run.passed:
        route_application(application, run)
    return run


@transaction.atomic
def application_assign(*, actor: User, application: Application, officer: User) -> Application:
    application = locked(application)
    if not policies.can_assign_case(actor) or not policies.can_view_application(actor, application):
        raise deny("only case officers assign cases")
    if not policies.is_case_officer(officer) or not officer.is_active:
        raise ValidationError("cases are assigned to active case officers", code="application.invalid_assignee")
    if application.status in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN, ApplicationStatus.SUPERSEDED):
        raise Conflict("this case cannot be assigned now", code="application.not_assignable")
    previous = application.assigned_officer
    application.assigned_officer = officer
    application.save(update_fields=["assigned_officer", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.APPLICATION_ASSIGNED,
        target=application,
        payload={"from": str(previous) if previous else None, "to": str(officer)},
    )
    if officer.pk != actor.pk:
        notify(
            recipients=[officer],
            subject=f"{application.reference} was assigned to you",
            body=f"Assigned by {actor}.",
            link=application_link(application),
            event="application.assigned",
        )
    return application
