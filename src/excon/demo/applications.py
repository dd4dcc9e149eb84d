"""Demo licence applications in every stage of the case lifecycle, made by the demo users through the services."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from excon.accounts.models import User
from excon.applications import services
from excon.applications.enums import ReferralStatus
from excon.applications.models import Application
from excon.licences import services as licence_services
from excon.products.models import Product

from .products import technical_pdf

# (contract reference, destination, quantity, end user, stage)
DEMO_CASES = (
    ("NAW-DRAFT-01", "DE", 6, "Bundeswehr Logistics Command", "draft"),
    ("NAW-REV-02", "PL", 12, "Polish Land Forces Command", "under_review"),
    ("NAW-RU-03", "RU", 4, "Rosoboronexport JSC", "checks_failed"),
    ("NAW-RFI-04", "EE", 8, "Estonian Defence Forces", "awaiting_information"),
    ("NAW-READY-05", "LT", 10, "Lithuanian Armed Forces", "ready_for_commission"),
    ("NAW-APPR-06", "LV", 5, "Latvian National Armed Forces", "approved"),
    ("NAW-REF-07", "RO", 20, "Romanian Land Forces", "refused"),
    ("NAW-APL-08", "CZ", 3, "Czech Armed Forces", "appealed"),
    ("NAW-WD-09", "SK", 2, "Slovak Armed Forces", "withdrawn"),
    ("NAW-AMD-10", "NL", 7, "Royal Netherlands Army", "amended"),
    # To Poland, but the end user is on the UN Security Council list (DPRK) and sits in North Korea: the
    # screening check holds it for compliance and the party-country check fails it.
    ("NAW-UN-11", "PL", 2, "Korea Mining Development Trading Corporation", "checks_failed"),
)
# End users that do not sit in the destination country.
END_USER_COUNTRIES = {"NAW-UN-11": "KP"}

# Who countersigns each department's advice in the demo (its own senior officer: no one else may).
DEPARTMENT_SENIORS = {
    "defence": "defence.senior",
    "foreign_affairs": "foreign.senior",
    "security": "security.senior",
    "economy": "economy.senior",
}

RISK_PROFILES = {
    "PL": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0, "6": 0, "7": 0, "8": 0},
    "RO": {"1": 0, "2": 1, "3": 0, "4": 1, "5": 0, "6": 0, "7": 3, "8": 1},
    "RU": {"1": 3, "2": 3, "3": 2, "4": 3, "5": 3, "6": 3, "7": 3, "8": 1},
}


def _draft(
    owner: User, product: Product, reference: str, destination: str, quantity: int, end_user: str
) -> Application:
    application = services.application_create(
        actor=owner,
        destination=destination,
        end_use_statement=f"For the use of the {end_user}; no re-export without the authority's consent.",
        contract_reference=reference,
        contract_value=str(quantity * 1_450_000),
        contract_currency="EUR",
    )
    services.goods_line_add(
        actor=owner,
        application=application,
        product_id=product.pk,
        quantity=quantity,
        unit_value="1450000.00",
        currency="EUR",
    )
    services.party_add(
        actor=owner,
        application=application,
        role="end_user",
        name=end_user,
        country=END_USER_COUNTRIES.get(reference, destination),
        kind="commercial" if reference in END_USER_COUNTRIES else "armed_forces",
    )
    record_certificate(owner, application, reference, destination)
    return application


def record_certificate(owner: User, application: Application, reference: str, destination: str) -> None:
    """The end-user certificate of a demo case, with its scanned file."""
    services.end_user_certificate_set(
        actor=owner,
        application=application,
        number=f"EUC-{reference}",
        issue_date=timezone.localdate() - dt.timedelta(days=30),
        issuing_authority=f"Ministry of Defence ({destination})",
        signatory="Head of Armaments Directorate",
        file=io.BytesIO(technical_pdf(reference, "design")),
        filename=f"euc-{reference}.pdf",
    )


def advise(users: dict[str, User], application: Application, refuse: bool = False) -> None:
    members = {
        "defence": users["commission.defence"],
        "foreign_affairs": users["commission.foreign"],
        "security": users["commission.security"],
        "economy": users["commission.economy"],
    }
    for referral in application.referrals.select_related("department"):
        kind = referral.department.department_kind
        if refuse and kind == "foreign_affairs":
            services.advice_give(
                actor=members[kind],
                referral=referral,
                advice_type="refuse",
                refusal_criteria=[7],
                rationale="Risk of diversion to third parties (criterion 7).",
            )
        else:
            services.advice_give(
                actor=members[kind], referral=referral, advice_type="approve", rationale="No objection on our side."
            )
        referral.refresh_from_db()
        if referral.status == ReferralStatus.AWAITING_COUNTERSIGNATURE:
            services.advice_countersign(actor=users[DEPARTMENT_SENIORS[kind]], referral=referral)


def _issue_and_ship(users: dict[str, User], application: Application) -> None:
    """The approved case gets its signed licence, and a first shipment with serial numbers is recorded."""
    application.refresh_from_db()
    licence = licence_services.licence_issue(actor=users["officer"], application=application)
    licence_services.shipment_record(
        actor=users["northfield.admin"],
        licence=licence,
        shipped_on=timezone.localdate(),
        lines=[licence_services.ShipmentLineInput(1, 2, "2900000.00", ["NAW4-0001", "NAW4-0002"])],
        declaration_number="UA-EXP-2026-000417",
        exit_point="Odesa sea port",
        transport="Ro-Ro vessel",
    )


def build_demo_applications(users: dict[str, User]) -> int:
    owner = users["northfield.admin"]
    product = Product.objects.filter(
        manufacturer=owner.organisation, designation="NAW-4 Ranger", status="decided"
    ).first()
    if product is None or Application.objects.filter(applicant=owner.organisation).exists():
        return 0
    for iso2, levels in RISK_PROFILES.items():
        services.risk_profile_set(
            actor=users["senior"],
            country=iso2,
            criterion_levels=levels,
            att_article_6_prohibition=iso2 == "RU",
            source="demo assessment",
            notes="Demonstration values, not a real assessment.",
        )
    officer, senior, senior_2 = users["officer"], users["senior"], users["senior.2"]
    meeting = None
    for reference, destination, quantity, end_user, stage in DEMO_CASES:
        application = _draft(owner, product, reference, destination, quantity, end_user)
        if stage == "draft":
            continue
        application = services.application_submit(actor=owner, application=application)
        if stage in ("under_review", "checks_failed"):
            continue
        if stage == "amended":
            services.application_amend(actor=owner, application=application)  # old one superseded, new draft
            continue
        services.application_assign(actor=officer, application=application, officer=officer)
        if stage == "withdrawn":
            services.application_withdraw(
                actor=owner, application=application, reason="The customer postponed the purchase."
            )
            continue
        if stage == "awaiting_information":
            services.information_request(
                actor=officer, application=application, question="Please send the annex listing the spare parts."
            )
            continue
        advise(users, application, refuse=stage in ("refused", "appealed"))
        if stage in ("refused", "appealed"):
            services.conflict_resolve(
                actor=officer, application=application, resolution="Put to the commission with both views."
            )
        services.application_mark_ready(actor=officer, application=application)
        if stage == "ready_for_commission":
            continue
        if meeting is None:
            meeting = services.meeting_create(
                actor=officer,
                scheduled_for=timezone.now(),
                quorum_minimum=3,
                quorum_departments=["defence", "foreign_affairs"],
            )
            members = [
                users[name]
                for name in ("commission.defence", "commission.foreign", "commission.security", "commission.economy")
            ]
            services.meeting_set_members(
                actor=officer, meeting=meeting, member_ids=[m.pk for m in members], present_ids=[m.pk for m in members]
            )
        item = services.agenda_add(actor=officer, meeting=meeting, application=application)
        if meeting.status == "planned":
            meeting = services.meeting_open(actor=officer, meeting=meeting)
        services.vote_cast(
            actor=users["commission.defence"], item=item, vote="refuse" if stage != "approved" else "approve"
        )
        if stage == "approved":
            services.decision_record(
                actor=officer,
                item=item,
                outcome="approve_with_conditions",
                conditions="A delivery verification certificate within 90 days of delivery.",
            )
            _issue_and_ship(users, application)
            continue
        decision = services.decision_record(
            actor=senior, item=item, outcome="refuse", refusal_criteria=[7], reasons="Risk of diversion."
        )
        services.decision_countersign(actor=senior_2, decision=decision)
        if stage == "appealed":
            application.refresh_from_db()
            services.appeal_lodge(
                actor=owner,
                application=application,
                grounds="The end user is a NATO armed force with end-use controls.",
            )
    return len(DEMO_CASES)
