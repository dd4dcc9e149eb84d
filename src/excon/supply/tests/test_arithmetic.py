"""The surplus arithmetic, without a database: worked examples and hypothesis properties."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from excon.refdata.codes import entry_under
from excon.supply.arithmetic import (
    DeclarationFigure,
    LicensedFigure,
    Period,
    RequirementFigure,
    allocate_category_requirements,
    split_quantity,
    surplus_breakdown,
    without_rows,
)

Q3 = Period(2026, 3)
DECLARED = DeclarationFigure(version=2, capacity=40, stock=10, source="manufacturer", declared_on=dt.date(2026, 6, 1))


def line(line_id: str, quantity: int, shipped: int = 0, start: dt.date = dt.date(2026, 1, 1), until=None):  # type: ignore[no-untyped-def]
    return LicensedFigure(line_id, f"LIC-{line_id}", quantity, shipped, start, until)


def test_period_bounds_and_validation() -> None:
    assert (Q3.start, Q3.end, Q3.label) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30), "2026-Q3")
    assert Period(2024, 1).end == dt.date(2024, 3, 31)
    assert Period.containing(dt.date(2026, 12, 31)) == Period(2026, 4)
    with pytest.raises(ValueError, match="quarter"):
        Period(2026, 5)


def test_entry_under() -> None:
    assert entry_under("ML6.a", "ML6")
    assert entry_under("ml6.A", "ML6.a")
    assert entry_under("ML6", "ML6")
    assert not entry_under("ML60", "ML6")
    assert not entry_under("ML6", "ML6.a")
    assert not entry_under("ML6", "")


def test_worked_example_with_its_sources() -> None:
    breakdown = surplus_breakdown(
        product_id="p",
        designation="BTR-4E",
        period=Q3,
        declaration=DECLARED,
        requirements=[
            RequirementFigure("r1", 12, "product", reference="SO-1"),
            RequirementFigure("r2", 30, "category", category="ML6", share=5),
        ],
        licensed=[
            line("a", 10, shipped=4),  # 6 outstanding
            line("b", 8, until=dt.date(2026, 6, 30)),  # ended before Q3: not counted
            line("c", 5, shipped=5),  # fully shipped: 0
        ],
    )
    assert (breakdown.capacity, breakdown.stock, breakdown.domestic_requirement) == (40, 10, 17)
    assert breakdown.licensed_outstanding == 6
    assert breakdown.surplus == 50 - 17 - 6
    assert [item.line_id for item in breakdown.licensed] == ["a", "c"]
    assert breakdown.declaration == DECLARED
    assert breakdown.as_dict()["declared_on"] == "2026-06-01"


def test_no_declaration_counts_as_zero_and_says_so() -> None:
    breakdown = surplus_breakdown(
        product_id="p", designation="X", period=Q3, declaration=None, requirements=[], licensed=[line("a", 3)]
    )
    assert breakdown.surplus == -3
    assert breakdown.shortfall
    assert breakdown.notes


def test_split_is_exact_and_proportional() -> None:
    assert split_quantity(10, {"a": 30, "b": 10}) == {"a": 8, "b": 2} or split_quantity(10, {"a": 30, "b": 10}) == {
        "a": 7,
        "b": 3,
    }
    assert split_quantity(7, {"a": 0, "b": 0}) == {"a": 4, "b": 3}
    assert split_quantity(5, {}) == {}


def test_category_requirement_is_charged_once_across_products() -> None:
    requirement = RequirementFigure("cat", 9, "category", category="ML6")
    charged = allocate_category_requirements([requirement], {"cat": {"p1": 20, "p2": 10}})
    assert charged["p1"][0].share == 6
    assert charged["p2"][0].share == 3


def test_redaction_keeps_totals() -> None:
    breakdown = surplus_breakdown(
        product_id="p",
        designation="X",
        period=Q3,
        declaration=DECLARED,
        requirements=[RequirementFigure("r1", 5, "product"), RequirementFigure("r2", 7, "product", marking="secret")],
        licensed=[],
    )
    exporter = without_rows(breakdown, None)
    assert exporter.requirements == ()
    assert exporter.hidden_requirements == 2
    assert exporter.surplus == breakdown.surplus
    uncleared = without_rows(breakdown, {"r1"})
    assert [r.id for r in uncleared.requirements] == ["r1"]
    assert uncleared.hidden_requirements == 1


# Properties -----------------------------------------------------------------------------------------------------

dates = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31))


@st.composite
def licence_lines(draw):  # type: ignore[no-untyped-def]
    count = draw(st.integers(0, 8))
    lines = []
    for number in range(count):
        quantity = draw(st.integers(0, 100))
        start = draw(dates)
        until = draw(st.one_of(st.none(), dates.filter(lambda d, s=start: d >= s)))
        lines.append(line(f"l{number}", quantity, draw(st.integers(0, quantity)), start, until))
    return lines


requirements_st = st.lists(
    st.builds(
        RequirementFigure,
        id=st.uuids().map(str),
        quantity=st.integers(0, 200),
        scope=st.just("product"),
    ),
    max_size=5,
    unique_by=lambda r: r.id,
)
declarations = st.one_of(
    st.none(),
    st.builds(
        DeclarationFigure,
        version=st.just(1),
        capacity=st.integers(0, 500),
        stock=st.integers(0, 500),
        source=st.just("manufacturer"),
        declared_on=st.just(dt.date(2026, 1, 1)),
    ),
)
periods = st.builds(Period, year=st.integers(2025, 2027), quarter=st.integers(1, 4))


def _surplus(period, declaration, requirements, licensed) -> int:  # type: ignore[no-untyped-def]
    return surplus_breakdown(
        product_id="p",
        designation="X",
        period=period,
        declaration=declaration,
        requirements=requirements,
        licensed=licensed,
    ).surplus


@given(periods, declarations, requirements_st, licence_lines(), st.data())
def test_the_same_licensed_quantity_is_never_counted_twice(period, declaration, requirements, lines, data) -> None:  # type: ignore[no-untyped-def]
    duplicated = lines + data.draw(st.lists(st.sampled_from(lines), max_size=10) if lines else st.just([]))
    once = _surplus(period, declaration, requirements, lines)
    assert _surplus(period, declaration, requirements, duplicated) == once
    supply = declaration.capacity + declaration.stock if declaration else 0
    outstanding = sum(
        item.quantity - item.shipped
        for item in lines
        if item.valid_from <= period.end and (item.valid_until is None or item.valid_until >= period.start)
    )
    assert once == supply - sum(r.quantity for r in requirements) - outstanding


@given(periods, declarations, requirements_st, licence_lines(), st.data())
def test_a_shipment_never_lowers_the_surplus(period, declaration, requirements, lines, data) -> None:  # type: ignore[no-untyped-def]
    if not lines:
        return
    index = data.draw(st.integers(0, len(lines) - 1))
    target = lines[index]
    more = data.draw(st.integers(0, target.quantity - target.shipped))
    shipped = [*lines]
    shipped[index] = dataclasses.replace(target, shipped=target.shipped + more)
    assert _surplus(period, declaration, requirements, shipped) >= _surplus(period, declaration, requirements, lines)


@given(
    periods,
    declarations,
    requirements_st,
    licence_lines(),
    st.integers(0, 300),
    st.dictionaries(st.sampled_from(["p", "q", "r"]), st.integers(0, 300), min_size=1),
    st.booleans(),
)
def test_a_requirement_never_raises_the_surplus(
    period, declaration, requirements, lines, quantity, weights, category
) -> None:  # type: ignore[no-untyped-def]
    before = _surplus(period, declaration, requirements, lines)
    if category:
        added = allocate_category_requirements(
            [RequirementFigure("new", quantity, "category", category="ML6")], {"new": weights}
        ).get("p", [])
    else:
        added = [RequirementFigure("new", quantity, "product")]
    assert _surplus(period, declaration, [*requirements, *added], lines) <= before


@given(st.integers(0, 10_000), st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 1000), min_size=1))
def test_split_shares_add_up_exactly(quantity, weights) -> None:  # type: ignore[no-untyped-def]
    shares = split_quantity(quantity, weights)
    assert sum(shares.values()) == quantity
    assert all(share >= 0 for share in shares.values())
    assert set(shares) == set(weights)
