"""Writes of the supply data. Each service checks the policy, validates everything before writing, writes in one
transaction and records an audit entry. Error codes (see docs/supply.md): supply.negative_quantity,
supply.invalid_quarter, supply.invalid_year, supply.unknown_product, supply.unknown_control_entry,
supply.not_manufacturer, supply.subject_required, supply.priority_overlap, supply.invalid_period, …"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from excon.accounts.models import Organisation
from excon.audit.services import audit_record
from excon.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from excon.core.ids import parse_uuid
from excon.core.markings import ProtectiveMarking, cleared_for
from excon.core.money import validate_currency
from excon.core.refnumbers import next_reference
from excon.core.validation import clean_text, require_text
from excon.products.models import Product
from excon.products.services import product_create
from excon.refdata.models import ControlListEntry
from excon.refdata.selectors import control_entries_by_code

from . import policies
from .enums import AuditVerb, DeclarationSource, EquipmentCondition, RequirementKind, SurplusRuleMode
from .models import (
    CapacityDeclaration,
    DomesticPrice,
    DomesticPriority,
    DomesticRequirement,
    SurplusEquipment,
    SurplusRule,
)
from .selectors import valid_period

if TYPE_CHECKING:
    from excon.accounts.models import User
    from excon.licences.models import BulkAction  # only named in a signature: supply never imports licences


# Validation ---------------------------------------------------------------------------------------------------


def _quantity(value: Any, field: str, *, positive: bool = False) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        number = int(value)
    else:
        raise ValidationError(
            f"{field} must be a whole number", code="supply.invalid_quantity", details={"field": field}
        )
    if number < 0:
        raise ValidationError(
            f"{field} cannot be negative", code="supply.negative_quantity", details={"field": field, "value": number}
        )
    if positive and number == 0:
        raise ValidationError(f"{field} must be at least 1", code="supply.quantity_required", details={"field": field})
    return number


def _period(year: Any, quarter: Any) -> tuple[int, int]:
    period = valid_period(year, quarter)
    return period.year, period.quarter


_text = clean_text


def _require_marking(actor: User, marking: str, *, record: str) -> None:
    """Confidential supply records (requirements, domestic prices) carry a known marking no higher than the
    recording official's own clearance."""
    if marking not in ProtectiveMarking.values:
        raise ValidationError(
            f"unknown marking {marking!r}", code="supply.invalid_marking", details={"field": "marking"}
        )
    if not cleared_for(actor.clearance, marking):
        raise ValidationError(
            f"you may not record a {record} marked above your own clearance",
            code="supply.marking_above_clearance",
            details={"field": "marking"},
        )


def _required(value: Any, field: str, what: str) -> str:
    return require_text(value, field=field, code=f"supply.{field}_required", message=f"give {what}")


def _product(product_id: Any) -> Product:
    key = parse_uuid(product_id)
    product = Product.objects.select_related("manufacturer").filter(pk=key).first() if key else None
    if product is None:
        raise NotFound("product", code="supply.unknown_product", details={"field": "product"})
    return product


def _control_entry(code: Any) -> ControlListEntry:
    text = _text(code)
    entry = ControlListEntry.objects.filter(code__iexact=text).first() if text else None
    if entry is None:
        raise NotFound("control-list entry", code="supply.unknown_control_entry", details={"field": "control_entry"})
    return entry


def _subject(product_id: Any, control_code: Any) -> tuple[Product | None, ControlListEntry | None]:
    has_product, has_code = bool(_text(product_id)), bool(_text(control_code))
    if has_product == has_code:
        raise ValidationError(
            "choose either a product or a control-list category",
            code="supply.subject_required",
            details={"field": "product"},
        )
    if has_product:
        return _product(product_id), None
    return None, _control_entry(control_code)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# Capacity declarations ----------------------------------------------------------------------------------------


