"""Import of historical licences from a previous system, so that reports and analytics cover the past.

The file is CSV (UTF-8, comma-separated) with exactly this header, one row per goods line; rows that share a
licence number form one licence:

| column | meaning |
|---|---|
| licence_number | the number in the old system (kept as the licence number, upper-cased, at most 30 characters) |
| issued_on | YYYY-MM-DD, not in the future |
| exporter | an exporter's registration number, or a name; an unknown name becomes a legacy exporter record |
| destination | ISO 3166-1 alpha-2 (or alpha-3) code, or an English country name (see `excon.refdata.countries`) |
| control_entry | a code in the reference control list (ML…, national PL…, dual-use); see below |
| quantity | a whole number, or empty for a value-only line |
| value | an amount, at most two decimals, not negative; may be empty on a refused row (stored as 0) |
| currency | ISO 4217 code |
| status | issued or refused |
| refusal_criteria | optional: EU Common Position criteria (1–8) cited, separated by `;` ("1;7"); refused rows only |

A dual-use code missing from the reference tree ("5A002" when the tree holds only "5" and "5A") is filed under its
group ("5A"), or failing that its category ("5"); the original code is kept in the line's description.

Every row is validated before anything is written. A licence's rows must agree on issued_on, exporter,
destination and status. With any bad row nothing is written, unless `partial`: then every licence whose rows are
all good is written, and a licence with any bad row is rejected whole. A licence number already in the database is
"unchanged" (never modified or duplicated), so running the same file twice is harmless.

Licences are written with bulk inserts (the UK file has 96,311 rows) and one audit entry summarises the run; each
legacy exporter created is audited by `organisation_create` itself."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from excon.accounts.models import Organisation
from excon.accounts.services import organisation_create
from excon.audit.services import audit_record
from excon.core.csv_import import RowError
from excon.core.errors import DomainError
from excon.core.money import validate_currency
from excon.core.roles import OrganisationKind
from excon.refdata.countries import country_code
from excon.refdata.models import ControlListEntry, Country

from .enums import AuditVerb, LegacyOutcome, LicenceSource, LicenceStatus
from .models import Licence, LicenceLine, RefusalCriterion

if TYPE_CHECKING:
    from excon.accounts.models import User

COLUMNS = (
    "licence_number",
    "issued_on",
    "exporter",
    "destination",
    "control_entry",
    "quantity",
    "value",
    "currency",
    "status",
)
OPTIONAL_COLUMNS = ("refusal_criteria",)
AGREEING_COLUMNS = ("issued_on", "exporter", "destination", "status")
SYSTEM_LABEL = "system:import-licences"
LEGACY_PREFIX = "LEGACY-"
MAX_NUMBER_LENGTH = Licence._meta.get_field("number").max_length or 30
MAX_QUANTITY = 2_147_483_647
MAX_VALUE = Decimal("9999999999999999.99")
BATCH_SIZE = 2000
_DUAL_USE = re.compile(r"^(?P<category>\d)(?P<group>[A-E])\d{3}")


@dataclass
class LegacyImportResult:
    rows: int = 0
    licences_created: int = 0
    licences_unchanged: int = 0
    lines: int = 0
    rejected: int = 0  # rows not written: bad rows, and the good rows of a licence that has a bad row
    rejected_licences: int = 0
    exporters_created: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    def summary(self) -> dict[str, Any]:
        return {
            "licences_created": self.licences_created,
            "licences_unchanged": self.licences_unchanged,
            "lines": self.lines,
            "rejected": self.rejected,
            "errors": [error.__dict__ for error in self.errors],
        }


@dataclass
class _Row:
    line: int
    number: str
    issued_on: dt.date
    exporter_key: str  # the exporter text as given, normalised for comparison
    destination: str  # ISO alpha-2
    entry_id: Any
    description: str
    quantity: int | None
    value: Decimal
    currency: str
    status: str
    criteria: frozenset[int] = frozenset()


def _criteria(text: str) -> frozenset[int] | None:
    """ "1;7" → {1, 7}; None when a part is not a criterion number 1–8."""
    found: set[int] = set()
    for part in text.replace(",", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= 8:
            return None
        found.add(int(part))
    return frozenset(found)


def legacy_exporter_registration(name: str) -> str:
    """ "LEGACY-" + a short hash of the normalised name: the same name always gives the same number."""
    digest = hashlib.sha256(_name_key(name).encode()).hexdigest()[:10].upper()
    return f"{LEGACY_PREFIX}{digest}"


def _name_key(name: str) -> str:
    return " ".join((name or "").split()).casefold()


class _Lookups:
    """Everything a row is checked against, read once per run (the reference list is small), and the answers
    for repeated values (country names, currencies) cached."""

    def __init__(self) -> None:
        self.entries = {code.upper(): (pk, code) for pk, code in ControlListEntry.objects.values_list("id", "code")}
        self.countries = dict(Country.objects.values_list("iso2", "id"))
        self.currencies: dict[str, str | DomainError] = {}
        self.exporters = {
            number.upper(): pk
            for pk, number in Organisation.objects.filter(kind=OrganisationKind.EXPORTER)
            .exclude(registration_number="")
            .values_list("id", "registration_number")
        }

    def control_entry(self, code: str) -> tuple[Any, str] | None:
        """(entry id, line description) for a code, or None when neither it nor its dual-use parent exists."""
        found = self.entries.get(code.upper())
        if found is not None:
            return found[0], found[1]
        match = _DUAL_USE.match(code.upper())
        if match is not None:
            for parent in (match["category"] + match["group"], match["category"]):
                found = self.entries.get(parent)
                if found is not None:
                    return found[0], f"{code} (legacy rating, not in the reference list; filed under {found[1]})"
        return None

    def currency(self, code: str) -> str:
        key = code.strip().upper()
        if key not in self.currencies:
            try:
                self.currencies[key] = validate_currency(key)
            except DomainError as exc:
                self.currencies[key] = exc
        answer = self.currencies[key]
        if isinstance(answer, DomainError):
            raise answer
        return answer


def _validate_row(line: int, record: dict[str, str], lookups: _Lookups, errors: list[RowError]) -> _Row | None:
    before = len(errors)

    def error(column: str, code: str, message: str) -> None:
        errors.append(RowError(line, column, code, message))

    values = {column: (record.get(column) or "").strip() for column in COLUMNS}
    refused = values["status"].lower() == LegacyOutcome.REFUSED
    for column in COLUMNS:
        if column == "quantity" or (column == "value" and refused):
            continue  # a value-only line has no quantity; a refused licence may carry no value (stored as 0)
        if not values[column]:
            error(column, "import.required", f"{column} is required")
    if len(errors) > before:
        return None
    number = values["licence_number"].upper()
    if len(number) > MAX_NUMBER_LENGTH:
        error("licence_number", "import.too_long", f"at most {MAX_NUMBER_LENGTH} characters")
    issued_on = None
    try:
        issued_on = dt.date.fromisoformat(values["issued_on"])
        if issued_on > timezone.localdate():
            error("issued_on", "import.future_date", "the issue date is in the future")
    except ValueError:
        error("issued_on", "import.bad_date", f"{values['issued_on']!r} is not a date (YYYY-MM-DD)")
    destination = country_code(values["destination"])
    if destination is None or destination not in lookups.countries:
        error(
            "destination",
            "country.unknown",
            f"{values['destination']!r} is not an ISO 3166-1 code or a country name that resolves to one",
        )
    entry = lookups.control_entry(values["control_entry"])
    if entry is None:
        error(
            "control_entry",
            "control_entry.unknown",
            f"{values['control_entry']!r} is not in the reference control list",
        )
    quantity = None
    if values["quantity"]:
        try:
            quantity = int(values["quantity"])
            if not 0 <= quantity <= MAX_QUANTITY:
                raise ValueError
        except ValueError:
            error("quantity", "import.bad_quantity", "a whole number, not negative, or empty for a value-only line")
    value = Decimal(0)
    try:
        value = Decimal(values["value"].replace(",", "") or "0")
        if not value.is_finite() or value < 0 or value > MAX_VALUE or value.as_tuple().exponent < -2:  # type: ignore[operator]
            raise InvalidOperation
    except InvalidOperation:
        error("value", "import.bad_value", "an amount, not negative, with at most two decimals")
    currency = ""
    try:
        currency = lookups.currency(values["currency"])
    except DomainError as exc:
        error("currency", exc.code, exc.message)
    status = values["status"].lower()
    if status not in LegacyOutcome.values:
        error("status", "import.bad_status", "issued or refused")
    criteria_text = (record.get("refusal_criteria") or "").strip()
    criteria = _criteria(criteria_text)
    if criteria is None:
        error(
            "refusal_criteria",
            "import.bad_refusal_criteria",
            f"{criteria_text!r}: criterion numbers 1 to 8 separated by ';'",
        )
    elif criteria and status != LegacyOutcome.REFUSED:
        error("refusal_criteria", "import.criteria_on_issued", "refusal criteria belong to refused licences only")
    if len(errors) > before or issued_on is None or destination is None or entry is None or criteria is None:
        return None
    return _Row(
        line=line,
        number=number,
        issued_on=issued_on,
        exporter_key=_name_key(values["exporter"]),
        destination=destination,
        entry_id=entry[0],
        description=entry[1][:300],
        quantity=quantity,
        value=value,
        currency=currency,
        status=status,
        criteria=criteria,
    )


def _disagreement(first: _Row, row: _Row) -> str | None:
    for column, attribute in (
        ("issued_on", "issued_on"),
        ("exporter", "exporter_key"),
        ("destination", "destination"),
        ("status", "status"),
    ):
        if getattr(first, attribute) != getattr(row, attribute):
            return column
    return None


def _existing_numbers(numbers: Iterable[str]) -> set[str]:
    wanted = list(numbers)
    found: set[str] = set()
    for start in range(0, len(wanted), 900):  # under SQLite's parameter limit
        found.update(Licence.objects.filter(number__in=wanted[start : start + 900]).values_list("number", flat=True))
    return found


def _resolve_exporters(
    groups: dict[str, list[_Row]], raw_names: dict[str, str], lookups: _Lookups
) -> tuple[dict[str, Any], dict[str, str]]:
    """Map each exporter key to an organisation id (existing) or to None (to be created), and report names that
    belong to an organisation that is not an exporter."""
    keys = {rows[0].exporter_key for rows in groups.values()}
    resolved: dict[str, Any] = {}
    refused: dict[str, str] = {}
    pending = []
    for key in keys:
        by_number = lookups.exporters.get(raw_names[key].upper())
        if by_number is not None:
            resolved[key] = by_number
        else:
            pending.append(key)
    if pending:
        legacy_numbers = {legacy_exporter_registration(raw_names[key]): key for key in pending}
        for pk, number in Organisation.objects.filter(
            kind=OrganisationKind.EXPORTER, registration_number__in=list(legacy_numbers)
        ).values_list("id", "registration_number"):
            resolved[legacy_numbers[number]] = pk
        for key in pending:
            if key in resolved:
                continue
            organisation = Organisation.objects.filter(name__iexact=raw_names[key]).first()
            if organisation is None:
                resolved[key] = None
            elif organisation.kind == OrganisationKind.EXPORTER:
                resolved[key] = organisation.pk
            else:
                refused[key] = f"{organisation.name!r} is registered, but not as an exporter"
    return resolved, refused


def import_legacy_licences(
    stream: IO[str] | str, *, actor: User | None = None, partial: bool = False, source_name: str = ""
) -> LegacyImportResult:
    """Validate every row, then (if all are good, or `partial`) write the good licences. See the module text."""
    text = stream if isinstance(stream, str) else stream.read()
    result = LegacyImportResult()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in (reader.fieldnames or [])]
    if not header:
        result.errors.append(RowError(1, "", "import.empty", "the file is empty or has no header row"))
        return result
    if tuple(name for name in header if name not in OPTIONAL_COLUMNS) != COLUMNS or len(set(header)) != len(header):
        missing = [name for name in COLUMNS if name not in header]
        unknown = [name for name in header if name not in COLUMNS + OPTIONAL_COLUMNS]
        for name in missing:
            result.errors.append(RowError(1, name, "import.missing_column", f"required column {name!r} is missing"))
        for name in unknown:
            result.errors.append(RowError(1, name, "import.unknown_column", f"unknown column {name!r}"))
        if not missing and not unknown:
            result.errors.append(
                RowError(
                    1,
                    "",
                    "import.bad_header",
                    f"the header must be exactly: {','.join(COLUMNS)} (optionally with refusal_criteria)",
                )
            )
        return result
    reader.fieldnames = header
    lookups = _Lookups()
    groups: dict[str, list[_Row]] = {}
    raw_names: dict[str, str] = {}
    bad_numbers: set[str] = set()
    row_numbers: dict[str, int] = {}  # rows per licence number (good and bad)
    for line, record in enumerate(reader, start=2):
        result.rows += 1
        number = (record.get("licence_number") or "").strip().upper()
        row_numbers[number] = row_numbers.get(number, 0) + 1
        if None in record:
            result.errors.append(RowError(line, "", "import.extra_cells", "the row has more cells than the header"))
            bad_numbers.add(number)
            continue
        row = _validate_row(line, record, lookups, result.errors)
        if row is None:
            bad_numbers.add(number)
            continue
        group = groups.setdefault(row.number, [])
        if group:
            column = _disagreement(group[0], row)
            if column is not None:
                result.errors.append(
                    RowError(
                        line,
                        column,
                        "import.licence_rows_disagree",
                        f"licence {row.number}: {column} differs from its first row (line {group[0].line})",
                    )
                )
                bad_numbers.add(row.number)
                continue
        else:
            raw_names.setdefault(row.exporter_key, " ".join(record["exporter"].split()))
        group.append(row)
    resolved, refused = _resolve_exporters(groups, raw_names, lookups)
    for number, rows in groups.items():
        if rows[0].exporter_key in refused:
            result.errors.append(
                RowError(rows[0].line, "exporter", "import.not_an_exporter", refused[rows[0].exporter_key])
            )
            bad_numbers.add(number)
    result.rejected_licences = len(bad_numbers)
    result.rejected = sum(row_numbers[number] for number in bad_numbers)
    good = {number: rows for number, rows in groups.items() if number not in bad_numbers}
    existing = _existing_numbers(good)
    result.licences_unchanged = len(existing)
    if result.errors and not partial:
        return result
    new = {number: rows for number, rows in good.items() if number not in existing}
    with transaction.atomic():
        for key, pk in list(resolved.items()):
            if pk is None and any(rows[0].exporter_key == key for rows in new.values()):
                organisation = organisation_create(
                    actor=None,
                    kind=OrganisationKind.EXPORTER,
                    name=raw_names[key],
                    registration_number=legacy_exporter_registration(raw_names[key]),
                )
                resolved[key] = organisation.pk
                result.exporters_created += 1
        licences: list[Licence] = []
        lines: list[LicenceLine] = []
        criteria: list[RefusalCriterion] = []
        for number, rows in new.items():
            first = rows[0]
            licence = Licence(
                number=number,
                holder_id=resolved[first.exporter_key],
                source=LicenceSource.LEGACY,
                legacy_outcome=first.status,
                status=LicenceStatus.HISTORICAL,
                destination_id=lookups.countries[first.destination],
                issued_on=first.issued_on,
                valid_from=first.issued_on,
                valid_until=None,
            )
            licences.append(licence)
            cited = frozenset().union(*(row.criteria for row in rows))
            criteria += [RefusalCriterion(licence=licence, criterion=number) for number in sorted(cited)]
            for index, row in enumerate(rows, start=1):
                lines.append(
                    LicenceLine(
                        licence=licence,
                        line_number=index,
                        description=row.description,
                        control_entry_id=row.entry_id,
                        quantity=row.quantity,
                        value=row.value,
                        currency=row.currency,
                    )
                )
        Licence.objects.bulk_create(licences, batch_size=BATCH_SIZE)
        LicenceLine.objects.bulk_create(lines, batch_size=BATCH_SIZE)
        RefusalCriterion.objects.bulk_create(criteria, batch_size=BATCH_SIZE)
        result.licences_created = len(licences)
        result.lines = len(lines)
        audit_record(
            actor=actor,
            verb=AuditVerb.LICENCES_LEGACY_IMPORTED,
            target=None,
            payload={
                "source": source_name,
                "rows": result.rows,
                "licences_created": result.licences_created,
                "licences_unchanged": result.licences_unchanged,
                "lines": result.lines,
                "refusal_criteria": len(criteria),
                "rejected_rows": result.rejected,
                "rejected_licences": result.rejected_licences,
                "exporters_created": result.exporters_created,
                "partial": partial,
            },
            system_label=SYSTEM_LABEL,
        )
    result.written = result.licences_created > 0
    return result
