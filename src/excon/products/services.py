"""Writes to the product registry. Each service checks the policy and the workflow, validates everything before
writing, writes in one transaction and records an audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from excon.audit.services import audit_record
from excon.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationError
from excon.core.files import store_upload
from excon.core.markings import ProtectiveMarking
from excon.core.money import validate_currency
from excon.refdata import selectors as refdata_selectors
from excon.refdata.enums import AttCategory, UnrocaCategory
from excon.refdata.models import Country, DestinationGroup

from . import policies, workflow
from .enums import (
    AliasKind,
    DevelopmentBasis,
    DocumentReviewStatus,
    EligibilityOutcome,
    LifecycleStage,
    ProductAction,
    ProductCondition,
    ProductStatus,
)
from .models import (
    Characteristic,
    Classification,
    DocumentVersion,
    EligibilityDecision,
    Product,
    ProductAlias,
    StageWaiver,
    TechnicalDocument,
)
from .selectors import documentation_status

if TYPE_CHECKING:
    from excon.accounts.models import Organisation, User

PRODUCT_FIELDS = (
    "designation",
    "name",
    "description",
    "development_basis",
    "development_reference",
    "condition",
    "origin",
    "hs_code",
    "domestic_unit_price",
    "domestic_price_currency",
    "marking",
)


@dataclass(frozen=True)
class CharacteristicInput:
    name: str
    value: str | int | float | Decimal
    unit: str = ""


# Validation ---------------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return str(value or "").strip()


def _choice(value: Any, choices: type, field: str, code: str) -> str:
    text = _text(value)
    if text not in choices.values:  # type: ignore[attr-defined]
        raise ValidationError(
            f"{field}: {text!r} is not one of {', '.join(choices.values)}",  # type: ignore[attr-defined]
            code=code,
            details={"field": field, "allowed": list(choices.values)},  # type: ignore[attr-defined]
        )
    return text


def clean_product_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise product particulars (all-or-nothing: the first problem raises)."""
    cleaned: dict[str, Any] = {}
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise ValidationError(f"unknown field(s): {', '.join(sorted(unknown))}", code="product.unknown_field")
    if "designation" in fields:
        cleaned["designation"] = _text(fields["designation"])
        if not cleaned["designation"]:
            raise ValidationError(
                "a product needs a designation", code="product.designation_required", details={"field": "designation"}
            )
    if "name" in fields:
        cleaned["name"] = _text(fields["name"])
        if not cleaned["name"]:
            raise ValidationError("a product needs a name", code="product.name_required", details={"field": "name"})
    for key in ("description", "development_reference", "origin"):
        if key in fields:
            cleaned[key] = _text(fields[key])
    if "development_basis" in fields:
        cleaned["development_basis"] = _choice(
            fields["development_basis"], DevelopmentBasis, "development_basis", "product.invalid_development_basis"
        )
    if "condition" in fields:
        cleaned["condition"] = _choice(fields["condition"], ProductCondition, "condition", "product.invalid_condition")
    if "marking" in fields:
        cleaned["marking"] = _choice(fields["marking"], ProtectiveMarking, "marking", "product.invalid_marking")
    if "hs_code" in fields:
        code = _text(fields["hs_code"]).replace(".", "").replace(" ", "")
        cleaned["hs_code"] = refdata_selectors.validate_hs_code(code) if code else ""
    if "domestic_unit_price" in fields:
        raw = fields["domestic_unit_price"]
        if raw in (None, ""):
            cleaned["domestic_unit_price"] = None
        else:
            try:
                price = Decimal(str(raw).replace(",", "").strip())
            except InvalidOperation as exc:
                raise ValidationError(
                    f"{raw!r} is not a price", code="product.invalid_price", details={"field": "domestic_unit_price"}
                ) from exc
            if not price.is_finite() or price < 0 or price.as_tuple().exponent < -2:  # type: ignore[operator]
                raise ValidationError(
                    "a price is a non-negative amount with at most two decimals",
                    code="product.invalid_price",
                    details={"field": "domestic_unit_price"},
                )
            cleaned["domestic_unit_price"] = price
    if "domestic_price_currency" in fields:
        currency = _text(fields["domestic_price_currency"]).upper()
        cleaned["domestic_price_currency"] = validate_currency(currency) if currency else ""
    return cleaned


