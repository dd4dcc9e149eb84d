from __future__ import annotations

from django.db import models


class LicenceStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    REVOKED = "revoked", "Revoked"
    EXPIRED = "expired", "Expired"
    EXHAUSTED = "exhausted", "Exhausted (fully used)"
    SURRENDERED = "surrendered", "Surrendered"
    HISTORICAL = "historical", "Historical record (imported)"


class LicenceAction(models.TextChoices):
    SUSPEND = "suspend", "Suspend"
    REINSTATE = "reinstate", "Reinstate"
    REVOKE = "revoke", "Revoke"
    SURRENDER = "surrender", "Surrender"
    EXPIRE = "expire", "Expire"
    EXHAUST = "exhaust", "Mark exhausted"
    REOPEN = "reopen", "Reopen after a correction"


class LicenceSource(models.TextChoices):
    ISSUED = "issued", "Issued by ExCon"
    LEGACY = "legacy", "Imported from a previous system"


class LegacyOutcome(models.TextChoices):
    ISSUED = "issued", "Issued"
    REFUSED = "refused", "Refused"


class ShipmentSource(models.TextChoices):
    EXPORTER = "exporter", "Recorded by the exporter"
    CUSTOMS = "customs", "Recorded by customs"
    CUSTOMS_BATCH = "customs_batch", "Reported by customs in a batch"


class ReturnConfirmation(models.TextChoices):
    CUSTOMS = "customs", "Confirmed by customs"
    EXPORTER = "exporter", "Confirmed by the exporter"


class BulkActionKind(models.TextChoices):
    SUSPEND = "suspend", "Suspend"
    REVOKE = "revoke", "Revoke"


class ReconciliationOutcome(models.TextChoices):
    MATCHED = "matched", "Matched"
    LICENCE_OVERDRAWN = "licence_overdrawn", "Licence overdrawn"
    NO_LICENCE = "no_licence", "No licence"
    LICENCE_NOT_VALID = "licence_not_valid", "Licence not valid on that date"
    DESTINATION_MISMATCH = "destination_mismatch", "Destination mismatch"
    GOODS_MISMATCH = "goods_mismatch", "Goods mismatch"


class DiscrepancyStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class AuditVerb(models.TextChoices):
    """What this app writes into the audit log, with the label history pages show."""

    LICENCE_ISSUED = "licence.issued", "Issued the licence"
    LICENCE_SUSPEND = "licence.suspend", "Suspended the licence"
    LICENCE_REINSTATE = "licence.reinstate", "Reinstated the licence"
    LICENCE_REVOKE = "licence.revoke", "Revoked the licence"
    LICENCE_SURRENDER = "licence.surrender", "Surrendered the licence"
    LICENCE_EXPIRE = "licence.expire", "The licence expired"
    LICENCE_EXHAUST = "licence.exhaust", "The licence was fully used"
    LICENCE_REOPEN = "licence.reopen", "Reopened the licence after a correction"
    LICENCE_AMENDED = "licence.amended", "Amended the licence"
    LICENCES_BULK_SUSPEND = "licences.bulk_suspend", "Suspended licences in bulk"
    LICENCES_BULK_REVOKE = "licences.bulk_revoke", "Revoked licences in bulk"
    LICENCES_LEGACY_IMPORTED = "licences.legacy_imported", "Imported licences from the previous system"
    SHIPMENT_RECORDED = "shipment.recorded", "Recorded a shipment"
    SHIPMENT_REVERSED = "shipment.reversed", "Reversed a shipment"
    CUSTOMS_BATCH_APPLIED = "customs.batch_applied", "Applied a customs usage report"
    CUSTOMS_DECLARATIONS_IMPORTED = "customs.declarations_imported", "Imported customs declarations"
    CUSTOMS_DISCREPANCY_RESOLVED = "customs.discrepancy_resolved", "Resolved a customs discrepancy"
    USAGE_RETURN_SUBMITTED = "usage_return.submitted", "Submitted a periodic return of shipments"
    USAGE_RETURN_REMINDED = "usage_return.reminded", "Reminded the holder of a return due"
    USAGE_RETURN_OVERDUE = "usage_return.overdue", "A periodic return is overdue"
    TEMPORARY_RETURN_CONFIRMED = "temporary_export.returned", "Confirmed the return of temporarily exported goods"
    TEMPORARY_EXPORT_OVERDUE = "temporary_export.overdue", "Temporarily exported goods are not back by their date"
    SIGNING_KEY_CREATED = "signing_key.created", "Created the signing key"
    SIGNING_KEY_ROTATED = "signing_key.rotated", "Rotated the signing key"
