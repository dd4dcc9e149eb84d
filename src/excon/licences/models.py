"""Licences with their goods lines and versions, shipments that decrement them, customs batches and declarations,
bulk actions, and the keys that sign licence documents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from excon.applications.enums import ApplicationType
from excon.core.models import BaseModel

from .enums import (
    BulkActionKind,
    DiscrepancyStatus,
    LegacyOutcome,
    LicenceSource,
    LicenceStatus,
    ReconciliationOutcome,
    ReturnConfirmation,
    ShipmentSource,
)

User = settings.AUTH_USER_MODEL


class SigningKey(BaseModel):
    """An Ed25519 key that signs licence documents. The private half lives in a file under EXCON_DATA_DIR/keys
    (never in the database); retired keys still verify the documents they signed."""

    key_id = models.CharField(max_length=32, unique=True)
    public_key = models.CharField(max_length=64, help_text="raw Ed25519 public key, base64url")
    active = models.BooleanField(default=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="licences_one_active_key")
        ]

    def __str__(self) -> str:
        return self.key_id


class Licence(BaseModel):
    number = models.CharField(max_length=30, unique=True, help_text="LIC-YYYY-NNNNNN, or the legacy number")
    holder = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="licences")
    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="licence"
    )
    source = models.CharField(max_length=10, choices=LicenceSource.choices, default=LicenceSource.ISSUED)
    legacy_outcome = models.CharField(max_length=10, choices=LegacyOutcome.choices, blank=True, default="")
    status = models.CharField(max_length=20, choices=LicenceStatus.choices, default=LicenceStatus.ACTIVE)
    # The type of the application it was issued from (legacy records: standard); what each type allows is
    # excon.licences.types, its particulars as issued are `terms` (signed with the document).
    licence_type = models.CharField(
        max_length=30, choices=ApplicationType.choices, default=ApplicationType.STANDARD_INDIVIDUAL
    )
    terms = models.JSONField(default=dict, blank=True, help_text="the licence type's particulars as issued")
    return_due_on = models.DateField(null=True, blank=True, help_text="temporary exports: back by this date")
    destination = models.ForeignKey("refdata.Country", on_delete=models.PROTECT, related_name="+")
    end_user = models.CharField(max_length=300, blank=True, default="")
    end_user_kind = models.CharField(max_length=20, blank=True, default="")
    consignees = models.JSONField(default=list, blank=True, help_text="[{name, country, role}]")
    issued_on = models.DateField()
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    conditions = models.TextField(blank=True, default="")
    version = models.PositiveIntegerField(default=1)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    signature = models.CharField(max_length=120, blank=True, default="", help_text="over the identifying data")
    signing_key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-issued_on", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=LicenceStatus.values), name="licences_status_valid"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="licences_validity_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "valid_until"], name="licences_expiry_idx"),
            models.Index(fields=["issued_on"], name="licences_issued_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @staticmethod
    def past_validity(today: dt.date) -> Q:
        """Issued licences still active or suspended whose validity ended before `today`: they are expired, whether
        or not the scheduled task has recorded the move yet."""
        return Q(
            source=LicenceSource.ISSUED,
            status__in=[LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED],
            valid_until__lt=today,
        )

    def effective_status_on(self, today: dt.date) -> str:
        """The status as of `today` (the same rule as past_validity, for one loaded licence). Reads never write: the
        scheduled task and the next write through a service persist the expiry."""
        if (
            self.source == LicenceSource.ISSUED
            and self.status in (LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED)
            and self.valid_until is not None
            and self.valid_until < today
        ):
            return LicenceStatus.EXPIRED
        return self.status

    @property
    def effective_status(self) -> str:
        return self.effective_status_on(timezone.localdate())

    def get_effective_status_display(self) -> str:
        return str(LicenceStatus(self.effective_status).label)


class LicenceLine(BaseModel):
    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="lines")
    line_number = models.PositiveSmallIntegerField()
    product = models.ForeignKey("products.Product", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    description = models.CharField(max_length=300)
    control_entry = models.ForeignKey(
        "refdata.ControlListEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hs_code = models.CharField(max_length=10, blank=True, default="")
    quantity = models.PositiveIntegerField(null=True, blank=True, help_text="empty for value-only lines")
    value = models.DecimalField(max_digits=18, decimal_places=2)
    currency = models.CharField(max_length=3)
    shipped_quantity = models.IntegerField(default=0)
    shipped_value = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal(0))
    capped = models.BooleanField(
        default=True, help_text="an open licence's uncapped line: its quantity and value are an estimate, not a limit"
    )

    class Meta:
        ordering = ["licence", "line_number"]
        constraints = [
            models.UniqueConstraint(fields=["licence", "line_number"], name="licences_line_number_uniq"),
            # The database itself refuses an overdraft, whatever the code above it does (uncapped lines have none).
            models.CheckConstraint(
                condition=Q(capped=False) | Q(quantity__isnull=True) | Q(shipped_quantity__lte=models.F("quantity")),
                name="licences_line_quantity_not_overdrawn",
            ),
            models.CheckConstraint(
                condition=Q(capped=False) | Q(shipped_value__lte=models.F("value")),
                name="licences_line_value_not_overdrawn",
            ),
            models.CheckConstraint(condition=Q(shipped_quantity__gte=0), name="licences_line_shipped_not_negative"),
            models.CheckConstraint(condition=Q(shipped_value__gte=0), name="licences_line_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.licence_id} line {self.line_number}"

    @property
    def remaining_quantity(self) -> int | None:
        return None if self.quantity is None else self.quantity - self.shipped_quantity

    @property
    def remaining_value(self) -> Decimal:
        return self.value - self.shipped_value

    @property
    def used_up(self) -> bool:
        if not self.capped:
            return False
        if self.quantity is not None:
            return self.shipped_quantity >= self.quantity
        return self.shipped_value >= self.value


class LicenceVersion(BaseModel):
    """Each amendment is a new version with a snapshot of what changed; nothing is overwritten silently."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    changed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.TextField()
    changes = models.JSONField(default=dict)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["licence", "version"]
        constraints = [models.UniqueConstraint(fields=["licence", "version"], name="licences_version_uniq")]

    def __str__(self) -> str:
        return f"{self.licence_id} v{self.version}"


