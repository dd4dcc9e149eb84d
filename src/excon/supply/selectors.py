"""Reads of the supply data, scoped by the actor, and the surplus computation over the database (the arithmetic
itself is in arithmetic.py)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from excon.core.errors import NotFound, PermissionDenied, ValidationError
from excon.core.ids import parse_uuid
from excon.core.markings import markings_up_to
from excon.core.selectors import one_visible
from excon.products.models import Classification, Product
from excon.refdata.codes import entry_under
from excon.refdata.models import ControlListEntry

from . import policies
from .arithmetic import (
    DeclarationFigure,
    LicensedFigure,
    Period,
    RequirementFigure,
    SurplusBreakdown,
    allocate_category_requirements,
    split_quantity,
    surplus_breakdown,
    without_rows,
)
from .models import (
    CapacityDeclaration,
    DomesticPrice,
    DomesticPriority,
    DomesticRequirement,
    SurplusEquipment,
    SurplusRule,
)
from .providers import licensed_quantities

if TYPE_CHECKING:
    from excon.accounts.models import User


MIN_YEAR, MAX_YEAR = 2000, 2100


def valid_period(year: Any, quarter: Any) -> Period:
    """The quarter a caller names, or the ValidationError that says what is wrong with it (one rule for every
    service and endpoint that takes a year and a quarter)."""
    try:
        year_n, quarter_n = int(year), int(quarter)
    except (TypeError, ValueError) as exc:
        raise ValidationError("give the year and quarter", code="supply.invalid_period") from exc
    if not 1 <= quarter_n <= 4:
        raise ValidationError(
            "the quarter is 1, 2, 3 or 4", code="supply.invalid_quarter", details={"field": "quarter"}
        )
    if not MIN_YEAR <= year_n <= MAX_YEAR:
        raise ValidationError(
            f"the year must be between {MIN_YEAR} and {MAX_YEAR}", code="supply.invalid_year", details={"field": "year"}
        )
    return Period(year_n, quarter_n)


def surplus_periods(year: Any = None, quarter: Any = None) -> list[Period]:
    """The quarters a surplus read covers: the one named (both the year and the quarter), or the next four."""
    if (year is None) != (quarter is None):
        raise ValidationError("give both the year and the quarter, or neither", code="supply.invalid_period")
    return upcoming_periods(4) if year is None else [valid_period(year, quarter)]


def current_period() -> Period:
    return Period.containing(timezone.localdate())


# Scoped lists -------------------------------------------------------------------------------------------------


def declaration_list(
    *,
    actor: User,
    product_id: Any = None,
    year: int | None = None,
    quarter: int | None = None,
    include_superseded: bool = False,
) -> QuerySet[CapacityDeclaration]:
    declarations = CapacityDeclaration.objects.select_related("product__manufacturer", "declared_by")
    if policies.can_view_declarations_of_all(actor):
        declarations = declarations.filter(product__marking__in=markings_up_to(actor.clearance))
    elif policies.is_exporter(actor):
        declarations = declarations.filter(product__manufacturer_id=actor.organisation_id)
    else:
        return declarations.none()
    if product_id:
        key = parse_uuid(product_id)
        declarations = declarations.filter(product_id=key) if key else declarations.none()
    if year:
        declarations = declarations.filter(year=year)
    if quarter:
        declarations = declarations.filter(quarter=quarter)
    if not include_superseded:
        declarations = declarations.filter(superseded_at__isnull=True)
    return declarations.order_by("product__designation", "-year", "-quarter", "-version")


def declaration_get(*, actor: User, declaration_id: Any) -> CapacityDeclaration:
    return one_visible(declaration_list(actor=actor, include_superseded=True), declaration_id, "capacity declaration")


def requirement_list(
    *, actor: User, year: int | None = None, quarter: int | None = None, include_withdrawn: bool = False
) -> QuerySet[DomesticRequirement]:
    """Requirements up to the actor's clearance. Exporters and other users without access are refused."""
    if not policies.can_read_requirements(actor):
        raise PermissionDenied("requirements of the armed forces are for the defence ministry and the authority")
    requirements = DomesticRequirement.objects.select_related("product", "control_entry", "recorded_by").filter(
        marking__in=markings_up_to(actor.clearance)
    )
    if year:
        requirements = requirements.filter(year=year)
    if quarter:
        requirements = requirements.filter(quarter=quarter)
    if not include_withdrawn:
        requirements = requirements.filter(withdrawn_at__isnull=True)
    return requirements


