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

from django.db.models import BooleanField, Case, CharField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from excon.applications.enums import PartyRole
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
    "subcategory",
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


# The small-arms and light-weapons sub-categories of the ATT reporting template (and of the UN Register's
# SALW form). A line is placed by its control entry (ML1: small arms, ML2: light weapons) and, within that, by
# the words of its description (the first rule that matches, in this order); otherwise "others".
SALW_SUBCATEGORIES = {
    "SA1": "Small arms: revolvers and self-loading pistols",
    "SA2": "Small arms: rifles and carbines",
    "SA3": "Small arms: sub-machine guns",
    "SA4": "Small arms: assault rifles",
    "SA5": "Small arms: light machine guns",
    "SA6": "Small arms: others",
    "LW1": "Light weapons: heavy machine guns",
    "LW2": "Light weapons: hand-held under-barrel and mounted grenade launchers",
    "LW3": "Light weapons: portable anti-tank guns",
    "LW4": "Light weapons: recoilless rifles",
    "LW5": "Light weapons: portable launchers of anti-tank missile and rocket systems",
    "LW6": "Light weapons: mortars of calibres less than 75 mm",
    "LW7": "Light weapons: others",
}
SALW_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("LW1", ("heavy machine gun", "heavy machine-gun")),
    ("LW2", ("grenade launcher",)),
    ("LW3", ("anti-tank gun", "antitank gun")),
    ("LW4", ("recoilless",)),
    ("LW5", ("anti-tank missile", "antitank missile", "rocket launcher", "rocket system", "manpads")),
    ("LW6", ("mortar",)),
    ("SA3", ("sub-machine", "submachine")),
    ("SA4", ("assault rifle",)),
    ("SA5", ("light machine gun", "light machine-gun", "machine gun", "machine-gun")),
    ("SA1", ("pistol", "revolver", "handgun")),
    ("SA2", ("rifle", "carbine")),
)
LIGHT_WEAPONS_ENTRY = "ML2"


