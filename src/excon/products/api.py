"""API of the product registry: products, documents, review, classification and export eligibility."""

# No "from __future__ import annotations": django-ninja resolves paginated views' parameter types (Days) in its
# own module.

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from excon.audit.selectors import audit_history_for
from excon.core.api import ERROR_RESPONSES, Amount, Days, actor_of, paged
from excon.core.errors import ValidationError
from excon.core.files import stored_download

from . import selectors, services
from .models import Classification, DocumentVersion, EligibilityDecision, Product

router = Router(tags=["products"])


# Schemas ----------------------------------------------------------------------------------------------------


class CharacteristicIO(Schema):
    name: str
    value: str | Decimal
    unit: str = ""


class ProductListOut(Schema):
    id: UUID
    designation: str
    name: str
    manufacturer_id: UUID
    manufacturer_name: str
    status: str
    marking: str
    needs_review: bool
    status_changed_at: dt.datetime | None

    @staticmethod
    def resolve_manufacturer_name(obj: Product) -> str:
        return obj.manufacturer.name


class ClassificationOut(Schema):
    id: UUID
    control_entries: list[str]
    not_controlled: bool
    att_category: str
    unroca_category: str
    rationale: str
    classified_by: str
    created_at: dt.datetime
    superseded_at: dt.datetime | None

    @staticmethod
    def resolve_control_entries(obj: Classification) -> list[str]:
        return sorted(entry.code for entry in obj.entries.all())

    @staticmethod
    def resolve_classified_by(obj: Classification) -> str:
        return str(obj.classified_by)


class EligibilityOut(Schema):
    id: UUID
    outcome: str
    allowed_groups: list[str]
    allowed_countries: list[str]
    excluded_countries: list[str]
    conditions: str
    valid_until: dt.date | None
    decided_by: str
    created_at: dt.datetime

    @staticmethod
    def resolve_allowed_groups(obj: EligibilityDecision) -> list[str]:
        return sorted(group.code for group in obj.allowed_groups.all())

    @staticmethod
    def resolve_allowed_countries(obj: EligibilityDecision) -> list[str]:
        return sorted(country.iso2 for country in obj.allowed_countries.all())

    @staticmethod
    def resolve_excluded_countries(obj: EligibilityDecision) -> list[str]:
        return sorted(country.iso2 for country in obj.excluded_countries.all())

    @staticmethod
    def resolve_decided_by(obj: EligibilityDecision) -> str:
        return str(obj.decided_by)


class DocumentationStatusOut(Schema):
    complete: bool
    accepted_stages: list[str]
    waived_stages: list[str]
    missing_stages: list[str]


class ProductOut(ProductListOut):
    description: str
    development_basis: str
    development_reference: str
    condition: str
    origin: str
    hs_code: str
    domestic_unit_price: Decimal | None
    domestic_price_currency: str
    aliases: list[str]
    former_designations: list[str]
    characteristics: list[CharacteristicIO]
    classification: ClassificationOut | None
    eligibility: EligibilityOut | None
    documentation: DocumentationStatusOut

    @staticmethod
    def resolve_aliases(obj: Product) -> list[str]:
        return sorted(a.name for a in obj.aliases.all() if a.kind == "alias")

    @staticmethod
    def resolve_former_designations(obj: Product) -> list[str]:
        return sorted(a.name for a in obj.aliases.all() if a.kind == "former")

    @staticmethod
    def resolve_characteristics(obj: Product) -> list[dict[str, Any]]:
        return [
            {"name": c.name, "value": c.value_number if c.value_number is not None else c.value_text, "unit": c.unit}
            for c in obj.characteristics.all()
        ]

    @staticmethod
    def resolve_classification(obj: Product) -> Classification | None:
        return selectors.current_classification(obj)

    @staticmethod
    def resolve_eligibility(obj: Product) -> EligibilityDecision | None:
        return selectors.current_eligibility(obj)

    @staticmethod
    def resolve_documentation(obj: Product) -> Any:
        return selectors.documentation_status(obj)


class ProductIn(Schema):
    designation: str
    name: str
    development_basis: str
    description: str = ""
    development_reference: str = ""
    condition: str = "new"
    origin: str = ""
    hs_code: str = ""
    domestic_unit_price: Amount | None = None
    domestic_price_currency: str = ""
    marking: str = "unclassified"
    aliases: list[str] = []
    former_designations: list[str] = []
    characteristics: list[CharacteristicIO] = []


class ProductPatch(Schema):
    designation: str | None = None
    name: str | None = None
    description: str | None = None
    development_basis: str | None = None
    development_reference: str | None = None
    condition: str | None = None
    origin: str | None = None
    hs_code: str | None = None
    domestic_unit_price: Amount | None = None
    domestic_price_currency: str | None = None
    marking: str | None = None
    aliases: list[str] | None = None
    characteristics: list[CharacteristicIO] | None = None


