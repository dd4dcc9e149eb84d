"""Licence applications, their automatic checks, referrals and advice, the commission and its decisions."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from excon.core.models import BaseModel, StoredFileFields

from .check_registry import check_label
from .enums import (
    AdviceType,
    AppealOutcome,
    ApplicationStatus,
    ApplicationType,
    CheckOutcome,
    DecisionOutcome,
    DecisionStatus,
    DocumentKind,
    MeetingStatus,
    PartyKind,
    PartyRole,
    ReferralStatus,
    RiskLevel,
    TemporaryPurpose,
    TransferKind,
    Vote,
)

User = settings.AUTH_USER_MODEL


class Application(BaseModel):
    reference = models.CharField(max_length=20, unique=True, help_text="EXP-YYYY-NNNNNN")
    applicant = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="applications")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    application_type = models.CharField(
        max_length=30, choices=ApplicationType.choices, default=ApplicationType.STANDARD_INDIVIDUAL
    )
    status = models.CharField(max_length=30, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT)
    destination = models.ForeignKey(
        "refdata.Country", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    end_use_statement = models.TextField(blank=True, default="")
    contract_reference = models.CharField(max_length=100, blank=True, default="")
    contract_value = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    contract_currency = models.CharField(max_length=3, blank=True, default="")
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    assigned_officer = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=DecisionOutcome.choices, blank=True, default="")
    advice_resolution = models.TextField(
        blank=True, default="", help_text="how the case officer resolved conflicting departmental advice"
    )
    advice_resolved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ApplicationStatus.values), name="applications_status_valid"),
            models.CheckConstraint(
                condition=Q(application_type__in=ApplicationType.values), name="applications_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(contract_value__isnull=True) | Q(contract_value__gte=0),
                name="applications_contract_value_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["status", "status_changed_at"], name="applications_queue_idx")]

    def __str__(self) -> str:
        return self.reference


class GoodsLine(BaseModel):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="goods_lines")
    line_number = models.PositiveSmallIntegerField()
    product = models.ForeignKey("products.Product", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    description = models.CharField(
        max_length=300, blank=True, default="", help_text="second-hand / surplus item not in the registry"
    )
    origin = models.CharField(max_length=200, blank=True, default="", help_text="origin of second-hand goods")
    control_entry = models.ForeignKey(
        "refdata.ControlListEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="for goods outside the registry: the exporter's self-classification",
    )
    quantity = models.PositiveIntegerField()
    unit_value = models.DecimalField(max_digits=18, decimal_places=2)
    currency = models.CharField(max_length=3)
    capped = models.BooleanField(
        default=True,
        help_text="the quantity and value are limits the licence may not exceed; an open licence's line may be "
        "uncapped, its quantity and value then an estimate",
    )

    class Meta:
        ordering = ["line_number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "line_number"], name="applications_line_number_uniq"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="applications_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_value__gte=0), name="applications_line_value_not_negative"),
            models.CheckConstraint(
                condition=Q(product__isnull=False) | ~Q(description=""), name="applications_line_has_goods"
            ),
        ]

    def __str__(self) -> str:
        return f"line {self.line_number}"

    @property
    def total_value(self) -> Decimal:
        return self.unit_value * self.quantity


class Party(BaseModel):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=30, choices=PartyRole.choices)
    name = models.CharField(max_length=300)
    address = models.TextField(blank=True, default="")
    country = models.ForeignKey("refdata.Country", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=PartyKind.choices)

    class Meta:
        ordering = ["role", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=PartyRole.values), name="applications_party_role_valid"),
            models.CheckConstraint(condition=Q(kind__in=PartyKind.values), name="applications_party_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name}"


class ApplicationDocument(StoredFileFields, BaseModel):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, null=True, blank=True, related_name="documents")
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    description = models.CharField(max_length=200, blank=True, default="")
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_filename}"


class EndUserCertificate(BaseModel):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="end_user_certificate")
    number = models.CharField(max_length=100)
    issue_date = models.DateField()
    issuing_authority = models.CharField(max_length=300)
    signatory = models.CharField(max_length=200)
    document = models.ForeignKey(ApplicationDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    def __str__(self) -> str:
        return f"EUC {self.number}"


class CheckRun(BaseModel):
    """One run of the automatic checks (at submission, and whenever the case officer runs them again)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="check_runs")
    run_number = models.PositiveIntegerField()
    triggered_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    passed = models.BooleanField(help_text="no mandatory check failed")

    class Meta:
        ordering = ["-run_number"]
        constraints = [models.UniqueConstraint(fields=["application", "run_number"], name="applications_run_uniq")]

    def __str__(self) -> str:
        return f"{self.application_id} checks #{self.run_number}"


