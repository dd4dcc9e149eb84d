"""Shipments decrement licences and can never overdraw them: the licence row is locked, every line's remaining
quantity and value checked, the counters updated in the same transaction, and the database's check constraints
refuse an overdraft even if all of that were bypassed. Corrections are reversing entries, never deletions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from excon.audit.services import audit_record
from excon.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from excon.core.refnumbers import next_reference
from excon.core.validation import require_text
from excon.refdata import selectors as refdata_selectors
from excon.refdata.models import Country

from .. import policies, types, workflow
from ..enums import AuditVerb, LicenceAction, LicenceStatus, ShipmentSource
from ..models import CustomsBatch, Licence, LicenceLine, Shipment, ShipmentLine
from . import types as type_rules
from .common import locked
from .lifecycle import licence_transition, refresh_status

if TYPE_CHECKING:
    from excon.accounts.models import User


@dataclass(frozen=True)
class ShipmentLineInput:
    line_number: int
    quantity: int = 0
    value: Decimal | str | int = 0
    serial_numbers: list[str] = field(default_factory=list)


def _clean_lines(items: list[ShipmentLineInput]) -> list[tuple[int, int, Decimal, list[str]]]:
    if not items:
        raise ValidationError("a shipment has at least one line", code="shipment.lines_required")
    seen: set[int] = set()
    cleaned = []
    for item in items:
        if item.line_number in seen:
            raise ValidationError(f"line {item.line_number} is given twice", code="shipment.duplicate_line")
        seen.add(item.line_number)
        try:
            quantity = int(item.quantity)
            value = Decimal(str(item.value))
        except (TypeError, ValueError, InvalidOperation) as exc:
            raise ValidationError(f"line {item.line_number}: not a number", code="shipment.invalid_amount") from exc
        if quantity < 0 or not value.is_finite() or value < 0 or value.as_tuple().exponent < -2:  # type: ignore[operator]
            raise ValidationError(
                f"line {item.line_number}: quantities and values are positive, with at most two decimals",
                code="shipment.invalid_amount",
            )
        if quantity == 0 and value == 0:
            raise ValidationError(f"line {item.line_number}: nothing shipped", code="shipment.invalid_amount")
        serials = [str(serial).strip() for serial in item.serial_numbers if str(serial).strip()]
        if len(set(serials)) != len(serials):
            raise ValidationError(f"line {item.line_number}: a serial number repeats", code="shipment.duplicate_serial")
        if serials and len(serials) != quantity:
            raise ValidationError(
                f"line {item.line_number}: {len(serials)} serial numbers for {quantity} items",
                code="shipment.serial_count_mismatch",
            )
        cleaned.append((item.line_number, quantity, value, serials))
    return cleaned


def _check_licence_usable(licence: Licence, shipped_on: dt.date, destination: str | None) -> None:
    type_rules.refuse_shipment_by_type(licence)
    licence = refresh_status(licence)
    if licence.status not in workflow.SHIPPABLE_STATES:
        raise Conflict(
            f"licence {licence.number} is {licence.get_status_display().lower()}",
            code=f"licence.{licence.status}",
            details={"status": licence.status},
        )
    if shipped_on < licence.valid_from or (licence.valid_until is not None and shipped_on > licence.valid_until):
        raise Conflict(
            f"licence {licence.number} is not valid on {shipped_on.isoformat()}",
            code="licence.not_valid_on_date",
            details={"valid_from": licence.valid_from, "valid_until": licence.valid_until},
        )
    licensed = types.destinations_of(licence)
    if destination and destination.upper() not in licensed:
        raise Conflict(
            f"the licence is for {', '.join(licensed)}, not {destination.upper()}",
            code="licence.destination_mismatch",
            details={"licensed": licensed[0] if len(licensed) == 1 else licensed, "declared": destination.upper()},
        )


def _shipment_destination(licence: Licence, declared: str | None) -> Country:
    """Where the shipment goes: the declared destination on an open licence with several, else the licence's."""
    if declared and declared.upper() != licence.destination.iso2:
        return refdata_selectors.country_by_iso2(declared.upper())
    return licence.destination


def _refuse_serials_already_shipped(licence: Licence, line: LicenceLine, serials: list[str]) -> None:
    """A serial number leaves once per product and holder, across all its licences' shipments (a reversed
    shipment's serial numbers are free again). Lines without a registered product are checked on their own line."""
    shipped = ShipmentLine.objects.filter(
        shipment__licence__holder_id=licence.holder_id,
        quantity__gt=0,
        shipment__reverses__isnull=True,
        shipment__reversed_by__isnull=True,
    )
    shipped = (
        shipped.filter(licence_line__product_id=line.product_id)
        if line.product_id
        else shipped.filter(licence_line=line)
    )
    taken = {serial for row in shipped.values_list("serial_numbers", flat=True) for serial in row or []}
    repeated = sorted(set(serials) & taken)
    if repeated:
        raise Conflict(
            f"line {line.line_number}: already shipped: {', '.join(repeated)}",
            code="shipment.serial_already_shipped",
            details={"field": f"serials_{line.line_number}", "line": line.line_number, "serials": repeated},
        )