def domestic_price_list(*, actor: User, year: int | None = None) -> QuerySet[DomesticPrice]:
    """The ministry's procurement prices up to the actor's clearance; refused to exporters and other users."""
    if not policies.can_read_domestic_prices(actor):
        raise PermissionDenied("domestic prices are for the defence ministry and the authority")
    prices = DomesticPrice.objects.select_related("product__manufacturer", "recorded_by").filter(
        marking__in=markings_up_to(actor.clearance), product__marking__in=markings_up_to(actor.clearance)
    )
    return prices.filter(year=year) if year else prices


def requirement_get(*, actor: User, requirement_id: Any) -> DomesticRequirement:
    key = parse_uuid(requirement_id)
    try:
        found = requirement_list(actor=actor, include_withdrawn=True).filter(pk=key).first() if key else None
    except PermissionDenied:
        found = None
    if found is None:
        raise NotFound("requirement")
    return found


def priority_list(*, actor: User, active_only: bool = False) -> QuerySet[DomesticPriority]:
    if not policies.can_view_priorities(actor):
        raise PermissionDenied("domestic priorities are for the defence ministry and the authority")
    priorities = DomesticPriority.objects.select_related("product", "control_entry", "placed_by", "suspension")
    if active_only:
        priorities = priorities.filter(lifted_at__isnull=True)
    return priorities


def priority_get(*, actor: User, priority_id: Any) -> DomesticPriority:
    return one_visible(
        DomesticPriority.objects.select_related("product", "control_entry"),
        priority_id,
        "domestic priority",
        visible=lambda found: policies.can_view_priorities(actor),
    )


def rule_list(*, actor: User) -> QuerySet[SurplusRule]:
    if not policies.can_view_rules(actor):
        raise PermissionDenied("surplus rules are for the authority")
    return SurplusRule.objects.select_related("updated_by")


def equipment_list(*, actor: User) -> QuerySet[SurplusEquipment]:
    equipment = SurplusEquipment.objects.select_related("trader", "product", "listed_by")
    if policies.can_view_equipment(actor):
        return equipment
    if policies.is_exporter(actor):
        return equipment.filter(trader_id=actor.organisation_id)
    raise PermissionDenied("surplus equipment lists are for the defence ministry and the authority")


def equipment_get(*, actor: User, equipment_id: Any) -> SurplusEquipment:
    key = parse_uuid(equipment_id)
    try:
        found = equipment_list(actor=actor).filter(pk=key).first() if key else None
    except PermissionDenied:
        found = None
    if found is None:
        raise NotFound("surplus equipment")
    return found


def supply_product_get(*, actor: User, product_id: Any) -> Product:
    """A product whose supply figures the actor may read: its manufacturer's staff, or the supply readers (who may
    not see it in the product registry, so this is not products' product_get)."""
    return one_visible(
        Product.objects.select_related("manufacturer"),
        product_id,
        "product",
        visible=lambda product: policies.can_view_product_supply(actor, product),
        code="supply.unknown_product",
    )


# Unscoped helpers the check and the services rely on ---------------------------------------------------------


def product_codes(product_ids: Iterable[Any]) -> dict[Any, list[str]]:
    """The control entries of each product's current classification."""
    codes: dict[Any, list[str]] = defaultdict(list)
    rows = Classification.objects.filter(product_id__in=list(product_ids), superseded_at__isnull=True).values_list(
        "product_id", "entries__code"
    )
    for product_id, code in rows:
        if code:
            codes[product_id].append(code)
    return dict(codes)


def products_in_category(code: str) -> list[Any]:
    """The ids of the products whose current classification has an entry under `code` (ML6 → ML6, ML6.a, …)."""
    code = code.strip()
    rows = Classification.objects.filter(superseded_at__isnull=True).filter(
        Q(entries__code__iexact=code) | Q(entries__code__istartswith=f"{code}.")
    )
    return sorted(set(rows.values_list("product_id", flat=True)), key=str)


def active_priorities(on: dt.date | None = None) -> list[DomesticPriority]:
    on = on or timezone.localdate()
    return list(
        DomesticPriority.objects.select_related("product", "control_entry").filter(
            lifted_at__isnull=True, start__lte=on, end__gte=on
        )
    )


