"""Classification against the control lists and export-eligibility decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from excon.audit.services import audit_record
from excon.core.errors import Conflict, PermissionDenied, ValidationError
from excon.refdata import selectors as refdata_selectors
from excon.refdata.enums import AttCategory, UnrocaCategory

from .. import policies
from ..enums import (
    EligibilityOutcome,
    ProductAction,
)
from ..models import (
    Classification,
    EligibilityDecision,
    Product,
)

if TYPE_CHECKING:
    from excon.accounts.models import User


from ..enums import AuditVerb
from .products import current_classification_of, documentation_complete_or_raise, product_transition
from .validation import (
    clean_choice,
    clean_text,
    countries_by_codes,
    destination_groups_by_codes,
)

# Classification and eligibility -----------------------------------------------------------------------------


@transaction.atomic
def product_classify(
    *,
    actor: User,
    product: Product,
    control_codes: Sequence[str],
    rationale: str,
    not_controlled: bool = False,
    att_category: str = "",
    unroca_category: str = "",
) -> Classification:
    """Classify (or reclassify) a product. The previous classification is kept, superseded."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    if not policies.can_classify_product(actor, product):
        raise PermissionDenied("only the reviewing technical expert classifies products")
    rationale = clean_text(rationale)
    if not rationale:
        raise ValidationError(
            "a classification needs its rationale",
            code="classification.rationale_required",
            details={"field": "rationale"},
        )
    codes = [clean_text(code) for code in control_codes if clean_text(code)]
    if not_controlled and codes:
        raise ValidationError(
            "a product is either not controlled or has control entries, not both",
            code="classification.contradictory",
        )
    if not not_controlled and not codes:
        raise ValidationError(
            "give at least one control-list entry, or classify it as not controlled",
            code="classification.entries_required",
            details={"field": "control_codes"},
        )
    entries = refdata_selectors.control_entries_by_code(codes)
    att = clean_choice(att_category, AttCategory, "att_category", "att_category.unknown") if att_category else ""
    unroca = (
        clean_choice(unroca_category, UnrocaCategory, "unroca_category", "unroca_category.unknown")
        if unroca_category
        else ""
    )
    previous = current_classification_of(product)
    now = timezone.now()
    if previous is not None:
        previous.superseded_at = now
        previous.save(update_fields=["superseded_at", "updated_at"])
    classification = Classification.objects.create(
        product=product,
        not_controlled=not_controlled,
        att_category=att,
        unroca_category=unroca,
        rationale=rationale,
        classified_by=actor,
    )
    classification.entries.set(entries)
    audit_record(
        actor=actor,
        verb=AuditVerb.PRODUCT_RECLASSIFIED if previous else AuditVerb.PRODUCT_CLASSIFIED,
        target=product,
        payload={
            "control_entries": [entry.code for entry in entries],
            "not_controlled": not_controlled,
            "att_category": att,
            "unroca_category": unroca,
            "rationale": rationale,
            "previous": sorted(previous.entries.values_list("code", flat=True)) if previous else None,
        },
    )
    return classification


@transaction.atomic
def eligibility_decide(
    *,
    actor: User,
    product: Product,
    outcome: str,
    allowed_group_codes: Sequence[str] = (),
    allowed_countries: Sequence[str] = (),
    excluded_countries: Sequence[str] = (),
    conditions: str = "",
    valid_until: dt.date | None = None,
    finalise: bool = True,
) -> EligibilityDecision:
    """Record whether and where the product may be exported and, with `finalise`, move it to decided."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    if not policies.can_decide_eligibility(actor, product):
        raise PermissionDenied("only the reviewing technical expert decides export eligibility")
    outcome = clean_choice(outcome, EligibilityOutcome, "outcome", "eligibility.invalid_outcome")
    conditions = clean_text(conditions)
    groups = destination_groups_by_codes(allowed_group_codes)
    allowed = countries_by_codes(allowed_countries)
    excluded = countries_by_codes(excluded_countries)
    overlap = {c.pk for c in allowed} & {c.pk for c in excluded}
    if overlap:
        raise ValidationError(
            "a country cannot be both allowed and excluded", code="eligibility.contradictory_countries"
        )
    if outcome == EligibilityOutcome.ELIGIBLE_WITH_CONDITIONS and not conditions:
        raise ValidationError(
            "state the conditions", code="eligibility.conditions_required", details={"field": "conditions"}
        )
    if outcome != EligibilityOutcome.NOT_ELIGIBLE and not groups and not allowed:
        raise ValidationError(
            "name the destinations (groups or countries) the product may go to",
            code="eligibility.destinations_required",
        )
    if valid_until is not None and valid_until <= timezone.localdate():
        raise ValidationError(
            "the validity date must be in the future",
            code="eligibility.invalid_validity",
            details={"field": "valid_until"},
        )
    if finalise:
        documentation_complete_or_raise(product)
        if current_classification_of(product) is None:
            raise Conflict("classify the product before deciding", code="product.not_classified")
    now = timezone.now()
    product.eligibility_decisions.filter(superseded_at__isnull=True).update(superseded_at=now, updated_at=now)
    decision = EligibilityDecision.objects.create(
        product=product, outcome=outcome, conditions=conditions, valid_until=valid_until, decided_by=actor
    )
    decision.allowed_groups.set(groups)
    decision.allowed_countries.set(allowed)
    decision.excluded_countries.set(excluded)
    audit_record(
        actor=actor,
        verb=AuditVerb.PRODUCT_ELIGIBILITY_DECIDED,
        target=product,
        payload={
            "outcome": outcome,
            "allowed_groups": sorted(g.code for g in groups),
            "allowed_countries": sorted(c.iso2 for c in allowed),
            "excluded_countries": sorted(c.iso2 for c in excluded),
            "conditions": conditions,
            "valid_until": valid_until,
        },
    )
    if finalise:
        product_transition(actor=actor, product=product, action=ProductAction.DECIDE)
    return decision