class ProductTransitionIn(Schema):
    action: str
    comment: str = ""


class DocumentVersionOut(Schema):
    id: UUID
    document_id: UUID
    stage: str
    title: str
    version: int
    original_filename: str
    sha256: str
    size: int
    content_type: str
    review_status: str
    review_comment: str
    created_at: dt.datetime

    @staticmethod
    def resolve_stage(obj: DocumentVersion) -> str:
        return obj.document.stage

    @staticmethod
    def resolve_title(obj: DocumentVersion) -> str:
        return obj.document.title


class ProductReviewIn(Schema):
    accept: bool
    comment: str = ""


class WaiverIn(Schema):
    stage: str
    reason: str


class ClassifyIn(Schema):
    control_codes: list[str] = []
    not_controlled: bool = False
    att_category: str = ""
    unroca_category: str = ""
    rationale: str


class EligibilityIn(Schema):
    outcome: str
    allowed_groups: list[str] = []
    allowed_countries: list[str] = []
    excluded_countries: list[str] = []
    conditions: str = ""
    valid_until: dt.date | None = None


class EligibilityAnswerOut(Schema):
    eligible: bool
    code: str
    reason: str
    conditions: str
    matched_by: list[str]


class ProductHistoryOut(Schema):
    seq: int
    occurred_at: dt.datetime
    actor_repr: str
    verb: str
    payload: dict[str, Any]


def _characteristics(items: list[CharacteristicIO] | None) -> list[services.CharacteristicInput] | None:
    if items is None:
        return None
    return [services.CharacteristicInput(item.name, item.value, item.unit) for item in items]


def _product_detail(product: Product) -> Product:
    return (
        Product.objects.select_related("manufacturer").prefetch_related("aliases", "characteristics").get(pk=product.pk)
    )


# Endpoints --------------------------------------------------------------------------------------------------


@router.get("/products", response=list[ProductListOut], summary="Products you may see, with filters")
@paged(25)
def list_products(
    request: HttpRequest,
    search: str = "",
    status: str = "",
    manufacturer_id: str = "",
    control_entry: str = "",
    needs_review: bool | None = None,
    waiting_days_min: Days | None = None,
) -> Any:
    return selectors.product_list(
        actor=actor_of(request),
        search=search,
        status=status,
        manufacturer_id=manufacturer_id or None,
        control_entry=control_entry,
        needs_review=needs_review,
        waiting_days_min=waiting_days_min,
    )


@router.get("/products/review-queue", response=list[ProductListOut], summary="The technical experts' queue")
@paged(25)
def review_queue(
    request: HttpRequest,
    status: str = "",
    manufacturer_id: str = "",
    control_entry: str = "",
    waiting_days_min: Days | None = None,
) -> Any:
    return selectors.product_review_queue(
        actor=actor_of(request),
        status=status,
        manufacturer_id=manufacturer_id or None,
        control_entry=control_entry,
        waiting_days_min=waiting_days_min,
    )


@router.post("/products", response={201: ProductOut, **ERROR_RESPONSES}, summary="Register a product (draft)")
def create_product(request: HttpRequest, payload: ProductIn) -> Status[Product]:
    actor = actor_of(request)
    data = payload.dict()
    product = services.product_create(
        actor=actor,
        manufacturer=actor.organisation,
        fields={key: data[key] for key in services.PRODUCT_FIELDS},
        characteristics=_characteristics(payload.characteristics) or [],
        aliases=payload.aliases,
        former_designations=payload.former_designations,
    )
    return Status(201, _product_detail(product))


@router.get("/products/{product_id}", response={200: ProductOut, **ERROR_RESPONSES})
def get_product(request: HttpRequest, product_id: str) -> Product:
    return _product_detail(selectors.product_get(actor=actor_of(request), product_id=product_id))


@router.patch("/products/{product_id}", response={200: ProductOut, **ERROR_RESPONSES})
def update_product(request: HttpRequest, product_id: str, payload: ProductPatch) -> Product:
    actor = actor_of(request)
    product = selectors.product_get(actor=actor, product_id=product_id)
    data = payload.dict(exclude_unset=True)
    fields = {key: data[key] for key in services.PRODUCT_FIELDS if key in data}
    product = services.product_update(
        actor=actor,
        product=product,
        fields=fields,
        characteristics=_characteristics(payload.characteristics) if "characteristics" in data else None,
        aliases=payload.aliases if "aliases" in data else None,
    )
    return _product_detail(product)


