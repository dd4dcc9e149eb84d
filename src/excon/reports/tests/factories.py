"""Builders for report tests: licences (issued by ExCon or legacy), lines, refusals and shipments straight in the
database — the reports only read them — and readers of each role."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from excon.accounts.models import Organisation, User
from excon.accounts.tests.factories import AuthorityFactory, DepartmentFactory, OrganisationFactory, UserFactory
from excon.applications.enums import ApplicationType
from excon.core.markings import ProtectiveMarking
from excon.core.roles import DepartmentKind, Role
from excon.licences.enums import LegacyOutcome, LicenceSource, LicenceStatus, ShipmentSource
from excon.licences.models import Licence, LicenceLine, RefusalCriterion, Shipment, ShipmentLine
from excon.products.models import Product
from excon.products.tests.factories import control_entry, country

_counter = {"n": 0}


def _next(prefix: str) -> str:
    _counter["n"] += 1
    return f"{prefix}-{_counter['n']:06d}"


def analyst(clearance: str = ProtectiveMarking.SECRET, organisation: Organisation | None = None) -> User:
    return UserFactory(organisation=organisation or AuthorityFactory(), roles=[Role.ANALYST], clearance=clearance)


def department_analyst() -> User:
    return UserFactory(organisation=DepartmentFactory(department_kind=DepartmentKind.ECONOMY), roles=[Role.ANALYST])


def auditor() -> User:
    return UserFactory(organisation=AuthorityFactory(), roles=[Role.AUDITOR])


def exporter_user() -> User:
    return UserFactory(organisation=OrganisationFactory(), roles=[Role.EXPORTER_ADMIN])


def licence(
    *,
    on: dt.date,
    destination: str = "PL",
    lines: list[dict[str, Any]] | None = None,
    legacy: str = "",
    criteria: list[int] | None = None,
    holder: Organisation | None = None,
    licence_type: str = ApplicationType.STANDARD_INDIVIDUAL,
    consignees: list[dict[str, str]] | None = None,
) -> Licence:
    """A licence dated `on` with lines {entry, value, currency, quantity, product, description}; `legacy`
    issued/refused makes it an imported historical one; `consignees` as the licence records them."""
    made = Licence.objects.create(
        number=_next("LIC-T"),
        licence_type=licence_type,
        consignees=consignees or [],
        holder=holder or OrganisationFactory(),
        source=LicenceSource.LEGACY if legacy else LicenceSource.ISSUED,
        legacy_outcome=legacy,
        status=LicenceStatus.HISTORICAL if legacy else LicenceStatus.ACTIVE,
        destination=country(destination),
        issued_on=on,
        valid_from=on,
        valid_until=None if legacy else on + dt.timedelta(days=730),
    )
    for number, spec in enumerate(lines or [{}], start=1):
        LicenceLine.objects.create(
            licence=made,
            line_number=number,
            product=spec.get("product"),
            description=spec.get("description", "goods"),
            control_entry=control_entry(spec.get("entry", "ML6.a")),
            quantity=spec.get("quantity"),
            value=Decimal(str(spec.get("value", "100.00"))),
            currency=spec.get("currency", "EUR"),
        )
    if legacy == LegacyOutcome.REFUSED:
        for criterion in criteria or []:
            RefusalCriterion.objects.create(licence=made, criterion=criterion)
    return made


def shipment(line: LicenceLine, *, on: dt.date, quantity: int, value: str, recorded_by: User) -> Shipment:
    """A shipment against one line, counters updated as the shipment service does."""
    made = Shipment.objects.create(
        reference=_next("SHP-T"),
        licence=line.licence,
        shipped_on=on,
        destination=line.licence.destination,
        source=ShipmentSource.CUSTOMS,
        recorded_by=recorded_by,
    )
    ShipmentLine.objects.create(shipment=made, licence_line=line, quantity=quantity, value=Decimal(value))
    line.shipped_quantity += quantity
    line.shipped_value += Decimal(value)
    line.save()
    return made


def mapped_entries() -> None:
    """ML entries mapped to UN Register categories as in the reference data (ML6.a vehicles → II, ML1 small
    arms → SALW, ML4.a missiles → VII), and an entry outside the treaty categories (ML8 energetic materials)."""
    control_entry("ML6", unroca_categories=["II"], att_categories=["b"])
    control_entry("ML6.a", unroca_categories=["II"], att_categories=["b"])
    control_entry("ML1", unroca_categories=["SALW"], att_categories=["h"])
    control_entry("ML1.a", unroca_categories=["SALW"], att_categories=["h"])
    control_entry("ML4", unroca_categories=["VII"], att_categories=["g"])
    control_entry("ML4.a", unroca_categories=["VII"], att_categories=["g"])
    control_entry("ML8")


def secret_product(manufacturer: Organisation) -> Product:
    from excon.products.tests.factories import ProductFactory

    return ProductFactory(manufacturer=manufacturer, designation="SILENT-1", marking=ProtectiveMarking.SECRET)
