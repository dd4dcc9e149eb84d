"""A licence of each type other than the standard one (the standard licence is NAW-APPR-06 in applications.py),
made by the demo users through the services: an open licence to three destinations with an uncapped line and
its returns, a temporary export for an exhibition with its items out, a brokering licence, and a technology
transfer with the receiving side's undertaking."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone

from excon.accounts.models import User
from excon.applications import services
from excon.applications.models import Application
from excon.licences import services as licence_services
from excon.products.models import Product

from .applications import advise, record_certificate
from .products import technical_pdf

# (contract reference, type, destination, end user, the type's particulars)
TYPED_CASES: tuple[tuple[str, str, str, str, dict[str, Any]], ...] = (
    ("NAW-OPEN-12", "open", "PL", "Polish Land Forces Command", {"further_destinations": ["LT", "LV"]}),
    ("NAW-TEMP-13", "temporary", "DE", "Eurosatory Germany pavilion", {"temporary_purpose": "exhibition"}),
    (
        "NAW-BRK-14",
        "brokering",
        "EE",
        "Estonian Defence Forces",
        {"broker_name": "Northfield Armour Trading desk", "broker_country": "UA", "source_country": "GB"},
    ),
    (
        "NAW-TT-15",
        "technology_transfer",
        "PL",
        "Huta Stalowa Wola",
        {
            "transfer_kind": "production_rights",
            "transferred": "Licensed production of the NAW-4 hull and drive train: drawing set D-400, process sheets.",
        },
    ),
)
RETURN_DAYS = 45


def _typed_draft(
    owner: User, product: Product, reference: str, kind: str, destination: str, end_user: str, terms: dict[str, Any]
) -> Application:
    application = services.application_create(
        actor=owner,
        application_type=kind,
        destination=destination,
        end_use_statement=f"For {end_user}; no re-export or re-transfer without the authority's consent.",
        contract_reference=reference,
        contract_value="2900000.00",
        contract_currency="EUR",
    )
    services.goods_line_add(
        actor=owner,
        application=application,
        product_id=product.pk,
        quantity=2,
        unit_value="1450000.00",
        currency="EUR",
    )
    services.party_add(
        actor=owner,
        application=application,
        role="end_user",
        name=end_user,
        country=destination,
        kind="commercial" if kind == "temporary" else "armed_forces",
    )
    if kind == "open":
        services.goods_line_add(
            actor=owner,
            application=application,
            product_id=product.pk,
            quantity=14,  # an uncapped estimate, which the supply check counts: kept within the surplus
            unit_value="25000.00",
            currency="EUR",
            capped=False,
        )
        for name, country in (("Lithuanian Armed Forces depot", "LT"), ("Latvian National Armed Forces depot", "LV")):
            services.party_add(
                actor=owner,
                application=application,
                role="consignee",
                name=name,
                country=country,
                kind="armed_forces",
            )
    if kind == "temporary":
        terms = {**terms, "return_date": timezone.localdate() + dt.timedelta(days=RETURN_DAYS)}
    services.application_terms_set(actor=owner, application=application, **terms)
    if kind == "technology_transfer":
        services.document_attach(
            actor=owner,
            application=application,
            kind="undertaking",
            file=io.BytesIO(technical_pdf(reference, "design")),
            filename=f"undertaking-{reference}.pdf",
            description="No re-transfer of the production rights",
        )
    record_certificate(owner, application, reference, destination)
    return application


def _approve(users: dict[str, User], application: Application) -> Application:
    """Submitted, advised by every department, decided by the commission."""
    officer = users["officer"]
    application = services.application_submit(actor=users["northfield.admin"], application=application)
    services.application_assign(actor=officer, application=application, officer=officer)
    advise(users, application)
    services.application_mark_ready(actor=officer, application=application)
    meeting = services.meeting_create(actor=officer, scheduled_for=timezone.now(), quorum_minimum=1)
    present = [users["commission.defence"].pk, users["commission.foreign"].pk]
    services.meeting_set_members(actor=officer, meeting=meeting, member_ids=present, present_ids=present)
    item = services.agenda_add(actor=officer, meeting=meeting, application=application)
    services.meeting_open(actor=officer, meeting=meeting)
    services.decision_record(actor=officer, item=item, outcome="approve", conditions="")
    application.refresh_from_db()
    return application


def build_demo_licence_types(users: dict[str, User]) -> int:
    """One licence of each type beside the standard one; nothing when they exist already (idempotent)."""
    owner = users["northfield.admin"]
    product = Product.objects.filter(
        manufacturer=owner.organisation, designation="NAW-4 Ranger", status="decided"
    ).first()
    references = [case[0] for case in TYPED_CASES]
    if product is None or Application.objects.filter(contract_reference__in=references).exists():
        return 0
    for reference, kind, destination, end_user, terms in TYPED_CASES:
        application = _approve(users, _typed_draft(owner, product, reference, kind, destination, end_user, terms))
        licence = licence_services.licence_issue(actor=users["officer"], application=application)
        if kind == "open":
            licence_services.shipment_record(
                actor=owner,
                licence=licence,
                shipped_on=timezone.localdate(),
                destination="LT",
                lines=[licence_services.ShipmentLineInput(2, 12, "300000.00")],
                declaration_number="UA-EXP-2026-000512",
                exit_point="Yahodyn",
                transport="road",
            )
        elif kind == "temporary":
            licence_services.shipment_record(
                actor=owner,
                licence=licence,
                shipped_on=timezone.localdate(),
                lines=[licence_services.ShipmentLineInput(1, 1, "1450000.00", ["NAW4-EXPO-01"])],
                declaration_number="UA-EXP-2026-000513",
                exit_point="Rava-Ruska",
                transport="low-loader",
            )
    return len(TYPED_CASES)