class CustomsBatch(BaseModel):
    batch_id = models.CharField(max_length=100, unique=True)
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    result = models.JSONField(default=dict)

    def __str__(self) -> str:
        return self.batch_id


class Shipment(BaseModel):
    reference = models.CharField(max_length=30, unique=True, help_text="SHP-YYYY-NNNNNN")
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="shipments")
    shipped_on = models.DateField()
    declaration_number = models.CharField(max_length=60, blank=True, default="")
    exit_point = models.CharField(max_length=120, blank=True, default="")
    transport = models.CharField(max_length=120, blank=True, default="")
    destination = models.ForeignKey("refdata.Country", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=20, choices=ShipmentSource.choices)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(CustomsBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="shipments")
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by")
    reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-shipped_on", "-created_at"]

    def __str__(self) -> str:
        return self.reference


class ShipmentLine(BaseModel):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    licence_line = models.ForeignKey(LicenceLine, on_delete=models.PROTECT, related_name="shipment_lines")
    quantity = models.IntegerField(help_text="negative on a reversing entry")
    value = models.DecimalField(max_digits=18, decimal_places=2)
    serial_numbers = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["shipment", "licence_line__line_number"]

    def __str__(self) -> str:
        return f"{self.shipment_id}: {self.quantity}"


class BulkAction(BaseModel):
    kind = models.CharField(max_length=10, choices=BulkActionKind.choices)
    criteria = models.JSONField()
    reason = models.TextField()
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    licences = models.ManyToManyField(Licence, related_name="bulk_actions")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.criteria}"


class CustomsDeclaration(BaseModel):
    """An export declaration reported by customs, reconciled against the licences and shipments."""

    declaration_number = models.CharField(max_length=60, unique=True)
    declared_on = models.DateField()
    exporter_registration = models.CharField(max_length=50)
    hs_code = models.CharField(max_length=10)
    description = models.CharField(max_length=300, blank=True, default="")
    quantity = models.PositiveIntegerField(null=True, blank=True)
    value = models.DecimalField(max_digits=18, decimal_places=2)
    currency = models.CharField(max_length=3)
    destination = models.ForeignKey("refdata.Country", on_delete=models.PROTECT, related_name="+")
    licence_number_claimed = models.CharField(max_length=30, blank=True, default="")
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, null=True, blank=True, related_name="declarations")
    outcome = models.CharField(max_length=30, choices=ReconciliationOutcome.choices)
    explanation = models.TextField(blank=True, default="")
    status = models.CharField(max_length=10, choices=DiscrepancyStatus.choices)
    resolved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True, default="")
    imported_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-declared_on"]
        indexes = [models.Index(fields=["status", "outcome"], name="licences_discrepancy_idx")]

    def __str__(self) -> str:
        return self.declaration_number


class RefusalCriterion(BaseModel):
    """A criterion of the EU Common Position (1–8) cited for refusing a licence recorded as refused (an imported
    historical refusal). One row per (licence, criterion), so reports count citations in the database."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="refusal_criteria")
    criterion = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["licence", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["licence", "criterion"], name="licences_refusal_criterion_uniq"),
            models.CheckConstraint(
                condition=Q(criterion__gte=1) & Q(criterion__lte=8), name="licences_refusal_criterion_1_8"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.licence_id}: criterion {self.criterion}"


class UsageReturn(BaseModel):
    """An open licence's periodic return: the holder reports the shipments of one period (a nil return when there
    were none) by `due_on`. Scheduled at issue; the daily follow-up reminds before it is due and alerts when it is
    overdue (each once: `reminded_at`, `overdue_at`)."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="usage_returns")
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    report = models.JSONField(default=dict, blank=True, help_text="the period's shipments as reported")
    note = models.TextField(blank=True, default="")
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["licence", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["licence", "period_start"], name="licences_return_period_uniq"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="licences_return_order"),
        ]
        indexes = [models.Index(fields=["submitted_at", "due_on"], name="licences_return_due_idx")]

    def __str__(self) -> str:
        return f"{self.licence_id} return {self.period_start}–{self.period_end}"


class TemporaryExport(BaseModel):
    """What a shipment under a temporary export licence took out, to come back by `due_on`; the return is
    confirmed by customs or the holder. Past its date and not back, the daily follow-up raises the alert once
    (`overdue_at`)."""

    shipment = models.OneToOneField(Shipment, on_delete=models.PROTECT, related_name="temporary_export")
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="temporary_exports")
    due_on = models.DateField()
    returned_on = models.DateField(null=True, blank=True)
    confirmed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    confirmation = models.CharField(max_length=10, choices=ReturnConfirmation.choices, blank=True, default="")
    note = models.TextField(blank=True, default="")
    overdue_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "created_at"]
        indexes = [models.Index(fields=["returned_on", "due_on"], name="licences_temporary_due_idx")]

    def __str__(self) -> str:
        return f"{self.shipment_id} due back {self.due_on}"
