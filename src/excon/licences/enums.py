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