def _check_price_currency(product_like: dict[str, Any]) -> None:
    if product_like.get("domestic_unit_price") is not None and not product_like.get("domestic_price_currency"):
        raise ValidationError(
            "a domestic price needs its currency",
            code="product.currency_required",
            details={"field": "domestic_price_currency"},
        )


def _check_development_reference(product_like: dict[str, Any]) -> None:
    needs_reference = {
        DevelopmentBasis.STATE_ORDER,
        DevelopmentBasis.FOREIGN_LICENCE,
        DevelopmentBasis.JOINT_DEVELOPMENT,
    }
    if product_like.get("development_basis") in needs_reference and not product_like.get("development_reference"):
        raise ValidationError(
            "give the state contract, licence or joint-development agreement reference",
            code="product.development_reference_required",
            details={"field": "development_reference"},
        )


def _check_designation_free(manufacturer_id: Any, designation: str, exclude_pk: Any = None) -> None:
    clash = Product.objects.filter(manufacturer_id=manufacturer_id, designation__iexact=designation).exclude(
        pk=exclude_pk
    )
    if clash.exists():
        raise Conflict(
            f"this manufacturer already registered {designation!r}",
            code="product.duplicate_designation",
            details={"field": "designation"},
        )


def clean_characteristics(items: Iterable[CharacteristicInput]) -> list[Characteristic]:
    rows: list[Characteristic] = []
    seen: set[str] = set()
    for position, item in enumerate(items):
        name = _text(item.name)
        if not name:
            raise ValidationError("a characteristic needs a name", code="product.characteristic_name_required")
        if name.lower() in seen:
            raise ValidationError(
                f"characteristic {name!r} is given twice",
                code="product.duplicate_characteristic",
                details={"name": name},
            )
        seen.add(name.lower())
        unit = _text(item.unit)
        if len(unit) > 20:
            raise ValidationError(f"unit {unit!r} is too long", code="product.invalid_unit", details={"name": name})
        raw = item.value
        number: Decimal | None = None
        text = ""
        if isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
            number = Decimal(str(raw))
        else:
            candidate = _text(raw)
            if not candidate:
                raise ValidationError(
                    f"characteristic {name!r} has no value", code="product.characteristic_value_required"
                )
            try:
                number = Decimal(candidate.replace(",", ""))
            except InvalidOperation:
                text = candidate
        if number is not None and not number.is_finite():
            raise ValidationError(f"{name}: not a number", code="product.invalid_characteristic_value")
        rows.append(Characteristic(name=name, value_number=number, value_text=text, unit=unit, position=position))
    return rows


def clean_aliases(names: Iterable[str], designation: str) -> list[str]:
    aliases: list[str] = []
    for raw in names:
        alias = _text(raw)
        if alias and alias.lower() != designation.lower() and alias.lower() not in {a.lower() for a in aliases}:
            aliases.append(alias)
    return aliases


def _countries(codes: Iterable[str]) -> list[Country]:
    found: dict[str, Country] = {}
    for code in codes:
        country = refdata_selectors.country_by_iso2(code)
        found.setdefault(country.iso2, country)
    return list(found.values())