def priorities_for(product: Product, codes: Sequence[str], on: dt.date | None = None) -> list[DomesticPriority]:
    """The domestic priorities in force on `on` that cover the product, directly or through its category."""
    return [
        priority
        for priority in active_priorities(on)
        if priority.product_id == product.pk
        or (priority.control_entry is not None and any(entry_under(c, priority.control_entry.code) for c in codes))
    ]


def rule_for(codes: Sequence[str]) -> SurplusRule | None:
    """The strictest of the rules that apply: for each entry the longest matching prefix; fail beats warning."""
    rules = list(SurplusRule.objects.all())
    chosen: list[SurplusRule] = []
    for code in codes:
        matching = [rule for rule in rules if entry_under(code, rule.prefix)]
        if matching:
            chosen.append(max(matching, key=lambda rule: len(rule.prefix)))
    if not chosen:
        return None
    return min(chosen, key=lambda rule: (rule.mode != "fail", rule.prefix))


# The surplus computation ---------------------------------------------------------------------------------------


def _declaration_figure(row: CapacityDeclaration) -> DeclarationFigure:
    return DeclarationFigure(
        version=row.version,
        capacity=row.capacity,
        stock=row.stock,
        source=row.source,
        declared_on=timezone.localtime(row.created_at).date(),
    )


def _requirement_figure(row: DomesticRequirement) -> RequirementFigure:
    return RequirementFigure(
        id=str(row.pk),
        quantity=row.quantity,
        scope="product" if row.product_id else "category",
        category=row.control_entry.code if row.control_entry else "",
        reference=row.reference,
        priority=row.priority,
        kind=row.kind,
        marking=row.marking,
        recorded_on=timezone.localtime(row.created_at).date(),
    )


def _current_declarations(product_ids: Iterable[Any], period: Period) -> dict[Any, CapacityDeclaration]:
    rows = CapacityDeclaration.objects.filter(
        product_id__in=list(product_ids), year=period.year, quarter=period.quarter, superseded_at__isnull=True
    )
    return {row.product_id: row for row in rows}


def licensed_lines(product_ids: Iterable[Any], period: Period) -> dict[Any, list[LicensedFigure]]:
    """Lines of active licences for the products whose validity overlaps the period (from the licences app's
    registered provider)."""
    return licensed_quantities().lines(list(product_ids), period)


@dataclass(frozen=True)
class CategoryRequirements:
    """The category requirements of a period, each with its member products and their weights."""

    rows: list[DomesticRequirement]
    members: dict[str, dict[str, int]]


def category_requirements(period: Period) -> CategoryRequirements:
    rows = list(
        DomesticRequirement.objects.select_related("control_entry").filter(
            control_entry__isnull=False, year=period.year, quarter=period.quarter, withdrawn_at__isnull=True
        )
    )
    member_ids = {str(row.pk): products_in_category(row.control_entry.code) for row in rows if row.control_entry}
    everyone = {pid for ids in member_ids.values() for pid in ids}
    declarations = _current_declarations(everyone, period)
    members = {
        key: {
            str(pid): (declarations[pid].capacity + declarations[pid].stock) if pid in declarations else 0
            for pid in ids
        }
        for key, ids in member_ids.items()
    }
    return CategoryRequirements(rows, members)


def breakdowns_for(products: Sequence[Product], period: Period) -> dict[Any, SurplusBreakdown]:
    """The full (unredacted) surplus breakdown of each product in the period. Not scoped: callers scope."""
    ids = [product.pk for product in products]
    declarations = _current_declarations(ids, period)
    direct: dict[Any, list[RequirementFigure]] = defaultdict(list)
    for row in DomesticRequirement.objects.filter(
        product_id__in=ids, year=period.year, quarter=period.quarter, withdrawn_at__isnull=True
    ):
        direct[row.product_id].append(_requirement_figure(row))
    categories = category_requirements(period)
    shared = allocate_category_requirements([_requirement_figure(row) for row in categories.rows], categories.members)
    lines = licensed_lines(ids, period)
    return {
        product.pk: surplus_breakdown(
            product_id=str(product.pk),
            designation=product.designation,
            period=period,
            declaration=_declaration_figure(declarations[product.pk]) if product.pk in declarations else None,
            requirements=[*direct[product.pk], *shared.get(str(product.pk), [])],
            licensed=lines.get(product.pk, []),
        )
        for product in products
    }


