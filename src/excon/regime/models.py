"""Export authorisations of producers and traders (with their evidence, the departments' advice and the
commission's votes), the government's destination policy as numbered versions, and export quotas with the ledger
of approvals counted against them. Nothing is overwritten: a policy change is a new version, an authorisation is
suspended, revoked or replaced by its renewal, never deleted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from excon.applications.enums import AdviceType, Vote
from excon.core.models import BaseModel, StoredFileFields

from .enums import (
    AuthorisationOutcome,
    AuthorisationStatus,
    EvidenceKind,
    PolicyTier,
    QuotaBasis,
    QuotaMode,
)

User = settings.AUTH_USER_MODEL


def destination_key(country: Any, group: Any) -> str:
    """A country's ISO code ("PL") or a destination group as "group:<code>"."""
    if country is not None:
        return str(country.iso2)
    return f"group:{group.code}" if group is not None else ""


class ExportAuthorisation(BaseModel):
    """A producer's or trader's right to export military goods: which categories, to which destination groups,
    for how long and on which conditions. Applied for by the organisation, decided by the commission."""

    reference = models.CharField(max_length=20, unique=True, help_text="AUT-YYYY-NNNNNN")
    holder = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="export_authorisations")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=AuthorisationStatus.choices, default=AuthorisationStatus.DRAFT)
    categories = models.JSONField(default=list, help_text='control-list categories, e.g. ["ML6", "ML4.a"]')
    destination_groups = models.JSONField(default=list, help_text='destination group codes, e.g. ["nato"]')
    activity = models.TextField(blank=True, default="", help_text="what the organisation produces or trades")
    requested_until = models.DateField(null=True, blank=True, help_text="the validity asked for")
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    conditions = models.TextField(blank=True, default="")
    renews = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="renewed_by")
    submitted_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=AuthorisationOutcome.choices, blank=True, default="")
    decision_reasons = models.TextField(blank=True, default="")
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=AuthorisationStatus.values), name="regime_auth_status"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="regime_auth_validity_ordered",
            ),
        ]
        indexes = [models.Index(fields=["holder", "status"], name="regime_auth_holder_idx")]

    def __str__(self) -> str:
        return self.reference

    def in_force_on(self, day: dt.date) -> bool:
        """Granted and within its validity on `day` (a suspended, revoked or expired one is not)."""
        return (
            self.status == AuthorisationStatus.GRANTED
            and self.valid_from is not None
            and self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
        )


class AuthorisationDocument(StoredFileFields, BaseModel):
    """Evidence for an authorisation (ownership, production licence, premises clearance, compliance programme),
    stored by its SHA-256 like every upload."""

    authorisation = models.ForeignKey(ExportAuthorisation, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=30, choices=EvidenceKind.choices)
    description = models.CharField(max_length=200, blank=True, default="")
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["kind", "created_at"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=EvidenceKind.values), name="regime_doc_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_filename}"


class AuthorisationAdvice(BaseModel):
    """A department's advice on an authorisation before the commission (one per department)."""

    authorisation = models.ForeignKey(ExportAuthorisation, on_delete=models.CASCADE, related_name="advice")
    department = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    advice_type = models.CharField(max_length=30, choices=AdviceType.choices)
    rationale = models.TextField()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["authorisation", "department"], name="regime_one_advice_per_department")
        ]

    def __str__(self) -> str:
        return f"{self.get_advice_type_display()} ({self.department_id})"


class AuthorisationVote(BaseModel):
    authorisation = models.ForeignKey(ExportAuthorisation, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    vote = models.CharField(max_length=10, choices=Vote.choices)
    comment = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["authorisation", "member"], name="regime_one_vote_per_member")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.vote}"


class RegisterPublication(BaseModel):
    """A published copy of the register of authorised exporters: names and scope only, as they stood."""

    published_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    entries = models.JSONField(
        default=list, help_text="[{holder, reference, categories, destination_groups, valid_until}]"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"register of {self.created_at:%Y-%m-%d}"


class PolicyVersion(BaseModel):
    """One version of the government's destination policy. Versions are never edited: a change is a new version
    (copied from the one before with the change), in force from its date until a later version's date."""

    number = models.PositiveIntegerField(unique=True)
    in_force_from = models.DateField()
    default_tier = models.CharField(
        max_length=30,
        choices=PolicyTier.choices,
        default=PolicyTier.ALLOWED_WITH_REVIEW,
        help_text="the tier of a destination the version names neither itself nor through a group",
    )
    requires_authorisation = models.BooleanField(
        default=True, help_text="from this version on, only organisations with an export authorisation may apply"
    )
    reason = models.TextField()
    published_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recheck = models.JSONField(default=dict, blank=True, help_text="open cases re-checked, licences affected")

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(condition=Q(default_tier__in=PolicyTier.values), name="regime_default_tier")
        ]

    def __str__(self) -> str:
        return f"destination policy v{self.number}"