def _destination_groups(codes: Iterable[str]) -> list[DestinationGroup]:
    wanted = sorted({_text(code).lower() for code in codes if _text(code)})
    groups = list(DestinationGroup.objects.filter(code__in=wanted))
    unknown = sorted(set(wanted) - {group.code for group in groups})
    if unknown:
        raise ValidationError(
            f"unknown destination group(s): {', '.join(unknown)}",
            code="destination_group.unknown",
            details={"field": "allowed_groups", "unknown": unknown},
        )
    return groups


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
    _check_price_currency(cleaned)
    _check_development_reference(cleaned)
    _check_designation_free(manufacturer.pk, cleaned["designation"])
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
        verb="product.created",
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
    _check_price_currency(merged)
    _check_development_reference(merged)
    changes: dict[str, Any] = {}
    if "designation" in cleaned and cleaned["designation"] != product.designation:
        _check_designation_free(product.manufacturer_id, cleaned["designation"], exclude_pk=product.pk)
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
    audit_record(actor=actor, verb="product.updated", target=product, payload={"changes": changes})
    return product


def _documentation_complete_or_raise(product: Product) -> None:
    status = documentation_status(product)
    if not status.complete:
        raise Conflict(
            "documentation is not complete: every lifecycle stage needs an accepted document or a waiver",
            code="product.documentation_incomplete",
            details={"missing_stages": status.missing_stages},
        )


def _current_classification(product: Product) -> Classification | None:
    return product.classifications.filter(superseded_at__isnull=True).first()


@transaction.atomic
def product_transition(*, actor: User, product: Product, action: str, comment: str = "") -> Product:
    """The one service that moves a product through its workflow (TRANSITIONS in workflow.py)."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    if action not in ProductAction.values:
        raise ValidationError(f"unknown action {action!r}", code="product.unknown_action", details={"field": "action"})
    if not policies.can_transition_product(actor, product, action):
        raise PermissionDenied(f"you may not {ProductAction(action).label.lower()} this product")
    target = workflow.target_of(product.status, action)
    if target is None:
        raise InvalidTransition(
            f"a product that is {product.get_status_display().lower()} cannot be "
            f"{ProductAction(action).label.lower()}ed",
            code="product.invalid_transition",
            details={"status": product.status, "action": action},
        )
    comment = _text(comment)
    if action == ProductAction.RETURN and not comment:
        raise ValidationError(
            "say what the manufacturer must change", code="product.comment_required", details={"field": "comment"}
        )
    if action == ProductAction.DECIDE:
        _documentation_complete_or_raise(product)
        if _current_classification(product) is None:
            raise Conflict("classify the product before deciding", code="product.not_classified")
        if not product.eligibility_decisions.filter(superseded_at__isnull=True).exists():
            raise Conflict("record the eligibility decision first", code="product.no_eligibility_decision")
    previous = product.status
    product.status = target
    product.status_changed_at = timezone.now()
    if action == ProductAction.DECIDE:
        product.needs_review = False
    product.save(update_fields=["status", "status_changed_at", "needs_review", "updated_at"])
    audit_record(
        actor=actor,
        verb=f"product.{action}",
        target=product,
        payload={"from": previous, "to": target, "comment": comment},
    )
    return product


# Documents --------------------------------------------------------------------------------------------------


@transaction.atomic
def document_upload(
    *,
    actor: User,
    product: Product,
    stage: str,
    title: str,
    file: IO[bytes] | Any,
    filename: str,
) -> DocumentVersion:
    """Add a document, or a new version of the document with this stage and title. Old versions stay."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    if not policies.can_upload_document(actor, product):
        raise PermissionDenied("only the manufacturer's staff upload its technical documentation")
    stage = _choice(stage, LifecycleStage, "stage", "document.invalid_stage")
    title = _text(title)
    if not title:
        raise ValidationError("a document needs a title", code="document.title_required", details={"field": "title"})
    stored = store_upload(file, original_filename=filename, folder=f"products/{product.pk}")
    document, _ = TechnicalDocument.objects.get_or_create(product=product, stage=stage, title=title)
    latest = document.versions.aggregate(latest=Max("version"))["latest"] or 0
    version = DocumentVersion.objects.create(
        document=document,
        version=latest + 1,
        storage_name=stored.storage_name,
        original_filename=stored.original_filename,
        sha256=stored.sha256,
        size=stored.size,
        content_type=stored.content_type,
        uploaded_by=actor,
    )
    audit_record(
        actor=actor,
        verb="document.uploaded",
        target=product,
        payload={
            "document": str(document.pk),
            "stage": stage,
            "title": title,
            "version": version.version,
            "sha256": stored.sha256,
            "size": stored.size,
            "content_type": stored.content_type,
            "filename": stored.original_filename,
        },
    )
    if product.status == ProductStatus.DECIDED and not product.needs_review:
        product.needs_review = True
        product.save(update_fields=["needs_review", "updated_at"])
        audit_record(
            actor=actor,
            verb="product.flagged_for_review",
            target=product,
            payload={"reason": f"documentation changed after the decision: {title} v{version.version}"},
        )
    return version


