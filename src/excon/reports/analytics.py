"""Processing times and revenue and prices, aggregated by the database.

* Processing times: days from submission to decision per licence type and quarter of the decision; the
  departments' advice per quarter: how many, average days from referral to advice, how many after the due date.
* Revenue: export value licensed and shipped per product, category and destination in the year.
* Prices: export unit price (licensed value ÷ licensed quantity) against the ministry's domestic unit price per
  product and year, as a ratio where both are in the same currency (ExCon applies no exchange rate).
* Capacity: production capacity declared, domestic requirements and licensed exports per product in the year,
  and per control-list category (with the quantities shipped).
Domestic prices and requirements are read through the supply selectors, so their confidentiality holds here."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Max, Q, Sum
from django.db.models.functions import ExtractQuarter, TruncDate

from excon.applications.models import Advice, Application
from excon.core.errors import PermissionDenied
from excon.products.models import Classification
from excon.supply.models import CapacityDeclaration
from excon.supply.selectors import domestic_price_list, requirement_list

from . import transactions

if TYPE_CHECKING:
    from excon.accounts.models import User

DAY = dt.timedelta(days=1)


def _days(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        return Decimal(value.total_seconds() / 86400).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)
    return Decimal(value).quantize(Decimal("0.1"))


@dataclass
class ProcessingRow:
    licence_type: str
    quarter: int
    decided: int
    average_days: Decimal | None
    longest_days: Decimal | None


@dataclass
class AdviceRow:
    department: str
    quarter: int
    advice_given: int
    average_days: Decimal | None
    late: int


@dataclass
class ProcessingReport:
    year: int
    decisions: list[ProcessingRow]
    advice: list[AdviceRow]

    @property
    def nil(self) -> bool:
        return not self.decisions and not self.advice


def processing_report(year: int) -> ProcessingReport:
    start, end = transactions.year_bounds(year)
    duration = ExpressionWrapper(F("decided_at") - F("submitted_at"), output_field=DurationField())
    decided = (
        Application.objects.filter(decided_at__date__gte=start, decided_at__date__lte=end, submitted_at__isnull=False)
        .annotate(quarter=ExtractQuarter("decided_at"), taken=duration)
        .values("application_type", "quarter")
        .annotate(decided=Count("id"), average=Avg("taken"), longest=Max("taken"))
        .order_by("application_type", "quarter")
    )
    labels = dict(Application._meta.get_field("application_type").choices or [])
    decisions = [
        ProcessingRow(
            licence_type=str(labels.get(group["application_type"], group["application_type"])),
            quarter=group["quarter"],
            decided=group["decided"],
            average_days=_days(group["average"]),
            longest_days=_days(group["longest"]),
        )
        for group in decided
    ]
    advice_time = ExpressionWrapper(F("created_at") - F("referral__created_at"), output_field=DurationField())
    given = (
        Advice.objects.filter(
            goods_line__isnull=True,
            party__isnull=True,
            created_at__date__gte=start,
            created_at__date__lte=end,
        )
        .annotate(quarter=ExtractQuarter("created_at"), taken=advice_time, day=TruncDate("created_at"))
        .values("quarter", department=F("referral__department__name"))
        .annotate(
            given=Count("id"),
            average=Avg("taken"),
            late=Count("id", filter=Q(day__gt=F("referral__due_date"))),
        )
        .order_by("department", "quarter")
    )
    advice = [
        AdviceRow(
            department=group["department"],
            quarter=group["quarter"],
            advice_given=group["given"],
            average_days=_days(group["average"]),
            late=group["late"],
        )
        for group in given
    ]
    return ProcessingReport(year=year, decisions=decisions, advice=advice)


@dataclass
class RevenueRow:
    product: str
    category: str
    destination: str
    currency: str
    licensed_value: Decimal
    shipped_value: Decimal


@dataclass
class PriceRow:
    product: str
    currency: str
    export_unit_price: Decimal | None
    domestic_unit_price: Decimal | None

    @property
    def ratio(self) -> Decimal | None:
        if not self.export_unit_price or not self.domestic_unit_price:
            return None
        return (self.export_unit_price / self.domestic_unit_price).quantize(Decimal("0.01"))


@dataclass
class CapacityRow:
    product: str
    capacity: int
    domestic_requirement: int
    licensed_quantity: int


@dataclass
class CategoryCapacityRow:
    """Per control-list category: production capacity declared, the armed forces' requirements, and the
    quantities licensed and shipped for export in the year."""

    category: str
    capacity: int
    domestic_requirement: int
    licensed_quantity: int
    shipped_quantity: int


@dataclass
class RevenueReport:
    year: int
    revenue: list[RevenueRow]
    prices: list[PriceRow]
    capacity: list[CapacityRow]
    prices_visible: bool
    capacity_by_category: list[CategoryCapacityRow] = field(default_factory=list)

    @property
    def nil(self) -> bool:
        return not self.revenue and not self.prices and not self.capacity


def revenue_report(year: int, *, actor: User | None) -> RevenueReport:
    """`actor` decides which domestic prices and requirements are included (None: the system, e.g. the CLI,
    which includes none: confidential figures leave ExCon only through a cleared person)."""
    countries = transactions.countries_by_id()
    product_name = F("product__designation")
    licensed = (
        transactions.issued_lines(year)
        .values(
            "currency",
            destination=F("licence__destination_id"),
            category=transactions.category_of("control_entry"),
            designation=product_name,
        )
        .annotate(value=Sum("value"))
        .order_by()
    )
    shipped = (
        transactions.shipment_lines(year)
        .values(
            currency=F("licence_line__currency"),
            destination=F("shipment__destination_id"),
            category=transactions.category_of("licence_line__control_entry"),
            designation=F("licence_line__product__designation"),
        )
        .annotate(value=Sum("value"))
        .order_by()
    )
    cells: dict[tuple[str, str, Any, str], RevenueRow] = {}
    for group, attribute in [(g, "licensed_value") for g in licensed] + [(g, "shipped_value") for g in shipped]:
        key = (group["designation"] or "", group["category"], group["destination"], group["currency"])
        if key not in cells:
            cells[key] = RevenueRow(
                product=key[0] or "(not in the registry)",
                category=key[1],
                destination=countries[key[2]][1],
                currency=key[3],
                licensed_value=Decimal("0.00"),
                shipped_value=Decimal("0.00"),
            )
        setattr(cells[key], attribute, getattr(cells[key], attribute) + (group["value"] or Decimal(0)))
    revenue = sorted(cells.values(), key=lambda row: (row.product, row.category, row.destination, row.currency))

    exported = {
        (group["designation"], group["currency"]): group
        for group in transactions.issued_lines(year)
        .filter(product__isnull=False, quantity__gt=0)
        .values("currency", designation=product_name)
        .annotate(value=Sum("value"), quantity=Sum("quantity"))
        .order_by()
    }
    domestic: dict[tuple[str, str], Any] = {}
    prices_visible = False
    if actor is not None:
        try:
            domestic = {
                (group["designation"], group["currency"]): group["price"]
                for group in domestic_price_list(actor=actor, year=year)
                .values("currency", designation=product_name)
                .annotate(price=Avg("unit_price"))
                .order_by()
            }
            prices_visible = True
        except PermissionDenied:
            domestic = {}
    prices = []
    price_key: tuple[str, str]
    for price_key in sorted(set(exported) | set(domestic)):
        export = exported.get(price_key)
        export_price = (export["value"] / export["quantity"]).quantize(Decimal("0.01")) if export else None
        home = domestic.get(price_key)
        prices.append(
            PriceRow(
                product=price_key[0],
                currency=price_key[1],
                export_unit_price=export_price,
                domestic_unit_price=Decimal(home).quantize(Decimal("0.01")) if home is not None else None,
            )
        )

    capacity_by_product = dict(
        CapacityDeclaration.objects.filter(year=year, superseded_at__isnull=True)
        .values_list("product__designation")
        .annotate(total=Sum("capacity"))
        .order_by()
    )
    requirements: dict[str, int] = {}
    if actor is not None:
        try:
            requirements = dict(
                requirement_list(actor=actor, year=year)
                .filter(product__isnull=False)
                .values_list("product__designation")
                .annotate(total=Sum("quantity"))
                .order_by()
            )
        except PermissionDenied:
            requirements = {}
    licensed_quantity = dict(
        transactions.issued_lines(year)
        .filter(product__isnull=False)
        .values_list("product__designation")
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    capacity = [
        CapacityRow(
            product=name,
            capacity=capacity_by_product.get(name) or 0,
            domestic_requirement=requirements.get(name) or 0,
            licensed_quantity=licensed_quantity.get(name) or 0,
        )
        for name in sorted(set(capacity_by_product) | set(requirements) | set(licensed_quantity))
    ]
    return RevenueReport(
        year=year,
        revenue=revenue,
        prices=prices,
        capacity=capacity,
        prices_visible=prices_visible,
        capacity_by_category=capacity_by_category(year, actor=actor),
    )


def _product_categories() -> dict[Any, str]:
    """The category of each classified product: the top of the first entry (by code) of its current
    classification (a product classified under several entries counts once, in the first)."""
    categories: dict[Any, str] = {}
    for product_id, category in (
        Classification.objects.filter(superseded_at__isnull=True, entries__isnull=False)
        .order_by("product_id", "entries__code")
        .values_list("product_id", transactions.category_of("entries"))
    ):
        categories.setdefault(product_id, category)
    return categories


def capacity_by_category(year: int, *, actor: User | None) -> list[CategoryCapacityRow]:
    """Capacity declared (current declarations) and requirements (up to the actor's clearance; none for the
    system) per product are summed by the database, then placed in their product's category; a requirement for
    a whole category counts there. Licensed and shipped quantities are grouped by category in SQL."""
    categories = _product_categories()
    unclassified = transactions.UNCLASSIFIED
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for product_id, total in (
        CapacityDeclaration.objects.filter(year=year, superseded_at__isnull=True)
        .values_list("product_id")
        .annotate(total=Sum("capacity"))
        .order_by()
    ):
        totals[categories.get(product_id, unclassified)][0] += total or 0
    if actor is not None:
        try:
            requirements = requirement_list(actor=actor, year=year)
        except PermissionDenied:
            requirements = None
        if requirements is not None:
            for product_id, category, total in (
                requirements.values_list("product_id", transactions.category_of("control_entry"))
                .annotate(total=Sum("quantity"))
                .order_by()
            ):
                slot = categories.get(product_id, unclassified) if product_id else category
                totals[slot][1] += total or 0
    for category, total in (
        transactions.issued_lines(year)
        .values_list(transactions.category_of("control_entry"))
        .annotate(total=Sum("quantity"))
        .order_by()
    ):
        totals[category][2] += total or 0
    for category, total in (
        transactions.shipment_lines(year)
        .values_list(transactions.category_of("licence_line__control_entry"))
        .annotate(total=Sum("quantity"))
        .order_by()
    ):
        totals[category][3] += total or 0
    return [
        CategoryCapacityRow(category, *numbers)
        for category, numbers in sorted(totals.items(), key=lambda item: transactions.category_sort_key(item[0]))
        if any(numbers)
    ]
