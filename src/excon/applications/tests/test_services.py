"""Licence applications end to end through the services: drafting, checks, routing, advice, information requests,
the commission, countersignature, denials, appeals, withdrawal and amendments; with the error codes."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from excon.accounts.tests.factories import UserFactory, user_with_role
from excon.applications import selectors, services
from excon.applications.enums import (
    AppealOutcome,
    ApplicationStatus,
    CheckOutcome,
    ConsolidatedAdvice,
    DecisionStatus,
    ReferralStatus,
)
from excon.applications.models import CheckResult, CheckRun, Denial
from excon.audit.models import AuditEntry
from excon.core.errors import Conflict, DomainError, InvalidTransition, NotFound, PermissionDenied, ValidationError
from excon.core.roles import DepartmentKind, Role
from excon.notifications.models import InboxMessage

from .factories import World, complete_draft, licensing_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return licensing_world()


def _submit(world: World, **kwargs: object):  # type: ignore[no-untyped-def]
    application = complete_draft(world, **kwargs)  # type: ignore[arg-type]
    return services.application_submit(actor=world.exporter, application=application)


def _advise_all(world: World, application, advice_type: str = "approve", **overrides: object) -> None:  # type: ignore[no-untyped-def]
    for referral in application.referrals.select_related("department"):
        kind = referral.department.department_kind
        advice = overrides.get(kind, advice_type)
        criteria = [2, 7] if advice == "refuse" else []
        provisos = "no night sights" if advice == "approve_with_provisos" else ""
        services.advice_give(
            actor=world.members[kind],
            referral=referral,
            advice_type=advice,
            rationale=f"{kind} view",
            refusal_criteria=criteria,
            provisos=provisos,
        )
        referral.refresh_from_db()
        if referral.status == ReferralStatus.AWAITING_COUNTERSIGNATURE:
            services.advice_countersign(actor=world.department_seniors[kind], referral=referral)


def _ready(world: World, **kwargs: object):  # type: ignore[no-untyped-def]
    application = _submit(world, **kwargs)
    _advise_all(world, application)
    return services.application_mark_ready(actor=world.officer, application=application)


def _meeting(world: World, application):  # type: ignore[no-untyped-def]
    meeting = services.meeting_create(
        actor=world.officer,
        scheduled_for=timezone.now(),
        quorum_minimum=3,
        quorum_departments=[DepartmentKind.DEFENCE, DepartmentKind.FOREIGN_AFFAIRS],
    )
    members = list(world.members.values())
    services.meeting_set_members(
        actor=world.officer, meeting=meeting, member_ids=[m.pk for m in members], present_ids=[m.pk for m in members]
    )
    item = services.agenda_add(actor=world.officer, meeting=meeting, application=application)
    services.meeting_open(actor=world.officer, meeting=meeting)
    return meeting, item


# Drafting and submission ------------------------------------------------------------------------------------


def test_a_clean_case_passes_the_checks_and_is_routed(world: World) -> None:
    application = _submit(world)
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert application.reference.startswith(f"EXP-{timezone.now().year}-")
    run = selectors.latest_check_run(application)
    outcomes = {result.check_name: result.outcome for result in run.results.all()}
    assert outcomes == {
        "completeness": CheckOutcome.PASS,
        "embargo": CheckOutcome.PASS,
        "party_countries": CheckOutcome.PASS,
        "licence_type": CheckOutcome.PASS,  # a standard licence: every goods line has its cap
        "eligibility": CheckOutcome.PASS,
        "screening": CheckOutcome.PASS,
        "risk": CheckOutcome.WARNING,  # no risk profile of Poland on record
        "domestic_supply": CheckOutcome.WARNING,  # no capacity declared for the quarter
        # No destination policy version is published in this world: no authorisation required, no tier, no quota.
        "export_authorisation": CheckOutcome.PASS,
        "destination_policy": CheckOutcome.PASS,
        "quota": CheckOutcome.PASS,
    }
    departments = set(application.referrals.values_list("department__department_kind", flat=True))
    # Defence and foreign affairs always; security because the risk check warned; economy for >= 1,000,000.
    assert departments == {"defence", "foreign_affairs", "security", "economy"}
    assert InboxMessage.objects.filter(recipient=world.members["defence"], event="application.referred").exists()
    verbs = list(AuditEntry.objects.filter(target_id=str(application.pk)).values_list("verb", flat=True))
    assert verbs[-4:] == [
        "application.submit",
        "application.checks_run",
        "application.checks_passed",
        "application.referred",
    ]


def test_incomplete_submission_is_refused_with_the_missing_items(world: World) -> None:
    application = services.application_create(actor=world.exporter, destination="PL")
    with pytest.raises(ValidationError) as excinfo:
        services.application_submit(actor=world.exporter, application=application)
    assert excinfo.value.code == "application.incomplete"
    codes = {item["code"] for item in excinfo.value.details["missing"]}
    assert codes == {
        "application.end_use_required",
        "application.goods_required",
        "application.end_user_required",
        "application.euc_required",
    }
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_embargoed_destination_fails_the_checks_with_its_code(world: World) -> None:
    application = _submit(world, destination="RU")
    assert application.status == ApplicationStatus.CHECKS_FAILED
    results = {r.check_name: r for r in selectors.latest_check_run(application).results.all()}
    assert results["embargo"].outcome == CheckOutcome.FAIL
    assert results["embargo"].details["code"] == "application.embargoed_destination"
    assert "2014/512/CFSP" in results["embargo"].summary
    assert results["eligibility"].details["code"] == "application.ineligible_product"
    assert not application.referrals.exists()
    assert InboxMessage.objects.filter(recipient=world.officer, event="application.checks_failed").exists()
    with pytest.raises(InvalidTransition):
        services.application_mark_ready(actor=world.officer, application=application)


def test_the_applicant_is_told_which_checks_failed_and_why(world: World) -> None:
    application = _submit(world, destination="RU")
    message = InboxMessage.objects.get(recipient=world.exporter, event="application.checks_failed")
    assert application.reference in message.subject
    assert "Destination embargo: " in message.body
    assert "2014/512/CFSP" in message.body
    assert "Product eligibility: " in message.body
    failed = selectors.failed_checks_for_applicant(actor=world.exporter, application=application)
    assert {"embargo", "eligibility"} <= {item.name for item in failed}
    assert all(item.reason for item in failed)
    other_exporter = UserFactory(roles=[Role.EXPORTER_ADMIN])
    with pytest.raises(NotFound):
        selectors.failed_checks_for_applicant(actor=other_exporter, application=application)


def test_a_failed_screening_is_told_to_the_applicant_without_the_list_entry(world: World) -> None:
    application = complete_draft(world)
    run = CheckRun.objects.create(application=application, run_number=1, passed=False)
    CheckResult.objects.create(
        run=run, check_name="screening", outcome=CheckOutcome.FAIL, summary="matches OFAC SDN entry 1234"
    )
    CheckResult.objects.create(run=run, check_name="risk", outcome=CheckOutcome.WARNING, summary="elevated risk")
    (failed,) = selectors.failed_check_reasons(run)
    assert failed.label == "Sanctions and denied-party screening"
    assert "OFAC" not in failed.reason
    assert "compliance officer" in failed.reason


def test_ineligible_destination_fails(world: World) -> None:
    application = _submit(world, destination="BR")
    results = {r.check_name: r for r in selectors.latest_check_run(application).results.all()}
    assert results["eligibility"].outcome == CheckOutcome.FAIL
    assert results["eligibility"].details["lines"][0]["code"] == "eligibility.destination_not_allowed"


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (
            lambda w, a: services.goods_line_add(
                actor=w.exporter, application=a, product_id=w.product.pk, quantity=0, unit_value="1", currency="EUR"
            ),
            "application.invalid_quantity",
        ),
        (
            lambda w, a: services.goods_line_add(
                actor=w.exporter, application=a, product_id=w.product.pk, quantity=1, unit_value="-1", currency="EUR"
            ),
            "application.invalid_value",
        ),
        (
            lambda w, a: services.goods_line_add(
                actor=w.exporter, application=a, product_id=w.product.pk, quantity=1, unit_value="1", currency="EURO"
            ),
            "money.unknown_currency",
        ),
        (
            lambda w, a: services.goods_line_add(
                actor=w.exporter, application=a, quantity=1, unit_value="1", currency="EUR"
            ),
            "application.goods_required",
        ),
        (
            lambda w, a: services.goods_line_add(
                actor=w.exporter,
                application=a,
                description="Used T-72 tanks",
                quantity=1,
                unit_value="1",
                currency="EUR",
            ),
            "application.origin_required",
        ),
        (
            lambda w, a: services.party_add(
                actor=w.exporter, application=a, role="end_user", name="X", country="ZZ", kind="government"
            ),
            "country.unknown",
        ),
        (
            lambda w, a: services.party_add(
                actor=w.exporter, application=a, role="owner", name="X", country="PL", kind="government"
            ),
            "party.unknown_role",
        ),
        (
            lambda w, a: services.end_user_certificate_set(
                actor=w.exporter,
                application=a,
                number="1",
                issue_date="2999-01-01",
                issuing_authority="A",
                signatory="S",
            ),
            "euc.invalid_date",
        ),
        (
            lambda w, a: services.document_attach(
                actor=w.exporter, application=a, kind="contract", file=io.BytesIO(b"plain text"), filename="c.pdf"
            ),
            "file.type_not_allowed",
        ),
    ],
)
def test_drafting_error_codes(world: World, call, code: str) -> None:  # type: ignore[no-untyped-def]
    application = services.application_create(actor=world.exporter, destination="PL")
    entries = AuditEntry.objects.count()
    with pytest.raises(DomainError) as excinfo:
        call(world, application)
    assert excinfo.value.code == code
    assert AuditEntry.objects.count() == entries


def test_only_one_end_user_and_only_own_products(world: World) -> None:
    application = complete_draft(world)
    with pytest.raises(Conflict) as excinfo:
        services.party_add(
            actor=world.exporter, application=application, role="end_user", name="Y", country="PL", kind="government"
        )
    assert excinfo.value.code == "party.role_taken"
    other = user_with_role(Role.EXPORTER_ADMIN)
    foreign = services.application_create(actor=other, destination="PL")
    with pytest.raises(NotFound):
        services.goods_line_add(
            actor=other, application=foreign, product_id=world.product.pk, quantity=1, unit_value="1", currency="EUR"
        )


def test_submitted_applications_are_frozen_and_amendments_supersede(world: World) -> None:
    application = _submit(world)
    with pytest.raises(InvalidTransition) as excinfo:
        services.application_update(actor=world.exporter, application=application, contract_reference="changed")
    assert excinfo.value.code == "application.not_editable"
    amendment = services.application_amend(actor=world.exporter, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUPERSEDED
    assert amendment.supersedes == application
    assert amendment.status == ApplicationStatus.DRAFT
    assert amendment.goods_lines.count() == 1
    assert amendment.end_user_certificate.document is not None
    services.goods_line_add(
        actor=world.exporter,
        application=amendment,
        product_id=world.product.pk,
        quantity=2,
        unit_value="10",
        currency="EUR",
    )
    resubmitted = services.application_submit(actor=world.exporter, application=amendment)
    assert resubmitted.status == ApplicationStatus.UNDER_REVIEW
    with pytest.raises(InvalidTransition):
        services.application_withdraw(actor=world.exporter, application=application, reason="x")


# Advice -----------------------------------------------------------------------------------------------------


def test_departments_advise_only_when_referred_and_once(world: World) -> None:
    application = _submit(world, quantity=1)  # 150,000: the economy ministry is not asked
    assert not application.referrals.filter(department__department_kind="economy").exists()
    defence = application.referrals.get(department__department_kind="defence")
    with pytest.raises(PermissionDenied) as excinfo:
        services.advice_give(actor=world.members["economy"], referral=defence, advice_type="approve", rationale="x")
    assert excinfo.value.code == "advice.not_referred"
    services.advice_give(actor=world.members["defence"], referral=defence, advice_type="approve", rationale="fine")
    with pytest.raises(Conflict) as excinfo:
        services.advice_give(
            actor=world.members["defence"], referral=defence, advice_type="refuse", rationale="x", refusal_criteria=[1]
        )
    assert excinfo.value.code == "advice.already_given"


def test_refusal_advice_needs_criteria_and_countersignature(world: World) -> None:
    application = _submit(world)
    foreign = application.referrals.get(department__department_kind="foreign_affairs")
    with pytest.raises(ValidationError) as excinfo:
        services.advice_give(
            actor=world.members["foreign_affairs"], referral=foreign, advice_type="refuse", rationale="x"
        )
    assert excinfo.value.code == "advice.criteria_required"
    with pytest.raises(ValidationError):
        services.advice_give(
            actor=world.members["foreign_affairs"],
            referral=foreign,
            advice_type="refuse",
            rationale="x",
            refusal_criteria=[9],
        )
    services.advice_give(
        actor=world.members["foreign_affairs"],
        referral=foreign,
        advice_type="refuse",
        rationale="risk",
        refusal_criteria=[2],
    )
    foreign.refresh_from_db()
    assert foreign.status == ReferralStatus.AWAITING_COUNTERSIGNATURE
    with pytest.raises(PermissionDenied):
        services.advice_countersign(actor=world.department_seniors["defence"], referral=foreign)
    services.advice_countersign(actor=world.department_seniors["foreign_affairs"], referral=foreign)
    foreign.refresh_from_db()
    assert foreign.status == ReferralStatus.COMPLETE


def test_conflicting_advice_must_be_resolved_before_the_commission(world: World) -> None:
    application = _submit(world)
    _advise_all(world, application, "approve", foreign_affairs="refuse")
    assert services.consolidated_advice(application) == ConsolidatedAdvice.CONFLICTING
    with pytest.raises(Conflict) as excinfo:
        services.application_mark_ready(actor=world.officer, application=application)
    assert excinfo.value.code == "application.advice_conflicting"
    assert list(selectors.application_list(actor=world.officer, flag="conflicting")) == [application]
    services.conflict_resolve(actor=world.officer, application=application, resolution="Put to the commission")
    assert (
        services.application_mark_ready(actor=world.officer, application=application).status
        == ApplicationStatus.READY_FOR_COMMISSION
    )


def test_provisos_consolidate(world: World) -> None:
    application = _submit(world)
    _advise_all(world, application, "approve", defence="approve_with_provisos", economy="no_objection")
    assert services.consolidated_advice(application) == ConsolidatedAdvice.APPROVE_WITH_PROVISOS


def test_outstanding_advice_blocks_readiness(world: World) -> None:
    application = _submit(world)
    with pytest.raises(Conflict) as excinfo:
        services.application_mark_ready(actor=world.officer, application=application)
    assert excinfo.value.code == "application.advice_outstanding"


# Information requests and the clock -------------------------------------------------------------------------


def test_information_request_stops_the_clock(world: World) -> None:
    application = _submit(world)
    services.information_request(actor=world.officer, application=application, question="Send the contract annex.")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWAITING_INFORMATION
    assert InboxMessage.objects.filter(recipient=world.exporter, event="application.request_information").exists()
    clock = selectors.case_clock(application)
    assert clock.paused
    with pytest.raises(ValidationError):
        services.information_answer(actor=world.exporter, application=application, answer=" ")
    services.information_answer(actor=world.exporter, application=application, answer="Attached.")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    with pytest.raises(Conflict) as excinfo:
        services.information_answer(actor=world.exporter, application=application, answer="again")
    assert excinfo.value.code in ("information.none_open", "application.invalid_transition")


def test_case_clock_counts_working_days_without_pauses(world: World) -> None:
    application = _submit(world)
    monday = timezone.make_aware(dt.datetime(2026, 11, 16, 9))
    type(application).objects.filter(pk=application.pk).update(submitted_at=monday, status_changed_at=monday)
    application.refresh_from_db()
    request = services.information_request(actor=world.officer, application=application, question="q")
    type(request).objects.filter(pk=request.pk).update(
        asked_at=timezone.make_aware(dt.datetime(2026, 11, 17, 9)),
        answered_at=timezone.make_aware(dt.datetime(2026, 11, 19, 9)),
    )
    clock = selectors.case_clock(application, today=dt.date(2026, 11, 23))
    assert clock.working_days_open + clock.paused_working_days == 5
    assert clock.paused_working_days == 2


# The commission ---------------------------------------------------------------------------------------------


def test_approval_by_the_commission(world: World) -> None:
    application = _ready(world)
    meeting, item = _meeting(world, application)
    services.vote_cast(actor=world.members["defence"], item=item, vote="approve")
    with pytest.raises(Conflict) as excinfo:
        services.vote_cast(actor=world.members["defence"], item=item, vote="refuse")
    assert excinfo.value.code == "vote.duplicate"
    with pytest.raises(PermissionDenied) as excinfo:
        services.vote_cast(actor=world.officer, item=item, vote="approve")
    assert excinfo.value.code == "vote.not_commission_member"
    decision = services.decision_record(
        actor=world.officer,
        item=item,
        outcome="approve_with_conditions",
        conditions="Delivery verification certificate within 90 days",
    )
    assert decision.status == DecisionStatus.FINAL
    application.refresh_from_db()
    assert (application.status, application.outcome) == (ApplicationStatus.DECIDED, "approve_with_conditions")
    assert decision.approved_lines == [1]
    assert InboxMessage.objects.filter(recipient=world.exporter, event="application.decided").exists()
    services.meeting_close(actor=world.officer, meeting=meeting)


def test_no_quorum_no_decision(world: World) -> None:
    application = _ready(world)
    meeting = services.meeting_create(
        actor=world.officer, scheduled_for=timezone.now(), quorum_minimum=3, quorum_departments=["defence"]
    )
    services.meeting_set_members(
        actor=world.officer,
        meeting=meeting,
        member_ids=[world.members["economy"].pk, world.members["security"].pk],
        present_ids=[world.members["economy"].pk],
    )
    item = services.agenda_add(actor=world.officer, meeting=meeting, application=application)
    services.meeting_open(actor=world.officer, meeting=meeting)
    with pytest.raises(Conflict) as excinfo:
        services.decision_record(actor=world.officer, item=item, outcome="approve")
    assert excinfo.value.code == "decision.no_quorum"
    assert len(excinfo.value.details["problems"]) == 2


def test_refusal_needs_criteria_and_a_second_senior_and_creates_a_denial(world: World) -> None:
    application = _ready(world)
    _, item = _meeting(world, application)
    with pytest.raises(ValidationError) as excinfo:
        services.decision_record(actor=world.senior, item=item, outcome="refuse")
    assert excinfo.value.code == "decision.criteria_required"
    decision = services.decision_record(
        actor=world.senior, item=item, outcome="refuse", refusal_criteria=[2, 7], reasons="diversion risk"
    )
    assert decision.status == DecisionStatus.AWAITING_COUNTERSIGNATURE
    application.refresh_from_db()
    assert application.status == ApplicationStatus.READY_FOR_COMMISSION
    with pytest.raises(PermissionDenied):
        services.decision_countersign(actor=world.senior, decision=decision)
    with pytest.raises(PermissionDenied):
        services.decision_countersign(actor=world.officer, decision=decision)
    services.decision_countersign(actor=world.senior_2, decision=decision)
    application.refresh_from_db()
    assert (application.status, application.outcome) == (ApplicationStatus.DECIDED, "refuse")
    denial = Denial.objects.get(application=application)
    assert denial.criteria == [2, 7]
    assert denial.end_user == "Ministry of National Defence"
    assert denial.control_entries == ["ML6.a"]


def test_partial_approval_names_some_lines(world: World) -> None:
    application = complete_draft(world)
    services.goods_line_add(
        actor=world.exporter,
        application=application,
        product_id=world.product.pk,
        quantity=2,
        unit_value="10",
        currency="EUR",
    )
    application = services.application_submit(actor=world.exporter, application=application)
    _advise_all(world, application)
    services.application_mark_ready(actor=world.officer, application=application)
    _, item = _meeting(world, application)
    with pytest.raises(ValidationError) as excinfo:
        services.decision_record(
            actor=world.senior, item=item, outcome="partially_approve", refusal_criteria=[8], approved_lines=[1, 2]
        )
    assert excinfo.value.code == "decision.invalid_lines"
    decision = services.decision_record(
        actor=world.senior, item=item, outcome="partially_approve", refusal_criteria=[8], approved_lines=[2]
    )
    services.decision_countersign(actor=world.senior_2, decision=decision)
    application.refresh_from_db()
    assert application.outcome == "partially_approve"


def test_appeal_is_decided_by_someone_not_involved(world: World) -> None:
    application = _ready(world)
    _, item = _meeting(world, application)
    decision = services.decision_record(actor=world.senior, item=item, outcome="refuse", refusal_criteria=[7])
    services.decision_countersign(actor=world.senior_2, decision=decision)
    application.refresh_from_db()
    with pytest.raises(ValidationError):
        services.appeal_lodge(actor=world.exporter, application=application, grounds="")
    services.appeal_lodge(actor=world.exporter, application=application, grounds="The end user is the armed forces.")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPEALED
    with pytest.raises(PermissionDenied) as excinfo:
        services.appeal_decide(actor=world.senior, application=application, overturn=True, reasons="x")
    assert excinfo.value.code == "appeal.reviewer_involved"
    with pytest.raises(PermissionDenied):
        services.appeal_decide(actor=world.senior_2, application=application, overturn=True, reasons="x")
    fresh = UserFactory(organisation=world.authority, roles=[Role.SENIOR_OFFICER])
    appeal = services.appeal_decide(actor=fresh, application=application, overturn=True, reasons="EUC verified")
    assert appeal.outcome == AppealOutcome.OVERTURNED
    application.refresh_from_db()
    assert (application.status, application.outcome) == (ApplicationStatus.DECIDED, "approve")
    assert Denial.objects.get(application=application).revoked_at is not None
    with pytest.raises(Conflict):
        services.appeal_lodge(actor=world.exporter, application=application, grounds="again")


def test_appeal_window(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    application = _ready(world)
    _, item = _meeting(world, application)
    decision = services.decision_record(actor=world.senior, item=item, outcome="refuse", refusal_criteria=[7])
    services.decision_countersign(actor=world.senior_2, decision=decision)
    type(application).objects.filter(pk=application.pk).update(decided_at=timezone.now() - dt.timedelta(days=31))
    application.refresh_from_db()
    with pytest.raises(Conflict) as excinfo:
        services.appeal_lodge(actor=world.exporter, application=application, grounds="late")
    assert excinfo.value.code == "appeal.window_closed"


def test_withdrawal_before_a_decision(world: World) -> None:
    application = _ready(world)
    meeting, _ = _meeting(world, application)
    with pytest.raises(ValidationError):
        services.application_withdraw(actor=world.exporter, application=application, reason="")
    services.application_withdraw(actor=world.exporter, application=application, reason="contract cancelled")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert not meeting.agenda.exists()


def test_agenda_takes_only_ready_cases(world: World) -> None:
    application = _submit(world)
    meeting = services.meeting_create(actor=world.officer, scheduled_for=timezone.now())
    with pytest.raises(Conflict) as excinfo:
        services.agenda_add(actor=world.officer, meeting=meeting, application=application)
    assert excinfo.value.code == "agenda.case_not_ready"


# Who sees what ----------------------------------------------------------------------------------------------


def test_visibility(world: World) -> None:
    application = _submit(world, quantity=1)
    draft = complete_draft(world)
    other_exporter = user_with_role(Role.EXPORTER_ADMIN)
    economy = world.members["economy"]  # not referred on a 150,000 case
    assert selectors.application_get(actor=world.exporter, application_id=application.pk) == application
    assert selectors.application_get(actor=world.members["defence"], application_id=application.pk) == application
    for outsider in (other_exporter, economy, user_with_role(Role.CUSTOMS_OFFICER), user_with_role(Role.IP_COUNSEL)):
        with pytest.raises(NotFound):
            selectors.application_get(actor=outsider, application_id=application.pk)
    with pytest.raises(NotFound):
        selectors.application_get(actor=world.officer, application_id=draft.pk)
    assert not selectors.referrals_for(actor=world.exporter, application=application).exists()
    defence_view = selectors.referrals_for(actor=world.members["defence"], application=application)
    assert {r.department.department_kind for r in defence_view} == {"defence"}
    assert (
        selectors.referrals_for(actor=world.officer, application=application).count() == application.referrals.count()
    )


@pytest.mark.parametrize("role", list(Role))
def test_matrix_create_and_submit(world: World, role: Role) -> None:
    actor = (
        UserFactory(organisation=world.exporter_org, roles=[role])
        if role in (Role.EXPORTER_ADMIN, Role.EXPORTER_USER)
        else user_with_role(role)
    )
    if role in (Role.EXPORTER_ADMIN, Role.EXPORTER_USER):
        assert services.application_create(actor=actor, destination="PL").status == ApplicationStatus.DRAFT
    else:
        with pytest.raises(PermissionDenied):
            services.application_create(actor=actor, destination="PL")
    draft = complete_draft(world)
    if role in (Role.EXPORTER_ADMIN, Role.EXPORTER_USER):
        services.application_submit(actor=actor, application=draft)
    else:
        with pytest.raises(PermissionDenied):
            services.application_submit(actor=actor, application=draft)


@pytest.mark.parametrize("role", list(Role))
def test_matrix_request_information_and_mark_ready(world: World, role: Role) -> None:
    application = _submit(world)
    actor = (
        user_with_role(role, organisation=world.authority)
        if role in {Role.CASE_OFFICER, Role.SENIOR_OFFICER}
        else user_with_role(role)
    )
    if role in {Role.CASE_OFFICER, Role.SENIOR_OFFICER}:
        services.information_request(actor=actor, application=application, question="q")
    else:
        with pytest.raises(PermissionDenied):
            services.information_request(actor=actor, application=application, question="q")


def test_system_moves_are_refused_to_people(world: World) -> None:
    application = _submit(world)
    with pytest.raises(PermissionDenied):
        services.application_transition(actor=world.officer, application=application, action="checks_passed")