def _salw_subcategory(description_path: str, entry_path: str) -> Any:
    """SQL for a line's SALW sub-category (meaningful only for lines in the SALW category)."""
    rules = [
        When(Q(**{f"{description_path}__icontains": word}), then=Value(code))
        for code, words in SALW_WORDS
        for word in words
    ]
    return Case(
        *rules,
        When(
            Q(**{f"{entry_path}__code": LIGHT_WEAPONS_ENTRY})
            | Q(**{f"{entry_path}__code__startswith": f"{LIGHT_WEAPONS_ENTRY}."}),
            then=Value("LW7"),
        ),
        default=Value("SA6"),
        output_field=CharField(),
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
    subcategory: str = ""
    intermediate_locations: str = ""

    @property
    def category_label(self) -> str:
        label = dict(UnrocaCategory.choices).get(self.category, self.category)
        if self.subcategory:
            return f"{label}: {SALW_SUBCATEGORIES[self.subcategory]}"
        return label


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
                row.subcategory,
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

    def unroca_rows(self) -> list[TreatyRow]:
        """The UN Register's export table holds categories I–VII (small arms have their own table)."""
        return [row for row in self.rows if row.category != UnrocaCategory.SALW]

    def unroca_cells(self) -> list[list[object]]:
        return [
            [
                self.year,
                row.category,
                row.importer,
                row.importer_iso,
                row.items,
                row.origin,
                row.intermediate_locations,
                row.description,
                row.comments,
            ]
            for row in self.unroca_rows()
        ]


def _withheld(product_path: str) -> Any:
    return Case(
        When(Q(**{f"{product_path}__marking__in": WITHHELD_MARKINGS}), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def _groups(year: int, basis: str) -> Any:
    """(destination, control entry, currency, withheld, origin, SALW sub-category) → items and value, aggregated
    by the database."""
    if basis == AttBasis.ACTUAL:
        return (
            transactions.shipment_lines(year)
            .values(
                destination=F("shipment__destination_id"),
                entry=F("licence_line__control_entry_id"),
                currency=F("licence_line__currency"),
                withheld=_withheld("licence_line__product"),
                origin=Coalesce(F("licence_line__product__origin"), Value("")),
                subcategory=_salw_subcategory("licence_line__description", "licence_line__control_entry"),
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
            subcategory=_salw_subcategory("description", "control_entry"),
        )
        .annotate(items=Sum("quantity"), value=Sum("value"))
        .order_by()
    )


def _intermediate_locations(year: int, basis: str) -> dict[tuple[Any, Any, str], set[str]]:
    """The countries of the intermediate consignees recorded on the licences (their `consignees` as issued or
    amended), per (destination, control entry, currency). Only licences that name one are read."""
    lines: QuerySet[Any]
    if basis == AttBasis.ACTUAL:
        licence_path, lines = "shipment__licence", transactions.shipment_lines(year)
        lines = lines.annotate(
            destination=F("shipment__destination_id"),
            entry=F("licence_line__control_entry_id"),
            line_currency=F("licence_line__currency"),
        )
    else:
        licence_path, lines = "licence", transactions.issued_lines(year)
        lines = lines.annotate(
            destination=F("licence__destination_id"), entry=F("control_entry_id"), line_currency=F("currency")
        )
    found: dict[tuple[Any, Any, str], set[str]] = defaultdict(set)
    rows: Any = (
        lines.filter(**{f"{licence_path}__consignees__icontains": PartyRole.INTERMEDIATE_CONSIGNEE.value})
        .values("destination", "entry", "line_currency", consignees=F(f"{licence_path}__consignees"))
        .distinct()
        .order_by()
    )
    for row in rows:
        for consignee in row["consignees"] or []:
            if consignee.get("role") == PartyRole.INTERMEDIATE_CONSIGNEE and consignee.get("country"):
                found[(row["destination"], row["entry"], row["line_currency"])].add(consignee["country"])
    return found


def treaty_report(year: int, basis: str = AttBasis.AUTHORISED) -> TreatyReport:
    """Rows per category (SALW: per sub-category) × importing state × currency (withheld rows apart). Nil when
    there is nothing."""
    if basis not in AttBasis.values:
        raise ValueError(basis)
    countries = transactions.countries_by_id()
    entries = transactions.entries_by_id()
    intermediates = _intermediate_locations(year, basis)
    countries_by_iso = dict(countries.values())
    merged: dict[tuple[str, str, Any, str, bool, str], dict[str, Any]] = {}
    for group in _groups(year, basis):
        entry = entries.get(group["entry"])
        category = entry.unroca_category if entry is not None else ""
        if category not in CATEGORY_ORDER:
            continue
        subcategory = group["subcategory"] if category == UnrocaCategory.SALW else ""
        key = (category, subcategory, group["destination"], group["currency"], group["withheld"], group["origin"])
        slot = merged.setdefault(key, {"items": 0, "value": Decimal(0), "codes": set(), "via": set()})
        slot["items"] += group["items"] or 0
        slot["value"] += group["value"] or Decimal(0)
        slot["codes"].add(f"{entry.code} {entry.title}" if entry else "")
        slot["via"] |= intermediates.get((group["destination"], group["entry"], group["currency"]), set())
    rows = []
    for (category, subcategory, destination, currency, withheld, origin), slot in merged.items():
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
                subcategory=subcategory,
                intermediate_locations="; ".join(
                    f"{countries_by_iso.get(code, code)} ({code})" for code in sorted(slot["via"])
                ),
            )
        )
    rows.sort(
        key=lambda row: (
            CATEGORY_ORDER.index(row.category),
            row.subcategory,
            row.importer,
            row.currency,
            row.withheld,
        )
    )
    return TreatyReport(year=year, basis=basis, rows=rows)


def category_totals(report: TreatyReport) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for row in report.rows:
        totals[row.category] += row.items or 0
    return {category: totals[category] for category in CATEGORY_ORDER if category in totals}