class CheckResult(BaseModel):
    run = models.ForeignKey(CheckRun, on_delete=models.CASCADE, related_name="results")
    # A registered check's name (check_registry): any app may add checks, so the names are not a fixed choice.
    check_name = models.CharField(max_length=30)
    outcome = models.CharField(max_length=10, choices=CheckOutcome.choices)
    mandatory = models.BooleanField(default=True)
    summary = models.TextField()
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["check_name"]

    def __str__(self) -> str:
        return f"{self.check_name}: {self.outcome}"

    @property
    def check_label(self) -> str:
        return check_label(self.check_name)


class DestinationRiskProfile(BaseModel):
    """The authority's assessment of a destination against ATT art. 6 and the EU Common Position's criteria.

    Maintained by senior officers (or imported); the risk check reads it at submission."""

    country = models.OneToOneField("refdata.Country", on_delete=models.PROTECT, related_name="risk_profile")
    att_article_6_prohibition = models.BooleanField(
        default=False, help_text="the state knows transfers would be used for genocide, crimes against humanity, …"
    )
    criterion_levels = models.JSONField(default=dict, help_text='{"1": 0..3, …, "8": 0..3}')
    notes = models.TextField(blank=True, default="")
    source = models.CharField(max_length=200, blank=True, default="")
    assessed_on = models.DateField()

    class Meta:
        ordering = ["country__name"]

    def __str__(self) -> str:
        return f"risk profile {self.country_id}"

    def level(self, criterion: int) -> int:
        return int(self.criterion_levels.get(str(criterion), RiskLevel.LOW))


class RoutingRule(BaseModel):
    """Which departments must advise on which cases. Conditions left empty match every case."""

    name = models.CharField(max_length=120, unique=True)
    active = models.BooleanField(default=True)
    priority = models.PositiveSmallIntegerField(default=100)
    control_entry_prefixes = models.JSONField(default=list, blank=True, help_text='e.g. ["ML4", "ML10"]')
    destinations = models.JSONField(default=list, blank=True, help_text="ISO alpha-2 codes")
    destination_groups = models.JSONField(default=list, blank=True, help_text="destination group codes")
    min_total_value = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    party_kinds = models.JSONField(default=list, blank=True)
    check_outcomes = models.JSONField(default=list, blank=True, help_text='e.g. ["screening:warning", "risk:warning"]')
    departments = models.JSONField(help_text="department kinds that must advise")
    due_working_days = models.PositiveSmallIntegerField(default=10)
    requires_countersignature = models.BooleanField(default=False)

    class Meta:
        ordering = ["priority", "name"]

    def __str__(self) -> str:
        return self.name


class Referral(BaseModel):
    """A department asked to advise on a case."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="referrals")
    department = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(max_length=30, choices=ReferralStatus.choices, default=ReferralStatus.PENDING)
    due_date = models.DateField()
    requires_countersignature = models.BooleanField(default=False)
    rules = models.JSONField(default=list, help_text="names of the routing rules that asked for it")
    referred_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", help_text="a case officer, by hand"
    )
    reason = models.TextField(blank=True, default="", help_text="why the case officer referred it by hand")

    class Meta:
        ordering = ["due_date"]
        constraints = [models.UniqueConstraint(fields=["application", "department"], name="applications_referral_uniq")]

    def __str__(self) -> str:
        return f"{self.application_id} → {self.department_id}"


class Advice(BaseModel):
    """A department's advice, for the whole case or for one goods line or party where it differs."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="advice")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    advice_type = models.CharField(max_length=30, choices=AdviceType.choices)
    goods_line = models.ForeignKey(GoodsLine, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    provisos = models.TextField(blank=True, default="")
    refusal_criteria = models.JSONField(default=list, blank=True, help_text="EU Common Position criteria 1–8")
    rationale = models.TextField()
    countersigned_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    countersigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(goods_line__isnull=True, party__isnull=True),
                name="applications_one_case_advice_per_department",
            ),
            models.UniqueConstraint(
                fields=["referral", "goods_line"],
                condition=Q(goods_line__isnull=False),
                name="applications_one_line_advice_per_department",
            ),
            models.UniqueConstraint(
                fields=["referral", "party"],
                condition=Q(party__isnull=False),
                name="applications_one_party_advice_per_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_advice_type_display()} ({self.referral_id})"


class CaseNote(BaseModel):
    """A case officer's internal note on a case: government eyes only, never the exporter's."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"note {self.application_id} {self.created_at:%Y-%m-%d}"


class InformationRequest(BaseModel):
    """The case officer asks the exporter; the case's clock stops until the answer."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="information_requests")
    question = models.TextField()
    asked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField()
    answer = models.TextField(blank=True, default="")
    answered_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at"]

    def __str__(self) -> str:
        return f"RFI {self.application_id} {self.asked_at:%Y-%m-%d}"


class CommissionMeeting(BaseModel):
    reference = models.CharField(max_length=20, unique=True, help_text="COM-YYYY-NNNNNN")
    scheduled_for = models.DateTimeField()
    status = models.CharField(max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    chair = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    quorum_minimum = models.PositiveSmallIntegerField(default=3)
    quorum_departments = models.JSONField(
        default=list, blank=True, help_text="department kinds that must be present for a quorum"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-scheduled_for"]

    def __str__(self) -> str:
        return self.reference


class MeetingMember(BaseModel):
    meeting = models.ForeignKey(CommissionMeeting, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="applications_member_uniq")]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.meeting_id}"


class AgendaItem(BaseModel):
    meeting = models.ForeignKey(CommissionMeeting, on_delete=models.CASCADE, related_name="agenda")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "application"], name="applications_agenda_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} #{self.position}"


