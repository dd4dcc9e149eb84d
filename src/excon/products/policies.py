"""Who may do what with products, documents, classifications and eligibility decisions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from excon.core.markings import cleared_for
from excon.core.roles import EXPORTER_ROLES, Role

from . import workflow
from .enums import ProductAction, ProductStatus

if TYPE_CHECKING:
    from excon.accounts.models import Organisation, User

    from .models import Product

# Government roles that work with the product registry (read). Customs needs the goods' classification at the
# border; analysts and auditors read for reports and oversight.
GOVERNMENT_READERS = frozenset(
    {
        Role.TECHNICAL_EXPERT,
        Role.CASE_OFFICER,
        Role.SENIOR_OFFICER,
        Role.COMMISSION_MEMBER,
        Role.COMPLIANCE_OFFICER,
        Role.IP_COUNSEL,
        Role.CUSTOMS_OFFICER,
        Role.ANALYST,
        Role.AUDITOR,
    }
)


# Technical documents are a manufacturer's know-how: read by the manufacturer and the government roles that assess
# the product. Not by customs: a shipment check needs the licence, its goods lines and serials, not the drawings.
DOCUMENT_READERS = GOVERNMENT_READERS - {Role.CUSTOMS_OFFICER}


def is_manufacturer_staff(actor: User, organisation_id: object) -> bool:
    return actor.organisation_id == organisation_id and actor.has_any_role(*EXPORTER_ROLES)


def is_government_reader(actor: User) -> bool:
    return actor.is_government and actor.has_any_role(*GOVERNMENT_READERS)


def can_view_product(actor: User, product: Product) -> bool:
    if not actor.is_authenticated:
        return False
    if is_manufacturer_staff(actor, product.manufacturer_id):
        return True
    # A draft is the manufacturer's own working copy until it is submitted; marked products need clearance.
    return (
        is_government_reader(actor)
        and product.status != ProductStatus.DRAFT
        and cleared_for(actor.clearance, product.marking)
    )


def can_view_documents(actor: User, product: Product) -> bool:
    return can_view_product(actor, product) and (
        is_manufacturer_staff(actor, product.manufacturer_id) or actor.has_any_role(*DOCUMENT_READERS)
    )


def can_create_product(actor: User, manufacturer: Organisation) -> bool:
    return manufacturer.is_exporter and manufacturer.is_active and is_manufacturer_staff(actor, manufacturer.pk)


def can_edit_product(actor: User, product: Product) -> bool:
    return is_manufacturer_staff(actor, product.manufacturer_id) and product.status in workflow.EDITABLE_STATES


def can_upload_document(actor: User, product: Product) -> bool:
    # The manufacturer may add or answer with new versions at any stage; after a decision this flags the
    # product for review again (services.document_upload).
    return is_manufacturer_staff(actor, product.manufacturer_id)


def is_reviewing_expert(actor: User, product: Product) -> bool:
    return (
        actor.has_role(Role.TECHNICAL_EXPERT)
        and can_view_product(actor, product)
        and product.status in workflow.REVIEW_STATES
    )


def can_review_document(actor: User, product: Product) -> bool:
    return is_reviewing_expert(actor, product)


def can_waive_stage(actor: User, product: Product) -> bool:
    return is_reviewing_expert(actor, product)


def can_classify_product(actor: User, product: Product) -> bool:
    return is_reviewing_expert(actor, product)


def can_decide_eligibility(actor: User, product: Product) -> bool:
    return is_reviewing_expert(actor, product)


def can_transition_product(actor: User, product: Product, action: str) -> bool:
    kind = workflow.TABLE.actor_kind_for(action)
    if kind == workflow.EXPORTER:
        return is_manufacturer_staff(actor, product.manufacturer_id)
    if kind == workflow.EXPERT:
        return actor.has_role(Role.TECHNICAL_EXPERT) and can_view_product(actor, product)
    return False


def can_search_all_products(actor: User) -> bool:
    return is_government_reader(actor)


def available_actions(actor: User, product: Product) -> list[ProductAction]:
    """The workflow moves this actor may make now (for showing buttons)."""
    return [
        action
        for action in workflow.TABLE.actions_from(product.status)
        if can_transition_product(actor, product, action)
    ]
