"""API of licences, shipments, customs reporting and reconciliation, and the public document verification."""

# No "from __future__ import annotations": django-ninja resolves paginated views' parameter types in its module.

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from excon.applications.selectors import application_get
from excon.core.api import ERROR_RESPONSES, Amount, DbInt, ErrorOut, LineNumber, ReasonIn, actor_of, paged
from excon.core.errors import NotFound, ValidationError
from excon.supply import selectors as supply_selectors

from . import selectors, services, types
from .api_types import router as types_router
from .document import licence_pdf, verification_url
from .models import CustomsDeclaration, Licence, Shipment
from .ratelimits import check_verification_rate

router = Router(tags=["licences"])
public_router = Router(tags=["verification (public)"])
router.add_router("", types_router)  # the licence types' returns and temporary exports


class LineOut(Schema):
    line_number: int
    description: str
    control_entry: str | None
    hs_code: str
    quantity: int | None
    value: Decimal
    currency: str
    shipped_quantity: int
    shipped_value: Decimal
    remaining_quantity: int | None
    remaining_value: Decimal
    capped: bool

    @staticmethod
    def resolve_control_entry(obj: Any) -> str | None:
        return obj.control_entry.code if obj.control_entry else None


class LicenceListOut(Schema):
    id: UUID
    number: str
    holder_name: str
    status: str
    source: str
    legacy_outcome: str
    destination: str
    end_user: str
    issued_on: dt.date
    valid_until: dt.date | None

    @staticmethod
    def resolve_holder_name(obj: Licence) -> str:
        return obj.holder.name

    @staticmethod
    def resolve_status(obj: Licence) -> str:
        return obj.effective_status  # as of today; reads never record the expiry

    @staticmethod
    def resolve_destination(obj: Licence) -> str:
        return obj.destination.iso2


class LicenceOut(LicenceListOut):
    licence_type: str
    allows: str
    terms: dict[str, Any]
    return_due_on: dt.date | None
    version: int
    valid_from: dt.date
    conditions: str
    consignees: list[dict[str, Any]]
    application: str | None
    lines: list[LineOut]
    verification_url: str

    @staticmethod
    def resolve_application(obj: Licence) -> str | None:
        return obj.application.reference if obj.application else None

    @staticmethod
    def resolve_allows(obj: Licence) -> str:
        return types.allows_of(obj)

    @staticmethod
    def resolve_lines(obj: Licence) -> Any:
        return list(selectors.licence_lines(obj))

    @staticmethod
    def resolve_verification_url(obj: Licence) -> str:
        return verification_url(obj) if obj.signature else ""


class IssueIn(Schema):
    application_id: UUID
    valid_until: dt.date | None = None


class LicenceTransitionIn(Schema):
    action: str
    reason: str = ""


class AmendIn(Schema):
    reason: str
    valid_until: dt.date | None = None
    end_user: str | None = None
    consignees: list[dict[str, str]] | None = None
    reduce_quantities: dict[LineNumber, DbInt] | None = None


class BulkIn(Schema):
    kind: str
    reason: str
    destination: str = ""
    end_user: str = ""
    product: str = ""
    control_entry: str = ""


class BulkOut(Schema):
    id: UUID
    kind: str
    reason: str
    licences: list[str]

    @staticmethod
    def resolve_licences(obj: Any) -> list[str]:
        return sorted(licence.number for licence in obj.licences.all())


class ShipmentLineIn(Schema):
    line_number: LineNumber
    quantity: DbInt = 0
    value: Amount = Decimal(0)
    serial_numbers: list[str] = []


class ShipmentIn(Schema):
    shipped_on: dt.date
    lines: list[ShipmentLineIn]
    declaration_number: str = ""
    exit_point: str = ""
    transport: str = ""
    destination: str | None = None


class ShipmentOut(Schema):
    id: UUID
    reference: str
    licence: str
    shipped_on: dt.date
    declaration_number: str
    exit_point: str
    source: str
    reverses: str | None
    lines: list[dict[str, Any]]

    @staticmethod
    def resolve_licence(obj: Shipment) -> str:
        return obj.licence.number

    @staticmethod
    def resolve_reverses(obj: Shipment) -> str | None:
        return obj.reverses.reference if obj.reverses else None

    @staticmethod
    def resolve_lines(obj: Shipment) -> list[dict[str, Any]]:
        return [
            {
                "line_number": line.licence_line.line_number,
                "quantity": line.quantity,
                "value": str(line.value),
                "serial_numbers": line.serial_numbers,
            }
            for line in obj.lines.select_related("licence_line")
        ]


