"""Load the reference data shipped in `data/` (and countries from pycountry) into the database.

Idempotent: a second run creates and changes nothing. Countries, control-list entries and HS codes follow the
shipped files (rows are created or updated). Seeded embargoes and destination groups are created only when their
seed_key is missing: the authority maintains them afterwards and a re-load never overwrites its edits."""

from __future__ import annotations

import csv
import datetime
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry
from django.db import transaction

from excon.audit.services import audit_record

from .enums import AttCategory, AuditVerb, EmbargoAuthority, EmbargoScope, EmbargoTarget, Regime, UnrocaCategory
from .models import ArmsEmbargo, ControlListEntry, Country, DestinationGroup, HsCode

DATA_DIR = Path(__file__).resolve().parent / "data"
SYSTEM_LABEL = "system:load-refdata"
CONTROL_LIST_FILES = (
    ("control_list_eu_military.csv", Regime.EU_MILITARY),
    ("control_list_dual_use.csv", Regime.DUAL_USE),
    ("control_list_national.csv", Regime.NATIONAL),
)
KINDS = ("countries", "control_entries", "hs_codes", "destination_groups", "embargoes")


class RefdataFileError(Exception):
    """A shipped data file is missing or malformed. The message names the file and the row."""


@dataclass
class KindCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class LoadReport:
    counts: dict[str, KindCounts] = field(default_factory=lambda: {kind: KindCounts() for kind in KINDS})

    @property
    def changed(self) -> bool:
        return any(counts.created or counts.updated for counts in self.counts.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {kind: counts.as_dict() for kind, counts in self.counts.items()}

    def lines(self) -> list[str]:
        return [
            f"{kind.replace('_', ' ')}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged"
            for kind, c in self.counts.items()
        ]


# Reading files ------------------------------------------------------------------------------------------------


def _csv_rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [column for column in required if column not in (reader.fieldnames or [])]
            if missing:
                raise RefdataFileError(f"{path.name}: missing columns {', '.join(missing)}")
            for line, row in enumerate(reader, start=2):
                if None in row or any(value is None for value in row.values()):
                    raise RefdataFileError(f"{path.name}, line {line}: wrong number of fields")
                yield line, {key: value.strip() for key, value in row.items()}
    except FileNotFoundError as exc:
        raise RefdataFileError(f"{path.name}: file not found in {path.parent}") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise RefdataFileError(f"{path.name}: not a readable UTF-8 CSV file ({exc})") from exc


def _json(path: Path, key: str) -> list[dict[str, Any]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RefdataFileError(f"{path.name}: file not found in {path.parent}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RefdataFileError(f"{path.name}: not valid JSON ({exc})") from exc
    items = document.get(key) if isinstance(document, dict) else None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise RefdataFileError(f"{path.name}: expected an object with a list {key!r} of objects")
    return items


def _split_categories(value: str, choices: Any, where: str) -> list[str]:
    items = [item.strip() for item in value.split("|") if item.strip()]
    unknown = [item for item in items if item not in choices.values]
    if unknown:
        raise RefdataFileError(f"{where}: unknown categories {', '.join(unknown)}")
    return items


def _date(value: Any, where: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as exc:
        raise RefdataFileError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from exc


def _sync(model: Any, key: str, wanted: dict[str, dict[str, Any]], counts: KindCounts) -> dict[str, Any]:
    """Create missing rows and update changed ones, in bulk. Returns every row by key."""
    existing = {getattr(obj, key): obj for obj in model.objects.all()}
    to_create, to_update, changed_fields = [], [], set()
    for code, values in wanted.items():
        obj = existing.get(code)
        if obj is None:
            obj = model(**{key: code}, **values)
            to_create.append(obj)
            existing[code] = obj
            continue
        differing = [name for name, value in values.items() if getattr(obj, name) != value]
        if differing:
            for name in differing:
                setattr(obj, name, values[name])
            changed_fields.update(differing)
            to_update.append(obj)
        else:
            counts.unchanged += 1
    if to_create:
        model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields | {"updated_at"}), batch_size=500)
    counts.created += len(to_create)
    counts.updated += len(to_update)
    return existing


# The kinds ----------------------------------------------------------------------------------------------------


def _load_countries(report: LoadReport) -> dict[str, Country]:
    wanted: dict[str, dict[str, Any]] = {}
    for record in pycountry.countries:
        name = getattr(record, "common_name", None) or record.name
        wanted[record.alpha_2] = {
            "iso3": record.alpha_3,
            "numeric": record.numeric,
            "name": name,
            "official_name": getattr(record, "official_name", "") or "",
        }
    return _sync(Country, "iso2", wanted, report.counts["countries"])


def _load_control_entries(data_dir: Path, report: LoadReport) -> dict[str, ControlListEntry]:
    rows: list[tuple[str, dict[str, Any], str]] = []
    seen: set[str] = set()
    order = 0
    for filename, regime in CONTROL_LIST_FILES:
        path = data_dir / filename
        for line, row in _csv_rows(path, ("code", "parent_code", "title", "description")):
            where = f"{filename}, line {line}"
            code = row["code"]
            if not code or not row["title"]:
                raise RefdataFileError(f"{where}: code and title are required")
            if code in seen:
                raise RefdataFileError(f"{where}: duplicate code {code}")
            if row["parent_code"] and row["parent_code"] not in seen:
                raise RefdataFileError(f"{where}: parent {row['parent_code']} must come earlier in the file")
            seen.add(code)
            order += 10
            values = {
                "regime": regime,
                "title": row["title"],
                "description": row["description"],
                "att_categories": _split_categories(row.get("att_categories", ""), AttCategory, where),
                "unroca_categories": _split_categories(row.get("unroca_categories", ""), UnrocaCategory, where),
                "sort_order": order,
                "active": True,
            }
            rows.append((code, values, row["parent_code"]))
    # Primary keys are known before insertion (existing ones from the table, new ones generated here), so each row
    # names its parent directly and one bulk insert creates parents and children together.
    ids = dict(ControlListEntry.objects.values_list("code", "id"))
    for code, _, _ in rows:
        ids.setdefault(code, uuid.uuid4())
    wanted = {
        code: {"id": ids[code], "parent_id": ids[parent_code] if parent_code else None, **values}
        for code, values, parent_code in rows
    }
    return _sync(ControlListEntry, "code", wanted, report.counts["control_entries"])


def _load_hs_codes(data_dir: Path, report: LoadReport) -> None:
    wanted: dict[str, dict[str, Any]] = {}
    for line, row in _csv_rows(data_dir / "hs_codes.csv", ("code", "description", "parent_code", "level")):
        where = f"hs_codes.csv, line {line}"
        code = row["code"]
        if not code.isdigit() or len(code) not in (2, 4, 6):
            raise RefdataFileError(f"{where}: {code!r} is not a 2, 4 or 6-digit HS code")
        if row["level"] != str(len(code)):
            raise RefdataFileError(f"{where}: level {row['level']!r} does not match code {code}")
        wanted[code] = {"description": row["description"], "parent_code": row["parent_code"], "level": len(code)}
    _sync(HsCode, "code", wanted, report.counts["hs_codes"])


def _load_destination_groups(data_dir: Path, report: LoadReport, countries: dict[str, Country]) -> None:
    counts = report.counts["destination_groups"]
    existing_seeds = set(DestinationGroup.objects.exclude(seed_key="").values_list("seed_key", flat=True))
    existing_codes = set(DestinationGroup.objects.values_list("code", flat=True))
    for index, item in enumerate(_json(data_dir / "destination_groups.json", "groups"), start=1):
        where = f"destination_groups.json, group {index}"
        try:
            seed_key, code, name = str(item["seed_key"]), str(item["code"]), str(item["name"])
            members = [str(iso2).upper() for iso2 in item.get("countries", [])]
        except (KeyError, TypeError) as exc:
            raise RefdataFileError(f"{where}: needs seed_key, code, name and countries") from exc
        unknown = [iso2 for iso2 in members if iso2 not in countries]
        if unknown:
            raise RefdataFileError(f"{where}: unknown countries {', '.join(unknown)}")
        if seed_key in existing_seeds or code in existing_codes:
            # The authority owns it now (or made its own group with this code): leave it alone.
            counts.unchanged += 1
            continue
        group = DestinationGroup.objects.create(
            code=code, name=name, description=str(item.get("description", "")), seed_key=seed_key
        )
        group.countries.set([countries[iso2] for iso2 in members])
        counts.created += 1


def _load_embargoes(
    data_dir: Path, report: LoadReport, countries: dict[str, Country], entries: dict[str, ControlListEntry]
) -> None:
    counts = report.counts["embargoes"]
    existing = set(ArmsEmbargo.objects.exclude(seed_key="").values_list("seed_key", flat=True))
    new: list[tuple[ArmsEmbargo, list[ControlListEntry]]] = []
    for index, item in enumerate(_json(data_dir / "arms_embargoes.json", "embargoes"), start=1):
        where = f"arms_embargoes.json, embargo {index}"
        try:
            seed_key = str(item["seed_key"])
            iso2 = str(item["country"]).upper()
            legal_reference = str(item["legal_reference"]).strip()
        except KeyError as exc:
            raise RefdataFileError(f"{where}: needs seed_key, country and legal_reference") from exc
        if iso2 not in countries:
            raise RefdataFileError(f"{where}: unknown country {iso2}")
        imposed_by, scope = item.get("imposed_by", ""), item.get("scope", EmbargoScope.FULL)
        applies_to = item.get("applies_to", EmbargoTarget.ALL)
        if imposed_by not in EmbargoAuthority.values or scope not in EmbargoScope.values:
            raise RefdataFileError(f"{where}: bad imposed_by {imposed_by!r} or scope {scope!r}")
        if applies_to not in EmbargoTarget.values:
            raise RefdataFileError(f"{where}: bad applies_to {applies_to!r}")
        start = _date(item.get("start_date"), where)
        end = _date(item.get("end_date"), where)
        if start is None or (end is not None and end < start):
            raise RefdataFileError(f"{where}: needs a start_date, not after its end_date")
        codes = [str(code) for code in item.get("control_entries", [])]
        missing = [code for code in codes if code not in entries]
        if missing:
            raise RefdataFileError(f"{where}: unknown control entries {', '.join(missing)}")
        if (scope == EmbargoScope.PARTIAL) != bool(codes):
            raise RefdataFileError(f"{where}: a partial embargo lists control entries, a full one none")
        if seed_key in existing:
            counts.unchanged += 1
            continue
        existing.add(seed_key)
        embargo = ArmsEmbargo(
            seed_key=seed_key,
            country=countries[iso2],
            imposed_by=imposed_by,
            scope=scope,
            applies_to=applies_to,
            start_date=start,
            end_date=end,
            legal_reference=legal_reference,
            notes=str(item.get("notes", "")),
            source_url=str(item.get("source_url", "")),
        )
        new.append((embargo, [entries[code] for code in codes]))
    if new:
        ArmsEmbargo.objects.bulk_create([embargo for embargo, _ in new])
        through = ArmsEmbargo.control_entries.through
        through.objects.bulk_create(
            [
                through(armsembargo_id=embargo.pk, controllistentry_id=entry.pk)
                for embargo, linked in new
                for entry in linked
            ]
        )
    counts.created += len(new)


@transaction.atomic
def load_refdata(data_dir: Path | None = None) -> LoadReport:
    """Load everything; one audit entry summarises a load that changed something. Raises RefdataFileError."""
    data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
    report = LoadReport()
    countries = _load_countries(report)
    entries = _load_control_entries(data_dir, report)
    _load_hs_codes(data_dir, report)
    _load_destination_groups(data_dir, report, countries)
    _load_embargoes(data_dir, report, countries, entries)
    if report.changed:
        audit_record(
            actor=None,
            verb=AuditVerb.REFDATA_LOADED,
            target=None,
            payload={"counts": report.as_dict(), "data_dir": str(data_dir.name)},
            system_label=SYSTEM_LABEL,
        )
    return report