def _apply(
    licence: Licence, cleaned: list[tuple[int, int, Decimal, list[str]]]
) -> list[tuple[LicenceLine, int, Decimal, list[str]]]:
    lines = {line.line_number: line for line in licence.lines.select_for_update()}
    applied = []
    for number, quantity, value, serials in cleaned:
        line = lines.get(number)
        if line is None:
            raise ValidationError(f"the licence has no line {number}", code="shipment.unknown_line")
        if value == 0:
            raise ValidationError(
                f"line {number}: give the value of what was shipped, in {line.currency}",
                code="shipment.value_required",
                details={"field": f"value_{number}", "line": number},
            )
        if quantity == 0 and line.quantity is not None:
            raise ValidationError(
                f"line {number}: give the quantity shipped (the licence counts this line in units)",
                code="shipment.quantity_required",
                details={"field": f"quantity_{number}", "line": number},
            )
        if serials:
            _refuse_serials_already_shipped(licence, line, serials)
        if not line.capped:  # an open licence's uncapped line: its figures are an estimate, not a limit
            applied.append((line, quantity, value, serials))
            continue
        remaining_quantity = line.remaining_quantity
        if remaining_quantity is not None and quantity > remaining_quantity:
            raise Conflict(
                f"line {number}: {quantity} would exceed the {remaining_quantity} remaining",
                code="licence.overdrawn",
                details={"line": number, "remaining_quantity": remaining_quantity, "requested": quantity},
            )
        if value > line.remaining_value:
            raise Conflict(
                f"line {number}: {value} {line.currency} would exceed the {line.remaining_value} remaining",
                code="licence.overdrawn",
                details={"line": number, "remaining_value": str(line.remaining_value), "requested": str(value)},
            )
        applied.append((line, quantity, value, serials))
    for line, quantity, value, _ in applied:
        LicenceLine.objects.filter(pk=line.pk).update(
            shipped_quantity=F("shipped_quantity") + quantity, shipped_value=F("shipped_value") + value
        )
    return applied


def _exhaust_if_used_up(licence: Licence) -> None:
    if all(line.used_up for line in licence.lines.all()):
        licence_transition(actor=None, licence=licence, action=LicenceAction.EXHAUST, system=True)


@transaction.atomic
def shipment_record(
    *,
    actor: User,
    licence: Licence,
    shipped_on: dt.date,
    lines: list[ShipmentLineInput],
    declaration_number: str = "",
    exit_point: str = "",
    transport: str = "",
    destination: str | None = None,
    source: str | None = None,
    batch: CustomsBatch | None = None,
) -> Shipment:
    """Record a shipment against the licence; `source` defaults to who the actor is (customs or the holder)."""
    licence = locked(licence)  # every shipment against this licence queues here
    if not policies.can_record_shipment(actor, licence):
        raise PermissionDenied("only the licence holder or customs records shipments")
    source = source or policies.shipment_source_for(actor)
    if shipped_on > timezone.localdate():
        raise ValidationError("a shipment date cannot be in the future", code="shipment.future_date")
    cleaned = _clean_lines(lines)
    _check_licence_usable(licence, shipped_on, destination)
    applied = _apply(licence, cleaned)
    shipment = Shipment.objects.create(
        reference=next_reference("SHP"),
        licence=licence,
        shipped_on=shipped_on,
        declaration_number=(declaration_number or "").strip(),
        exit_point=(exit_point or "").strip(),
        transport=(transport or "").strip(),
        destination=_shipment_destination(licence, destination),
        source=source,
        recorded_by=actor,
        batch=batch,
    )
    ShipmentLine.objects.bulk_create(
        [
            ShipmentLine(shipment=shipment, licence_line=line, quantity=quantity, value=value, serial_numbers=serials)
            for line, quantity, value, serials in applied
        ]
    )
    type_rules.open_temporary_export(licence, shipment)
    audit_record(
        actor=actor,
        verb=AuditVerb.SHIPMENT_RECORDED,
        target=licence,
        payload={
            "shipment": shipment.reference,
            "shipped_on": shipped_on,
            "declaration": shipment.declaration_number,
            "lines": [{"line": line.line_number, "quantity": q, "value": v, "serials": s} for line, q, v, s in applied],
            "source": source,
        },
    )
    _exhaust_if_used_up(licence)
    return shipment