@transaction.atomic
def document_review(*, actor: User, version: DocumentVersion, accept: bool, comment: str = "") -> DocumentVersion:
    version = DocumentVersion.objects.select_for_update().select_related("document__product").get(pk=version.pk)
    product = version.document.product
    if not policies.can_review_document(actor, product):
        raise PermissionDenied("only the reviewing technical expert accepts or returns documents")
    comment = _text(comment)
    if not accept and not comment:
        raise ValidationError(
            "say why the document is returned", code="document.comment_required", details={"field": "comment"}
        )
    if version.review_status != DocumentReviewStatus.PENDING:
        raise Conflict(
            f"version {version.version} was already {version.get_review_status_display().lower()}",
            code="document.already_reviewed",
        )
    newest = version.document.versions.aggregate(latest=Max("version"))["latest"]
    if version.version != newest:
        raise Conflict("only the newest version is reviewed", code="document.not_latest_version")
    version.review_status = DocumentReviewStatus.ACCEPTED if accept else DocumentReviewStatus.RETURNED
    version.review_comment = comment
    version.reviewed_by = actor
    version.reviewed_at = timezone.now()
    version.save()
    audit_record(
        actor=actor,
        verb="document.accepted" if accept else "document.returned",
        target=product,
        payload={
            "document": str(version.document_id),
            "title": version.document.title,
            "version": version.version,
            "comment": comment,
        },
    )
    return version


@transaction.atomic
def stage_waive(*, actor: User, product: Product, stage: str, reason: str) -> StageWaiver:
    product = Product.objects.select_for_update().get(pk=product.pk)
    if not policies.can_waive_stage(actor, product):
        raise PermissionDenied("only the reviewing technical expert waives a lifecycle stage")
    stage = _choice(stage, LifecycleStage, "stage", "document.invalid_stage")
    reason = _text(reason)
    if not reason:
        raise ValidationError("a waiver needs its reason", code="waiver.reason_required", details={"field": "reason"})
    if StageWaiver.objects.filter(product=product, stage=stage).exists():
        raise Conflict("this stage is already waived", code="waiver.exists")
    waiver = StageWaiver.objects.create(product=product, stage=stage, reason=reason, waived_by=actor)
    audit_record(actor=actor, verb="product.stage_waived", target=product, payload={"stage": stage, "reason": reason})
    return waiver


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
    rationale = _text(rationale)
    if not rationale:
        raise ValidationError(
            "a classification needs its rationale",
            code="classification.rationale_required",
            details={"field": "rationale"},
        )
    codes = [_text(code) for code in control_codes if _text(code)]
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
    att = _choice(att_category, AttCategory, "att_category", "att_category.unknown") if att_category else ""
    unroca = (
        _choice(unroca_category, UnrocaCategory, "unroca_category", "unroca_category.unknown")
        if unroca_category
        else ""
    )
    previous = _current_classification(product)
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
        verb="product.reclassified" if previous else "product.classified",
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
    outcome = _choice(outcome, EligibilityOutcome, "outcome", "eligibility.invalid_outcome")
    conditions = _text(conditions)
    groups = _destination_groups(allowed_group_codes)
    allowed = _countries(allowed_countries)
    excluded = _countries(excluded_countries)
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
        _documentation_complete_or_raise(product)
        if _current_classification(product) is None:
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
        verb="product.eligibility_decided",
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
