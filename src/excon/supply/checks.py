"""The "domestic supply first" check on an application, registered into the applications' check registry by
SupplyConfig.ready() (applications never imports supply).

For each product of the application (requested quantities summed per product):
* a domestic priority in force on the product or its category fails (code application.domestic_priority);
* surplus equipment of the armed forces (a second-hand product listed by the ministry) is limited by the
  quantity still available less what active licences already promise, not by production surplus;
* other second-hand goods are not limited;
* new goods: the requested quantity must not exceed the current quarter's exportable surplus
  (code application.exceeds_surplus); the authority's SurplusRule for the product's category says whether that
  fails or warns (no rule: fail). A product with no capacity declared for the quarter and no domestic requirement
  gets a warning (code application.no_capacity_declared) instead: there is no evidence either way.
Lines without a registry product (a self-classified second-hand item) are not limited here."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from excon.applications.check_registry import CheckReport
from excon.applications.enums import CheckOutcome
from excon.products.models import Product

from . import selectors
from .arithmetic import Period, licensed_outstanding
from .enums import SurplusRuleMode

if TYPE_CHECKING:
    from excon.applications.models import Application

CHECK_NAME = "domestic_supply"
CHECK_LABEL = "Domestic supply first"
CHECK_ORDER = 60  # after the applications' own checks
PASS, WARNING, FAIL = CheckOutcome.PASS.value, CheckOutcome.WARNING.value, CheckOutcome.FAIL.value


def assess(application: Application) -> tuple[str, str, dict[str, Any]]:
    """The outcome, a summary and the details, without the registry's CheckReport (for tests and pages)."""
    today = timezone.localdate()
    period = Period.containing(today)
    requested: dict[Any, int] = defaultdict(int)
    line_numbers: dict[Any, list[int]] = defaultdict(list)
    for line in application.goods_lines.all():
        if line.product_id is not None:
            requested[line.product_id] += line.quantity
            line_numbers[line.product_id].append(line.line_number)
    if not requested:
        return (
            PASS,
            "no registry products on the application: nothing to compare with the surplus",
            {
                "period": period.label,
                "products": [],
            },
        )
    products = list(Product.objects.filter(pk__in=list(requested)).order_by("designation"))
    codes = selectors.product_codes(requested)
    listings = {
        product.pk: product.surplus_listing
        for product in Product.objects.filter(pk__in=list(requested), surplus_listing__isnull=False).select_related(
            "surplus_listing"
        )
    }
    new_goods = [product for product in products if product.condition != "second_hand"]
    breakdowns = selectors.breakdowns_for(new_goods, period) if new_goods else {}
    listed_lines = selectors.licensed_lines(list(listings), period) if listings else {}
    items: list[dict[str, Any]] = []
    for product in products:
        product_codes = codes.get(product.pk, [])
        item: dict[str, Any] = {
            "product": str(product.pk),
            "designation": product.designation,
            "lines": line_numbers[product.pk],
            "requested": requested[product.pk],
            "control_entries": sorted(product_codes),
            "outcome": PASS,
        }
        priorities = selectors.priorities_for(product, product_codes, today)
        if priorities:
            item.update(
                outcome=FAIL,
                code="application.domestic_priority",
                priorities=[
                    {
                        "subject": priority.subject,
                        "start": priority.start.isoformat(),
                        "end": priority.end.isoformat(),
                        "reason": priority.reason,
                    }
                    for priority in priorities
                ],
            )
        elif product.pk in listings:
            listing = listings[product.pk]
            _, promised = licensed_outstanding(listed_lines.get(product.pk, []), period)
            free = listing.quantity_available - promised
            item.update(
                basis="surplus_equipment",
                listing=listing.reference,
                available=listing.quantity_available,
                licensed_outstanding=promised,
                limit=free,
            )
            if requested[product.pk] > free:
                item.update(outcome=FAIL, code="application.exceeds_surplus")
        elif product.condition == "second_hand":
            item.update(basis="second_hand", limit=None)
        else:
            breakdown = breakdowns[product.pk]
            item.update(
                basis="production_surplus",
                period=period.label,
                capacity=breakdown.capacity,
                stock=breakdown.stock,
                domestic_requirement=breakdown.domestic_requirement,
                licensed_outstanding=breakdown.licensed_outstanding,
                surplus=breakdown.surplus,
                limit=breakdown.surplus,
                declaration_version=breakdown.declaration.version if breakdown.declaration else None,
                declared_on=breakdown.declaration.declared_on.isoformat() if breakdown.declaration else None,
            )
            if breakdown.declaration is None and breakdown.domestic_requirement == 0:
                # Nothing declared and nothing required: no evidence either way, so the departments are warned
                # rather than the case stopped (a requirement on the product makes the comparison binding).
                item.update(outcome=WARNING, code="application.no_capacity_declared")
            elif requested[product.pk] > breakdown.surplus:
                rule = selectors.rule_for(product_codes)
                mode = rule.mode if rule else SurplusRuleMode.FAIL
                item.update(
                    outcome=FAIL if mode == SurplusRuleMode.FAIL else WARNING,
                    code="application.exceeds_surplus",
                    rule=rule.prefix if rule else None,
                    mode=str(mode),
                )
        items.append(item)
    details: dict[str, Any] = {"period": period.label, "products": items}
    failing = [item for item in items if item["outcome"] == FAIL]
    warning = [item for item in items if item["outcome"] == WARNING]
    if failing:
        priority_hits = [item for item in failing if item.get("code") == "application.domestic_priority"]
        details["code"] = "application.domestic_priority" if priority_hits else "application.exceeds_surplus"
        return FAIL, "; ".join(_describe(item) for item in failing), details
    if warning:
        details["code"] = warning[0]["code"]
        return WARNING, "; ".join(_describe(item) for item in warning), details
    return PASS, f"every product is within the exportable surplus for {period.label}", details


def _describe(item: dict[str, Any]) -> str:
    if item.get("code") == "application.domestic_priority":
        subjects = ", ".join(priority["subject"] for priority in item["priorities"])
        return f"{item['designation']} is on domestic priority ({subjects})"
    if item.get("code") == "application.no_capacity_declared":
        return f"{item['designation']}: no production capacity declared for {item['period']}"
    if item.get("basis") == "surplus_equipment":
        return f"{item['designation']}: {item['requested']} requested, {item['limit']} of the listed surplus free"
    return f"{item['designation']}: {item['requested']} requested, exportable surplus {item['limit']}"


def check_domestic_supply(application: Application) -> CheckReport:
    outcome, summary, details = assess(application)
    return CheckReport(CHECK_NAME, CheckOutcome(outcome), summary, mandatory=True, details=details)