def _new_version(
    *,
    product: Product,
    year: int,
    quarter: int,
    capacity: int,
    stock: int,
    actor: User,
    source: str,
    reason: str = "",
) -> tuple[CapacityDeclaration, CapacityDeclaration | None]:
    rows = CapacityDeclaration.objects.select_for_update().filter(product=product, year=year, quarter=quarter)
    previous = rows.filter(superseded_at__isnull=True).first()
    version = (rows.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    if previous is not None:
        previous.superseded_at = timezone.now()
        previous.save(update_fields=["superseded_at", "updated_at"])
    try:
        with transaction.atomic():
            declaration = CapacityDeclaration.objects.create(
                product=product,
                year=year,
                quarter=quarter,
                version=version,
                capacity=capacity,
                stock=stock,
                source=source,
                reason=reason,
                declared_by=actor,
            )
    except IntegrityError as exc:  # two declarations at once for the same quarter
        raise Conflict("a declaration was just made for this quarter; try again", code="supply.concurrent") from exc
    return declaration, previous


@transaction.atomic
def capacity_declare(
    *, actor: User, product_id: Any, year: Any, quarter: Any, capacity: Any, stock: Any
) -> CapacityDeclaration:
    """The manufacturer declares capacity and stock of its product for a quarter; a new declaration supersedes the
    previous one, which is kept."""
    product = _product(product_id)
    if not policies.can_declare_capacity(actor, product):
        if policies.is_exporter(actor):
            raise PermissionDenied(
                "you may declare capacity only for your own organisation's products",
                code="supply.not_manufacturer",
                details={"field": "product"},
            )
        raise PermissionDenied("only the manufacturer declares its capacity")
    year_n, quarter_n = _period(year, quarter)
    capacity_n, stock_n = _quantity(capacity, "capacity"), _quantity(stock, "stock")
    declaration, previous = _new_version(
        product=product,
        year=year_n,
        quarter=quarter_n,
        capacity=capacity_n,
        stock=stock_n,
        actor=actor,
        source=DeclarationSource.MANUFACTURER,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.SUPPLY_CAPACITY_DECLARED,
        target=declaration,
        payload={
            "product": product.designation,
            "period": f"{year_n}-Q{quarter_n}",
            "version": declaration.version,
            "capacity": capacity_n,
            "stock": stock_n,
            "supersedes": previous.version if previous else None,
        },
    )
    return declaration


@transaction.atomic
def capacity_correct(
    *, actor: User, declaration: CapacityDeclaration, capacity: Any, stock: Any, reason: str
) -> CapacityDeclaration:
    """The defence ministry (or a senior officer of the authority) corrects a declaration: a new version marked as
    a ministry correction, with the reason."""
    _require(policies.can_correct_declaration(actor), "only the defence ministry corrects capacity declarations")
    reason = _required(reason, "reason", "the reason for the correction")
    capacity_n, stock_n = _quantity(capacity, "capacity"), _quantity(stock, "stock")
    current = (
        CapacityDeclaration.objects.filter(
            product_id=declaration.product_id, year=declaration.year, quarter=declaration.quarter
        )
        .filter(superseded_at__isnull=True)
        .first()
    )
    if current is None or current.pk != declaration.pk:
        raise Conflict(
            "this declaration has been superseded: correct the current version",
            code="supply.declaration_superseded",
        )
    corrected, previous = _new_version(
        product=declaration.product,
        year=declaration.year,
        quarter=declaration.quarter,
        capacity=capacity_n,
        stock=stock_n,
        actor=actor,
        source=DeclarationSource.MINISTRY_CORRECTION,
        reason=reason,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.SUPPLY_CAPACITY_CORRECTED,
        target=corrected,
        payload={
            "product": declaration.product.designation,
            "period": f"{declaration.year}-Q{declaration.quarter}",
            "version": corrected.version,
            "capacity": {"from": previous.capacity if previous else None, "to": capacity_n},
            "stock": {"from": previous.stock if previous else None, "to": stock_n},
            "reason": reason,
        },
    )
    return corrected


# Requirements -------------------------------------------------------------------------------------------------


@transaction.atomic
def requirement_record(
    *,
    actor: User,
    product_id: Any = None,
    control_code: Any = None,
    year: Any,
    quarter: Any,
    quantity: Any,
    kind: str,
    priority: Any = 3,
    reference: str,
    marking: str = ProtectiveMarking.RESTRICTED,
) -> DomesticRequirement:
    _require(policies.can_manage_requirements(actor), "only the defence ministry records the armed forces' needs")
    product, entry = _subject(product_id, control_code)
    year_n, quarter_n = _period(year, quarter)
    quantity_n = _quantity(quantity, "quantity", positive=True)
    if kind not in RequirementKind.values:
        raise ValidationError(f"unknown kind {kind!r}", code="supply.invalid_kind", details={"field": "kind"})
    try:
        priority_n = int(priority)
    except (TypeError, ValueError):
        priority_n = 0
    if not 1 <= priority_n <= 3:
        raise ValidationError(
            "the priority is 1 (highest), 2 or 3", code="supply.invalid_priority", details={"field": "priority"}
        )
    reference = _required(reference, "reference", "the state order or procurement reference")
    _require_marking(actor, marking, record="requirement")
    requirement = DomesticRequirement.objects.create(
        product=product,
        control_entry=entry,
        year=year_n,
        quarter=quarter_n,
        quantity=quantity_n,
        kind=kind,
        priority=priority_n,
        reference=reference,
        marking=marking,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.SUPPLY_REQUIREMENT_RECORDED,
        target=requirement,
        payload={
            "subject": requirement.subject,
            "period": f"{year_n}-Q{quarter_n}",
            "quantity": quantity_n,
            "kind": kind,
            "priority": priority_n,
            "reference": reference,
            "marking": marking,
        },
    )
    return requirement


@transaction.atomic
def requirement_withdraw(*, actor: User, requirement: DomesticRequirement, reason: str) -> DomesticRequirement:
    _require(policies.can_manage_requirements(actor), "only the defence ministry withdraws requirements")
    requirement = DomesticRequirement.objects.select_for_update().get(pk=requirement.pk)
    if requirement.withdrawn_at is not None:
        raise Conflict("the requirement is already withdrawn", code="supply.already_withdrawn")
    requirement.withdrawn_reason = _required(reason, "reason", "the reason")
    requirement.withdrawn_at = timezone.now()
    requirement.save(update_fields=["withdrawn_at", "withdrawn_reason", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.SUPPLY_REQUIREMENT_WITHDRAWN,
        target=requirement,
        payload={"reason": requirement.withdrawn_reason},
    )
    return requirement


# Domestic priorities ------------------------------------------------------------------------------------------


@transaction.atomic
def domestic_price_record(
    *,
    actor: User,
    product_id: Any,
    contract_reference: str,
    year: Any,
    unit_price: Any,
    currency: str,
    marking: str = ProtectiveMarking.RESTRICTED,
) -> DomesticPrice:
    """The ministry records the unit price it pays for a product under a contract in a year."""
    _require(policies.can_record_domestic_prices(actor), "only the defence ministry records domestic prices")
    product = _product(product_id)
    reference = _required(contract_reference, "contract_reference", "the contract reference")
    year_n, _quarter = _period(year, 1)
    try:
        price = Decimal(str(unit_price).strip().replace(",", ""))
        if not price.is_finite() or price <= 0 or price.as_tuple().exponent < -2:  # type: ignore[operator]
            raise InvalidOperation
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(
            "the unit price is an amount above zero with at most two decimals",
            code="supply.invalid_price",
            details={"field": "unit_price"},
        ) from exc
    try:
        currency_code = validate_currency(currency or "")
    except ValidationError as exc:
        raise ValidationError(exc.message, code=exc.code, details={"field": "currency"}) from exc
    _require_marking(actor, marking, record="price")
    if DomesticPrice.objects.filter(product=product, contract_reference=reference, year=year_n).exists():
        raise Conflict(
            "a price for this product, contract and year is already recorded",
            code="supply.duplicate_price",
            details={"field": "contract_reference"},
        )
    record = DomesticPrice.objects.create(
        product=product,
        contract_reference=reference,
        year=year_n,
        unit_price=price,
        currency=currency_code,
        marking=marking,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.SUPPLY_DOMESTIC_PRICE_RECORDED,
        target=record,
        payload={
            "product": product.designation,
            "contract": reference,
            "year": year_n,
            "unit_price": str(price),
            "currency": currency_code,
            "marking": marking,
        },
    )
    return record


def _date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError(f"{field} must be a date", code="supply.invalid_date", details={"field": field}) from exc


@transaction.atomic
def priority_place(
    *, actor: User, product_id: Any = None, control_code: Any = None, start: Any, end: Any, reason: str
) -> DomesticPriority:
    """Reserve a product or a category for the armed forces from `start` to `end`."""
    _require(policies.can_manage_priorities(actor), "only the defence ministry places domestic priorities")
    product, entry = _subject(product_id, control_code)
    start_d, end_d = _date(start, "start"), _date(end, "end")
    if end_d < start_d:
        raise ValidationError("the end comes before the start", code="supply.invalid_period", details={"field": "end"})
    reason = _required(reason, "reason", "the reason")
    same = DomesticPriority.objects.select_for_update().filter(
        lifted_at__isnull=True, start__lte=end_d, end__gte=start_d
    )
    same = same.filter(product=product) if product is not None else same.filter(control_entry=entry)
    clash = same.first()
    if clash is not None:
        raise Conflict(
            f"a domestic priority for {clash.subject} already covers {clash.start}–{clash.end}",
            code="supply.priority_overlap",
            details={"priority": str(clash.pk), "start": clash.start.isoformat(), "end": clash.end.isoformat()},
        )
    priority = DomesticPriority.objects.create(
        product=product, control_entry=entry, start=start_d, end=end_d, reason=reason, placed_by=actor
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.SUPPLY_PRIORITY_PLACED,
        target=priority,
        payload={"subject": priority.subject, "start": start_d, "end": end_d, "reason": reason},
    )
    return priority


@transaction.atomic
def priority_lift(*, actor: User, priority: DomesticPriority, reason: str) -> DomesticPriority:
    _require(policies.can_manage_priorities(actor), "only the defence ministry lifts domestic priorities")
    priority = DomesticPriority.objects.select_for_update().get(pk=priority.pk)
    if priority.lifted_at is not None:
        raise Conflict("the priority has already been lifted", code="supply.priority_lifted")
    priority.lift_reason = _required(reason, "reason", "the reason")
    priority.lifted_at = timezone.now()
    priority.lifted_by = actor
    priority.save(update_fields=["lifted_at", "lifted_by", "lift_reason", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.SUPPLY_PRIORITY_LIFTED,
        target=priority,
        payload={"subject": priority.subject, "reason": priority.lift_reason},
    )
    return priority


@transaction.atomic
def priority_lock_in_force(*, priority: DomesticPriority) -> DomesticPriority:
    """The priority, locked, for the licences app to act on; Conflict "supply.priority_lifted" once lifted."""
    priority = (
        DomesticPriority.objects.select_for_update(of=("self",))
        .select_related("product", "control_entry")
        .get(pk=priority.pk)
    )
    if priority.lifted_at is not None:
        raise Conflict("the priority has been lifted", code="supply.priority_lifted")
    return priority


@transaction.atomic
def priority_record_suspension(
    *, actor: User, priority: DomesticPriority, suspension: BulkAction, licences: list[str]
) -> DomesticPriority:
    """Record which bulk suspension answered the priority (the licences app suspends, through
    excon.licences.services.licences_suspend_for_priority)."""
    _require(policies.can_suspend_for_priority(actor), "only senior officers of the authority suspend licences")
    priority = priority_lock_in_force(priority=priority)
    priority.suspension = suspension
    priority.save(update_fields=["suspension", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.SUPPLY_PRIORITY_LICENCES_SUSPENDED,
        target=priority,
        payload={"subject": priority.subject, "bulk_action": str(suspension.pk), "licences": licences},
    )
    return priority


# Surplus rules ------------------------------------------------------------------------------------------------


@transaction.atomic
def rule_set(*, actor: User, prefix: str, mode: str, note: str = "") -> SurplusRule:
    """Create or change the rule for a control-entry prefix (e.g. ML6: warn instead of fail)."""
    _require(policies.can_manage_rules(actor), "only senior officers of the authority set the surplus rules")
    prefix = _required(prefix, "prefix", "the control-entry prefix")
    # A rule for a code that is not on the control lists would silently never apply.
    prefix = control_entries_by_code([prefix])[0].code
    if mode not in SurplusRuleMode.values:
        raise ValidationError(f"unknown mode {mode!r}", code="supply.invalid_mode", details={"field": "mode"})
    rule = SurplusRule.objects.select_for_update().filter(prefix__iexact=prefix).first()
    before = {"mode": rule.mode, "note": rule.note} if rule else None
    if rule is None:
        rule = SurplusRule(prefix=prefix)
    rule.mode, rule.note, rule.updated_by = mode, _text(note), actor
    rule.save()
    audit_record(
        actor=actor,
        verb=AuditVerb.SUPPLY_RULE_SET,
        target=rule,
        payload={"prefix": rule.prefix, "from": before, "to": {"mode": mode, "note": rule.note}},
    )
    return rule


# Surplus equipment --------------------------------------------------------------------------------------------


def _trader(trader_id: Any) -> Organisation:
    key = parse_uuid(trader_id)
    trader = Organisation.objects.filter(pk=key).first() if key else None
    if trader is None:
        raise NotFound("organisation", code="supply.unknown_organisation", details={"field": "trader"})
    if not trader.is_exporter:
        raise ValidationError(
            "the state trading organisation must be a registered exporter",
            code="supply.trader_not_exporter",
            details={"field": "trader"},
        )
    return trader


@transaction.atomic
def equipment_list_item(
    *,
    actor: User,
    item: str,
    designation: str,
    quantity: Any,
    condition: str,
    location: str,
    origin: str,
    trader_id: Any,
    description: str = "",
) -> SurplusEquipment:
    """List equipment the armed forces no longer need. It becomes a second-hand registry product of the named state
    trading exporter (through the product registry's own service), to be classified and made eligible there."""

    _require(policies.can_list_equipment(actor), "only the defence ministry lists surplus equipment")
    item = _required(item, "item", "the item")
    designation = _required(designation, "designation", "the designation")
    quantity_n = _quantity(quantity, "quantity", positive=True)
    if condition not in EquipmentCondition.values:
        raise ValidationError(
            f"unknown condition {condition!r}", code="supply.invalid_condition", details={"field": "condition"}
        )
    location = _required(location, "location", "the location")
    origin = _required(origin, "origin", "the origin")
    trader = _trader(trader_id)
    reference = next_reference("SUR")
    product = product_create(
        actor=None,
        manufacturer=trader,
        fields={
            "designation": designation,
            "name": item,
            "description": description or f"Surplus equipment of the armed forces ({reference}), {condition}",
            "development_basis": "state_order",
            "development_reference": reference,
            "condition": "second_hand",
            "origin": origin,
        },
        system_label=f"surplus listing by {actor.username}",
    )
    listing = SurplusEquipment.objects.create(
        reference=reference,
        item=item,
        designation=designation,
        quantity_listed=quantity_n,
        quantity_available=quantity_n,
        condition=condition,
        location=location,
        origin=origin,
        trader=trader,
        product=product,
        listed_by=actor,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.SUPPLY_EQUIPMENT_LISTED,
        target=listing,
        payload={
            "item": item,
            "designation": designation,
            "quantity": quantity_n,
            "condition": condition,
            "location": location,
            "origin": origin,
            "trader": trader.name,
            "product": str(product.pk),
        },
    )
    return listing


@transaction.atomic
def equipment_adjust(
    *, actor: User, equipment: SurplusEquipment, quantity_available: Any, reason: str
) -> SurplusEquipment:
    _require(policies.can_list_equipment(actor), "only the defence ministry changes surplus listings")
    equipment = SurplusEquipment.objects.select_for_update().get(pk=equipment.pk)
    quantity_n = _quantity(quantity_available, "quantity_available")
    if quantity_n > equipment.quantity_listed:
        raise ValidationError(
            f"no more than the {equipment.quantity_listed} listed",
            code="supply.exceeds_listed",
            details={"field": "quantity_available"},
        )
    reason = _required(reason, "reason", "the reason")
    before = equipment.quantity_available
    equipment.quantity_available = quantity_n
    equipment.save(update_fields=["quantity_available", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.SUPPLY_EQUIPMENT_ADJUSTED,
        target=equipment,
        payload={"from": before, "to": quantity_n, "reason": reason},
    )
    return equipment