@transaction.atomic
def shipment_reverse(*, actor: User, shipment: Shipment, reason: str) -> Shipment:
    """Correct a shipment with a reversing entry (negative quantities). The original stays on record."""
    shipment = Shipment.objects.select_for_update().select_related("licence").get(pk=shipment.pk)
    licence = locked(shipment.licence)
    if not policies.can_reverse_shipment(actor, shipment):
        if policies.is_holder_staff(actor, shipment.licence) and policies.is_customs_confirmed(shipment):
            raise PermissionDenied(
                "customs has confirmed this shipment: only customs or the authority can reverse it",
                code="shipment.customs_confirmed",
            )
        raise PermissionDenied("you may not correct this shipment")
    reason = require_text(
        reason, field="reason", code="shipment.reason_required", message="give the reason for the correction"
    )
    if shipment.reverses_id is not None:
        raise Conflict("a correction is not corrected again; record a new shipment", code="shipment.is_reversal")
    if Shipment.objects.filter(reverses=shipment).exists():
        raise Conflict("this shipment was already reversed", code="shipment.already_reversed")
    reversal = Shipment.objects.create(
        reference=next_reference("SHP"),
        licence=licence,
        shipped_on=timezone.localdate(),
        declaration_number=shipment.declaration_number,
        destination=shipment.destination,
        source=shipment.source,
        recorded_by=actor,
        reverses=shipment,
        reason=reason,
    )
    for line in shipment.lines.select_related("licence_line"):
        LicenceLine.objects.filter(pk=line.licence_line_id).update(
            shipped_quantity=F("shipped_quantity") - line.quantity, shipped_value=F("shipped_value") - line.value
        )
        ShipmentLine.objects.create(
            shipment=reversal, licence_line=line.licence_line, quantity=-line.quantity, value=-line.value
        )
    audit_record(
        actor=actor,
        verb=AuditVerb.SHIPMENT_REVERSED,
        target=licence,
        payload={"shipment": shipment.reference, "reversal": reversal.reference, "reason": reason},
    )
    if licence.status == LicenceStatus.EXHAUSTED:
        licence_transition(actor=None, licence=licence, action=LicenceAction.REOPEN, system=True)
    return reversal


@dataclass
class BatchLineResult:
    index: int
    accepted: bool
    code: str = ""
    message: str = ""
    shipment: str = ""


@transaction.atomic
def customs_batch_apply(*, actor: User, batch_id: str, entries: list[dict[str, Any]]) -> tuple[CustomsBatch, bool]:
    """Apply a customs usage report. A batch id already seen is acknowledged and not applied twice (returns the
    stored result, False). Each entry is accepted or rejected on its own, with its reason."""
    if not policies.is_customs(actor):
        raise PermissionDenied("only customs officers report usage")
    batch_id = (batch_id or "").strip()
    if not batch_id:
        raise ValidationError("a batch needs its id", code="customs.batch_id_required")
    existing = CustomsBatch.objects.filter(batch_id=batch_id).first()
    if existing is not None:
        return existing, False
    batch = CustomsBatch.objects.create(batch_id=batch_id, submitted_by=actor)
    results: list[BatchLineResult] = []
    for index, entry in enumerate(entries):
        licence = Licence.objects.filter(number=str(entry.get("licence_number", "")).strip().upper()).first()
        if licence is None:
            results.append(BatchLineResult(index, False, "licence.unknown", "no such licence"))
            continue
        try:
            shipped_on = dt.date.fromisoformat(str(entry.get("shipped_on", "")))
            with transaction.atomic():
                shipment = shipment_record(
                    actor=actor,
                    licence=licence,
                    shipped_on=shipped_on,
                    lines=[
                        ShipmentLineInput(
                            int(line.get("line_number", 0)),
                            int(line.get("quantity", 0)),
                            str(line.get("value", 0)),
                            list(line.get("serial_numbers", [])),
                        )
                        for line in entry.get("lines", [])
                    ],
                    declaration_number=str(entry.get("declaration_number", "")),
                    exit_point=str(entry.get("exit_point", "")),
                    destination=str(entry.get("destination", "")) or None,
                    source=ShipmentSource.CUSTOMS_BATCH,
                    batch=batch,
                )
        except (ValueError, TypeError) as exc:
            results.append(BatchLineResult(index, False, "customs.malformed_entry", str(exc)))
        except (Conflict, ValidationError, PermissionDenied, NotFound) as exc:
            results.append(BatchLineResult(index, False, exc.code, exc.message))
        else:
            results.append(BatchLineResult(index, True, shipment=shipment.reference))
    batch.result = {"entries": [result.__dict__ for result in results]}
    batch.save(update_fields=["result", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.CUSTOMS_BATCH_APPLIED,
        target=batch,
        payload={
            "batch_id": batch_id,
            "accepted": sum(result.accepted for result in results),
            "rejected": sum(not result.accepted for result in results),
        },
    )
    return batch, True