class MemberVote(BaseModel):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    vote = models.CharField(max_length=10, choices=Vote.choices)
    comment = models.TextField(blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="applications_one_vote_per_member")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.vote}"


class Decision(BaseModel):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    outcome = models.CharField(max_length=30, choices=DecisionOutcome.choices)
    status = models.CharField(max_length=30, choices=DecisionStatus.choices)
    conditions = models.TextField(blank=True, default="")
    refusal_criteria = models.JSONField(default=list, blank=True)
    reasons = models.TextField(blank=True, default="")
    approved_lines = models.JSONField(
        default=list, blank=True, help_text="line numbers approved (all for approve; some for partial approval)"
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    countersigned_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    countersigned_at = models.DateTimeField(null=True, blank=True)
    on_appeal = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.application_id})"


class Denial(BaseModel):
    """A refusal, recorded for notifying partner states (denial notifications)."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="denial")
    reference = models.CharField(max_length=20, unique=True, help_text="DEN-YYYY-NNNNNN")
    destination = models.ForeignKey("refdata.Country", on_delete=models.PROTECT, related_name="+")
    end_user = models.CharField(max_length=300)
    goods = models.TextField()
    control_entries = models.JSONField(default=list)
    criteria = models.JSONField(default=list)
    notified_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, help_text="the refusal was overturned on appeal")

    def __str__(self) -> str:
        return self.reference


class Appeal(BaseModel):
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="appeal")
    lodged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    grounds = models.TextField()
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    outcome = models.CharField(max_length=20, choices=AppealOutcome.choices, default=AppealOutcome.PENDING)
    reasons = models.TextField(blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"appeal {self.application_id}"


class SavedFilter(BaseModel):
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="saved_filters")
    name = models.CharField(max_length=100)
    params = models.JSONField(default=dict)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="applications_saved_filter_uniq")]

    def __str__(self) -> str:
        return self.name


class ApplicationTerms(BaseModel):
    """The particulars a licence type other than the standard individual licence asks for (which fields each type
    takes and needs: excon.applications.licence_types)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="terms")
    # Open individual licence: more destinations than the application's own, and the validity asked for.
    further_destinations = models.ManyToManyField("refdata.Country", blank=True, related_name="+")
    requested_valid_until = models.DateField(null=True, blank=True)
    # Temporary export: why the goods leave and when they are back.
    temporary_purpose = models.CharField(max_length=20, choices=TemporaryPurpose.choices, blank=True, default="")
    return_date = models.DateField(null=True, blank=True)
    # Brokering: who arranges the transfer, and the country the goods leave from (never this state).
    broker_name = models.CharField(max_length=300, blank=True, default="")
    broker_country = models.ForeignKey(
        "refdata.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_country = models.ForeignKey(
        "refdata.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Technology transfer and licensed production: what is transferred; the receiving side's undertakings are
    # application documents of kind "undertaking".
    transfer_kind = models.CharField(max_length=20, choices=TransferKind.choices, blank=True, default="")
    transferred = models.TextField(blank=True, default="", help_text="the technical data or production rights")
    innovation_reference = models.CharField(
        max_length=100,
        blank=True,
        default="",
        help_text="the innovations registry's reference of what is transferred (issue 16); checked through "
        "excon.applications.innovation_links when a registry is installed",
    )

    def __str__(self) -> str:
        return f"terms of {self.application_id}"


class LicenceTypeRules(BaseModel):
    """What the authority sets per licence type: the longest validity and, for open licences, the returns. Without
    a row the defaults of excon.applications.licence_types apply."""

    application_type = models.CharField(max_length=30, choices=ApplicationType.choices, unique=True)
    max_validity_days = models.PositiveIntegerField()
    return_period_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="open licences: shipments are reported for periods of this many months"
    )
    return_due_days = models.PositiveSmallIntegerField(default=30, help_text="days after a period ends")
    reminder_days = models.PositiveSmallIntegerField(default=7, help_text="days before a return is due")
    changed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["application_type"]
        constraints = [
            models.CheckConstraint(condition=Q(max_validity_days__gte=1), name="applications_type_rules_validity"),
        ]

    def __str__(self) -> str:
        return f"rules for {self.application_type}"
