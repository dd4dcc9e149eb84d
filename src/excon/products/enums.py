from __future__ import annotations

from django.db import models


class ProductStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    UNDER_REVIEW = "under_review", "Under expert review"
    RETURNED = "returned", "Returned for changes"
    DECIDED = "decided", "Decided"


class DevelopmentBasis(models.TextChoices):
    STATE_ORDER = "state_order", "State order"
    OWN_INITIATIVE = "own_initiative", "Own initiative"
    FOREIGN_LICENCE = "foreign_licence", "Under a foreign licence"
    JOINT_DEVELOPMENT = "joint_development", "Joint development"


class ProductCondition(models.TextChoices):
    NEW = "new", "New"
    SECOND_HAND = "second_hand", "Second-hand / surplus"


class LifecycleStage(models.TextChoices):
    DESIGN = "design", "Design and development"
    PRODUCTION = "production", "Production"
    OPERATION = "operation", "Operation and maintenance"
    DISPOSAL = "disposal", "Disposal"


class DocumentReviewStatus(models.TextChoices):
    PENDING = "pending", "Awaiting review"
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned with comments"


class EligibilityOutcome(models.TextChoices):
    ELIGIBLE = "eligible", "Eligible"
    ELIGIBLE_WITH_CONDITIONS = "eligible_with_conditions", "Eligible with conditions"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"


class AliasKind(models.TextChoices):
    ALIAS = "alias", "Alias"
    FORMER = "former", "Former designation"


class ProductAction(models.TextChoices):
    """The moves of the product workflow; each needs its own permission (see workflow.TABLE)."""

    SUBMIT = "submit", "Submit for review"
    START_REVIEW = "start_review", "Start review"
    RETURN = "return", "Return for changes"
    DECIDE = "decide", "Decide"
    REOPEN = "reopen", "Reopen review"


class AuditVerb(models.TextChoices):
    """What this app writes into the audit log, with the label history pages show."""

    PRODUCT_CREATED = "product.created", "Registered the product"
    PRODUCT_UPDATED = "product.updated", "Changed the product's particulars"
    PRODUCT_SUBMIT = "product.submit", "Submitted the product for review"
    PRODUCT_START_REVIEW = "product.start_review", "Started the expert review"
    PRODUCT_RETURN = "product.return", "Returned the product for changes"
    PRODUCT_DECIDE = "product.decide", "Decided the product's review"
    PRODUCT_REOPEN = "product.reopen", "Reopened the review"
    PRODUCT_FLAGGED_FOR_REVIEW = (
        "product.flagged_for_review",
        "Flagged for review: documentation changed after the decision",
    )
    PRODUCT_CLASSIFIED = "product.classified", "Classified the product"
    PRODUCT_RECLASSIFIED = "product.reclassified", "Reclassified the product"
    PRODUCT_ELIGIBILITY_DECIDED = "product.eligibility_decided", "Decided export eligibility"
    PRODUCT_STAGE_WAIVED = "product.stage_waived", "Waived a lifecycle stage"
    DOCUMENT_UPLOADED = "document.uploaded", "Uploaded a document"
    DOCUMENT_ACCEPTED = "document.accepted", "Accepted a document"
    DOCUMENT_RETURNED = "document.returned", "Returned a document with comments"
