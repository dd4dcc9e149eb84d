"""Writes to the product registry. Each service checks the policy and the workflow, validates everything before
writing, writes in one transaction and records an audit entry. Topic modules: products (registration, changes,
workflow), documents (uploads, review, waivers), decisions (classification, eligibility)."""

from .decisions import eligibility_decide, product_classify
from .documents import document_review, document_upload, stage_waive
from .products import product_create, product_transition, product_update
from .validation import (
    PRODUCT_FIELDS,
    CharacteristicInput,
    check_development_reference,
    check_price_currency,
    clean_characteristics,
    clean_product_fields,
)

__all__ = [
    "PRODUCT_FIELDS",
    "CharacteristicInput",
    "check_development_reference",
    "check_price_currency",
    "clean_characteristics",
    "clean_product_fields",
    "document_review",
    "document_upload",
    "eligibility_decide",
    "product_classify",
    "product_create",
    "product_transition",
    "product_update",
    "stage_waive",
]