class BatchIn(Schema):
    batch_id: str
    entries: list[dict[str, Any]]


class BatchOut(Schema):
    batch_id: str
    already_applied: bool
    entries: list[dict[str, Any]]


class CustomsDeclarationOut(Schema):
    id: UUID
    declaration_number: str
    declared_on: dt.date
    exporter_registration: str
    hs_code: str
    quantity: int | None
    value: Decimal
    currency: str
    destination: str
    licence_number_claimed: str
    outcome: str
    explanation: str
    status: str
    resolution: str

    @staticmethod
    def resolve_destination(obj: CustomsDeclaration) -> str:
        return obj.destination.iso2


class ImportOut(Schema):
    rows: int
    imported: int
    unchanged: int
    outcomes: dict[str, int]
    errors: list[dict[str, Any]]


class LogProofOut(Schema):
    """RFC 9162 inclusion of the licence's issue entry under a signed checkpoint (docs/licences.md)."""

    sequenced: bool
    leaf_index: int | None
    leaf_data: str
    leaf_hash: str
    tree_size: int | None
    root_hash: str
    path: list[str]
    checkpoint_text: str
    checkpoint_published_at: str
    key_id: str
    public_key: str
    signature: str


class LicenceVerificationOut(Schema):
    authentic: bool
    reason: str
    number: str
    version: int | None
    current_version: int | None
    status: str
    status_label: str
    holder: str
    destination: str
    issued_on: str
    valid_until: str
    lines: list[dict[str, Any]]
    scheme: str
    covers_whole_document: bool
    document: dict[str, Any]
    log_proof: LogProofOut | None


@router.get("/licences", response=list[LicenceListOut], summary="Licences you may see")
@paged(50)
def list_licences(
    request: HttpRequest,
    status: str = "",
    destination: str = "",
    holder: str = "",
    control_entry: str = "",
    source: str = "",
    search: str = "",
) -> Any:
    return selectors.licence_list(
        actor=actor_of(request),
        status=status,
        destination=destination,
        holder=holder,
        control_entry=control_entry,
        source=source,
        search=search,
    )


@router.post(
    "/licences", response={201: LicenceOut, **ERROR_RESPONSES}, summary="Issue the licence of an approved application"
)
def issue_licence(request: HttpRequest, payload: IssueIn) -> Status[Licence]:
    application = application_get(actor=actor_of(request), application_id=payload.application_id)
    return Status(
        201, services.licence_issue(actor=actor_of(request), application=application, valid_until=payload.valid_until)
    )


# Before "/licences/{licence_id}": URL patterns match in order, and that one would take "bulk-actions" (a 405).
@router.post("/licences/bulk-actions", response={201: BulkOut, **ERROR_RESPONSES}, summary="Suspend or revoke in bulk")
def bulk(request: HttpRequest, payload: BulkIn) -> Status[Any]:
    data = payload.dict()
    criteria = {key: data.pop(key) for key in ("destination", "end_user", "product", "control_entry")}
    return Status(201, services.licences_bulk_action(actor=actor_of(request), criteria=criteria, **data))


@router.get("/licences/{licence_id}", response={200: LicenceOut, **ERROR_RESPONSES})
def get_licence(request: HttpRequest, licence_id: str) -> Licence:
    return selectors.licence_get(actor=actor_of(request), licence_id=licence_id)


