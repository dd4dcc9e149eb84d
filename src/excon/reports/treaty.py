"""The treaty reports: the Arms Trade Treaty annual report on exports (art. 13(3)) and the export table of the UN
Register of Conventional Arms' standardized form. Both report per UN Register category (I–VII, and small arms
and light weapons) and importing state, from the same transaction rows as the national report.

Categories come from the control-list entries' mapping in the reference data (an entry's first UN Register
category); lines whose entry maps to none (parts, ammunition, dual-use) are outside both reports. Items whose
product is marked confidential or secret are reported as withheld for national security, as the treaty allows:
the row stays, its number and value are not given."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Case, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from excon.core.markings import ProtectiveMarking
from excon.refdata.enums import UnrocaCategory

from . import transactions
from .enums import AttBasis

WITHHELD_MARKINGS = (ProtectiveMarking.CONFIDENTIAL, ProtectiveMarking.SECRET)
WITHHELD_COMMENT = "Withheld: national security (ATT art. 13(3))"
CATEGORY_ORDER = [choice.value for choice in UnrocaCategory]
ATT_CSV_COLUMNS = (
    "year",
    "basis",
    "category",
    "category_label",
    "importing_state",
    "importing_state_iso",
    "number_of_items",
    "value",
    "currency",
    "description",
    "comments",
)
UNROCA_CSV_COLUMNS = (
    "year",
    "category",
    "final_importer_state",
    "final_importer_iso",
    "number_of_items",
    "state_of_origin",
    "intermediate_locations",
    "description",
    "comments",
)


@dataclass
class TreatyRow:
    category: str
    importer: str
    importer_iso: str
    items: int | None
    value: Decimal | None
    currency: str
    description: str
    comments: str
    withheld: bool = False
    origin: str = ""

    @property
    def category_label(self) -> str:
        return dict(UnrocaCategory.choices).get(self.category, self.category)


@dataclass
class TreatyReport:
    year: int
    basis: str
    rows: list[TreatyRow]

    @property
    def nil(self) -> bool:
        return not self.rows

    def att_cells(self) -> list[list[object]]:
        return [
            [
                self.year,
                self.basis,
                row.category,
                row.category_label,
                row.importer,
                row.importer_iso,
                row.items,
                row.value,
                row.currency,
                row.description,
                row.comments,
            ]
            for row in self.rows
        ]

    def unroca_cells(self) -> list[list[object]]:
        return [
            [
                self.year,
                row.category,
                row.importer,
                row.importer_iso,
                row.items,
                row.origin,
                "",
                row.description,
                row.comments,
            ]
            for row in self.rows
            if row.category != UnrocaCategory.SALW
        ]


def _withheld(product_path: str) -> Any:
    return Case(
        When(Q(**{f"{product_path}__marking__in": WITHHELD_MARKINGS}), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def _groups(year: int, basis: str) -> Any:
    """(destination, control entry, currency, withheld, origin) → items and value, aggregated by the database."""
    if basis == AttBasis.ACTUAL:
        return (
            transactions.shipment_lines(year)
            .values(
                destination=F("shipment__destination_id"),
                entry=F("licence_line__control_entry_id"),
                currency=F("licence_line__currency"),
                withheld=_withheld("licence_line__product"),
                origin=Coalesce(F("licence_line__product__origin"), Value("")),
            )
            .annotate(items=Sum("quantity"), value=Sum("value"))
            .order_by()
        )
    return (
        transactions.issued_lines(year)
        .values(
            "currency",
            destination=F("licence__destination_id"),
            entry=F("control_entry_id"),
            withheld=_withheld("product"),
            origin=Coalesce(F("product__origin"), Value("")),
        )
        .annotate(items=Sum("quantity"), value=Sum("value"))
        .order_by()
    )


def treaty_report(year: int, basis: str = AttBasis.AUTHORISED) -> TreatyReport:
    """Rows per category × importing state × currency (withheld rows apart). Nil when there is nothing."""
    if basis not in AttBasis.values:
        raise ValueError(basis)
    countries = transactions.countries_by_id()
    entries = transactions.entries_by_id()
    merged: dict[tuple[str, Any, str, bool, str], dict[str, Any]] = {}
    for group in _groups(year, basis):
        entry = entries.get(group["entry"])
        category = entry.unroca_category if entry is not None else ""
        if category not in CATEGORY_ORDER:
            continue
        key = (category, group["destination"], group["currency"], group["withheld"], group["origin"])
        slot = merged.setdefault(key, {"items": 0, "value": Decimal(0), "codes": set()})
        slot["items"] += group["items"] or 0
        slot["value"] += group["value"] or Decimal(0)
        slot["codes"].add(f"{entry.code} {entry.title}" if entry else "")
    rows = []
    for (category, destination, currency, withheld, origin), slot in merged.items():
        iso, name = countries[destination]
        rows.append(
            TreatyRow(
                category=category,
                importer=name,
                importer_iso=iso,
                items=None if withheld else slot["items"],
                value=None if withheld else slot["value"],
                currency=currency,
                description="; ".join(sorted(slot["codes"])),
                comments=WITHHELD_COMMENT if withheld else "",
                withheld=withheld,
                origin=origin,
            )
        )
    rows.sort(key=lambda row: (CATEGORY_ORDER.index(row.category), row.importer, row.currency, row.withheld))
    return TreatyReport(year=year, basis=basis, rows=rows)


def category_totals(report: TreatyReport) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for row in report.rows:
        totals[row.category] += row.items or 0
    return {category: totals[category] for category in CATEGORY_ORDER if category in totals}