@router.post("/products/{product_id}/transitions", response={200: ProductOut, **ERROR_RESPONSES})
def transition_product(request: HttpRequest, product_id: str, payload: ProductTransitionIn) -> Product:
    actor = actor_of(request)
    product = selectors.product_get(actor=actor, product_id=product_id)
    product = services.product_transition(actor=actor, product=product, action=payload.action, comment=payload.comment)
    return _product_detail(product)


@router.get("/products/{product_id}/documents", response={200: list[DocumentVersionOut], **ERROR_RESPONSES})
def list_documents(request: HttpRequest, product_id: str) -> list[DocumentVersion]:
    actor = actor_of(request)
    product = selectors.product_get(actor=actor, product_id=product_id)
    documents = selectors.product_documents(actor=actor, product=product)
    return [version for document in documents for version in document.versions.all()]


@router.post("/products/{product_id}/documents", response={201: DocumentVersionOut, **ERROR_RESPONSES})
def upload_document(
    request: HttpRequest,
    product_id: str,
    stage: Form[str],
    title: Form[str],
    file: File[UploadedFile],
) -> Status[DocumentVersion]:
    actor = actor_of(request)
    product = selectors.product_get(actor=actor, product_id=product_id)
    version = services.document_upload(
        actor=actor, product=product, stage=stage, title=title, file=file, filename=file.name or "upload"
    )
    return Status(201, version)


@router.get("/documents/{version_id}/download", summary="Download a document version (permission-checked)")
def download_document(request: HttpRequest, version_id: str) -> FileResponse:
    version = selectors.document_version_get(actor=actor_of(request), version_id=version_id)
    return stored_download(version.storage_name, filename=version.original_filename, content_type=version.content_type)


@router.post("/documents/{version_id}/review", response={200: DocumentVersionOut, **ERROR_RESPONSES})
def review_document(request: HttpRequest, version_id: str, payload: ProductReviewIn) -> DocumentVersion:
    actor = actor_of(request)
    version = selectors.document_version_get(actor=actor, version_id=version_id)
    return services.document_review(actor=actor, version=version, accept=payload.accept, comment=payload.comment)


@router.post("/products/{product_id}/waivers", response={201: DocumentationStatusOut, **ERROR_RESPONSES})
def waive_stage(request: HttpRequest, product_id: str, payload: WaiverIn) -> Status[Any]:
    actor = actor_of(request)
    product = selectors.product_get(actor=actor, product_id=product_id)
    services.stage_waive(actor=actor, product=product, stage=payload.stage, reason=payload.reason)
    return Status(201, selectors.documentation_status(product))


@router.post("/products/{product_id}/classification", response={201: ClassificationOut, **ERROR_RESPONSES})
def classify_product(request: HttpRequest, product_id: str, payload: ClassifyIn) -> Status[Classification]:
    actor = actor_of(request)
    product = selectors.product_get(actor=actor, product_id=product_id)
    return Status(201, services.product_classify(actor=actor, product=product, **payload.dict()))


@router.get("/products/{product_id}/classifications", response={200: list[ClassificationOut], **ERROR_RESPONSES})
def classification_history(request: HttpRequest, product_id: str) -> Any:
    product = selectors.product_get(actor=actor_of(request), product_id=product_id)
    return list(selectors.classification_history(product))


@router.post("/products/{product_id}/eligibility", response={201: EligibilityOut, **ERROR_RESPONSES})
def decide_eligibility(request: HttpRequest, product_id: str, payload: EligibilityIn) -> Status[EligibilityDecision]:
    actor = actor_of(request)
    product = selectors.product_get(actor=actor, product_id=product_id)
    fields = payload.dict(exclude={"allowed_groups"})
    decision = services.eligibility_decide(
        actor=actor, product=product, allowed_group_codes=payload.allowed_groups, **fields
    )
    return Status(201, decision)


@router.get("/products/{product_id}/eligibility", response={200: EligibilityAnswerOut, **ERROR_RESPONSES})
def check_eligibility(request: HttpRequest, product_id: str, country: str, on: dt.date | None = None) -> Any:
    product = selectors.product_get(actor=actor_of(request), product_id=product_id)
    if len(country.strip()) != 2:
        raise ValidationError(
            "country is an ISO 3166-1 alpha-2 code", code="country.unknown", details={"field": "country"}
        )
    return selectors.product_export_eligibility(product, country, on=on)


@router.get("/products/{product_id}/history", response={200: list[ProductHistoryOut], **ERROR_RESPONSES})
def product_history(request: HttpRequest, product_id: str) -> Any:
    product = selectors.product_get(actor=actor_of(request), product_id=product_id)
    return list(audit_history_for(product))
