"""Signing keys: created on first use, rotated by a system administrator; every change audited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from excon.audit.services import audit_record
from excon.core.errors import PermissionDenied

from .. import policies, signing, types
from ..enums import AuditVerb
from ..models import Licence, LicenceLine, SigningKey

if TYPE_CHECKING:
    from excon.accounts.models import User


@transaction.atomic
def signing_key_active() -> SigningKey:
    """The active key, created (and audited as the system) the first time a licence is signed."""
    key = SigningKey.objects.select_for_update().filter(active=True).first()
    if key is not None:
        return key
    key_id, public = signing.generate_key_file()
    key = SigningKey.objects.create(key_id=key_id, public_key=public, active=True)
    audit_record(
        actor=None,
        verb=AuditVerb.SIGNING_KEY_CREATED,
        target=key,
        payload={"key_id": key_id},
        system_label="system:signing",
    )
    return key


@transaction.atomic
def signing_key_rotate(*, actor: User) -> SigningKey:
    if not policies.can_rotate_keys(actor):
        raise PermissionDenied("only a system administrator rotates the signing key")
    old = SigningKey.objects.select_for_update().filter(active=True).first()
    if old is not None:
        old.active = False
        old.retired_at = timezone.now()
        old.save(update_fields=["active", "retired_at", "updated_at"])
    key_id, public = signing.generate_key_file()
    key = SigningKey.objects.create(key_id=key_id, public_key=public, active=True)
    audit_record(
        actor=actor,
        verb=AuditVerb.SIGNING_KEY_ROTATED,
        target=key,
        payload={"new": key_id, "retired": old.key_id if old else None},
    )
    return key


def signed_fields(licence: Licence) -> dict[str, Any]:
    """The canonical form of the whole document (scheme v2): everything the PDF prints, as JSON-safe values."""
    lines = licence.lines.select_related("control_entry").order_by("line_number")
    return {
        "scheme": signing.SCHEME_WHOLE_DOCUMENT,
        "number": licence.number,
        "licence_type": licence.licence_type,
        "allows": types.allows_of(licence),
        "terms": licence.terms,
        "version": str(licence.version),
        "holder": licence.holder.registration_number or licence.holder.name,
        "holder_name": licence.holder.name,
        "destination": licence.destination.iso2,
        "destination_name": licence.destination.name,
        "end_user": licence.end_user,
        "consignees": [
            {"name": str(c.get("name", "")), "country": str(c.get("country", "")), "role": str(c.get("role", ""))}
            for c in licence.consignees
        ],
        "issued_on": licence.issued_on.isoformat(),
        "valid_from": licence.valid_from.isoformat(),
        "valid_until": licence.valid_until.isoformat() if licence.valid_until else "",
        "application": licence.application.reference if licence.application else "",
        "conditions": licence.conditions or "",
        "lines": [document_line(line) for line in lines],
    }


def document_line(line: LicenceLine) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "line": line.line_number,
        "description": line.description,
        "control_entry": line.control_entry.code if line.control_entry else "",
        "hs_code": line.hs_code,
        "quantity": line.quantity,
        "value": f"{line.value:.2f}",
        "currency": line.currency,
    }
    if not line.capped:  # only then, so that the lines signed before licence types compare unchanged
        fields["capped"] = False
    return fields


def sign_licence(licence: Licence) -> dict[str, Any]:
    """Sign the licence's current version; returns the signed fields (kept in the version's snapshot)."""
    key = signing_key_active()
    fields = signed_fields(licence)
    licence.signature = signing.sign(key.key_id, signing.signed_message(fields))
    licence.signing_key = key
    licence.save(update_fields=["signature", "signing_key", "updated_at"])
    return {**fields, "key_id": key.key_id, "signature": licence.signature}