@router.get("/licences/{licence_id}/document", summary="The signed licence document (PDF)")
def licence_document(request: HttpRequest, licence_id: str) -> HttpResponse:
    licence = selectors.licence_get(actor=actor_of(request), licence_id=licence_id)
    if not licence.signature:
        raise NotFound("licence document")
    response = HttpResponse(licence_pdf(licence), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{licence.number}-v{licence.version}.pdf"'
    return response


@router.post("/licences/{licence_id}/transitions", response={200: LicenceOut, **ERROR_RESPONSES})
def transition(request: HttpRequest, licence_id: str, payload: LicenceTransitionIn) -> Licence:
    licence = selectors.licence_get(actor=actor_of(request), licence_id=licence_id)
    return services.licence_transition(
        actor=actor_of(request), licence=licence, action=payload.action, reason=payload.reason
    )


@router.post("/licences/{licence_id}/amendments", response={200: LicenceOut, **ERROR_RESPONSES})
def amend(request: HttpRequest, licence_id: str, payload: AmendIn) -> Licence:
    licence = selectors.licence_get(actor=actor_of(request), licence_id=licence_id)
    return services.licence_amend(actor=actor_of(request), licence=licence, **payload.dict())


class PrioritySuspensionOut(Schema):
    bulk_action_id: UUID
    licences: list[str]


@router.post(
    "/supply/priorities/{priority_id}/suspend-licences",
    response={200: PrioritySuspensionOut, **ERROR_RESPONSES},
    summary="Suspend the active licences a domestic priority affects (senior officers of the authority)",
    tags=["supply"],
)
def suspend_for_priority(request: HttpRequest, priority_id: str) -> Any:
    actor = actor_of(request)
    priority = supply_selectors.priority_get(actor=actor, priority_id=priority_id)
    bulk = services.licences_suspend_for_priority(actor=actor, priority=priority)
    return Status(200, {"bulk_action_id": bulk.pk, "licences": sorted(bulk.licences.values_list("number", flat=True))})


@router.get("/licences/{licence_id}/shipments", response={200: list[ShipmentOut], **ERROR_RESPONSES})
def list_shipments(request: HttpRequest, licence_id: str) -> Any:
    return list(selectors.licence_shipments(selectors.licence_get(actor=actor_of(request), licence_id=licence_id)))


@router.post("/licences/{licence_id}/shipments", response={201: ShipmentOut, **ERROR_RESPONSES})
def record_shipment(request: HttpRequest, licence_id: str, payload: ShipmentIn) -> Status[Shipment]:
    actor = actor_of(request)
    licence = selectors.licence_get(actor=actor, licence_id=licence_id)
    data = payload.dict()
    lines = [services.ShipmentLineInput(**line) for line in data.pop("lines")]
    return Status(201, services.shipment_record(actor=actor, licence=licence, lines=lines, **data))


@router.post("/shipments/{shipment_id}/reversal", response={201: ShipmentOut, **ERROR_RESPONSES})
def reverse_shipment(request: HttpRequest, shipment_id: str, payload: ReasonIn) -> Status[Shipment]:
    shipment = selectors.shipment_get(actor=actor_of(request), shipment_id=shipment_id)
    return Status(201, services.shipment_reverse(actor=actor_of(request), shipment=shipment, reason=payload.reason))


@router.post(
    "/customs/usage-batches", response={200: BatchOut, 201: BatchOut, **ERROR_RESPONSES}, summary="Customs usage report"
)
def customs_batch(request: HttpRequest, payload: BatchIn) -> Status[dict[str, Any]]:
    batch, applied = services.customs_batch_apply(
        actor=actor_of(request), batch_id=payload.batch_id, entries=payload.entries
    )
    body = {"batch_id": batch.batch_id, "already_applied": not applied, "entries": batch.result.get("entries", [])}
    return Status(201 if applied else 200, body)


@router.post("/customs/declarations", response={200: ImportOut, **ERROR_RESPONSES}, summary="Import declarations (CSV)")
def import_declarations(request: HttpRequest, file: File[UploadedFile], partial: Form[bool] = False) -> dict[str, Any]:
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError("the file is not UTF-8 text", code="import.not_utf8") from exc
    report = services.declarations_import(actor=actor_of(request), text=text, partial=partial)
    return {**report.__dict__, "errors": [error.__dict__ for error in report.errors]}


@router.get("/customs/discrepancies", response=list[CustomsDeclarationOut], summary="Reconciliation discrepancies")
@paged(50)
def discrepancies(request: HttpRequest, status: str = "open", outcome: str = "") -> Any:
    return selectors.discrepancy_list(actor=actor_of(request), status=status, outcome=outcome)


@router.post(
    "/customs/discrepancies/{declaration_id}/resolution", response={200: CustomsDeclarationOut, **ERROR_RESPONSES}
)
def resolve(request: HttpRequest, declaration_id: str, payload: ReasonIn) -> Any:
    return services.discrepancy_resolve(
        actor=actor_of(request), declaration_id=declaration_id, resolution=payload.reason
    )


@router.get("/serials/{serial}", response=list[dict[str, Any]], summary="Trace a serial number to licence and end user")
def trace_serial(request: HttpRequest, serial: str) -> Any:
    return selectors.serial_trace(actor=actor_of(request), serial=serial)


@public_router.get(
    "/verify/{number}",
    response={200: LicenceVerificationOut, 429: ErrorOut},
    auth=None,
    summary="Verify a licence document (rate-limited per address)",
)
def verify(request: HttpRequest, number: str, v: str = "", k: str = "", s: str = "") -> Any:
    check_verification_rate(request)
    return selectors.verify_document(number=number, version=v, key_id=k, signature=s)
