"""Domestic supply first: manufacturers' capacity declarations (versioned), the armed forces' requirements,
domestic priorities, the authority's surplus rules and the armed forces' surplus equipment. Nothing is overwritten:
a new declaration supersedes the current one, requirements are withdrawn and priorities lifted, never deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from excon.core.markings import ProtectiveMarking
from excon.core.models import BaseModel

from .enums import DeclarationSource, EquipmentCondition, RequirementKind, RequirementPriority, SurplusRuleMode

User = settings.AUTH_USER_MODEL
QUARTER_VALID = Q(quarter__gte=1) & Q(quarter__lte=4)


class CapacityDeclaration(BaseModel):
    """Production capacity and stock on hand of one product in one quarter. Each version is a row; the current one
    has no `superseded_at`."""

    product = models.ForeignKey("products.Product", on_delete=models.PROTECT, related_name="capacity_declarations")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    version = models.PositiveIntegerField()
    capacity = models.PositiveIntegerField(help_text="units that can be produced in the quarter")
    stock = models.PositiveIntegerField(help_text="finished units in stock at the start of the quarter")
    source = models.CharField(max_length=30, choices=DeclarationSource.choices, default=DeclarationSource.MANUFACTURER)
    reason = models.TextField(blank=True, default="", help_text="a ministry correction's reason")
    declared_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["product", "-year", "-quarter", "-version"]
        constraints = [
            models.CheckConstraint(condition=QUARTER_VALID, name="supply_declaration_quarter_valid"),
            models.CheckConstraint(condition=Q(source__in=DeclarationSource.values), name="supply_declaration_source"),
            models.UniqueConstraint(
                fields=["product", "year", "quarter", "version"], name="supply_declaration_version_uniq"
            ),
            models.UniqueConstraint(
                fields=["product", "year", "quarter"],
                condition=Q(superseded_at__isnull=True),
                name="supply_one_current_declaration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} {self.year}-Q{self.quarter} v{self.version}"


class DomesticRequirement(BaseModel):
    """A requirement of the armed forces for one product or one control-list category in one quarter."""

    product = models.ForeignKey(
        "products.Product", on_delete=models.PROTECT, null=True, blank=True, related_name="domestic_requirements"
    )
    control_entry = models.ForeignKey(
        "refdata.ControlListEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    quantity = models.PositiveIntegerField()
    kind = models.CharField(max_length=30, choices=RequirementKind.choices)
    priority = models.PositiveSmallIntegerField(choices=RequirementPriority.choices, default=RequirementPriority.NORMAL)
    reference = models.CharField(max_length=120, help_text="the state order or procurement plan reference")
    marking = models.CharField(max_length=20, choices=ProtectiveMarking.choices, default=ProtectiveMarking.RESTRICTED)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-year", "-quarter", "priority", "reference"]
        constraints = [
            models.CheckConstraint(condition=QUARTER_VALID, name="supply_requirement_quarter_valid"),
            models.CheckConstraint(
                condition=(Q(product__isnull=False) & Q(control_entry__isnull=True))
                | (Q(product__isnull=True) & Q(control_entry__isnull=False)),
                name="supply_requirement_product_or_category",
            ),
            models.CheckConstraint(condition=Q(priority__gte=1) & Q(priority__lte=3), name="supply_priority_1_3"),
            models.CheckConstraint(condition=Q(marking__in=ProtectiveMarking.values), name="supply_requirement_mark"),
            models.CheckConstraint(condition=Q(kind__in=RequirementKind.values), name="supply_requirement_kind"),
        ]
        indexes = [models.Index(fields=["year", "quarter"], name="supply_requirement_period_idx")]

    def __str__(self) -> str:
        return f"{self.reference} ({self.year}-Q{self.quarter})"

    @property
    def subject(self) -> str:
        if self.product is not None:
            return self.product.designation
        return self.control_entry.code if self.control_entry else ""


class DomesticPriority(BaseModel):
    """A product or category reserved for the armed forces from `start` to `end`: new applications for it fail."""

    product = models.ForeignKey("products.Product", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    control_entry = models.ForeignKey(
        "refdata.ControlListEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    start = models.DateField()
    end = models.DateField()
    reason = models.TextField()
    placed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    lift_reason = models.TextField(blank=True, default="")
    suspension = models.ForeignKey(
        "licences.BulkAction", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="supply_priority_period_ordered"),
            models.CheckConstraint(
                condition=(Q(product__isnull=False) & Q(control_entry__isnull=True))
                | (Q(product__isnull=True) & Q(control_entry__isnull=False)),
                name="supply_priority_product_or_category",
            ),
        ]

    def __str__(self) -> str:
        return f"domestic priority {self.subject} {self.start}–{self.end}"

    @property
    def subject(self) -> str:
        if self.product is not None:
            return self.product.designation
        return self.control_entry.code if self.control_entry else ""

    @property
    def active(self) -> bool:
        return self.lifted_at is None


class SurplusRule(BaseModel):
    """What the check does when an application exceeds the surplus, per control-entry prefix (the longest prefix
    that matches wins; no rule means fail)."""

    prefix = models.CharField(max_length=20, unique=True)
    mode = models.CharField(max_length=10, choices=SurplusRuleMode.choices)
    note = models.TextField(blank=True, default="")
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["prefix"]
        constraints = [models.CheckConstraint(condition=Q(mode__in=SurplusRuleMode.values), name="supply_rule_mode")]

    def __str__(self) -> str:
        return f"{self.prefix}: {self.mode}"


class SurplusEquipment(BaseModel):
    """Equipment the armed forces no longer need, offered for export through a state trading exporter. The listed
    item is a registry product (condition second-hand) of that exporter, so it is classified and made eligible like
    any product; the listing keeps the quantity still available."""

    reference = models.CharField(max_length=30, unique=True, help_text="SUR-YYYY-NNNNNN")
    item = models.CharField(max_length=200)
    designation = models.CharField(max_length=100)
    quantity_listed = models.PositiveIntegerField()
    quantity_available = models.PositiveIntegerField()
    condition = models.CharField(max_length=20, choices=EquipmentCondition.choices)
    location = models.CharField(max_length=200)
    origin = models.CharField(max_length=200)
    trader = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    product = models.OneToOneField(
        "products.Product", on_delete=models.PROTECT, related_name="surplus_listing", null=True, blank=True
    )
    listed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_available__lte=F("quantity_listed")), name="supply_equipment_available_le_listed"
            ),
            models.CheckConstraint(condition=Q(condition__in=EquipmentCondition.values), name="supply_equipment_cond"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.item}"


class DomesticPrice(BaseModel):
    """What the defence ministry pays per unit of a product under one procurement contract in one year: the
    domestic side of the export-versus-domestic price comparison. Marked and shown only up to the reader's
    clearance, like the armed forces' requirements."""

    product = models.ForeignKey("products.Product", on_delete=models.PROTECT, related_name="domestic_prices")
    contract_reference = models.CharField(max_length=120, help_text="the state contract's reference")
    year = models.PositiveSmallIntegerField()
    unit_price = models.DecimalField(max_digits=18, decimal_places=2)
    currency = models.CharField(max_length=3)
    marking = models.CharField(max_length=20, choices=ProtectiveMarking.choices, default=ProtectiveMarking.RESTRICTED)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-year", "product", "contract_reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "contract_reference", "year"], name="supply_domestic_price_uniq"
            ),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="supply_domestic_price_positive"),
            models.CheckConstraint(condition=Q(marking__in=ProtectiveMarking.values), name="supply_price_marking"),
        ]

    def __str__(self) -> str:
        return f"{self.contract_reference} {self.year}: {self.unit_price} {self.currency}"
