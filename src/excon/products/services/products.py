"""Registering, changing and moving products through their workflow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from excon.audit.services import audit_record
from excon.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationError
from excon.core.workflow import Move, transition

from .. import policies
from ..enums import (
    AliasKind,
    ProductAction,
)
from ..models import (
    Characteristic,
    Classification,
    Product,
    ProductAlias,
)
from ..selectors import documentation_status

if TYPE_CHECKING:
    from excon.accounts.models import Organisation, User


from ..enums import AuditVerb
from .validation import (
    PRODUCT_FIELDS,
    CharacteristicInput,
    check_designation_free,
    check_development_reference,
    check_price_currency,
    clean_aliases,
    clean_characteristics,
    clean_product_fields,
)

# Products ---------------------------------------------------------------------------------------------------


@transaction.atomic
def product_create(
    *,
    actor: User | None,
    manufacturer: Organisation,
    fields: dict[str, Any],
    characteristics: Sequence[CharacteristicInput] = (),
    aliases: Sequence[str] = (),
    former_designations: Sequence[str] = (),
    system_label: str = "system",
) -> Product:
    """Register a product as a draft. `actor=None` is a system import on the manufacturer's behalf."""
    if actor is not None and not policies.can_create_product(actor, manufacturer):
        raise PermissionDenied("only the manufacturer's own staff register its products")
    if not manufacturer.is_exporter:
        raise ValidationError(
            "products belong to an exporter",
            code="product.manufacturer_not_exporter",
            details={"field": "manufacturer"},
        )
    if not manufacturer.is_active:
        raise Conflict("the manufacturer is suspended", code="product.manufacturer_suspended")
    missing = [key for key in ("designation", "name", "development_basis") if key not in fields]
    if missing:
        raise ValidationError(
            f"missing: {', '.join(missing)}", code="product.required_fields_missing", details={"fields": missing}
        )
    cleaned = clean_product_fields(fields)
    check_price_currency(cleaned)
    check_development_reference(cleaned)
    check_designation_free(manufacturer.pk, cleaned["designation"])
    characteristic_rows = clean_characteristics(characteristics)
    alias_names = clean_aliases(aliases, cleaned["designation"])
    former_names = clean_aliases(former_designations, cleaned["designation"])
    try:
        with transaction.atomic():
            product = Product.objects.create(manufacturer=manufacturer, status_changed_at=timezone.now(), **cleaned)
    except IntegrityError as exc:  # two simultaneous registrations of one designation
        raise Conflict(
            f"this manufacturer already registered {cleaned['designation']!r}",
            code="product.duplicate_designation",
            details={"field": "designation"},
        ) from exc
    for row in characteristic_rows:
        row.product = product
    Characteristic.objects.bulk_create(characteristic_rows)
    ProductAlias.objects.bulk_create(
        [ProductAlias(product=product, name=name, kind=AliasKind.ALIAS) for name in alias_names]
        + [
            ProductAlias(product=product, name=name, kind=AliasKind.FORMER)
            for name in former_names
            if name not in alias_names
        ]
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.PRODUCT_CREATED,
        target=product,
        payload={
            **cleaned,
            "characteristics": [c.name for c in characteristic_rows],
            "aliases": alias_names,
            "former_designations": former_names,
        },
        system_label=system_label,
    )
    return product


@transaction.atomic
def product_update(
    *,
    actor: User,
    product: Product,
    fields: dict[str, Any] | None = None,
    characteristics: Sequence[CharacteristicInput] | None = None,
    aliases: Sequence[str] | None = None,
) -> Product:
    """Change a draft or returned product's particulars; `characteristics`/`aliases`, when given, replace the lists.
    A designation change keeps the old one as a former designation, for matching."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    if not policies.can_edit_product(actor, product):
        if policies.is_manufacturer_staff(actor, product.manufacturer_id):
            raise InvalidTransition(
                f"a product that is {product.get_status_display().lower()} cannot be changed",
                code="product.not_editable",
            )
        raise PermissionDenied("you may not change this product")
    cleaned = clean_product_fields(fields or {})
    merged = {key: getattr(product, key) for key in PRODUCT_FIELDS} | cleaned
    check_price_currency(merged)
    check_development_reference(merged)
    changes: dict[str, Any] = {}
    if "designation" in cleaned and cleaned["designation"] != product.designation:
        check_designation_free(product.manufacturer_id, cleaned["designation"], exclude_pk=product.pk)
        ProductAlias.objects.get_or_create(
            product=product, name=product.designation, defaults={"kind": AliasKind.FORMER}
        )
    for key, value in cleaned.items():
        if getattr(product, key) != value:
            changes[key] = {"from": getattr(product, key), "to": value}
            setattr(product, key, value)
    if characteristics is not None:
        rows = clean_characteristics(characteristics)
        before = [str(c) for c in product.characteristics.all()]
        product.characteristics.all().delete()
        for row in rows:
            row.product = product
        Characteristic.objects.bulk_create(rows)
        after = [str(c) for c in rows]
        if before != after:
            changes["characteristics"] = {"from": before, "to": after}
    if aliases is not None:
        names = clean_aliases(aliases, product.designation)
        before_aliases = sorted(product.aliases.filter(kind=AliasKind.ALIAS).values_list("name", flat=True))
        product.aliases.filter(kind=AliasKind.ALIAS).delete()
        ProductAlias.objects.bulk_create([ProductAlias(product=product, name=name) for name in names])
        if before_aliases != sorted(names):
            changes["aliases"] = {"from": before_aliases, "to": sorted(names)}
    if not changes:
        return product
    product.save()
    audit_record(actor=actor, verb=AuditVerb.PRODUCT_UPDATED, target=product, payload={"changes": changes})
    return product


def documentation_complete_or_raise(product: Product) -> None:
    status = documentation_status(product)
    if not status.complete:
        raise Conflict(
            "documentation is not complete: every lifecycle stage needs an accepted document or a waiver",
            code="product.documentation_incomplete",
            details={"missing_stages": status.missing_stages},
        )


def current_classification_of(product: Product) -> Classification | None:
    return product.classifications.filter(superseded_at__isnull=True).first()


def check_product_move(product: Product, move: Move) -> None:
    """What deciding needs besides the table: complete documentation, a classification, an eligibility decision."""
    if move.action == ProductAction.DECIDE:
        documentation_complete_or_raise(product)
        if current_classification_of(product) is None:
            raise Conflict("classify the product before deciding", code="product.not_classified")
        if not product.eligibility_decisions.filter(superseded_at__isnull=True).exists():
            raise Conflict("record the eligibility decision first", code="product.no_eligibility_decision")


def stamp_product_move(product: Product, move: Move, now: dt.datetime) -> list[str]:
    if move.action == ProductAction.DECIDE:
        product.needs_review = False
    return ["needs_review"]


def product_transition(*, actor: User, product: Product, action: str, comment: str = "") -> Product:
    """Typed entry to the workflow engine for products (the table is workflow.TABLE)."""
    return transition(product, action, actor=actor, comment=comment)
