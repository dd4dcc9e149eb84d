"""The national annual report in the EU COARM layout: per destination × control-list category × currency, the
licences issued and their value, the licences refused and how often each criterion was cited, the actual exports
(shipments), brokering licences in their own columns (they are not exports: nothing is shipped from this
state), an embargo marker per destination, and totals per destination, per UN M49 region and for the year.

The database aggregates the transaction rows (transactions.py); Python only merges the few aggregated cells."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from excon.refdata.regions import region_of, region_order

from . import transactions

CSV_COLUMNS = (
    "year",
    "destination",
    "destination_iso",
    "category",
    "licences_issued",
    "value_issued",
    "licences_refused",
    "refusal_criteria",
    "actual_exports_value",
    "currency",
)


@dataclass
class NationalRow:
    year: int
    destination: str
    destination_iso: str
    category: str
    currency: str
    licences_issued: int = 0
    value_issued: Decimal = Decimal("0.00")
    licences_refused: int = 0
    criteria: dict[int, int] = field(default_factory=dict)
    actual_exports_value: Decimal = Decimal("0.00")
    brokering_licences_issued: int = 0
    brokering_value_issued: Decimal = Decimal("0.00")
    embargoed: bool = False

    @property
    def region(self) -> str:
        return region_of(self.destination_iso)

    @property
    def refusal_criteria(self) -> str:
        """ "1:3;7:2": each criterion cited, with the number of refused licences citing it."""
        return ";".join(f"{number}:{count}" for number, count in sorted(self.criteria.items()))

    def csv_cells(self) -> list[object]:
        return [
            self.year,
            self.destination,
            self.destination_iso,
            self.category,
            self.licences_issued,
            self.value_issued,
            self.licences_refused,
            self.refusal_criteria,
            self.actual_exports_value,
            self.currency,
        ]

    def as_public(self) -> dict[str, Any]:
        """The published aggregate (JSON): no exporter is named in any row."""
        return {
            "destination": self.destination,
            "destination_iso": self.destination_iso,
            "category": self.category,
            "currency": self.currency,
            "licences_issued": self.licences_issued,
            "value_issued": str(self.value_issued),
            "licences_refused": self.licences_refused,
            "refusal_criteria": self.refusal_criteria,
            "actual_exports_value": str(self.actual_exports_value),
            "brokering_licences_issued": self.brokering_licences_issued,
            "brokering_value_issued": str(self.brokering_value_issued),
            "region": self.region,
            "embargoed": self.embargoed,
        }


@dataclass
class DestinationTotal:
    destination: str
    destination_iso: str
    currency: str
    licences_issued: int
    value_issued: Decimal
    licences_refused: int
    actual_exports_value: Decimal
    brokering_licences_issued: int
    brokering_value_issued: Decimal
    embargoed: bool


@dataclass
class RegionTotal:
    region: str
    currency: str
    destinations: int
    licences_issued: int
    value_issued: Decimal
    licences_refused: int
    actual_exports_value: Decimal
    brokering_licences_issued: int
    brokering_value_issued: Decimal


@dataclass(frozen=True)
class LicenceCount:
    """Distinct licences of a destination (or of the year) in a currency."""

    issued: int = 0
    refused: int = 0
    brokering: int = 0

    def __add__(self, other: LicenceCount) -> LicenceCount:
        return LicenceCount(self.issued + other.issued, self.refused + other.refused, self.brokering + other.brokering)


@dataclass
class NationalReport:
    year: int
    rows: list[NationalRow]
    # distinct licences per (destination ISO, currency) and per ("", currency) for the year
    licence_counts: dict[tuple[str, str], LicenceCount] = field(default_factory=dict)

    @property
    def nil(self) -> bool:
        return not self.rows

    @property
    def destination_totals(self) -> list[DestinationTotal]:
        return _totals(self.rows, self.licence_counts, by_destination=True)

    @property
    def year_totals(self) -> list[DestinationTotal]:
        """One total per currency (ExCon applies no exchange rate)."""
        return _totals(self.rows, self.licence_counts, by_destination=False)

    @property
    def region_totals(self) -> list[RegionTotal]:
        """Per UN M49 region × currency (refdata.regions), in M49 order; each licence counted once."""
        groups: dict[tuple[str, str], list[DestinationTotal]] = defaultdict(list)
        for total in self.destination_totals:
            groups[(region_of(total.destination_iso), total.currency)].append(total)
        order = {name: index for index, name in enumerate(region_order())}
        return [
            RegionTotal(
                region=region,
                currency=currency,
                destinations=len(members),
                licences_issued=sum(t.licences_issued for t in members),
                value_issued=sum((t.value_issued for t in members), Decimal("0.00")),
                licences_refused=sum(t.licences_refused for t in members),
                actual_exports_value=sum((t.actual_exports_value for t in members), Decimal("0.00")),
                brokering_licences_issued=sum(t.brokering_licences_issued for t in members),
                brokering_value_issued=sum((t.brokering_value_issued for t in members), Decimal("0.00")),
            )
            for (region, currency), members in sorted(groups.items(), key=lambda item: (order[item[0][0]], item[0][1]))
        ]

    def criteria_totals(self) -> dict[int, int]:
        totals: dict[int, int] = defaultdict(int)
        for row in self.rows:
            for number, count in row.criteria.items():
                totals[number] += count
        return dict(sorted(totals.items()))


def _totals(
    rows: Iterable[NationalRow], counts: dict[tuple[str, str], LicenceCount], *, by_destination: bool
) -> list[DestinationTotal]:
    groups: dict[tuple[str, str, str], list[NationalRow]] = defaultdict(list)
    for row in rows:
        key = (row.destination, row.destination_iso, row.currency) if by_destination else ("", "", row.currency)
        groups[key].append(row)
    none = LicenceCount()
    return [
        DestinationTotal(
            destination=name,
            destination_iso=iso,
            currency=currency,
            licences_issued=counts.get((iso, currency), none).issued,
            value_issued=sum((row.value_issued for row in members), Decimal("0.00")),
            licences_refused=counts.get((iso, currency), none).refused,
            actual_exports_value=sum((row.actual_exports_value for row in members), Decimal("0.00")),
            brokering_licences_issued=counts.get((iso, currency), none).brokering,
            brokering_value_issued=sum((row.brokering_value_issued for row in members), Decimal("0.00")),
            embargoed=any(row.embargoed for row in members),
        )
        for (name, iso, currency), members in sorted(groups.items())
    ]


def national_report(year: int) -> NationalReport:
    """The report for a year; a year without licences, refusals or shipments is a nil report (no rows)."""
    countries = transactions.countries_by_id()
    embargoed = transactions.embargoed_country_ids(year)
    cells: dict[tuple[Any, str, str], NationalRow] = {}

    def cell(destination: Any, category: str, currency: str) -> NationalRow:
        key = (destination, category, currency)
        if key not in cells:
            iso, name = countries[destination]
            cells[key] = NationalRow(
                year=year,
                destination=name,
                destination_iso=iso,
                category=category,
                currency=currency,
                embargoed=destination in embargoed,
            )
        return cells[key]

    for group in transactions.licence_cells(year):
        row = cell(group["destination"], group["category"], group["currency"])
        row.licences_issued += group["licences"]
        row.value_issued += group["issued_value"] or Decimal(0)
        row.brokering_licences_issued += group["brokering_licences"]
        row.brokering_value_issued += group["brokering_value"] or Decimal(0)
        row.licences_refused += group["refused"]
    for group in transactions.refusal_criteria_cells(year):
        criteria = cell(group["destination"], group["category"], group["currency"]).criteria
        criteria[group["criterion"]] = criteria.get(group["criterion"], 0) + group["licences"]
    for group in transactions.denied_cells(year):
        row = cell(group["destination"], group["category"], group["currency"])
        row.licences_refused += group["licences"]
        for number in _criterion_numbers(group["criteria"]):
            row.criteria[number] = row.criteria.get(number, 0) + group["licences"]
    for group in transactions.shipped_cells(year):
        row = cell(group["destination"], group["category"], group["currency"])
        row.actual_exports_value += group["value"] or Decimal(0)
    rows = sorted(
        cells.values(), key=lambda row: (row.destination, transactions.category_sort_key(row.category), row.currency)
    )
    licence_counts: dict[tuple[str, str], LicenceCount] = defaultdict(LicenceCount)
    for group in transactions.licence_count_cells(year):
        counted = LicenceCount(group["licences"], group["refused"], group["brokering_licences"])
        licence_counts[(countries[group["destination"]][0], group["currency"])] += counted
        licence_counts[("", group["currency"])] += counted
    for group in transactions.denied_count_cells(year):
        counted = LicenceCount(refused=group["refused"])
        licence_counts[(countries[group["destination"]][0], group["currency"])] += counted
        licence_counts[("", group["currency"])] += counted
    return NationalReport(year=year, rows=rows, licence_counts=dict(licence_counts))


def _criterion_numbers(value: Any) -> list[int]:
    """A denial's criteria as numbers 1–8 ("1", 1, "criterion 7" are all accepted; anything else is ignored)."""
    numbers = []
    for item in value or []:
        digits = "".join(ch for ch in str(item) if ch.isdigit())
        if digits and 1 <= int(digits) <= 8:
            numbers.append(int(digits))
    return sorted(set(numbers))
