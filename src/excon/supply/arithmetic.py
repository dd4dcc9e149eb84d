"""The exportable-surplus arithmetic: pure functions over plain dataclasses, no database.

surplus = capacity + stock − domestic requirements − licensed exports not yet shipped, per product and quarter.

* Capacity and stock come from the product's current capacity declaration for the quarter (none: 0 and 0).
* Domestic requirements are the product-level requirements in full, plus the product's *share* of each
  category-level requirement (one recorded against a control-list entry such as ML6). A category requirement is
  split among the products classified under the entry in proportion to their supply (capacity + stock) for the
  quarter, by the largest-remainder method, so the shares are whole units that add up to exactly the requirement:
  each unit of a requirement is charged to exactly one product and is never counted twice. When no product of the
  category declared any supply the requirement is split equally; when the category has no product at all it stays
  unallocated (the dashboard still shows it).
* Licensed exports are the outstanding quantities (quantity − shipped) of the lines of active licences for the
  product whose validity overlaps the quarter. Lines are keyed by their id and each is counted once, however often
  it is passed in.

Every figure is returned with its source and date in a `SurplusBreakdown`, so a reader can check the sum."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Period:
    """A calendar quarter."""

    year: int
    quarter: int

    def __post_init__(self) -> None:
        if not 1 <= self.quarter <= 4:
            raise ValueError(f"quarter must be 1–4, not {self.quarter}")

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * (self.quarter - 1) + 1, 1)

    @property
    def end(self) -> dt.date:
        month = 3 * self.quarter
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    def __str__(self) -> str:
        return self.label

    @classmethod
    def containing(cls, day: dt.date) -> Period:
        return cls(day.year, (day.month - 1) // 3 + 1)


def overlaps(valid_from: dt.date, valid_until: dt.date | None, period: Period) -> bool:
    return valid_from <= period.end and (valid_until is None or valid_until >= period.start)


@dataclass(frozen=True)
class DeclarationFigure:
    version: int
    capacity: int
    stock: int
    source: str
    declared_on: dt.date


@dataclass(frozen=True)
class RequirementFigure:
    """A domestic requirement; `share` is the part charged to the product at hand (the whole for product-level
    requirements)."""

    id: str
    quantity: int
    scope: str  # "product" or "category"
    category: str = ""
    reference: str = ""
    priority: int = 3
    kind: str = ""
    marking: str = "unclassified"
    recorded_on: dt.date | None = None
    share: int | None = None

    @property
    def charged(self) -> int:
        return self.quantity if self.share is None else self.share


@dataclass(frozen=True)
class LicensedFigure:
    line_id: str
    licence_number: str
    quantity: int
    shipped: int
    valid_from: dt.date
    valid_until: dt.date | None

    @property
    def outstanding(self) -> int:
        return max(self.quantity - self.shipped, 0)


@dataclass(frozen=True)
class SurplusBreakdown:
    product_id: str
    designation: str
    period: Period
    declaration: DeclarationFigure | None
    requirements: tuple[RequirementFigure, ...]
    licensed: tuple[LicensedFigure, ...]
    capacity: int
    stock: int
    domestic_requirement: int
    licensed_outstanding: int
    surplus: int
    hidden_requirements: int = 0  # rows the viewer may not see (their quantities stay in the total)
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def supply(self) -> int:
        return self.capacity + self.stock

    @property
    def shortfall(self) -> bool:
        return self.surplus < 0

    def as_dict(self) -> dict[str, object]:
        return {
            "product_id": self.product_id,
            "designation": self.designation,
            "period": self.period.label,
            "period_start": self.period.start.isoformat(),
            "period_end": self.period.end.isoformat(),
            "capacity": self.capacity,
            "stock": self.stock,
            "domestic_requirement": self.domestic_requirement,
            "licensed_outstanding": self.licensed_outstanding,
            "surplus": self.surplus,
            "declaration_version": self.declaration.version if self.declaration else None,
            "declared_on": self.declaration.declared_on.isoformat() if self.declaration else None,
        }


def licensed_outstanding(lines: Iterable[LicensedFigure], period: Period) -> tuple[tuple[LicensedFigure, ...], int]:
    """The licence lines that count for the period (each line id once) and their total outstanding quantity."""
    seen: dict[str, LicensedFigure] = {}
    for line in lines:
        if line.line_id not in seen and overlaps(line.valid_from, line.valid_until, period):
            seen[line.line_id] = line
    counted = tuple(sorted(seen.values(), key=lambda item: (item.licence_number, item.line_id)))
    return counted, sum(line.outstanding for line in counted)


def split_quantity(quantity: int, weights: Mapping[str, int]) -> dict[str, int]:
    """Split `quantity` among the keys in proportion to their weights (equally when every weight is 0), in whole
    units by the largest remainder; ties go to the smaller key. The shares add up to exactly `quantity`."""
    if not weights:
        return {}
    clean = {key: max(int(weight), 0) for key, weight in weights.items()}
    total = sum(clean.values())
    if total == 0:
        clean = dict.fromkeys(clean, 1)
        total = len(clean)
    shares = {key: quantity * weight // total for key, weight in clean.items()}
    left = quantity - sum(shares.values())
    order = sorted(clean, key=lambda key: (-(quantity * clean[key] % total), key))
    for key in order[:left]:
        shares[key] += 1
    return shares


def allocate_category_requirements(
    requirements: Sequence[RequirementFigure], members: Mapping[str, Mapping[str, int]]
) -> dict[str, list[RequirementFigure]]:
    """Charge each category requirement to the products of its category: `members[requirement.id]` maps product id
    to weight (its supply). Returns, per product, the requirements with the product's share filled in."""
    charged: dict[str, list[RequirementFigure]] = {}
    for requirement in requirements:
        shares = split_quantity(requirement.quantity, members.get(requirement.id, {}))
        for product_id, share in shares.items():
            charged.setdefault(product_id, []).append(dataclasses.replace(requirement, share=share))
    return charged


