"""The one set of transaction rows every report is computed from, so the reports reconcile with each other:

* licence lines of licences issued in the year — issued by ExCon (whatever their status since) and legacy
  licences recorded as issued, which count exactly like them;
* licence lines of legacy licences recorded as refused, and the goods lines of applications refused in ExCon
  (their denial, unless overturned on appeal), with the criteria cited;
* shipment lines shipped in the year (reversals are negative and net out): the actual exports.

Everything here returns querysets or aggregates computed by the database (GROUP BY); no function loops over
transaction rows in Python. The category of a line is the top of its control-list entry's tree (ML10.a → ML10,
5A → 5), computed in SQL by walking at most two parents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from excon.applications.enums import ApplicationType
from excon.applications.models import Denial, GoodsLine
from excon.licences.enums import LegacyOutcome, LicenceSource
from excon.licences.models import Licence, LicenceLine, RefusalCriterion, Shipment, ShipmentLine
from excon.refdata.models import ArmsEmbargo, ControlListEntry, Country

UNCLASSIFIED = "unclassified"
ISSUED = Q(licence__source=LicenceSource.ISSUED) | Q(licence__legacy_outcome=LegacyOutcome.ISSUED)
REFUSED = Q(licence__source=LicenceSource.LEGACY, licence__legacy_outcome=LegacyOutcome.REFUSED)
BROKERING = Q(licence__licence_type=ApplicationType.BROKERING)


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def category_of(entry_path: str) -> Any:
    """SQL for the top-level code of the control entry at `entry_path` (e.g. "control_entry")."""
    return Coalesce(
        F(f"{entry_path}__parent__parent__code"),
        F(f"{entry_path}__parent__code"),
        F(f"{entry_path}__code"),
        Value(UNCLASSIFIED),
    )


def category_sort_key(category: str) -> tuple[int, str, int]:
    """ML1 < ML2 < ML10 < dual-use < national < unclassified."""
    if category.startswith("ML") and category[2:].isdigit():
        return (0, "", int(category[2:]))
    if category[:1].isdigit():
        return (1, category, 0)
    return (2 if category != UNCLASSIFIED else 3, category, 0)


def licence_lines(year: int) -> QuerySet[LicenceLine]:
    """Lines of every licence (issued or refused) dated in the year; the date range uses the issue-date index."""
    start, end = year_bounds(year)
    return LicenceLine.objects.filter(licence__issued_on__gte=start, licence__issued_on__lte=end)


def issued_lines(year: int) -> QuerySet[LicenceLine]:
    return licence_lines(year).filter(ISSUED)


def refused_lines(year: int) -> QuerySet[LicenceLine]:
    return licence_lines(year).filter(REFUSED)


def shipment_lines(year: int) -> QuerySet[ShipmentLine]:
    start, end = year_bounds(year)
    return ShipmentLine.objects.filter(shipment__shipped_on__gte=start, shipment__shipped_on__lte=end)


def refused_goods_lines(year: int) -> QuerySet[GoodsLine]:
    """Goods lines of applications refused in ExCon in the year (the denial stands: not overturned on appeal)."""
    start, end = year_bounds(year)
    return GoodsLine.objects.filter(
        application__denial__isnull=False,
        application__denial__revoked_at__isnull=True,
        application__denial__created_at__date__gte=start,
        application__denial__created_at__date__lte=end,
    )


# Aggregates for the national report (per destination × category × currency) -------------------------------


def _licence_aggregates() -> dict[str, Any]:
    """Issued (export) licences, brokering licences and refused licences, counted and summed in one GROUP BY
    pass over the year's licence lines (conditional aggregates), so the lines are read once."""
    exported = ISSUED & ~BROKERING
    brokered = ISSUED & BROKERING
    return {
        "licences": Count("licence_id", distinct=True, filter=exported),
        "issued_value": Sum("value", filter=exported),
        "brokering_licences": Count("licence_id", distinct=True, filter=brokered),
        "brokering_value": Sum("value", filter=brokered),
        "refused": Count("licence_id", distinct=True, filter=REFUSED),
    }