class PolicyDestination(BaseModel):
    """The tier of a country or of a destination group in one version (a country's own tier beats its groups')."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="destinations")
    country = models.ForeignKey("refdata.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    group = models.ForeignKey(
        "refdata.DestinationGroup", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    tier = models.CharField(max_length=30, choices=PolicyTier.choices)

    class Meta:
        ordering = ["tier", "country__name", "group__name"]
        constraints = [
            models.CheckConstraint(condition=Q(tier__in=PolicyTier.values), name="regime_destination_tier"),
            models.CheckConstraint(
                condition=(Q(country__isnull=False) & Q(group__isnull=True))
                | (Q(country__isnull=True) & Q(group__isnull=False)),
                name="regime_destination_country_or_group",
            ),
            models.UniqueConstraint(fields=["version", "country"], name="regime_destination_country_uniq"),
            models.UniqueConstraint(fields=["version", "group"], name="regime_destination_group_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.country_id or self.group_id}: {self.tier}"

    @property
    def subject(self) -> str:
        if self.country is not None:
            return f"{self.country.name} ({self.country.iso2})"
        return f"group {self.group.code}" if self.group else ""

    @property
    def key(self) -> str:
        """How services and the API name the destination: "PL" or "group:nato"."""
        return destination_key(self.country, self.group)


class PolicyCategoryRule(BaseModel):
    """What may go to a tier: a category allowed (against the tier's presumption) or refused (whatever it)."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="category_rules")
    tier = models.CharField(max_length=30, choices=PolicyTier.choices)
    category = models.CharField(max_length=30, help_text="a control-list category, e.g. ML6 or ML4.a")
    allowed = models.BooleanField()

    class Meta:
        ordering = ["tier", "category"]
        constraints = [
            models.CheckConstraint(condition=Q(tier__in=PolicyTier.values), name="regime_rule_tier"),
            models.UniqueConstraint(fields=["version", "tier", "category"], name="regime_rule_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.tier} {self.category}: {'allowed' if self.allowed else 'refused'}"


class Quota(BaseModel):
    """A cap on exports of a category to a country or destination group in a calendar year, in value and/or
    quantity. `basis` says what counts against it; `mode` whether exceeding it fails an application or warns."""

    year = models.PositiveSmallIntegerField()
    country = models.ForeignKey("refdata.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    group = models.ForeignKey(
        "refdata.DestinationGroup", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    category = models.CharField(max_length=30, help_text="a control-list category, e.g. ML6")
    cap_quantity = models.PositiveIntegerField(null=True, blank=True)
    cap_value = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, default="", help_text="of the value cap")
    basis = models.CharField(max_length=10, choices=QuotaBasis.choices, default=QuotaBasis.APPROVED)
    mode = models.CharField(max_length=10, choices=QuotaMode.choices, default=QuotaMode.FAIL)
    active = models.BooleanField(default=True)
    note = models.TextField(blank=True, default="")
    set_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-year", "category"]
        constraints = [
            models.CheckConstraint(condition=Q(basis__in=QuotaBasis.values), name="regime_quota_basis"),
            models.CheckConstraint(condition=Q(mode__in=QuotaMode.values), name="regime_quota_mode"),
            models.CheckConstraint(
                condition=(Q(country__isnull=False) & Q(group__isnull=True))
                | (Q(country__isnull=True) & Q(group__isnull=False)),
                name="regime_quota_country_or_group",
            ),
            models.CheckConstraint(
                condition=Q(cap_quantity__isnull=False) | Q(cap_value__isnull=False), name="regime_quota_has_cap"
            ),
            models.CheckConstraint(
                condition=Q(cap_value__isnull=True) | Q(cap_value__gte=0), name="regime_quota_value_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} → {self.destination_label} {self.year}"

    @property
    def key(self) -> str:
        return destination_key(self.country, self.group)

    @property
    def destination_label(self) -> str:
        if self.country is not None:
            return self.country.name
        return f"group {self.group.code}" if self.group else ""


class QuotaUse(BaseModel):
    """An approval counted against a quota (quotas on the `approved` basis): written under the quota's row lock
    when the commission's decision becomes final, so concurrent approvals never count past the cap."""

    quota = models.ForeignKey(Quota, on_delete=models.PROTECT, related_name="uses")
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(default=0)
    value = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal(0))

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["quota", "application"], name="regime_quota_use_uniq")]

    def __str__(self) -> str:
        return f"{self.application_id} on {self.quota_id}"
