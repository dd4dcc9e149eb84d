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
    """The moves of the product workflow; each needs its own permission (see workflow.TRANSITIONS)."""

    SUBMIT = "submit", "Submit for review"
    START_REVIEW = "start_review", "Start review"
    RETURN = "return", "Return for changes"
    DECIDE = "decide", "Decide"
    REOPEN = "reopen", "Reopen review"
