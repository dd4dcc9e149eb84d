from __future__ import annotations

from django.db import models


class AuthorisationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_COMMISSION = "in_commission", "Before the commission"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"
    SUSPENDED = "suspended", "Suspended"
    REVOKED = "revoked", "Revoked"
    EXPIRED = "expired", "Expired"
    RENEWED = "renewed", "Renewed (replaced by its renewal)"
    WITHDRAWN = "withdrawn", "Withdrawn"


class AuthorisationAction(models.TextChoices):
    SUBMIT = "submit", "Submit"
    WITHDRAW = "withdraw", "Withdraw"
    RETURN = "return", "Return to the applicant for more evidence"
    REFER = "refer", "Send to the commission"
    GRANT = "grant", "Grant"
    REFUSE = "refuse", "Refuse"
    SUSPEND = "suspend", "Suspend"
    REINSTATE = "reinstate", "Lift the suspension"
    REVOKE = "revoke", "Revoke"
    EXPIRE = "expire", "Expire"
    REPLACE = "replace", "Replace by the renewal"


class EvidenceKind(models.TextChoices):
    OWNERSHIP = "ownership", "Ownership and control of the company"
    PRODUCTION_LICENCE = "production_licence", "Production (manufacturing) licence"
    PREMISES_CLEARANCE = "premises_clearance", "Security clearance of the premises"
    COMPLIANCE_PROGRAMME = "compliance_programme", "Internal compliance programme"
    OTHER = "other", "Other evidence"


# What the authority asks for before an application for an authorisation is submitted.
REQUIRED_EVIDENCE = (
    EvidenceKind.OWNERSHIP,
    EvidenceKind.PRODUCTION_LICENCE,
    EvidenceKind.PREMISES_CLEARANCE,
    EvidenceKind.COMPLIANCE_PROGRAMME,
)


class AuthorisationOutcome(models.TextChoices):
    GRANT = "grant", "Grant"
    REFUSE = "refuse", "Refuse"


class PolicyTier(models.TextChoices):
    """The government's partner tiers, from the most to the least open (TIER_RANK orders them)."""

    PRIORITY_PARTNER = "priority_partner", "Priority partner"
    ALLOWED_WITH_REVIEW = "allowed_with_review", "Allowed with review"
    PRESUMPTION_OF_DENIAL = "presumption_of_denial", "Presumption of denial"
    PROHIBITED = "prohibited", "Prohibited"


TIER_RANK = {tier: rank for rank, tier in enumerate(PolicyTier.values)}


class QuotaBasis(models.TextChoices):
    APPROVED = "approved", "Approved by the commission"
    ISSUED = "issued", "Licensed (licences issued)"
    SHIPPED = "shipped", "Shipped"


class QuotaMode(models.TextChoices):
    FAIL = "fail", "Fail the application"
    WARNING = "warning", "Warn the case officer"


class AuditVerb(models.TextChoices):
    """What this app writes into the audit log, with the label history pages show."""

    AUTHORISATION_CREATED = "regime.authorisation_created", "Started an application for an export authorisation"
    AUTHORISATION_UPDATED = "regime.authorisation_updated", "Changed the application for an export authorisation"
    AUTHORISATION_EVIDENCE_ADDED = "regime.authorisation_evidence_added", "Added evidence to an export authorisation"
    AUTHORISATION_SUBMIT = "regime.authorisation_submit", "Submitted the application for an export authorisation"
    AUTHORISATION_WITHDRAW = "regime.authorisation_withdraw", "Withdrew the application for an export authorisation"
    AUTHORISATION_RETURN = "regime.authorisation_return", "Returned the authorisation application for evidence"
    AUTHORISATION_REFER = "regime.authorisation_refer", "Sent the export authorisation to the commission"
    AUTHORISATION_ADVICE = "regime.authorisation_advice", "Gave a department's advice on an export authorisation"
    AUTHORISATION_VOTE = "regime.authorisation_vote", "Voted on an export authorisation"
    AUTHORISATION_GRANT = "regime.authorisation_grant", "Granted the export authorisation"
    AUTHORISATION_REFUSE = "regime.authorisation_refuse", "Refused the export authorisation"
    AUTHORISATION_SUSPEND = "regime.authorisation_suspend", "Suspended the export authorisation"
    AUTHORISATION_REINSTATE = "regime.authorisation_reinstate", "Lifted the suspension of the export authorisation"
    AUTHORISATION_REVOKE = "regime.authorisation_revoke", "Revoked the export authorisation"
    AUTHORISATION_EXPIRE = "regime.authorisation_expire", "The export authorisation expired"
    AUTHORISATION_REPLACE = "regime.authorisation_replace", "The export authorisation was replaced by its renewal"
    AUTHORISATION_LICENCES_SUSPENDED = (
        "regime.authorisation_licences_suspended",
        "Suspended the licences of a revoked export authorisation",
    )
    REGISTER_PUBLISHED = "regime.register_published", "Published the register of authorised exporters"
    POLICY_PUBLISHED = "regime.policy_published", "Published a version of the destination policy"
    POLICY_RECHECKED = "regime.policy_rechecked", "Re-checked open cases against a new destination policy"
    POLICY_LICENCES_SUSPENDED = (
        "regime.policy_licences_suspended",
        "Suspended the licences a destination policy change affects",
    )
    QUOTA_SET = "regime.quota_set", "Set an export quota"
    QUOTA_CHANGED = "regime.quota_changed", "Changed an export quota"
    QUOTA_COUNTED = "regime.quota_counted", "Counted an approval against an export quota"