def surplus_breakdown(
    *,
    product_id: str,
    designation: str,
    period: Period,
    declaration: DeclarationFigure | None,
    requirements: Sequence[RequirementFigure],
    licensed: Iterable[LicensedFigure],
) -> SurplusBreakdown:
    """The exportable surplus of one product in one quarter, with every figure it comes from."""
    counted, outstanding = licensed_outstanding(licensed, period)
    unique = {requirement.id: requirement for requirement in requirements}
    rows = tuple(sorted(unique.values(), key=lambda r: (r.priority, r.scope, r.id)))
    domestic = sum(requirement.charged for requirement in rows)
    capacity = declaration.capacity if declaration else 0
    stock = declaration.stock if declaration else 0
    notes = () if declaration else ("no capacity declaration for this quarter: capacity and stock count as 0",)
    return SurplusBreakdown(
        product_id=product_id,
        designation=designation,
        period=period,
        declaration=declaration,
        requirements=rows,
        licensed=counted,
        capacity=capacity,
        stock=stock,
        domestic_requirement=domestic,
        licensed_outstanding=outstanding,
        surplus=capacity + stock - domestic - outstanding,
        notes=notes,
    )


def without_rows(breakdown: SurplusBreakdown, visible: set[str] | None) -> SurplusBreakdown:
    """The breakdown as a viewer may see it: only the requirement rows in `visible` (None: none at all). The totals
    stay whole, so the surplus is the same number for everyone; hidden rows are only counted."""
    if visible is None:
        return dataclasses.replace(breakdown, requirements=(), hidden_requirements=len(breakdown.requirements))
    shown = tuple(row for row in breakdown.requirements if row.id in visible)
    return dataclasses.replace(
        breakdown, requirements=shown, hidden_requirements=len(breakdown.requirements) - len(shown)
    )