def redact_for(actor: User, breakdown: SurplusBreakdown) -> SurplusBreakdown:
    """Exporters see no requirement rows; government readers see the rows up to their clearance."""
    if not policies.can_read_requirements(actor):
        return without_rows(breakdown, None)
    allowed = set(markings_up_to(actor.clearance))
    return without_rows(breakdown, {row.id for row in breakdown.requirements if row.marking in allowed})


def product_surplus(*, actor: User, product: Product, periods: Sequence[Period]) -> list[SurplusBreakdown]:
    """The product's surplus in each period, as the actor may see it."""
    if not policies.can_view_product_supply(actor, product):
        raise NotFound("product")
    return [redact_for(actor, breakdowns_for([product], period)[product.pk]) for period in periods]


def upcoming_periods(count: int = 4, start: Period | None = None) -> list[Period]:
    period = start or current_period()
    periods = []
    for _ in range(count):
        periods.append(period)
        period = Period(period.year + (period.quarter == 4), period.quarter % 4 + 1)
    return periods


# The dashboard -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardRow:
    period: str
    product: str  # "" for the category's total
    capacity: int
    stock: int
    domestic_requirement: int
    licensed_outstanding: int
    shipped: int
    surplus: int


@dataclass(frozen=True)
class Dashboard:
    category: str
    year: int
    totals: list[DashboardRow]
    products: list[DashboardRow]

    @property
    def rows(self) -> list[DashboardRow]:
        """Totals first, then each product, in period order."""
        ordered: list[DashboardRow] = []
        for total in self.totals:
            ordered.append(total)
            ordered += [row for row in self.products if row.period == total.period]
        return ordered


def shipped_quantities(product_ids: Iterable[Any], period: Period) -> dict[Any, int]:
    return licensed_quantities().shipped(list(product_ids), period)


def dashboard(*, actor: User, category: str, year: int) -> Dashboard:
    """Capacity, requirements, licensed exports, shipments and surplus of a category, per quarter of a year."""
    if not policies.can_view_dashboard(actor):
        raise PermissionDenied("the supply dashboard is for government users")
    category = category.strip()
    if not category:
        raise NotFound("control-list category", code="supply.unknown_category")

    entry = ControlListEntry.objects.filter(code__iexact=category).first()
    if entry is None:
        raise NotFound("control-list category", code="supply.unknown_category")
    category = entry.code
    products = list(
        Product.objects.filter(pk__in=products_in_category(category), marking__in=markings_up_to(actor.clearance))
        .only("pk", "designation")
        .order_by("designation")
    )
    totals: list[DashboardRow] = []
    rows: list[DashboardRow] = []
    for quarter in range(1, 5):
        period = Period(year, quarter)
        breakdowns = breakdowns_for(products, period)
        shipped = shipped_quantities([p.pk for p in products], period)
        # Category requirements under this category that no product could carry still reduce the category's
        # surplus: they are needs the armed forces have whether or not anyone makes the goods.
        categories = category_requirements(period)
        unallocated = sum(
            row.quantity
            for row in categories.rows
            if row.control_entry
            and entry_under(row.control_entry.code, category)
            and not split_quantity(row.quantity, categories.members.get(str(row.pk), {}))
        )
        period_rows = [
            DashboardRow(
                period.label,
                product.designation,
                breakdowns[product.pk].capacity,
                breakdowns[product.pk].stock,
                breakdowns[product.pk].domestic_requirement,
                breakdowns[product.pk].licensed_outstanding,
                shipped.get(product.pk, 0),
                breakdowns[product.pk].surplus,
            )
            for product in products
        ]
        rows += period_rows
        totals.append(
            DashboardRow(
                period.label,
                "",
                sum(r.capacity for r in period_rows),
                sum(r.stock for r in period_rows),
                sum(r.domestic_requirement for r in period_rows) + unallocated,
                sum(r.licensed_outstanding for r in period_rows),
                sum(r.shipped for r in period_rows),
                sum(r.surplus for r in period_rows) - unallocated,
            )
        )
    return Dashboard(category=category, year=year, totals=totals, products=rows)
