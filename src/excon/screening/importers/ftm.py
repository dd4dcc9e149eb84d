"""OpenSanctions / FollowTheMoney entities, JSON lines (one entity per line: id, schema, properties)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..enums import EntryKind, IdentifierType, NameQuality
from .base import ImportRefused, ParsedEntry, ParseResult, parse_date

KINDS = {
    "Person": EntryKind.PERSON,
    "Company": EntryKind.ORGANISATION,
    "Organization": EntryKind.ORGANISATION,
    "LegalEntity": EntryKind.ORGANISATION,
    "PublicBody": EntryKind.ORGANISATION,
    "Vessel": EntryKind.VESSEL,
    "Airplane": EntryKind.AIRCRAFT,
}
IDENTIFIERS = {
    "passportNumber": IdentifierType.PASSPORT,
    "idNumber": IdentifierType.NATIONAL_ID,
    "innCode": IdentifierType.TAX_ID,
    "taxNumber": IdentifierType.TAX_ID,
    "vatCode": IdentifierType.TAX_ID,
    "ogrnCode": IdentifierType.REGISTRATION,
    "registrationNumber": IdentifierType.REGISTRATION,
    "leiCode": IdentifierType.REGISTRATION,
    "imoNumber": IdentifierType.IMO,
    "mmsi": IdentifierType.MMSI,
    "swiftBic": IdentifierType.SWIFT,
}


def parse(paths: list[Path], result: ParseResult) -> Iterator[ParsedEntry]:
    entries: dict[str, ParsedEntry] = {}
    programmes: dict[str, list[str]] = {}
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                    schema, props = data["schema"], data.get("properties") or {}
                    entity_id = data["id"]
                except (json.JSONDecodeError, KeyError, TypeError) as exc:
                    raise ImportRefused(
                        f"{path.name}: line {number} is not a FollowTheMoney entity ({exc})",
                        details={"file": path.name, "line": number},
                    ) from exc
                if schema == "Sanction":
                    for target in props.get("entity", []):
                        programmes.setdefault(target, []).extend(props.get("program", []) or props.get("authority", []))
                    continue
                if schema in KINDS:
                    entries[entity_id] = _entry(entity_id, schema, props, data)
    if not entries:
        raise ImportRefused("no screenable entities (Person, Company, Organization, Vessel …) in the file")
    for entity_id, entry in entries.items():
        entry.programme = ", ".join(sorted(set(programmes.get(entity_id, []))))[:500]
        yield entry


def _entry(entity_id: str, schema: str, props: dict[str, list[str]], data: dict[str, Any]) -> ParsedEntry:
    names = props.get("name") or [data.get("caption", "")]
    primary = data.get("caption") or names[0]
    if not primary:
        raise ImportRefused(f"entity {entity_id} has no name")
    entry = ParsedEntry(
        source_id=entity_id,
        kind=KINDS[schema],
        primary_name=primary,
        listed_on=parse_date((data.get("first_seen") or "")[:10]),
        remarks=" ".join(props.get("notes", []))[:4000],
        source_url=(props.get("sourceUrl") or [""])[0][:500],
    )
    for key in ("name", "alias", "previousName"):
        for name in props.get(key, []):
            entry.add_name(name)
    for name in props.get("weakAlias", []):
        entry.add_name(name, NameQuality.WEAK)
    for key in ("nationality", "citizenship", "country", "jurisdiction", "flag"):
        for value in props.get(key, []):
            entry.add_country(value)
    for value in props.get("birthDate", []) + props.get("buildDate", []):
        entry.add_birth_date(value[:10])
    for key, kind in IDENTIFIERS.items():
        for value in props.get(key, []):
            entry.add_identifier(kind, value)
    return entry
