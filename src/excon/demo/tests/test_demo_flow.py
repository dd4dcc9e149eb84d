"""A brand-new case walks through the demo world's own users, from the exporter's draft to a signed licence that
verifies, without creating anyone: every role the routing rules need exists in the demo."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from excon.accounts.models import Organisation, User
from excon.accounts.selectors import users_with_roles
from excon.applications import services
from excon.applications.defaults import DEFAULT_RULES
from excon.applications.enums import ApplicationStatus, ReferralStatus
from excon.core.roles import OrganisationKind, Role
from excon.demo.products import technical_pdf
from excon.demo.world import build_demo_world
from excon.licences import services as licence_services
from excon.licences.document import verification_url
from excon.products.models import Product

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo() -> None:
    call_command("load_refdata", verbosity=0)
    build_demo_world()


def _one(role: str, organisation: Organisation) -> User:
    found = list(users_with_roles([role], organisation=organisation))
    assert found, f"no {role} in {organisation.name}"
    return found[0]


def test_every_department_the_rules_name_has_an_adviser_and_a_senior_officer() -> None:
    named = {kind for rule in DEFAULT_RULES for kind in rule["departments"]}
    for kind in named:
        department = Organisation.objects.get(kind=OrganisationKind.DEPARTMENT, department_kind=kind)
        _one(Role.COMMISSION_MEMBER, department)
        _one(Role.SENIOR_OFFICER, department)


def test_a_new_case_goes_from_submission_to_a_licence_with_the_demo_users(client: Client) -> None:
    users_before = User.objects.count()
    exporter = User.objects.get(username="northfield.admin")
    officer = User.objects.get(username="officer")
    product = Product.objects.get(manufacturer=exporter.organisation, designation="NAW-4 Ranger")
    draft = services.application_create(
        actor=exporter,
        destination="PL",
        end_use_statement="For the Polish Land Forces; no re-export without consent.",
        contract_reference="NEW-CASE-1",
        contract_value="2900000.00",
        contract_currency="EUR",
    )
    services.goods_line_add(
        actor=exporter, application=draft, product_id=product.pk, quantity=2, unit_value="1450000.00", currency="EUR"
    )
    services.party_add(
        actor=exporter, application=draft, role="end_user", name="Polish Land Forces", country="PL", kind="armed_forces"
    )
    services.end_user_certificate_set(
        actor=exporter,
        application=draft,
        number="EUC-NEW-1",
        issue_date=timezone.localdate() - dt.timedelta(days=3),
        issuing_authority="Ministry of National Defence (PL)",
        signatory="Head of Armaments",
        file=io.BytesIO(technical_pdf("EUC", "design")),
        filename="euc.pdf",
    )
    application = services.application_submit(actor=exporter, application=draft)
    failed = [
        (result.check_name, result.summary)
        for result in application.check_runs.get().results.all()
        if result.outcome == "fail"
    ]
    assert application.status == ApplicationStatus.UNDER_REVIEW, failed
    referrals = list(application.referrals.select_related("department"))
    assert referrals
    # Defence refuses (a refusal always waits for the department's senior officer); the others approve.
    for referral in referrals:
        department = referral.department
        refuse = department.department_kind == "defence"
        services.advice_give(
            actor=_one(Role.COMMISSION_MEMBER, department),
            referral=referral,
            advice_type="refuse" if refuse else "approve",
            refusal_criteria=[7] if refuse else [],
            rationale="Diversion risk." if refuse else "No objection.",
        )
        referral.refresh_from_db()
        if referral.status == ReferralStatus.AWAITING_COUNTERSIGNATURE:
            services.advice_countersign(actor=_one(Role.SENIOR_OFFICER, department), referral=referral)
            referral.refresh_from_db()
        assert referral.status == ReferralStatus.COMPLETE, department.name
    problems = services.readiness_problems(application)
    assert [p["code"] for p in problems] == ["application.advice_conflicting"]
    services.conflict_resolve(actor=officer, application=application, resolution="Put both views to the commission.")
    services.application_mark_ready(actor=officer, application=application)
    members = list(users_with_roles([Role.COMMISSION_MEMBER], organisation_kind=OrganisationKind.DEPARTMENT))
    meeting = services.meeting_create(
        actor=officer, scheduled_for=timezone.now(), quorum_minimum=3, quorum_departments=["defence", "foreign_affairs"]
    )
    services.meeting_set_members(
        actor=officer, meeting=meeting, member_ids=[m.pk for m in members], present_ids=[m.pk for m in members]
    )
    item = services.agenda_add(actor=officer, meeting=meeting, application=application)
    services.meeting_open(actor=officer, meeting=meeting)
    for member in members:
        services.vote_cast(actor=member, item=item, vote="approve")
    services.decision_record(actor=officer, item=item, outcome="approve")
    application.refresh_from_db()
    licence = licence_services.licence_issue(actor=officer, application=application)
    assert licence.signature
    assert User.objects.count() == users_before  # nobody was created on the way
    # The QR code's address verifies on the public page.
    parts = urlsplit(verification_url(licence))
    page = client.get(parts.path, {key: values[0] for key, values in parse_qs(parts.query).items()})
    assert page.status_code == 200
    assert page.context["result"].authentic
