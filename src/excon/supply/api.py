"""API for domestic supply: capacity declarations and corrections, requirements, priorities (with the bulk
suspension), surplus rules, surplus equipment, the surplus of a product per quarter, and the dashboard data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema, Status

from excon.core.api import ERROR_RESPONSES, DbInt, Quarter, ReasonIn, Year, actor_of

from . import selectors, services
from .arithmetic import SurplusBreakdown
from .models import (
    CapacityDeclaration,
    DomesticPrice,
    DomesticPriority,
    DomesticRequirement,
    SurplusEquipment,
    SurplusRule,
)

router = Router(tags=["domestic supply"])


class DeclarationIn(Schema):
    product_id: str
    year: DbInt
    quarter: DbInt
    capacity: DbInt
    stock: DbInt


class CorrectionIn(Schema):
    capacity: DbInt
    stock: DbInt
    reason: str


class CapacityDeclarationOut(Schema):
    id: UUID
    product_id: UUID
    designation: str
    year: int
    quarter: int
    version: int
    capacity: int
    stock: int
    source: str
    reason: str
    declared_by: str
    created_at: dt.datetime
    superseded_at: dt.datetime | None

    @staticmethod
    def resolve_designation(obj: CapacityDeclaration) -> str:
        return obj.product.designation

    @staticmethod
    def resolve_declared_by(obj: CapacityDeclaration) -> str:
        return str(obj.declared_by)


class RequirementIn(Schema):
    product_id: str = ""
    control_entry: str = ""
    year: DbInt
    quarter: DbInt
    quantity: DbInt
    kind: str
    priority: DbInt = 3
    reference: str
    marking: str = "restricted"


class RequirementOut(Schema):
    id: UUID
    product_id: UUID | None
    control_entry: str
    subject: str
    year: int
    quarter: int
    quantity: int
    kind: str
    priority: int
    reference: str
    marking: str
    created_at: dt.datetime
    withdrawn_at: dt.datetime | None

    @staticmethod
    def resolve_control_entry(obj: DomesticRequirement) -> str:
        return obj.control_entry.code if obj.control_entry else ""


class DomesticPriceIn(Schema):
    product_id: str
    contract_reference: str
    year: Year
    unit_price: str
    currency: str
    marking: str = "restricted"


class DomesticPriceOut(Schema):
    id: UUID
    product_id: UUID
    product: str
    contract_reference: str
    year: int
    unit_price: Decimal
    currency: str
    marking: str
    created_at: dt.datetime

    @staticmethod
    def resolve_product(obj: DomesticPrice) -> str:
        return obj.product.designation


class PriorityIn(Schema):
    product_id: str = ""
    control_entry: str = ""
    start: dt.date
    end: dt.date
    reason: str


class PriorityOut(Schema):
    id: UUID
    subject: str
    product_id: UUID | None
    control_entry: str
    start: dt.date
    end: dt.date
    reason: str
    lifted_at: dt.datetime | None
    lift_reason: str
    suspension_id: UUID | None

    @staticmethod
    def resolve_control_entry(obj: DomesticPriority) -> str:
        return obj.control_entry.code if obj.control_entry else ""


class SurplusRuleIn(Schema):
    prefix: str
    mode: str
    note: str = ""


class SurplusRuleOut(Schema):
    id: UUID
    prefix: str
    mode: str
    note: str
    updated_at: dt.datetime


class EquipmentIn(Schema):
    item: str
    designation: str
    quantity: DbInt
    condition: str
    location: str
    origin: str
    trader_id: str
    description: str = ""


class EquipmentAdjustIn(Schema):
    quantity_available: DbInt
    reason: str


class EquipmentOut(Schema):
    id: UUID
    reference: str
    item: str
    designation: str
    quantity_listed: int
    quantity_available: int
    condition: str
    location: str
    origin: str
    trader_id: UUID
    product_id: UUID | None


class RequirementFigureOut(Schema):
    id: str
    scope: str
    category: str
    reference: str
    priority: int
    quantity: int
    charged: int
    recorded_on: dt.date | None


class LicensedFigureOut(Schema):
    licence_number: str
    quantity: int
    shipped: int
    outstanding: int
    valid_from: dt.date
    valid_until: dt.date | None


class SurplusOut(Schema):
    product_id: str
    designation: str
    period: str
    period_start: dt.date
    period_end: dt.date
    capacity: int
    stock: int
    declaration_version: int | None
    declared_on: dt.date | None
    declaration_source: str | None
    domestic_requirement: int
    licensed_outstanding: int
    surplus: int
    requirements: list[RequirementFigureOut]
    hidden_requirements: int
    licensed: list[LicensedFigureOut]
    notes: list[str]


class DashboardRowOut(Schema):
    period: str
    product: str
    capacity: int
    stock: int
    domestic_requirement: int
    licensed_outstanding: int
    shipped: int
    surplus: int


class DashboardOut(Schema):
    category: str
    year: int
    totals: list[DashboardRowOut]
    products: list[DashboardRowOut]


def _surplus_out(breakdown: SurplusBreakdown) -> dict[str, Any]:
    declaration = breakdown.declaration
    return {
        "product_id": breakdown.product_id,
        "designation": breakdown.designation,
        "period": breakdown.period.label,
        "period_start": breakdown.period.start,
        "period_end": breakdown.period.end,
        "capacity": breakdown.capacity,
        "stock": breakdown.stock,
        "declaration_version": declaration.version if declaration else None,
        "declared_on": declaration.declared_on if declaration else None,
        "declaration_source": declaration.source if declaration else None,
        "domestic_requirement": breakdown.domestic_requirement,
        "licensed_outstanding": breakdown.licensed_outstanding,
        "surplus": breakdown.surplus,
        "requirements": [
            {
                "id": row.id,
                "scope": row.scope,
                "category": row.category,
                "reference": row.reference,
                "priority": row.priority,
                "quantity": row.quantity,
                "charged": row.charged,
                "recorded_on": row.recorded_on,
            }
            for row in breakdown.requirements
        ],
        "hidden_requirements": breakdown.hidden_requirements,
        "licensed": [
            {
                "licence_number": line.licence_number,
                "quantity": line.quantity,
                "shipped": line.shipped,
                "outstanding": line.outstanding,
                "valid_from": line.valid_from,
                "valid_until": line.valid_until,
            }
            for line in breakdown.licensed
        ],
        "notes": list(breakdown.notes),
    }


# Declarations -------------------------------------------------------------------------------------------------


@router.get("/supply/declarations", response=list[CapacityDeclarationOut], summary="Capacity declarations you may see")
def list_declarations(
    request: HttpRequest,
    product_id: str = "",
    year: Year | None = None,
    quarter: Quarter | None = None,
    history: bool = False,
) -> Any:
    return list(
        selectors.declaration_list(
            actor=actor_of(request),
            product_id=product_id or None,
            year=year,
            quarter=quarter,
            include_superseded=history,
        )[:1000]
    )


@router.post(
    "/supply/declarations",
    response={201: CapacityDeclarationOut, **ERROR_RESPONSES},
    summary="Declare capacity and stock",
)
def declare(request: HttpRequest, body: DeclarationIn) -> Any:
    return Status(201, services.capacity_declare(actor=actor_of(request), **body.dict()))


@router.post(
    "/supply/declarations/{declaration_id}/corrections",
    response={201: CapacityDeclarationOut, **ERROR_RESPONSES},
    summary="Correct a declaration (defence ministry): a new version with the reason",
)
def correct(request: HttpRequest, declaration_id: str, body: CorrectionIn) -> Any:
    actor = actor_of(request)
    declaration = selectors.declaration_get(actor=actor, declaration_id=declaration_id)
    return Status(201, services.capacity_correct(actor=actor, declaration=declaration, **body.dict()))


# Domestic prices ---------------------------------------------------------------------------------------------


@router.get(
    "/supply/domestic-prices",
    response={200: list[DomesticPriceOut], **ERROR_RESPONSES},
    summary="The ministry's domestic procurement prices (up to your clearance)",
)
def list_domestic_prices(request: HttpRequest, year: int | None = None) -> Any:
    return Status(200, list(selectors.domestic_price_list(actor=actor_of(request), year=year)[:1000]))


@router.post(
    "/supply/domestic-prices",
    response={201: DomesticPriceOut, **ERROR_RESPONSES},
    summary="Record a domestic procurement price",
)
def record_domestic_price(request: HttpRequest, body: DomesticPriceIn) -> Any:
    return Status(201, services.domestic_price_record(actor=actor_of(request), **body.dict()))


# Requirements -------------------------------------------------------------------------------------------------


@router.get(
    "/supply/requirements", response={200: list[RequirementOut], **ERROR_RESPONSES}, summary="Domestic requirements"
)
def list_requirements(
    request: HttpRequest, year: Year | None = None, quarter: Quarter | None = None, withdrawn: bool = False
) -> Any:
    rows = selectors.requirement_list(actor=actor_of(request), year=year, quarter=quarter, include_withdrawn=withdrawn)
    return Status(200, list(rows[:1000]))


@router.post("/supply/requirements", response={201: RequirementOut, **ERROR_RESPONSES}, summary="Record a requirement")
def record_requirement(request: HttpRequest, body: RequirementIn) -> Any:
    data = body.dict()
    requirement = services.requirement_record(
        actor=actor_of(request),
        product_id=data.pop("product_id"),
        control_code=data.pop("control_entry"),
        **data,
    )
    return Status(201, requirement)


@router.post(
    "/supply/requirements/{requirement_id}/withdraw",
    response={200: RequirementOut, **ERROR_RESPONSES},
    summary="Withdraw a requirement",
)
def withdraw_requirement(request: HttpRequest, requirement_id: str, body: ReasonIn) -> Any:
    actor = actor_of(request)
    requirement = selectors.requirement_get(actor=actor, requirement_id=requirement_id)
    return Status(200, services.requirement_withdraw(actor=actor, requirement=requirement, reason=body.reason))


# Priorities ---------------------------------------------------------------------------------------------------


@router.get("/supply/priorities", response={200: list[PriorityOut], **ERROR_RESPONSES}, summary="Domestic priorities")
def list_priorities(request: HttpRequest, active: bool = False) -> Any:
    return Status(200, list(selectors.priority_list(actor=actor_of(request), active_only=active)))


@router.post("/supply/priorities", response={201: PriorityOut, **ERROR_RESPONSES}, summary="Place a domestic priority")
def place_priority(request: HttpRequest, body: PriorityIn) -> Any:
    data = body.dict()
    priority = services.priority_place(
        actor=actor_of(request), product_id=data.pop("product_id"), control_code=data.pop("control_entry"), **data
    )
    return Status(201, priority)


@router.post(
    "/supply/priorities/{priority_id}/lift", response={200: PriorityOut, **ERROR_RESPONSES}, summary="Lift a priority"
)
def lift_priority(request: HttpRequest, priority_id: str, body: ReasonIn) -> Any:
    actor = actor_of(request)
    priority = selectors.priority_get(actor=actor, priority_id=priority_id)
    return Status(200, services.priority_lift(actor=actor, priority=priority, reason=body.reason))


# Rules and equipment ------------------------------------------------------------------------------------------


@router.get("/supply/rules", response={200: list[SurplusRuleOut], **ERROR_RESPONSES}, summary="Surplus rules")
def list_rules(request: HttpRequest) -> Any:
    return Status(200, list(selectors.rule_list(actor=actor_of(request))))


@router.put("/supply/rules", response={200: SurplusRuleOut, **ERROR_RESPONSES}, summary="Set the rule for a prefix")
def set_rule(request: HttpRequest, body: SurplusRuleIn) -> Any:
    rule: SurplusRule = services.rule_set(actor=actor_of(request), **body.dict())
    return Status(200, rule)


@router.get("/supply/equipment", response={200: list[EquipmentOut], **ERROR_RESPONSES}, summary="Surplus equipment")
def list_equipment(request: HttpRequest) -> Any:
    return Status(200, list(selectors.equipment_list(actor=actor_of(request))))


@router.post("/supply/equipment", response={201: EquipmentOut, **ERROR_RESPONSES}, summary="List surplus equipment")
def list_equipment_item(request: HttpRequest, body: EquipmentIn) -> Any:
    item: SurplusEquipment = services.equipment_list_item(actor=actor_of(request), **body.dict())
    return Status(201, item)


@router.post(
    "/supply/equipment/{equipment_id}/availability",
    response={200: EquipmentOut, **ERROR_RESPONSES},
    summary="Change the quantity still available",
)
def adjust_equipment(request: HttpRequest, equipment_id: str, body: EquipmentAdjustIn) -> Any:
    actor = actor_of(request)
    equipment = selectors.equipment_get(actor=actor, equipment_id=equipment_id)
    return Status(200, services.equipment_adjust(actor=actor, equipment=equipment, **body.dict()))


# Surplus and dashboard ----------------------------------------------------------------------------------------


@router.get(
    "/supply/surplus", response={200: list[SurplusOut], **ERROR_RESPONSES}, summary="A product's surplus per quarter"
)
def surplus(request: HttpRequest, product_id: str, year: Year | None = None, quarter: Quarter | None = None) -> Any:
    actor = actor_of(request)
    product = selectors.supply_product_get(actor=actor, product_id=product_id)
    periods = selectors.surplus_periods(year, quarter)
    return Status(
        200, [_surplus_out(b) for b in selectors.product_surplus(actor=actor, product=product, periods=periods)]
    )


@router.get("/supply/dashboard", response={200: DashboardOut, **ERROR_RESPONSES}, summary="A category's figures")
def dashboard(request: HttpRequest, category: str, year: Year) -> Any:
    data = selectors.dashboard(actor=actor_of(request), category=category, year=year)
    return Status(200, {"category": data.category, "year": data.year, "totals": data.totals, "products": data.products})
