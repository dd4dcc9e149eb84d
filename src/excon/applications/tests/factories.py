"""A small licensing world for application tests: the authority and its officers, the four departments with
members and senior officers, an exporter with a decided, exportable product, and the default routing rules."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from excon.accounts.models import Organisation, User
from excon.accounts.tests.factories import (
    AuthorityFactory,
    DepartmentFactory,
    OrganisationFactory,
    UserFactory,
)
from excon.applications import services
from excon.applications.defaults import ensure_default_routing_rules
from excon.applications.models import Application
from excon.core.markings import ProtectiveMarking
from excon.core.roles import DepartmentKind, Role
from excon.products import services as product_services
from excon.products.enums import LifecycleStage, ProductAction
from excon.products.models import Product
from excon.products.tests.factories import ProductFactory, control_entry, country, destination_group, pdf_bytes
from excon.refdata.enums import EmbargoAuthority, EmbargoScope
from excon.refdata.models import ArmsEmbargo


@dataclass
class World:
    authority: Organisation
    exporter_org: Organisation
    exporter: User
    officer: User
    senior: User
    senior_2: User
    compliance: User
    departments: dict[str, Organisation]
    members: dict[str, User]
    department_seniors: dict[str, User]
    expert: User
    product: Product


def decided_product(exporter: User, expert: User, designation: str = "NAW-4") -> Product:
    product = ProductFactory(manufacturer=exporter.organisation, designation=designation)
    product_services.product_transition(actor=exporter, product=product, action=ProductAction.SUBMIT)
    product_services.product_transition(actor=expert, product=product, action=ProductAction.START_REVIEW)
    for stage in LifecycleStage.values:
        product_services.stage_waive(actor=expert, product=product, stage=stage, reason="test world")
    product_services.product_classify(actor=expert, product=product, control_codes=["ML6.a"], rationale="APC")
    product_services.eligibility_decide(
        actor=expert, product=product, outcome="eligible", allowed_group_codes=["nato"], allowed_countries=["UA"]
    )
    product.refresh_from_db()
    return product


def licensing_world() -> World:
    for iso2 in ("PL", "DE", "UA", "RU", "BR"):
        country(iso2)
    destination_group("nato", ["PL", "DE"])
    control_entry("ML6.a")
    control_entry("ML4.a")
    ArmsEmbargo.objects.create(
        country=country("RU"),
        imposed_by=EmbargoAuthority.EU,
        scope=EmbargoScope.FULL,
        start_date=dt.date(2014, 7, 31),
        legal_reference="Council Decision 2014/512/CFSP",
    )
    authority = AuthorityFactory()
    departments = {kind: DepartmentFactory(department_kind=kind) for kind in DepartmentKind.values}
    members = {kind: UserFactory(organisation=org, roles=[Role.COMMISSION_MEMBER]) for kind, org in departments.items()}
    seniors = {kind: UserFactory(organisation=org, roles=[Role.SENIOR_OFFICER]) for kind, org in departments.items()}
    expert = UserFactory(
        organisation=departments[DepartmentKind.DEFENCE],
        roles=[Role.TECHNICAL_EXPERT],
        clearance=ProtectiveMarking.SECRET,
    )
    exporter_org = OrganisationFactory()
    exporter = UserFactory(organisation=exporter_org, roles=[Role.EXPORTER_ADMIN])
    ensure_default_routing_rules()
    return World(
        authority=authority,
        exporter_org=exporter_org,
        exporter=exporter,
        officer=UserFactory(organisation=authority, roles=[Role.CASE_OFFICER]),
        senior=UserFactory(organisation=authority, roles=[Role.SENIOR_OFFICER]),
        senior_2=UserFactory(organisation=authority, roles=[Role.SENIOR_OFFICER]),
        compliance=UserFactory(organisation=authority, roles=[Role.COMPLIANCE_OFFICER]),
        departments=departments,
        members=members,
        department_seniors=seniors,
        expert=expert,
        product=decided_product(exporter, expert),
    )


def complete_draft(
    world: World,
    destination: str = "PL",
    quantity: int = 10,
    end_user_kind: str = "armed_forces",
    application_type: str = "standard_individual",
) -> Application:
    exporter = world.exporter
    application = services.application_create(
        actor=exporter,
        application_type=application_type,
        destination=destination,
        end_use_statement="For the land forces' mechanised brigades; no re-export.",
        contract_reference="C-2026-001",
        contract_value="1500000.00",
        contract_currency="EUR",
    )
    services.goods_line_add(
        actor=exporter,
        application=application,
        product_id=world.product.pk,
        quantity=quantity,
        unit_value="150000.00",
        currency="EUR",
    )
    services.party_add(
        actor=exporter,
        application=application,
        role="end_user",
        name="Ministry of National Defence",
        country=destination,
        kind=end_user_kind,
        address="Warsaw",
    )
    services.end_user_certificate_set(
        actor=exporter,
        application=application,
        number="EUC-77/2026",
        issue_date=dt.date(2026, 10, 1),
        issuing_authority="Ministry of National Defence",
        signatory="Col. J. Kowalski",
        file=io.BytesIO(pdf_bytes("EUC")),
        filename="euc.pdf",
    )
    application.refresh_from_db()
    return application


def typed_draft(world: World, application_type: str, **draft: object) -> Application:
    """A complete draft of a licence type with the particulars it needs: an open licence to PL and DE with a
    consignee in DE and a second, uncapped line; a temporary export for an exhibition, back in 60 days; brokering
    from BR to PL; a technology transfer of production rights with the receiving side's undertaking."""
    application = complete_draft(world, application_type=application_type, **draft)  # type: ignore[arg-type]
    exporter = world.exporter
    today = dt.date.today()
    if application_type == "open":
        services.application_terms_set(actor=exporter, application=application, further_destinations=["DE"])
        services.party_add(
            actor=exporter,
            application=application,
            role="consignee",
            name="Bundeswehr depot",
            country="DE",
            kind="armed_forces",
        )
        services.party_add(
            actor=exporter,
            application=application,
            role="consignee",
            name="Land forces depot",
            country="PL",
            kind="armed_forces",
        )
        services.goods_line_add(
            actor=exporter,
            application=application,
            product_id=world.product.pk,
            quantity=100,
            unit_value="1000.00",
            currency="EUR",
            capped=False,
        )
    elif application_type == "temporary":
        services.application_terms_set(
            actor=exporter,
            application=application,
            temporary_purpose="exhibition",
            return_date=today + dt.timedelta(days=60),
        )
    elif application_type == "brokering":
        services.application_terms_set(
            actor=exporter,
            application=application,
            broker_name="Northfield Trading",
            broker_country="UA",
            source_country="BR",
        )
    elif application_type == "technology_transfer":
        services.application_terms_set(
            actor=exporter,
            application=application,
            transfer_kind="production_rights",
            transferred="Licensed production of the hull and drive train; drawings set D-100.",
        )
        services.document_attach(
            actor=exporter,
            application=application,
            kind="undertaking",
            file=io.BytesIO(pdf_bytes("UND")),
            filename="undertaking.pdf",
            description="No re-transfer without consent",
        )
    application.refresh_from_db()
    return application
