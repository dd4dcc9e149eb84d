"""Reads of licences, shipments and discrepancies, scoped by the actor; and the public verification of a licence
document, which needs no login and tells only what the document itself shows plus the current status."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from excon.audit.proofs import InclusionProof, first_entry_proof
from excon.core.errors import NotFound
from excon.core.roles import EXPORTER_ROLES, OrganisationKind
from excon.core.selectors import one_visible

from . import policies, signing
from .enums import AuditVerb, LicenceSource, LicenceStatus
from .metrics import LICENCE_VERIFICATIONS
from .models import (
    BulkAction,
    CustomsDeclaration,
    Licence,
    LicenceLine,
    LicenceVersion,
    Shipment,
    ShipmentLine,
    SigningKey,
    TemporaryExport,
    UsageReturn,
)
from .services.keys import signed_fields
from .services.lifecycle import bulk_targets

if TYPE_CHECKING:
    from excon.accounts.models import User


def _visible(actor: User) -> QuerySet[Licence]:
    if not actor.is_authenticated:
        return Licence.objects.none()
    if actor.has_any_role(*EXPORTER_ROLES):
        return Licence.objects.filter(holder_id=actor.organisation_id)
    if actor.organisation.kind == OrganisationKind.AUTHORITY and actor.has_any_role(*policies.AUTHORITY_READERS):
        return Licence.objects.all()
    if policies.is_customs(actor):
        return Licence.objects.filter(source=LicenceSource.ISSUED)
    return Licence.objects.none()


def licence_list(
    *,
    actor: User,
    status: str = "",
    destination: str = "",
    holder: str = "",
    control_entry: str = "",
    source: str = "",
    search: str = "",
) -> QuerySet[Licence]:
    licences = _visible(actor)
    if status:
        # By the status as of today: a licence past its validity lists as expired before the task records it.
        lapsed = Licence.past_validity(timezone.localdate())
        if status == LicenceStatus.EXPIRED:
            licences = licences.filter(Q(status=status) | lapsed)
        else:
            licences = licences.filter(status=status).exclude(lapsed)
    if destination:
        licences = licences.filter(destination__iso2=destination.strip().upper())
    if holder:
        licences = licences.filter(Q(holder__registration_number__iexact=holder) | Q(holder__name__icontains=holder))
    if source:
        licences = licences.filter(source=source)
    if control_entry:
        code = control_entry.strip()
        licences = licences.filter(
            Q(lines__control_entry__code__iexact=code) | Q(lines__control_entry__code__istartswith=f"{code}.")
        )
    if search:
        licences = licences.filter(Q(number__icontains=search) | Q(end_user__icontains=search))
    return licences.select_related("holder", "destination").distinct().order_by("-issued_on", "number")


def licence_get(*, actor: User, licence_id: Any) -> Licence:
    return one_visible(
        Licence.objects.select_related("holder", "destination", "application"),
        licence_id,
        "licence",
        visible=lambda licence: policies.can_view_licence(actor, licence),
    )


def licence_by_number(*, actor: User, number: str) -> Licence:
    licence = Licence.objects.filter(number=(number or "").strip().upper()).first()
    if licence is None or not policies.can_view_licence(actor, licence):
        raise NotFound("licence")
    return licence


def licence_for_application(*, actor: User, application: Any) -> Licence | None:
    """The licence issued on this application, if there is one the actor may see."""
    return _visible(actor).filter(application=application).only("pk").first()


def bulk_action_targets(criteria: dict[str, str]) -> QuerySet[Licence]:
    """What a bulk suspension or revocation with these criteria would touch (the preview before confirming)."""
    return bulk_targets(criteria)


def bulk_action_get(*, actor: User, bulk_id: Any) -> BulkAction:
    """A bulk suspension or revocation, for those who may act in bulk."""
    return one_visible(
        BulkAction.objects.select_related("actor"),
        bulk_id,
        "bulk action",
        visible=lambda bulk: policies.can_bulk_act(actor),
    )


def signing_key_list(*, actor: User) -> QuerySet[SigningKey]:
    """The signing keys, the active one first, for those who rotate them."""
    if not policies.can_rotate_keys(actor):
        return SigningKey.objects.none()
    return SigningKey.objects.order_by("-active", "-created_at")


def shipment_get(*, actor: User, shipment_id: Any) -> Shipment:
    """A shipment under a licence the actor may see."""
    return one_visible(
        Shipment.objects.select_related("licence"),
        shipment_id,
        "shipment",
        visible=lambda shipment: policies.can_view_licence(actor, shipment.licence),
    )


def licence_lines(licence: Licence) -> QuerySet[LicenceLine]:
    return licence.lines.select_related("product", "control_entry").order_by("line_number")


def licence_shipments(licence: Licence) -> QuerySet[Shipment]:
    return (
        licence.shipments.select_related("recorded_by", "reverses")
        .prefetch_related(Prefetch("lines", queryset=ShipmentLine.objects.select_related("licence_line")))
        .order_by("-shipped_on", "-created_at")
    )


def licence_shipment_get(*, licence: Licence, shipment_id: Any) -> Shipment:
    """One shipment of this licence (the licence was read through licence_get, so the actor may see it)."""
    return one_visible(licence_shipments(licence), shipment_id, "shipment")


def licence_versions(licence: Licence) -> QuerySet[LicenceVersion]:
    return licence.versions.select_related("changed_by").order_by("version")


def discrepancy_list(*, actor: User, status: str = "open", outcome: str = "") -> QuerySet[CustomsDeclaration]:
    if not policies.can_view_discrepancies(actor):
        return CustomsDeclaration.objects.none()
    declarations = CustomsDeclaration.objects.select_related("licence", "destination")
    if status:
        declarations = declarations.filter(status=status)
    if outcome:
        declarations = declarations.filter(outcome=outcome)
    return declarations.order_by("-declared_on")


def discrepancy_get(*, actor: User, declaration_id: Any) -> CustomsDeclaration:
    """One customs declaration in any status, for those who may see discrepancies."""
    return one_visible(discrepancy_list(actor=actor, status=""), declaration_id, "declaration")


def serial_trace(*, actor: User, serial: str) -> list[dict[str, Any]]:
    """Where an item with this serial number went: licence, holder, destination, end user, shipment."""
    serial = (serial or "").strip()
    if not serial:
        return []
    visible = _visible(actor)
    lines = ShipmentLine.objects.filter(serial_numbers__contains=[serial]) if _json_contains_supported() else None
    if lines is None:
        lines = ShipmentLine.objects.filter(serial_numbers__icontains=f'"{serial}"')
    trace = []
    for line in lines.select_related("shipment__licence__holder", "shipment__licence__destination", "licence_line"):
        licence = line.shipment.licence
        if not visible.filter(pk=licence.pk).exists():
            continue
        trace.append(
            {
                "serial": serial,
                "licence": licence.number,
                "holder": licence.holder.name,
                "destination": licence.destination.iso2,
                "end_user": licence.end_user,
                "shipment": line.shipment.reference,
                "shipped_on": line.shipment.shipped_on,
                "line": line.licence_line.line_number,
                "reversed": line.quantity < 0,
            }
        )
    return trace


def _json_contains_supported() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


@dataclass
class Verification:
    authentic: bool
    reason: str = ""
    number: str = ""
    version: int | None = None
    current_version: int | None = None
    status: str = ""
    status_label: str = ""
    holder: str = ""
    destination: str = ""
    issued_on: str = ""
    valid_until: str = ""
    lines: list[dict[str, Any]] = field(default_factory=list)
    scheme: str = ""
    covers_whole_document: bool = False
    document: dict[str, Any] = field(default_factory=dict)
    log_proof: InclusionProof | None = None


NOT_AUTHENTIC = "this document could not be verified as one issued by the authority"


def _not_authentic() -> Verification:
    """One answer for every failure (unknown number, wrong version, key or signature, malformed link), so the
    endpoint cannot be used to find out which licence numbers exist."""
    return Verification(False, NOT_AUTHENTIC)


def verify_document(*, number: str, version: str, key_id: str, signature: str) -> Verification:
    """Is this licence document authentic, and what is the licence's status now? Shows what the signed document
    itself says (all of it under scheme v2, so the goods lines can be compared with the paper), the licence's
    status, and the proof that its issue is recorded in the audit log under a signed checkpoint."""
    result = _verify_document(number=number, version=version, key_id=key_id, signature=signature)
    LICENCE_VERIFICATIONS.labels("authentic" if result.authentic else "not_authentic").inc()
    return result


def _verify_document(*, number: str, version: str, key_id: str, signature: str) -> Verification:
    licence = (
        Licence.objects.filter(number=(number or "").strip().upper()[:40], source=LicenceSource.ISSUED)
        .select_related("holder", "destination")
        .first()
    )
    try:
        version_number = int(version)
    except (TypeError, ValueError):
        return _not_authentic()
    if licence is None or not signature:
        return _not_authentic()
    record = licence.versions.filter(version=version_number).first()
    key = SigningKey.objects.filter(key_id=key_id).first()
    if record is None or key is None:
        return _not_authentic()
    signed = record.snapshot.get("signed", {})
    if signed.get("key_id") != key.key_id or signed.get("signature") != signature:
        return _not_authentic()
    if not signing.verify(key.public_key, signing.signed_message(signed), signature):
        return _not_authentic()
    whole = signing.scheme_of(signed) == signing.SCHEME_WHOLE_DOCUMENT
    if whole and version_number == licence.version:
        # The licence as recorded must still say what was signed: goods changed behind the services are caught.
        current = signed_fields(licence)
        if current["lines"] != signed.get("lines"):
            return _not_authentic()
    reasons = []
    if version_number != licence.version:
        reasons.append(f"this document is version {version_number}; the licence was amended since")
    if not whole:
        reasons.append(
            "this document was signed under the earlier scheme, whose signature covers only the number, version, "
            "holder, destination and dates: compare its goods lines with the authority directly"
        )
    lines = signed.get("lines") if whole else record.snapshot.get("lines", [])
    return Verification(
        True,
        "; ".join(reasons),
        number=licence.number,
        version=version_number,
        current_version=licence.version,
        status=licence.effective_status,
        status_label=licence.get_effective_status_display(),
        holder=licence.holder.name,
        destination=licence.destination.name,
        issued_on=signed.get("issued_on", ""),
        valid_until=signed.get("valid_until", ""),
        lines=[
            {
                "line": line.get("line"),
                "description": line.get("description", ""),
                "control_entry": line.get("control_entry", ""),
                "quantity": line.get("quantity"),
                "value": str(line.get("value", "")),
                "currency": line.get("currency", ""),
            }
            for line in lines or []
        ],
        scheme=signing.scheme_of(signed),
        covers_whole_document=whole,
        document={name: value for name, value in signed.items() if name not in signing.NOT_SIGNED} if whole else {},
        log_proof=first_entry_proof(target=licence, verb=AuditVerb.LICENCE_ISSUED),
    )


# The licence types' follow-ups: an open licence's periodic returns, a temporary export's items out --------------


def licence_usage_returns(licence: Licence) -> QuerySet[UsageReturn]:
    return licence.usage_returns.select_related("submitted_by").order_by("period_start")


def usage_return_get(*, licence: Licence, return_id: Any) -> UsageReturn:
    """One return of this licence (the licence was read through licence_get, so the actor may see it)."""
    return one_visible(licence_usage_returns(licence), return_id, "return")


def licence_temporary_exports(licence: Licence) -> QuerySet[TemporaryExport]:
    return licence.temporary_exports.select_related("shipment", "confirmed_by").order_by("due_on", "created_at")


def temporary_export_get(*, licence: Licence, item_id: Any) -> TemporaryExport:
    return one_visible(licence_temporary_exports(licence), item_id, "temporary export")
