"""Reads of the product registry, scoped by the actor, and the export-eligibility answer other apps rely on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from excon.core.errors import NotFound
from excon.core.ids import parse_uuid
from excon.core.markings import markings_up_to
from excon.core.roles import EXPORTER_ROLES
from excon.core.selectors import one_visible

from . import policies
from .enums import DocumentReviewStatus, EligibilityOutcome, LifecycleStage, ProductStatus
from .models import (
    Classification,
    DocumentVersion,
    EligibilityDecision,
    Product,
    ProductAlias,
    StageWaiver,
    TechnicalDocument,
)

if TYPE_CHECKING:
    from excon.accounts.models import User

REVIEW_QUEUE_STATES = (ProductStatus.SUBMITTED, ProductStatus.UNDER_REVIEW, ProductStatus.RETURNED)


def _visible_products(actor: User) -> QuerySet[Product]:
    if not actor.is_authenticated:
        return Product.objects.none()
    if actor.has_any_role(*EXPORTER_ROLES):
        return Product.objects.filter(manufacturer_id=actor.organisation_id)
    if policies.is_government_reader(actor):
        return Product.objects.exclude(status=ProductStatus.DRAFT).filter(marking__in=markings_up_to(actor.clearance))
    return Product.objects.none()


def _search(products: QuerySet[Product], text: str) -> QuerySet[Product]:
    """Full-text search over designation, name, description and aliases: PostgreSQL's text search where we have
    it, word-by-word matching on the embedded database."""
    text = text.strip()
    if not text:
        return products
    alias_match = ProductAlias.objects.filter(product=OuterRef("pk"), name__icontains=text)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        # One text-search configuration on both sides: "simple" keeps designations and foreign words intact.
        vector = (
            SearchVector("designation", weight="A", config="simple")
            + SearchVector("name", weight="A", config="simple")
            + SearchVector("description", weight="C", config="simple")
        )
        query = SearchQuery(text, search_type="websearch", config="simple")
        return products.annotate(search=vector).filter(
            Q(search=query) | Q(designation__icontains=text) | Exists(alias_match)
        )
    condition = Q()
    for word in text.split():
        condition &= Q(designation__icontains=word) | Q(name__icontains=word) | Q(description__icontains=word)
    return products.filter(condition | Exists(alias_match))


def product_list(
    *,
    actor: User,
    search: str = "",
    status: str = "",
    manufacturer_id: Any = None,
    control_entry: str = "",
    needs_review: bool | None = None,
    waiting_days_min: int | None = None,
) -> QuerySet[Product]:
    products = _visible_products(actor)
    if search:
        products = _search(products, search)
    if status:
        products = products.filter(status=status)
    if manufacturer_id:
        key = parse_uuid(manufacturer_id)
        products = products.filter(manufacturer_id=key) if key else products.none()
    if control_entry:
        code = control_entry.strip().upper()
        current = Classification.objects.filter(product=OuterRef("pk"), superseded_at__isnull=True).filter(
            Q(entries__code=code) | Q(entries__code__startswith=f"{code}.") | Q(entries__parent__code=code)
        )
        products = products.filter(Exists(current))
    if needs_review is not None:
        products = products.filter(needs_review=needs_review)
    if waiting_days_min is not None:
        products = products.filter(status_changed_at__lte=timezone.now() - dt.timedelta(days=waiting_days_min))
    return products.select_related("manufacturer").distinct().order_by("designation")


def product_review_queue(*, actor: User, **filters: Any) -> QuerySet[Product]:
    """What the technical experts must look at: submitted, under review, returned, or flagged after a decision;
    the longest waiting first."""
    products = product_list(actor=actor, **filters)
    return products.filter(Q(status__in=REVIEW_QUEUE_STATES) | Q(needs_review=True)).order_by("status_changed_at")


def product_get(*, actor: User, product_id: Any) -> Product:
    return one_visible(
        Product.objects.select_related("manufacturer"),
        product_id,
        "product",
        visible=lambda product: policies.can_view_product(actor, product),
    )


def document_version_get(*, actor: User, version_id: Any) -> DocumentVersion:
    return one_visible(
        DocumentVersion.objects.select_related("document__product__manufacturer"),
        version_id,
        "document",
        visible=lambda version: policies.can_view_documents(actor, version.document.product),
    )


def product_documents(*, actor: User, product: Product) -> QuerySet[TechnicalDocument]:
    """The product's technical documents with their versions; NotFound for a reader who may see the product but
    not its documents (customs)."""
    if not policies.can_view_documents(actor, product):
        raise NotFound("documents")
    return product.documents.prefetch_related(
        Prefetch("versions", queryset=DocumentVersion.objects.select_related("uploaded_by", "reviewed_by"))
    ).order_by("stage", "title")


def current_classification(product: Product) -> Classification | None:
    return (
        Classification.objects.filter(product=product, superseded_at__isnull=True)
        .prefetch_related("entries")
        .select_related("classified_by")
        .first()
    )


def classification_history(product: Product) -> QuerySet[Classification]:
    return product.classifications.prefetch_related("entries").select_related("classified_by").order_by("-created_at")


def current_eligibility(product: Product) -> EligibilityDecision | None:
    return (
        EligibilityDecision.objects.filter(product=product, superseded_at__isnull=True)
        .prefetch_related("allowed_groups__countries", "allowed_countries", "excluded_countries")
        .select_related("decided_by")
        .first()
    )


@dataclass(frozen=True)
class DocumentationStatus:
    complete: bool
    accepted_stages: list[str]
    waived_stages: list[str]
    missing_stages: list[str]
    # Of the missing stages: those with a document the expert has not accepted yet (newest version awaiting review)
    # and those returned with comments. The rest have no document at all.
    awaiting_review_stages: list[str] = field(default_factory=list)
    returned_stages: list[str] = field(default_factory=list)


def documentation_status(product: Product) -> DocumentationStatus:
    """Complete when every lifecycle stage has a document whose newest version is accepted, or a waiver."""
    accepted: set[str] = set()
    newest: dict[str, set[str]] = {}
    for document in product.documents.prefetch_related("versions"):
        versions = sorted(document.versions.all(), key=lambda version: version.version)
        if versions and versions[-1].review_status == DocumentReviewStatus.ACCEPTED:
            accepted.add(document.stage)
        if versions:
            newest.setdefault(document.stage, set()).add(versions[-1].review_status)
    waived = set(StageWaiver.objects.filter(product=product).values_list("stage", flat=True))
    stages = list(LifecycleStage.values)
    missing = [stage for stage in stages if stage not in accepted and stage not in waived]
    return DocumentationStatus(
        complete=not missing,
        accepted_stages=[s for s in stages if s in accepted],
        waived_stages=[s for s in stages if s in waived],
        missing_stages=missing,
        awaiting_review_stages=[s for s in missing if DocumentReviewStatus.PENDING in newest.get(s, set())],
        returned_stages=[
            s
            for s in missing
            if DocumentReviewStatus.RETURNED in newest.get(s, set())
            and DocumentReviewStatus.PENDING not in newest.get(s, set())
        ],
    )


@dataclass(frozen=True)
class EligibilityAnswer:
    eligible: bool
    code: str
    reason: str
    conditions: str = ""
    decision_id: Any = None
    matched_by: list[str] = field(default_factory=list)


def product_export_eligibility(product: Product, country: str, on: dt.date | None = None) -> EligibilityAnswer:
    """May this product go to `country` (ISO alpha-2) on `on`? Answers with a stable code and a reason.

    Not a scoped selector: the licence checks call it for products already fetched through one."""
    on = on or timezone.localdate()
    country = (country or "").strip().upper()
    if product.status != ProductStatus.DECIDED:
        return EligibilityAnswer(False, "eligibility.not_decided", "the product has no export-eligibility decision yet")
    if product.needs_review:
        return EligibilityAnswer(
            False,
            "eligibility.under_review",
            "the product's documentation changed after the decision; it is under review again",
        )
    decision = current_eligibility(product)
    if decision is None:
        return EligibilityAnswer(False, "eligibility.not_decided", "the product has no export-eligibility decision yet")
    if decision.created_at.date() > on:
        return EligibilityAnswer(False, "eligibility.not_decided", f"no decision was in force on {on.isoformat()}")
    if decision.valid_until is not None and decision.valid_until < on:
        return EligibilityAnswer(
            False,
            "eligibility.expired",
            f"the eligibility decision expired on {decision.valid_until.isoformat()}",
            decision_id=decision.pk,
        )
    if decision.outcome == EligibilityOutcome.NOT_ELIGIBLE:
        return EligibilityAnswer(
            False, "eligibility.not_eligible", "the product is not eligible for export", decision_id=decision.pk
        )
    if any(c.iso2 == country for c in decision.excluded_countries.all()):
        return EligibilityAnswer(
            False,
            "eligibility.destination_excluded",
            f"{country} is excluded for this product",
            decision_id=decision.pk,
        )
    matched = [f"country {country}"] if any(c.iso2 == country for c in decision.allowed_countries.all()) else []
    matched += [
        f"group {group.code}"
        for group in decision.allowed_groups.all()
        if any(member.iso2 == country for member in group.countries.all())
    ]
    if not matched:
        return EligibilityAnswer(
            False,
            "eligibility.destination_not_allowed",
            f"{country} is not among the destinations this product may be exported to",
            decision_id=decision.pk,
        )
    with_conditions = decision.outcome == EligibilityOutcome.ELIGIBLE_WITH_CONDITIONS
    return EligibilityAnswer(
        True,
        "eligibility.eligible_with_conditions" if with_conditions else "eligibility.eligible",
        f"eligible for {country} ({', '.join(matched)})" + (" with conditions" if with_conditions else ""),
        conditions=decision.conditions,
        decision_id=decision.pk,
        matched_by=matched,
    )
