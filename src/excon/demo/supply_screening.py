"""Demo figures for domestic supply (a capacity declaration, the forces' requirements) and a national denial-list
entry that re-screening matches against an open case — created after the demo cases, so their stages stay put."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from excon.accounts.models import User
from excon.products.models import Product
from excon.screening.enums import EntryKind
from excon.screening.models import ListEntry
from excon.screening.rescreening import rescreen_open_cases
from excon.screening.services import NationalEntryInput, national_entry_create
from excon.supply import services as supply_services
from excon.supply.arithmetic import Period
from excon.supply.models import CapacityDeclaration


def build_demo_supply(users: dict[str, User]) -> int:
    owner = users["northfield.admin"]
    product = Product.objects.filter(manufacturer=owner.organisation, designation="NAW-4 Ranger").first()
    if product is None or CapacityDeclaration.objects.filter(product=product).exists():
        return 0
    now = Period.containing(timezone.localdate())
    following = Period.containing(now.end + dt.timedelta(days=1))
    for period, capacity, stock in ((now, 40, 6), (following, 45, 0)):
        supply_services.capacity_declare(
            actor=owner, product_id=product.pk, year=period.year, quarter=period.quarter, capacity=capacity, stock=stock
        )
    supply_services.requirement_record(
        actor=users["expert"],
        product_id=product.pk,
        year=now.year,
        quarter=now.quarter,
        quantity=24,
        kind="state_order",
        priority=1,
        reference="SO-2026/31 (mechanised brigades)",
    )
    supply_services.requirement_record(
        actor=users["expert"],
        control_code="ML6",
        year=following.year,
        quarter=following.quarter,
        quantity=12,
        kind="planned_procurement",
        priority=2,
        reference="Procurement plan 2027, armoured vehicles",
        marking="confidential",
    )
    return 1


def build_demo_denials(users: dict[str, User]) -> int:
    if ListEntry.objects.filter(source__code="national").exists():
        return 0
    national_entry_create(
        actor=users["compliance"],
        data=NationalEntryInput(
            name="Rosoboronexport JSC",
            kind=EntryKind.ORGANISATION,
            aliases=("Rosoboroneksport", "Рособоронэкспорт"),
            countries=("RU",),
            programme="authority denial",
            remarks="Demonstration entry: state arms exporter of a destination under an EU arms embargo.",
            listed_on=timezone.localdate(),
        ),
    )
    rescreen_open_cases()  # the open RU case's end user is now a possible match, and compliance is alerted
    return 1
