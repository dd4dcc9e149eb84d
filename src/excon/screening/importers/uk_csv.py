"""UK sanctions list, OFSI consolidated list CSV (ConList.csv): a 'Last Updated' line, a header row, then one row
per name, the names of one designation sharing a Group ID."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from ..enums import EntryKind, NameQuality
from .base import ImportRefused, ParsedEntry, ParseResult, parse_date

REQUIRED = {"Name 6", "Group ID", "Group Type"}
KINDS = {"individual": EntryKind.PERSON, "entity": EntryKind.ORGANISATION, "ship": EntryKind.VESSEL}


def _dob(value: str) -> str:
    """'dd/mm/yyyy' with 00 for unknown parts → '1960-05-01', '1960-05' or '1960'."""
    parts = value.strip().split("/")
    if len(parts) != 3 or not parts[2].isdigit() or parts[2] == "0000":
        return ""
    day, month, year = parts
    if month in {"00", "0"}:
        return year
    if day in {"00", "0"}:
        return f"{year}-{int(month):02d}"
    return f"{year}-{int(month):02d}-{int(day):02d}"


def parse(paths: list[Path], result: ParseResult) -> Iterator[ParsedEntry]:
    entries: dict[str, ParsedEntry] = {}
    for path in paths:
        raw = path.read_bytes()
        try:
            decoded = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            decoded = raw.decode("latin-1")
        lines = io.StringIO(decoded, newline="")
        first = lines.readline()
        if first.lower().startswith("last updated"):
            result.published_on = parse_date(first.split(",", 1)[1].strip().strip('"'))
        else:
            lines.seek(0)
        reader = csv.DictReader(lines, strict=True)
        missing = REQUIRED - set(reader.fieldnames or [])
        if missing:
            raise ImportRefused(f"{path.name}: not an OFSI ConList CSV (missing columns {sorted(missing)})")
        try:
            for number, row in enumerate(reader, start=3):
                if None in row or any(value is None for value in row.values()):
                    raise ImportRefused(f"{path.name}: line {number} has the wrong number of cells (truncated?)")
                _add_row(entries, row)
        except csv.Error as exc:
            raise ImportRefused(f"{path.name}: malformed CSV ({exc})") from exc
    if not entries:
        raise ImportRefused("no designations in the file")
    yield from entries.values()


def _add_row(entries: dict[str, ParsedEntry], row: dict[str, str]) -> None:
    group = row["Group ID"].strip()
    given = [row.get(f"Name {n}", "").strip() for n in range(1, 6)]
    name = " ".join(part for part in [*given, row["Name 6"].strip()] if part)
    if not group or not name:
        raise ImportRefused(f"row without a Group ID or name: {group!r}")
    entry = entries.get(group)
    is_primary = row.get("Alias Type", "").strip().lower() == "primary name"
    if entry is None:
        entry = ParsedEntry(
            source_id=group,
            kind=KINDS.get(row["Group Type"].strip().lower(), EntryKind.UNKNOWN),
            primary_name=name,
            programme=row.get("Regime", "").strip(),
            listed_on=parse_date(row.get("Listed On", "")),
            remarks=row.get("Other Information", "").strip(),
            source_url="https://www.gov.uk/government/publications/the-uk-sanctions-list",
        )
        entries[group] = entry
    elif is_primary and entry.primary_name != name:
        entry.add_name(entry.primary_name)
        entry.names = [(n, q) for n, q in entry.names if n != name]
        entry.primary_name = name
    else:
        low = row.get("Alias Quality", "").strip().lower() == "low"
        entry.add_name(name, NameQuality.WEAK if low else NameQuality.STRONG)
    entry.add_name(row.get("Name Non-Latin Script", ""))
    for column in ("Nationality", "Country", "Country of Birth"):
        for value in (row.get(column) or "").split(","):
            entry.add_country(value.strip().lstrip("(1234567890) "))
    if row.get("DOB"):
        dob = _dob(row["DOB"])
        if dob:
            entry.add_birth_date(dob)
    if (row.get("Passport Number") or "").strip():
        entry.add_identifier("passport", row["Passport Number"])
    if (row.get("National Identification Number") or "").strip():
        entry.add_identifier("national_id", row["National Identification Number"])
