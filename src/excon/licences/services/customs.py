"""Customs declarations reconciled against licences and shipments. Each declaration gets one outcome; everything
but a match is a discrepancy for compliance officers to resolve (with audit)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from excon.accounts.models import Organisation
from excon.audit.services import audit_record
from excon.core.csv_import import RowError
from excon.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationError
from excon.core.ids import parse_uuid
from excon.core.money import validate_currency
from excon.refdata import selectors as refdata_selectors

from .. import policies
from ..enums import AuditVerb, DiscrepancyStatus, LicenceSource, ReconciliationOutcome
from ..models import CustomsDeclaration, Licence, ShipmentLine

if TYPE_CHECKING:
    from excon.accounts.models import User

COLUMNS = (
    "declaration_number",
    "date",
    "exporter_registration_number",
    "hs_code",
    "goods_description",
    "quantity",
    "value",
    "currency",
    "destination_country",
    "licence_number",
)
REQUIRED = (
    "declaration_number",
    "date",
    "exporter_registration_number",
    "hs_code",
    "value",
    "currency",
    "destination_country",
)


@dataclass
class ReconciliationReport:
    rows: int = 0
    imported: int = 0
    unchanged: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)


def _hs_matches(declared: str, licence: Licence) -> bool:
    """The declared HS code agrees with a line's code (same heading), or with the licensed product's code."""
    declared = declared[:4]
    codes = [
        line.hs_code or (line.product.hs_code if line.product else "")
        for line in licence.lines.select_related("product")
    ]
    codes = [code for code in codes if code]
    return not codes or any(code[:4] == declared for code in codes)


def reconcile(
    *,
    declared_on: dt.date,
    exporter: Organisation | None,
    hs_code: str,
    quantity: int | None,
    value: Decimal,
    currency: str,
    destination: str,
    licence_number: str,
) -> tuple[str, Licence | None, str]:
    """Decide one declaration's outcome (pure reading; nothing is written)."""
    licence = None
    if licence_number:
        licence = (
            Licence.objects.filter(number=licence_number.upper(), source=LicenceSource.ISSUED)
            .select_related("destination")
            .first()
        )
    if licence is None or exporter is None or licence.holder_id != exporter.pk:
        return ReconciliationOutcome.NO_LICENCE, None, "no licence of this exporter with that number"
    if declared_on < licence.valid_from or (licence.valid_until and declared_on > licence.valid_until):
        return ReconciliationOutcome.LICENCE_NOT_VALID, licence, f"valid {licence.valid_from} to {licence.valid_until}"
    if licence.status in ("revoked", "suspended", "surrendered"):
        return ReconciliationOutcome.LICENCE_NOT_VALID, licence, f"licence {licence.get_status_display().lower()}"
    if destination != licence.destination.iso2:
        return ReconciliationOutcome.DESTINATION_MISMATCH, licence, f"licensed for {licence.destination.iso2}"
    if not _hs_matches(hs_code, licence):
        return ReconciliationOutcome.GOODS_MISMATCH, licence, "the HS code does not match the licensed goods"
    currencies = set(licence.lines.values_list("currency", flat=True))
    if currencies != {currency}:
        # Amounts in different currencies are not comparable: a person must check it, not an exchange rate.
        return (
            ReconciliationOutcome.GOODS_MISMATCH,
            licence,
            f"declared in {currency}; the licence's values are in {', '.join(sorted(currencies))}",
        )
    totals = licence.lines.aggregate(quantity=Sum("quantity"), value=Sum("value"))
    # Only exports matched to this licence use it up; a declaration that went elsewhere is a discrepancy, not usage.
    declared_before = CustomsDeclaration.objects.filter(
        licence=licence, outcome=ReconciliationOutcome.MATCHED
    ).aggregate(quantity=Sum("quantity"), value=Sum("value"))
    shipped = ShipmentLine.objects.filter(licence_line__licence=licence).aggregate(
        quantity=Sum("quantity"), value=Sum("value")
    )
    used_value = max(declared_before["value"] or Decimal(0), shipped["value"] or Decimal(0)) + value
    used_quantity = max(declared_before["quantity"] or 0, shipped["quantity"] or 0) + (quantity or 0)
    if used_value > (totals["value"] or Decimal(0)) or (
        totals["quantity"] is not None and used_quantity > totals["quantity"]
    ):
        return ReconciliationOutcome.LICENCE_OVERDRAWN, licence, "declared exports exceed what the licence allows"
    return ReconciliationOutcome.MATCHED, licence, ""


