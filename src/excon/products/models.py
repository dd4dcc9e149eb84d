"""The product registry: products, their technical documentation per lifecycle stage, classification against
control lists, and export-eligibility decisions. History is kept: nothing here is overwritten."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from excon.core.markings import ProtectiveMarking
from excon.core.models import BaseModel, StoredFileFields

from .enums import (
    AliasKind,
    DevelopmentBasis,
    DocumentReviewStatus,
    EligibilityOutcome,
    LifecycleStage,
    ProductCondition,
    ProductStatus,
)


class Product(BaseModel):
    manufacturer = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="products")
    designation = models.CharField(max_length=100, help_text='the model designation, e.g. "BTR-4E"')
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    development_basis = models.CharField(max_length=30, choices=DevelopmentBasis.choices)
    development_reference = models.CharField(
        max_length=200, blank=True, default="", help_text="the state contract or licence agreement reference"
    )
    condition = models.CharField(max_length=20, choices=ProductCondition.choices, default=ProductCondition.NEW)
    origin = models.CharField(max_length=200, blank=True, default="", help_text="for second-hand goods: their origin")
    hs_code = models.CharField(max_length=10, blank=True, default="")
    domestic_unit_price = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    domestic_price_currency = models.CharField(max_length=3, blank=True, default="")
    marking = models.CharField(max_length=20, choices=ProtectiveMarking.choices, default=ProtectiveMarking.UNCLASSIFIED)
    status = models.CharField(max_length=20, choices=ProductStatus.choices, default=ProductStatus.DRAFT)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    needs_review = models.BooleanField(
        default=False, help_text="documentation changed after the eligibility decision: the expert must look again"
    )

    class Meta:
        ordering = ["designation"]
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "designation"], name="products_designation_per_manufacturer"
            ),
            models.CheckConstraint(condition=Q(status__in=ProductStatus.values), name="products_status_valid"),
            models.CheckConstraint(condition=Q(marking__in=ProtectiveMarking.values), name="products_marking_valid"),
            models.CheckConstraint(
                condition=Q(development_basis__in=DevelopmentBasis.values), name="products_basis_valid"
            ),
            models.CheckConstraint(
                condition=Q(domestic_unit_price__isnull=True) | Q(domestic_unit_price__gte=0),
                name="products_price_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["status", "status_changed_at"], name="products_queue_idx")]

    def __str__(self) -> str:
        return f"{self.designation} – {self.name}"


class ProductAlias(BaseModel):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=AliasKind.choices, default=AliasKind.ALIAS)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["product", "name"], name="products_alias_uniq")]

    def __str__(self) -> str:
        return self.name


class Characteristic(BaseModel):
    """A typed technical characteristic: calibre 12.7 mm, range 2,000 m, mass 24 t."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="characteristics")
    name = models.CharField(max_length=100)
    value_number = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    value_text = models.CharField(max_length=200, blank=True, default="")
    unit = models.CharField(max_length=20, blank=True, default="")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["product", "name"], name="products_characteristic_uniq"),
            models.CheckConstraint(
                condition=(Q(value_number__isnull=False) & Q(value_text=""))
                | (Q(value_number__isnull=True) & ~Q(value_text="")),
                name="products_characteristic_one_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.display_value}"

    @property
    def display_value(self) -> str:
        if self.value_number is not None:
            number = format(self.value_number.normalize(), "f")
            return f"{number} {self.unit}".strip()
        return f"{self.value_text} {self.unit}".strip()


class TechnicalDocument(BaseModel):
    """A document of one lifecycle stage; its content lives in versions, and no version is ever overwritten."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="documents")
    stage = models.CharField(max_length=20, choices=LifecycleStage.choices)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["stage", "title"]
        constraints = [models.UniqueConstraint(fields=["product", "stage", "title"], name="products_document_uniq")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_stage_display()})"


class DocumentVersion(StoredFileFields, BaseModel):
    document = models.ForeignKey(TechnicalDocument, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    review_status = models.CharField(
        max_length=20, choices=DocumentReviewStatus.choices, default=DocumentReviewStatus.PENDING
    )
    review_comment = models.TextField(blank=True, default="")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["document", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["document", "version"], name="products_document_version_uniq"),
            models.CheckConstraint(
                condition=Q(review_status__in=DocumentReviewStatus.values), name="products_review_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.title} v{self.version}"


class StageWaiver(BaseModel):
    """An expert's recorded decision that a lifecycle stage needs no document (e.g. disposal of a new design)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="waivers")
    stage = models.CharField(max_length=20, choices=LifecycleStage.choices)
    reason = models.TextField()
    waived_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["product", "stage"], name="products_waiver_uniq")]

    def __str__(self) -> str:
        return f"waiver {self.stage} for {self.product_id}"


class Classification(BaseModel):
    """An expert's classification. Reclassifying supersedes the current row; the old ones stay as history."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="classifications")
    entries = models.ManyToManyField("refdata.ControlListEntry", related_name="+", blank=True)
    not_controlled = models.BooleanField(default=False)
    att_category = models.CharField(max_length=30, blank=True, default="")
    unroca_category = models.CharField(max_length=30, blank=True, default="")
    rationale = models.TextField()
    classified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["product"], condition=Q(superseded_at__isnull=True), name="products_one_current_classification"
            )
        ]

    def __str__(self) -> str:
        return f"classification of {self.product_id}"


class EligibilityDecision(BaseModel):
    """Whether and where a product may be exported. A new decision supersedes the current one."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="eligibility_decisions")
    outcome = models.CharField(max_length=30, choices=EligibilityOutcome.choices)
    allowed_groups = models.ManyToManyField("refdata.DestinationGroup", related_name="+", blank=True)
    allowed_countries = models.ManyToManyField("refdata.Country", related_name="+", blank=True)
    excluded_countries = models.ManyToManyField("refdata.Country", related_name="+", blank=True)
    conditions = models.TextField(blank=True, default="")
    valid_until = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["product"], condition=Q(superseded_at__isnull=True), name="products_one_current_eligibility"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=EligibilityOutcome.values), name="products_eligibility_outcome_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.product_id})"
