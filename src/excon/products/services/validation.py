"""Validation of product particulars, characteristics and references, shared by the services and the CSV import."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from excon.core.errors import Conflict, ValidationError
from excon.core.markings import ProtectiveMarking
from excon.core.money import validate_currency
from excon.core.validation import clean_text
from excon.refdata import selectors as refdata_selectors
from excon.refdata.models import Country, DestinationGroup

from ..enums import (
    DevelopmentBasis,
    ProductCondition,
)
from ..models import (
    Characteristic,
    Product,
)

if TYPE_CHECKING:
    pass


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


def clean_choice(value: Any, choices: type, field: str, code: str) -> str:
    text = clean_text(value)
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
        cleaned["designation"] = clean_text(fields["designation"])
        if not cleaned["designation"]:
            raise ValidationError(
                "a product needs a designation", code="product.designation_required", details={"field": "designation"}
            )
    if "name" in fields:
        cleaned["name"] = clean_text(fields["name"])
        if not cleaned["name"]:
            raise ValidationError("a product needs a name", code="product.name_required", details={"field": "name"})
    for key in ("description", "development_reference", "origin"):
        if key in fields:
            cleaned[key] = clean_text(fields[key])
    if "development_basis" in fields:
        cleaned["development_basis"] = clean_choice(
            fields["development_basis"], DevelopmentBasis, "development_basis", "product.invalid_development_basis"
        )
    if "condition" in fields:
        cleaned["condition"] = clean_choice(
            fields["condition"], ProductCondition, "condition", "product.invalid_condition"
        )
    if "marking" in fields:
        cleaned["marking"] = clean_choice(fields["marking"], ProtectiveMarking, "marking", "product.invalid_marking")
    if "hs_code" in fields:
        code = clean_text(fields["hs_code"]).replace(".", "").replace(" ", "")
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
        currency = clean_text(fields["domestic_price_currency"]).upper()
        cleaned["domestic_price_currency"] = validate_currency(currency) if currency else ""
    return cleaned


def check_price_currency(product_like: dict[str, Any]) -> None:
    if product_like.get("domestic_unit_price") is not None and not product_like.get("domestic_price_currency"):
        raise ValidationError(
            "a domestic price needs its currency",
            code="product.currency_required",
            details={"field": "domestic_price_currency"},
        )


def check_development_reference(product_like: dict[str, Any]) -> None:
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


def check_designation_free(manufacturer_id: Any, designation: str, exclude_pk: Any = None) -> None:
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
        name = clean_text(item.name)
        if not name:
            raise ValidationError("a characteristic needs a name", code="product.characteristic_name_required")
        if name.lower() in seen:
            raise ValidationError(
                f"characteristic {name!r} is given twice",
                code="product.duplicate_characteristic",
                details={"name": name},
            )
        seen.add(name.lower())
        unit = clean_text(item.unit)
        if len(unit) > 20:
            raise ValidationError(f"unit {unit!r} is too long", code="product.invalid_unit", details={"name": name})
        raw = item.value
        number: Decimal | None = None
        text = ""
        if isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
            number = Decimal(str(raw))
        else:
            candidate = clean_text(raw)
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
        alias = clean_text(raw)
        if alias and alias.lower() != designation.lower() and alias.lower() not in {a.lower() for a in aliases}:
            aliases.append(alias)
    return aliases


def countries_by_codes(codes: Iterable[str]) -> list[Country]:
    found: dict[str, Country] = {}
    for code in codes:
        country = refdata_selectors.country_by_iso2(code)
        found.setdefault(country.iso2, country)
    return list(found.values())


def destination_groups_by_codes(codes: Iterable[str]) -> list[DestinationGroup]:
    wanted = sorted({clean_text(code).lower() for code in codes if clean_text(code)})
    groups = list(DestinationGroup.objects.filter(code__in=wanted))
    unknown = sorted(set(wanted) - {group.code for group in groups})
    if unknown:
        raise ValidationError(
            f"unknown destination group(s): {', '.join(unknown)}",
            code="destination_group.unknown",
            details={"field": "allowed_groups", "unknown": unknown},
        )
    return groups