def _parse(row: dict[str, str], line: int, errors: list[RowError]) -> dict[str, Any] | None:
    before = len(errors)
    values: dict[str, Any] = {}
    for column in REQUIRED:
        if not (row.get(column) or "").strip():
            errors.append(RowError(line, column, "import.required", f"{column} is required"))
    if len(errors) > before:
        return None
    try:
        values["declared_on"] = dt.date.fromisoformat(row["date"].strip())
    except ValueError:
        errors.append(RowError(line, "date", "import.bad_date", "dates are YYYY-MM-DD"))
    quantity_text = (row.get("quantity") or "").strip()
    try:
        values["quantity"] = int(quantity_text) if quantity_text else None
        if values["quantity"] is not None and values["quantity"] < 0:
            raise ValueError
    except ValueError:
        errors.append(RowError(line, "quantity", "import.bad_quantity", "a whole number"))
    try:
        values["value"] = Decimal(row["value"].strip())
        if not values["value"].is_finite() or values["value"] < 0:
            raise InvalidOperation
    except InvalidOperation:
        errors.append(RowError(line, "value", "import.bad_value", "an amount"))
    for column, check in (
        ("currency", validate_currency),
        ("destination_country", lambda v: refdata_selectors.country_by_iso2(v).iso2),
    ):
        try:
            values[column] = check(row[column].strip())
        except DomainError as exc:
            errors.append(RowError(line, column, exc.code, exc.message))
    hs = "".join(ch for ch in row["hs_code"] if ch.isdigit())
    if len(hs) not in (4, 6, 8, 10):
        errors.append(RowError(line, "hs_code", "hs_code.malformed", "4 to 10 digits"))
    values["hs_code"] = hs
    if len(errors) > before:
        return None
    return values


@transaction.atomic
def declarations_import(*, actor: User | None, text: str, partial: bool = False) -> ReconciliationReport:
    """Import customs declarations (CSV, columns in COLUMNS) and reconcile each. Idempotent on the declaration
    number; with any bad row nothing is written unless `partial`."""
    if actor is not None and not policies.can_import_declarations(actor):
        raise PermissionDenied("only customs and compliance officers import declarations")
    report = ReconciliationReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        report.errors += [
            RowError(1, name, "import.missing_column", f"required column {name!r} is missing") for name in missing
        ]
        return report
    reader.fieldnames = header
    parsed = []
    for line, row in enumerate(reader, start=2):
        report.rows += 1
        values = _parse(row, line, report.errors)
        if values is not None:
            parsed.append((line, row, values))
    if report.errors and not partial:
        return report
    for line, row, values in parsed:
        number = row["declaration_number"].strip()
        if CustomsDeclaration.objects.filter(declaration_number=number).exists():
            report.unchanged += 1
            continue
        exporter = Organisation.objects.filter(
            registration_number=row["exporter_registration_number"].strip().upper()
        ).first()
        outcome, licence, explanation = reconcile(
            declared_on=values["declared_on"],
            exporter=exporter,
            hs_code=values["hs_code"],
            quantity=values["quantity"],
            value=values["value"],
            currency=values["currency"],
            destination=values["destination_country"],
            licence_number=(row.get("licence_number") or "").strip(),
        )
        CustomsDeclaration.objects.create(
            declaration_number=number,
            declared_on=values["declared_on"],
            exporter_registration=row["exporter_registration_number"].strip().upper(),
            hs_code=values["hs_code"],
            description=(row.get("goods_description") or "").strip()[:300],
            quantity=values["quantity"],
            value=values["value"],
            currency=values["currency"],
            destination=refdata_selectors.country_by_iso2(values["destination_country"]),
            licence_number_claimed=(row.get("licence_number") or "").strip().upper(),
            licence=licence,
            outcome=outcome,
            explanation=explanation,
            status=DiscrepancyStatus.RESOLVED if outcome == ReconciliationOutcome.MATCHED else DiscrepancyStatus.OPEN,
            imported_by=actor,
        )
        report.imported += 1
        report.outcomes[outcome] = report.outcomes.get(outcome, 0) + 1
        del line
    audit_record(
        actor=actor,
        verb=AuditVerb.CUSTOMS_DECLARATIONS_IMPORTED,
        target=None,
        payload={
            "rows": report.rows,
            "imported": report.imported,
            "unchanged": report.unchanged,
            "outcomes": report.outcomes,
        },
        system_label="system:import-customs",
    )
    return report


@transaction.atomic
def discrepancy_resolve(*, actor: User, declaration_id: Any, resolution: str) -> CustomsDeclaration:
    if not policies.can_resolve_discrepancy(actor):
        raise PermissionDenied("only compliance officers resolve discrepancies")
    key = parse_uuid(declaration_id)
    declaration = CustomsDeclaration.objects.select_for_update().filter(pk=key).first() if key else None
    if declaration is None:
        raise NotFound("declaration")
    if declaration.status == DiscrepancyStatus.RESOLVED:
        raise Conflict("already resolved", code="discrepancy.already_resolved")
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError(
            "say how it was resolved", code="discrepancy.resolution_required", details={"field": "resolution"}
        )
    declaration.status = DiscrepancyStatus.RESOLVED
    declaration.resolution = resolution
    declaration.resolved_by = actor
    declaration.resolved_at = timezone.now()
    declaration.save()
    audit_record(
        actor=actor,
        verb=AuditVerb.CUSTOMS_DISCREPANCY_RESOLVED,
        target=declaration,
        payload={
            "declaration": declaration.declaration_number,
            "outcome": declaration.outcome,
            "resolution": resolution,
        },
    )
    return declaration
