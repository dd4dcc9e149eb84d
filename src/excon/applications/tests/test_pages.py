"""The licence-application pages: who sees what (exporters their own, departments only referred cases, exporters
never the advice), every form through its service and audited, service refusals on the form with nothing stored,
the minutes PDF, the inbox links and bounded queries on the work queue."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from excon.accounts.tests.factories import UserFactory, user_with_role
from excon.applications import services
from excon.applications.enums import ApplicationStatus, DecisionStatus, ReferralStatus
from excon.applications.models import (
    Advice,
    Application,
    CommissionMeeting,
    Decision,
    DestinationRiskProfile,
    MemberVote,
    RoutingRule,
    SavedFilter,
)
from excon.audit.models import AuditEntry
from excon.core.navigation import home_sections_for, navigation_for
from excon.core.roles import DepartmentKind, Role
from excon.products.tests.factories import pdf_bytes

from .factories import World, complete_draft, licensing_world

pytestmark = pytest.mark.django_db

SECRET_RATIONALE = "Intelligence suggests diversion via a third party"


@pytest.fixture
def world() -> World:
    return licensing_world()


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def verbs(target: Any) -> list[str]:
    return list(AuditEntry.objects.filter(target_id=str(target.pk)).order_by("seq").values_list("verb", flat=True))


def submitted(world: World, **kwargs: Any) -> Application:
    return services.application_submit(actor=world.exporter, application=complete_draft(world, **kwargs))


def advise_all(world: World, application: Application, rationale: str = "fine") -> None:
    for referral in application.referrals.select_related("department"):
        kind = referral.department.department_kind
        services.advice_give(actor=world.members[kind], referral=referral, advice_type="approve", rationale=rationale)


def ready(world: World) -> Application:
    application = submitted(world)
    advise_all(world, application)
    return services.application_mark_ready(actor=world.officer, application=application)


def in_session(world: World, application: Application, present: list[Any] | None = None) -> Any:
    meeting = services.meeting_create(
        actor=world.officer, scheduled_for=timezone.now(), quorum_minimum=3, quorum_departments=["defence"]
    )
    members = list(world.members.values())
    present = members if present is None else present
    services.meeting_set_members(
        actor=world.officer, meeting=meeting, member_ids=[m.pk for m in members], present_ids=[m.pk for m in present]
    )
    item = services.agenda_add(actor=world.officer, meeting=meeting, application=application)
    services.meeting_open(actor=world.officer, meeting=meeting)
    return item


# Who sees what ------------------------------------------------------------------------------------------------


def test_exporter_sees_own_application_and_another_exporter_gets_404(world: World) -> None:
    application = submitted(world)
    url = reverse("applications:detail", args=[application.pk])
    response = client_for(world.exporter).get(url)
    assert response.status_code == 200
    assert application.reference in response.content.decode()
    other = user_with_role(Role.EXPORTER_ADMIN)
    assert client_for(other).get(url).status_code == 404
    assert client_for(other).get(reverse("applications:list")).status_code == 200


def test_department_sees_referred_case_only(world: World) -> None:
    application = submitted(world, quantity=1)  # 150,000: economy is not asked
    url = reverse("applications:detail", args=[application.pk])
    assert client_for(world.members["defence"]).get(url).status_code == 200
    assert client_for(world.members["economy"]).get(url).status_code == 404
    referral = application.referrals.get(department__department_kind="defence")
    assert (
        client_for(world.members["economy"]).get(reverse("applications:advice", args=[referral.pk])).status_code == 404
    )


def test_exporter_never_sees_advice_and_departments_only_their_own(world: World) -> None:
    application = submitted(world)
    defence = application.referrals.get(department__department_kind="defence")
    services.advice_give(
        actor=world.members["defence"], referral=defence, advice_type="approve", rationale=SECRET_RATIONALE
    )
    url = reverse("applications:detail", args=[application.pk])
    exporter_page = client_for(world.exporter).get(url).content.decode()
    assert SECRET_RATIONALE not in exporter_page
    assert "Advice given" not in exporter_page
    assert "Gave the department" not in exporter_page  # the history hides advice entries too
    assert SECRET_RATIONALE not in client_for(world.members["foreign_affairs"]).get(url).content.decode()
    assert SECRET_RATIONALE in client_for(world.members["defence"]).get(url).content.decode()
    officer_page = client_for(world.officer).get(url).content.decode()
    assert SECRET_RATIONALE in officer_page
    assert "Consolidated advice" in officer_page


def test_officer_cannot_see_drafts_and_outsiders_get_404(world: World) -> None:
    draft = complete_draft(world)
    assert client_for(world.officer).get(reverse("applications:detail", args=[draft.pk])).status_code == 404
    customs = user_with_role(Role.CUSTOMS_OFFICER)
    assert client_for(customs).get(reverse("applications:queue")).status_code == 404
    assert client_for(world.exporter).get(reverse("applications:queue")).status_code == 404
    assert client_for(world.exporter).get(reverse("applications:meetings")).status_code == 404
    assert client_for(world.officer).get(reverse("applications:routing_rules")).status_code == 404
    assert client_for(world.senior).get(reverse("applications:routing_rules")).status_code == 200


def test_document_download_is_permission_checked(world: World) -> None:
    application = submitted(world)
    document = application.end_user_certificate.document
    assert document is not None
    url = reverse("applications:document_download", args=[document.pk])
    response = client_for(world.exporter).get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert client_for(user_with_role(Role.EXPORTER_ADMIN)).get(url).status_code == 404


# The exporter's forms -------------------------------------------------------------------------------------------


def test_exporter_drafts_and_submits_through_the_pages(world: World) -> None:
    client = client_for(world.exporter)
    response = client.post(
        reverse("applications:create"),
        {
            "destination": "PL",
            "end_use_statement": "Land forces",
            "contract_reference": "C-1",
            "contract_value": "100",
            "contract_currency": "EUR",
        },
    )
    application = Application.objects.get(applicant=world.exporter_org)
    assert response.status_code == 302
    detail = reverse("applications:detail", args=[application.pk])
    assert client.get(detail).status_code == 200
    # Incomplete: the submit page names what is missing, stores nothing.
    response = client.post(reverse("applications:submit", args=[application.pk]))
    assert response.status_code == 200
    assert "the end user" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    client.post(
        reverse("applications:goods_add", args=[application.pk]),
        {"product": str(world.product.pk), "quantity": "2", "unit_value": "50", "currency": "EUR"},
    )
    client.post(
        reverse("applications:party_add", args=[application.pk]),
        {"role": "end_user", "name": "MoD", "country": "PL", "kind": "armed_forces", "address": "Warsaw"},
    )
    client.post(
        reverse("applications:euc", args=[application.pk]),
        {
            "number": "EUC-1",
            "issue_date": "2025-01-02",
            "issuing_authority": "MoD",
            "signatory": "Col. X",
            "file": SimpleUploadedFile("euc.pdf", pdf_bytes("EUC"), content_type="application/pdf"),
        },
    )
    client.post(
        reverse("applications:document_add", args=[application.pk]),
        {"kind": "contract", "file": SimpleUploadedFile("c.pdf", pdf_bytes("C"), content_type="application/pdf")},
    )
    response = client.post(reverse("applications:submit", args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert verbs(application)[:7] == [
        "application.created",
        "application.goods_line_added",
        "application.party_added",
        "application.document_attached",
        "application.euc_recorded",
        "application.document_attached",
        "application.submit",
    ]


def test_drafting_errors_show_the_service_message(world: World) -> None:
    application = services.application_create(actor=world.exporter, destination="PL")
    client = client_for(world.exporter)
    response = client.post(
        reverse("applications:party_add", args=[application.pk]),
        {"role": "end_user", "name": "X", "country": "ZZ", "kind": "government"},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    response = client.post(
        reverse("applications:goods_add", args=[application.pk]),
        {"product": str(world.product.pk), "quantity": "0", "unit_value": "1", "currency": "EUR"},
    )
    assert response.status_code == 200
    assert "the quantity must be at least 1" in response.content.decode()
    assert not application.goods_lines.exists()
    assert not application.parties.exists()


def test_information_answer_withdraw_and_amend(world: World) -> None:
    application = submitted(world)
    officer = client_for(world.officer)
    response = officer.post(
        reverse("applications:request_information", args=[application.pk]), {"question": "Send the annex."}
    )
    assert response.status_code == 302
    exporter = client_for(world.exporter)
    page = exporter.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Send the annex." in page
    exporter.post(reverse("applications:answer", args=[application.pk]), {"answer": "Attached."})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert "information.answered" in verbs(application)
    response = exporter.post(reverse("applications:amend", args=[application.pk]))
    amendment = Application.objects.get(supersedes=application)
    assert response["Location"] == reverse("applications:detail", args=[amendment.pk])
    response = exporter.post(reverse("applications:withdraw", args=[amendment.pk]), {"reason": "x"})
    assert response.status_code == 200  # a draft is not withdrawn: the workflow's refusal is shown on the form
    assert "cannot be moved" in response.content.decode()
    amendment.refresh_from_db()
    assert amendment.status == ApplicationStatus.DRAFT


def test_withdraw_needs_a_reason(world: World) -> None:
    application = submitted(world)
    client = client_for(world.exporter)
    response = client.post(reverse("applications:withdraw", args=[application.pk]), {"reason": ""})
    assert response.status_code == 200
    response = client.post(reverse("applications:withdraw", args=[application.pk]), {"reason": "contract lost"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert "application.withdraw" in verbs(application)


# Casework --------------------------------------------------------------------------------------------------------


def test_case_officer_assigns_rechecks_and_marks_ready(world: World) -> None:
    application = submitted(world)
    client = client_for(world.officer)
    client.post(reverse("applications:assign", args=[application.pk]), {"officer": "me"})
    application.refresh_from_db()
    assert application.assigned_officer == world.officer
    client.post(reverse("applications:recheck", args=[application.pk]))
    assert application.check_runs.count() == 2
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Earlier runs (1)" in page
    assert "has not advised yet" in page  # each department that must still advise, named
    client.post(reverse("applications:mark_ready", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW  # refused: advice outstanding
    advise_all(world, application)
    client.post(reverse("applications:mark_ready", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.READY_FOR_COMMISSION
    client.post(reverse("applications:send_back", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert {"application.assigned", "application.checks_run", "application.mark_ready", "application.send_back"} <= set(
        verbs(application)
    )


def test_conflicting_advice_is_shown_and_resolved(world: World) -> None:
    application = submitted(world)
    for referral in application.referrals.select_related("department"):
        kind = referral.department.department_kind
        refuse = kind == DepartmentKind.FOREIGN_AFFAIRS
        services.advice_give(
            actor=world.members[kind],
            referral=referral,
            advice_type="refuse" if refuse else "approve",
            rationale="x",
            refusal_criteria=[2] if refuse else [],
        )
        if refuse:
            services.advice_countersign(actor=world.department_seniors[kind], referral=referral)
    client = client_for(world.officer)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Conflicting advice" in page
    client.post(reverse("applications:resolve", args=[application.pk]), {"resolution": "To the commission"})
    application.refresh_from_db()
    assert application.advice_resolution == "To the commission"
    assert "advice.conflict_resolved" in verbs(application)


def test_queue_filters_saved_filters_and_bounded_queries(world: World, django_assert_max_num_queries: Any) -> None:
    for _ in range(4):
        submitted(world)
    client = client_for(world.officer)
    with django_assert_max_num_queries(12):  # session, user, roles, the page, its count, the clocks, saved filters
        response = client.get(reverse("applications:queue"), {"destination": "PL"})
    assert response.status_code == 200
    assert response.content.decode().count('data-reference="EXP-') == 4
    response = client.get(reverse("applications:queue"), {"flag": "mine"}, HTTP_HX_REQUEST="true")
    assert "No case matches." in response.content.decode()
    assert "<html" not in response.content.decode()
    client.post(reverse("applications:filter_save"), {"name": "Poland", "destination": "PL"})
    saved = SavedFilter.objects.get(owner=world.officer)
    assert saved.params == {"destination": "PL"}
    assert "Poland" in client.get(reverse("applications:queue")).content.decode()
    client.post(reverse("applications:filter_delete", args=[saved.pk]))
    assert not SavedFilter.objects.exists()


def test_queue_queries_do_not_grow_with_the_cases(world: World, django_assert_max_num_queries: Any) -> None:
    """The same number of queries for one case as for four: the case clocks' overdue referrals are counted for the
    whole page in one query."""
    client = client_for(world.officer)
    submitted(world)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("applications:queue"))
    for _ in range(3):
        submitted(world)
    with CaptureQueriesContext(connection) as four:
        client.get(reverse("applications:queue"))
    assert len(four) == len(one)


# Departments ---------------------------------------------------------------------------------------------------


def test_department_inbox_and_advice_form(world: World) -> None:
    application = submitted(world)
    member = world.members["foreign_affairs"]
    client = client_for(member)
    inbox = client.get(reverse("applications:referred")).content.decode()
    assert application.reference in inbox
    referral = application.referrals.get(department__department_kind="foreign_affairs")
    url = reverse("applications:advice", args=[referral.pk])
    response = client.post(url, {"advice_type": "refuse", "rationale": "risk"})
    assert response.status_code == 200
    assert "a refusal cites the criteria it rests on" in response.content.decode()
    assert not Advice.objects.exists()
    response = client.post(url, {"advice_type": "refuse", "rationale": "risk", "refusal_criteria": ["2", "7"]})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_COUNTERSIGNATURE
    senior = client_for(world.department_seniors["foreign_affairs"])
    page = senior.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Countersign the advice" in page
    senior.post(reverse("applications:advice_countersign", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETE
    assert {"advice.given", "advice.countersigned"} <= set(verbs(application))


# The commission -------------------------------------------------------------------------------------------------


def test_meeting_from_creation_to_decision_through_the_pages(world: World) -> None:
    application = ready(world)
    client = client_for(world.officer)
    response = client.post(
        reverse("applications:meeting_create"),
        {"scheduled_for": "2026-11-20 10:00", "quorum_minimum": "2", "quorum_departments": ["defence"]},
    )
    meeting = CommissionMeeting.objects.get()
    assert response["Location"] == reverse("applications:meeting", args=[meeting.pk])
    members = [world.members["defence"], world.members["foreign_affairs"]]
    client.post(
        reverse("applications:meeting_members", args=[meeting.pk]),
        {"members": [str(m.pk) for m in members], "present": [str(m.pk) for m in members]},
    )
    assert meeting.members.filter(present=True).count() == 2
    page = client.get(reverse("applications:meeting", args=[meeting.pk])).content.decode()
    assert application.reference in page  # offered for the agenda
    client.post(reverse("applications:agenda_add", args=[meeting.pk]), {"application": str(application.pk)})
    client.post(reverse("applications:meeting_open", args=[meeting.pk]))
    item = meeting.agenda.get()
    voter = client_for(world.members["defence"])
    assert voter.post(reverse("applications:vote", args=[item.pk]), {"vote": "approve"}).status_code == 302
    response = voter.post(reverse("applications:vote", args=[item.pk]), {"vote": "refuse"})
    assert response.status_code == 200
    assert "you have already voted on this case" in response.content.decode()
    assert MemberVote.objects.count() == 1
    response = client.post(
        reverse("applications:decision", args=[item.pk]), {"outcome": "approve_with_conditions", "conditions": ""}
    )
    assert response.status_code == 200
    assert "state the conditions" in response.content.decode()
    client.post(
        reverse("applications:decision", args=[item.pk]),
        {"outcome": "approve_with_conditions", "conditions": "DVC within 90 days"},
    )
    application.refresh_from_db()
    assert (application.status, application.outcome) == (ApplicationStatus.DECIDED, "approve_with_conditions")
    client.post(reverse("applications:meeting_close", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == "closed"
    assert verbs(meeting) == [
        "meeting.created",
        "meeting.members_set",
        "meeting.case_added",
        "meeting.opened",
        "meeting.closed",
    ]
    exporter_page = client_for(world.exporter).get(reverse("applications:detail", args=[application.pk]))
    text = exporter_page.content.decode()
    assert "Approve with conditions" in text
    assert "DVC within 90 days" in text
    minutes = client.get(reverse("applications:minutes", args=[meeting.pk]))
    assert minutes["Content-Disposition"].startswith("attachment")
    assert minutes.content.startswith(b"%PDF")


def test_decision_without_quorum_is_refused_on_the_form(world: World) -> None:
    application = ready(world)
    item = in_session(world, application, present=[world.members["economy"]])
    response = client_for(world.officer).post(reverse("applications:decision", args=[item.pk]), {"outcome": "approve"})
    assert response.status_code == 200
    assert "no quorum" in response.content.decode()
    assert not Decision.objects.exists()


def test_refusal_is_countersigned_and_appealed(world: World) -> None:
    application = ready(world)
    item = in_session(world, application)
    client = client_for(world.senior)
    client.post(
        reverse("applications:decision", args=[item.pk]),
        {"outcome": "refuse", "refusal_criteria": ["7"], "reasons": "diversion"},
    )
    decision = Decision.objects.get()
    assert decision.status == DecisionStatus.AWAITING_COUNTERSIGNATURE
    other = client_for(world.senior_2)
    assert "Countersign the decision" in other.get(reverse("applications:agenda_item", args=[item.pk])).content.decode()
    other.post(reverse("applications:decision_countersign", args=[item.pk]))
    application.refresh_from_db()
    assert application.outcome == "refuse"
    exporter = client_for(world.exporter)
    page = exporter.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Risk of diversion or re-export" in page
    assert "Appeal the decision" in page
    exporter.post(reverse("applications:appeal", args=[application.pk]), {"grounds": "EUC verified"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPEALED
    assert client_for(world.senior).get(reverse("applications:appeal_decide", args=[application.pk])).status_code == 403
    fresh = UserFactory(organisation=world.authority, roles=[Role.SENIOR_OFFICER])
    reviewer = client_for(fresh)
    page = reviewer.get(reverse("applications:appeal_decide", args=[application.pk])).content.decode()
    assert "EUC verified" in page
    reviewer.post(
        reverse("applications:appeal_decide", args=[application.pk]), {"decision": "overturn", "reasons": "verified"}
    )
    application.refresh_from_db()
    assert (application.status, application.outcome) == (ApplicationStatus.DECIDED, "approve")
    assert "appeal.decided" in verbs(application)


# Configuration ---------------------------------------------------------------------------------------------------


def test_routing_rules_and_risk_profiles(world: World) -> None:
    client = client_for(world.senior)
    response = client.post(
        reverse("applications:routing_rule_create"),
        {
            "name": "Missiles",
            "priority": "5",
            "departments": "defence, security",
            "control_entry_prefixes": "ML4",
            "due_working_days": "5",
            "active": "on",
        },
    )
    assert response.status_code == 302
    rule = RoutingRule.objects.get(name="Missiles")
    assert rule.departments == ["defence", "security"]
    assert rule.control_entry_prefixes == ["ML4"]
    response = client.post(
        reverse("applications:routing_rule_edit", args=[rule.pk]),
        {"name": "Missiles", "priority": "5", "departments": "nobody", "due_working_days": "5"},
    )
    assert response.status_code == 200
    rule.refresh_from_db()
    assert rule.departments == ["defence", "security"]
    data = {"country": "PL", "notes": "ok", "source": "FCDO", **{f"criterion_{n}": "1" for n in range(1, 9)}}
    data["criterion_7"] = "3"
    assert client.post(reverse("applications:risk_profile_create"), data).status_code == 302
    profile = DestinationRiskProfile.objects.get(country__iso2="PL")
    assert profile.level(7) == 3
    assert "risk_profile.set" in verbs(profile)
    assert client.get(reverse("applications:risk_profile_edit", args=["PL"])).status_code == 200
    assert client_for(world.officer).post(reverse("applications:risk_profile_create"), data).status_code == 404


def test_navigation_and_home_sections(world: World) -> None:
    labels = {item["label"] for item in navigation_for(world.exporter, "/")}
    assert "Licence applications" in labels
    assert "Work queue" not in labels
    labels = {item["label"] for item in navigation_for(world.officer, "/")}
    assert {"Work queue", "Commission"} <= labels
    labels = {item["label"] for item in navigation_for(world.members["defence"], "/")}
    assert {"Referred cases", "Commission"} <= labels
    labels = {item["label"] for item in navigation_for(world.senior, "/")}
    assert "Case rules" in labels
    settings_links = {
        link["label"]
        for section in home_sections_for(world.senior)
        if section["title"] == "Case rules"
        for link in section["links"]
    }
    assert settings_links == {"Routing rules", "Risk profiles", "Licence types"}
    assert any(s["title"] == "Licence applications" for s in home_sections_for(world.exporter))


def test_an_exporter_whose_case_failed_its_checks_reads_which_and_why(world: World) -> None:
    application = services.application_submit(actor=world.exporter, application=complete_draft(world, "RU"))
    assert application.status == ApplicationStatus.CHECKS_FAILED
    page = client_for(world.exporter).get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert 'id="failed-checks"' in page
    assert '<li data-check="embargo"><strong>Destination embargo</strong>' in page
    assert "2014/512/CFSP" in page
    assert 'data-check="eligibility"' in page
    # Amounts read with thousands separators and their currency.
    assert "1,500,000.00 EUR" in page
    assert "1500000.00" not in page
