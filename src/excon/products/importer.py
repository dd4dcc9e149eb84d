"""Bulk registration of products from CSV: every row is validated first; with any bad row nothing is written
unless partial import is asked for, and then only the good rows are.

Columns (header row required; UTF-8, comma-separated; order free):

| column | required | meaning |
|---|---|---|
| designation | yes | model designation, unique per manufacturer (e.g. BTR-4E) |
| name | yes | product name |
| development_basis | yes | state_order, own_initiative, foreign_licence or joint_development |
| development_reference | for state_order, foreign_licence, joint_development | contract / licence reference |
| description | no | free text |
| condition | no | new (default) or second_hand |
| origin | no | origin of second-hand goods |
| hs_code | no | 4- or 6-digit HS code (e.g. 871000) |
| domestic_unit_price | no | state-order unit price, e.g. 1250000.00 |
| domestic_price_currency | with a price | ISO 4217 code, e.g. UAH |
| marking | no | unclassified (default), restricted, confidential or secret |
| aliases | no | other names, separated by `|` |
| former_designations | no | earlier designations, separated by `|` |
| characteristics | no | `name=value unit` pairs separated by `|`, e.g. `calibre=30 mm|mass=24 t|crew=3` |
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.db import transaction

from excon.core.csv_import import RowError
from excon.core.errors import DomainError

from . import services
from .models import Product

if TYPE_CHECKING:
    from excon.accounts.models import Organisation, User

REQUIRED_COLUMNS = ("designation", "name", "development_basis")
# The product's own fields (services.PRODUCT_FIELDS, the required ones first), then its lists.
OPTIONAL_COLUMNS = (
    *(name for name in services.PRODUCT_FIELDS if name not in REQUIRED_COLUMNS),
    "aliases",
    "former_designations",
    "characteristics",
)
KNOWN_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
MAX_ROWS = 10_000
CHARACTERISTIC = re.compile(r"^\s*(?P<name>[^=]+?)\s*=\s*(?P<value>[^\s].*?)(?:\s+(?P<unit>[^\s\d][^\s]*))?\s*$")


@dataclass
class ImportResult:
    rows: int = 0
    created: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    @property
    def rejected_rows(self) -> int:
        return len({error.row for error in self.errors})


@dataclass
class _Row:
    line: int
    fields: dict[str, Any]
    characteristics: list[services.CharacteristicInput]
    aliases: list[str]
    former: list[str]


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split("|") if part.strip()]


def _parse_characteristics(value: str) -> list[services.CharacteristicInput]:
    items = []
    for part in _split(value):
        match = CHARACTERISTIC.match(part)
        if match is None:
            raise ValueError(f"{part!r} is not name=value [unit]")
        items.append(services.CharacteristicInput(match["name"], match["value"], match["unit"] or ""))
    return items


def _validate_row(line: int, record: dict[str, str], manufacturer: Organisation, errors: list[RowError]) -> _Row | None:
    before = len(errors)
    fields: dict[str, Any] = {}
    for column in REQUIRED_COLUMNS:
        if not (record.get(column) or "").strip():
            errors.append(RowError(line, column, "import.required", f"{column} is required"))
    product_columns = [c for c in KNOWN_COLUMNS if c in services.PRODUCT_FIELDS and c in record]
    for column in product_columns:
        value = record.get(column) or ""
        if column in ("condition", "marking") and not value.strip():
            continue
        try:
            fields.update(services.clean_product_fields({column: value}))
        except DomainError as exc:
            errors.append(RowError(line, column, exc.code, exc.message))
    characteristics: list[services.CharacteristicInput] = []
    try:
        characteristics = _parse_characteristics(record.get("characteristics", ""))
        services.clean_characteristics(characteristics)
    except ValueError as exc:
        errors.append(RowError(line, "characteristics", "import.bad_characteristic", str(exc)))
    except DomainError as exc:
        errors.append(RowError(line, "characteristics", exc.code, exc.message))
    if len(errors) == before:
        for check, column in (
            (services.check_price_currency, "domestic_price_currency"),
            (services.check_development_reference, "development_reference"),
        ):
            try:
                check(fields)
            except DomainError as exc:
                errors.append(RowError(line, column, exc.code, exc.message))
    if len(errors) > before:
        return None
    return _Row(
        line, fields, characteristics, _split(record.get("aliases", "")), _split(record.get("former_designations", ""))
    )


def import_products(
    stream: IO[str] | str, *, manufacturer: Organisation, actor: User | None = None, partial: bool = False
) -> ImportResult:
    """Validate every row, then (if all are good, or `partial`) create the good ones through product_create."""
    text = stream if isinstance(stream, str) else stream.read()
    result = ImportResult()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in (reader.fieldnames or [])]
    if not header:
        result.errors.append(RowError(1, "", "import.empty", "the file is empty or has no header row"))
        return result
    reader.fieldnames = header
    unknown = [name for name in header if name not in KNOWN_COLUMNS]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    for name in unknown:
        result.errors.append(RowError(1, name, "import.unknown_column", f"unknown column {name!r}"))
    for name in missing:
        result.errors.append(RowError(1, name, "import.missing_column", f"required column {name!r} is missing"))
    if unknown or missing:
        return result
    good: list[_Row] = []
    seen: dict[str, int] = {}
    existing = {
        d.lower() for d in Product.objects.filter(manufacturer=manufacturer).values_list("designation", flat=True)
    }
    for index, record in enumerate(reader, start=2):
        result.rows += 1
        if result.rows > MAX_ROWS:
            result.errors.append(RowError(index, "", "import.too_many_rows", f"at most {MAX_ROWS:,} rows per file"))
            return result
        if None in record:  # more cells than header columns
            result.errors.append(RowError(index, "", "import.extra_cells", "the row has more cells than the header"))
            continue
        row = _validate_row(index, record, manufacturer, result.errors)
        if row is None:
            continue
        key = row.fields["designation"].lower()
        if key in existing:
            result.errors.append(
                RowError(
                    index,
                    "designation",
                    "product.duplicate_designation",
                    f"{row.fields['designation']!r} is already registered",
                )
            )
            continue
        if key in seen:
            result.errors.append(
                RowError(index, "designation", "import.duplicate_in_file", f"also on line {seen[key]} of this file")
            )
            continue
        seen[key] = index
        good.append(row)
    if result.errors and not partial:
        return result
    with transaction.atomic():
        for row in good:
            product = services.product_create(
                actor=actor,
                manufacturer=manufacturer,
                fields=row.fields,
                characteristics=row.characteristics,
                aliases=row.aliases,
                former_designations=row.former,
                system_label="system:import-products",
            )
            result.created.append(product.designation)
    result.written = bool(result.created)
    return result