def licence_cells(year: int) -> QuerySet[Any]:
    """Per destination × category × currency: licences issued and their value (brokering apart), licences
    refused (legacy)."""
    return (
        licence_lines(year)
        .filter(ISSUED | REFUSED)
        .values("currency", destination=F("licence__destination_id"), category=category_of("control_entry"))
        .annotate(**_licence_aggregates())
        .order_by()
    )


def refusal_criteria_cells(year: int) -> QuerySet[Any]:
    """How many refused (legacy) licences cited each criterion, per destination × category × currency."""
    start, end = year_bounds(year)
    return (
        RefusalCriterion.objects.filter(licence__issued_on__gte=start, licence__issued_on__lte=end)
        .filter(licence__source=LicenceSource.LEGACY, licence__legacy_outcome=LegacyOutcome.REFUSED)
        .values(
            "criterion",
            currency=F("licence__lines__currency"),
            destination=F("licence__destination_id"),
            category=category_of("licence__lines__control_entry"),
        )
        .annotate(licences=Count("licence_id", distinct=True))
        .order_by()
    )


def denied_cells(year: int) -> QuerySet[Any]:
    """Refusals decided in ExCon, grouped by destination × category × currency and by the criteria cited (the
    denial's criteria list, grouped as a value: the few distinct lists are split per criterion afterwards)."""
    category = Coalesce(category_of("control_entry"), Value(UNCLASSIFIED))
    return (
        refused_goods_lines(year)
        .values(
            "currency",
            destination=F("application__denial__destination_id"),
            category=category,
            criteria=F("application__denial__criteria"),
        )
        .annotate(licences=Count("application_id", distinct=True))
        .order_by()
    )


def licence_count_cells(year: int) -> QuerySet[Any]:
    """Distinct licences per destination × currency (a licence with lines in two categories is one licence in
    the totals, though it counts in both categories' cells). A licence has one destination, so the totals of a
    region or of the year are sums of these."""
    return (
        licence_lines(year)
        .filter(ISSUED | REFUSED)
        .values("currency", destination=F("licence__destination_id"))
        .annotate(**{name: aggregate for name, aggregate in _licence_aggregates().items() if "value" not in name})
        .order_by()
    )


def denied_count_cells(year: int) -> QuerySet[Any]:
    """Distinct applications refused in ExCon per destination × currency."""
    return (
        refused_goods_lines(year)
        .values("currency", destination=F("application__denial__destination_id"))
        .annotate(refused=Count("application_id", distinct=True))
        .order_by()
    )


def shipped_cells(year: int) -> QuerySet[Any]:
    return (
        shipment_lines(year)
        .values(
            currency=F("licence_line__currency"),
            destination=F("shipment__destination_id"),
            category=category_of("licence_line__control_entry"),
        )
        .annotate(value=Sum("value"))
        .order_by()
    )


# Reference lookups (small tables, read once per report) ----------------------------------------------------


def countries_by_id() -> dict[Any, tuple[str, str]]:
    return {pk: (iso2, name) for pk, iso2, name in Country.objects.values_list("id", "iso2", "name")}


def embargoed_country_ids(year: int) -> set[Any]:
    """Destinations under an arms embargo (any imposing body) at some point in the year."""
    start, end = year_bounds(year)
    return set(
        ArmsEmbargo.objects.filter(start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=start))
        .values_list("country_id", flat=True)
    )


def latest_year() -> int | None:
    """The latest year with licences, refusals decided in ExCon or shipments (None: no data at all)."""
    candidates = [
        Licence.objects.aggregate(latest=Max("issued_on"))["latest"],
        Shipment.objects.aggregate(latest=Max("shipped_on"))["latest"],
        Denial.objects.filter(revoked_at__isnull=True).aggregate(latest=Max("created_at"))["latest"],
    ]
    years = [value.year for value in candidates if value is not None]
    return max(years) if years else None


def national_querysets(year: int) -> list[QuerySet[Any]]:
    """Every aggregate query of the national report (the benchmark times them alone)."""
    return [
        licence_cells(year),
        refusal_criteria_cells(year),
        denied_cells(year),
        shipped_cells(year),
        licence_count_cells(year),
        denied_count_cells(year),
    ]


def entries_by_id() -> dict[Any, ControlListEntry]:
    return {entry.pk: entry for entry in ControlListEntry.objects.all()}
