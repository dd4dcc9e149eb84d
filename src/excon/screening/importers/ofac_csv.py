"""OFAC SDN list in the legacy CSV trio: sdn.csv (entries), alt.csv (aliases), add.csv (addresses).

No header; latin-1 (older files) or UTF-8; '-0-' means empty; a Ctrl-Z byte may end the file. Dates of birth,
nationalities and document numbers are inside the Remarks column ('DOB 10 Mar 1965; nationality Iran; Passport
X123 (Iran)'). Files are told apart by their column count (12, 5, 6)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from ..enums import EntryKind, NameQuality
from .base import ImportRefused, ParsedEntry, ParseResult, identifier_type

SDN_COLUMNS, ALT_COLUMNS, ADD_COLUMNS = 12, 5, 6
KINDS = {
    "individual": EntryKind.PERSON,
    "vessel": EntryKind.VESSEL,
    "aircraft": EntryKind.AIRCRAFT,
    "": EntryKind.ORGANISATION,
}
_DOB = re.compile(r"^(?:alt\. )?DOB (?:circa )?(.+)$", re.I)
_DOC = re.compile(
    r"^(?:alt\. )?(Passport|National ID No\.|Cedula No\.|Tax ID No\.|Registration Number|Registration ID|"
    r"Business Registration Number|Company Number|Identification Number|Vessel Registration Identification|"
    r"Aircraft Tail Number|MMSI|SWIFT/BIC|RFC|C\.U\.R\.P\.|NIT #|D\.N\.I\.|Commercial Registry Number)\s+(.+)$",
    re.I,
)
_COUNTRY_REMARK = re.compile(r"^(?:alt\. )?(nationality|citizen)\s+(.+)$", re.I)
_MONTHS = {
    month: number
    for number, month in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}


def _value(cell: str) -> str:
    cell = (cell or "").strip()
    return "" if cell == "-0-" else cell


def _rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes().rstrip(b"\x1a\r\n \t")
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        decoded = raw.decode("latin-1")
    try:
        return [row for row in csv.reader(io.StringIO(decoded, newline=""), strict=True) if row]
    except csv.Error as exc:
        raise ImportRefused(f"{path.name}: malformed CSV ({exc})") from exc


def _dob(value: str) -> list[str]:
    """'10 Mar 1965' → ['1965-03-10']; '1965' → ['1965']; '1960 to 1962' → the years; 'Mar 1965' → ['1965-03']."""
    value = value.strip().rstrip(".")
    years = re.match(r"^(\d{4}) to (\d{4})$", value)
    if years:
        return [str(y) for y in range(int(years.group(1)), int(years.group(2)) + 1)][:10]
    full = re.match(r"^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})$", value)
    if full and full.group(2).lower() in _MONTHS:
        return [f"{full.group(3)}-{_MONTHS[full.group(2).lower()]:02d}-{int(full.group(1)):02d}"]
    month = re.match(r"^([A-Za-z]{3})[a-z]* (\d{4})$", value)
    if month and month.group(1).lower() in _MONTHS:
        return [f"{month.group(2)}-{_MONTHS[month.group(1).lower()]:02d}"]
    year = re.match(r"^(\d{4})$", value)
    return [year.group(1)] if year else []


def apply_remarks(entry: ParsedEntry, remarks: str) -> None:
    for part in remarks.split(";"):
        part = part.strip().rstrip(".")
        if not part:
            continue
        if match := _DOB.match(part):
            for date in _dob(match.group(1)):
                entry.add_birth_date(date)
        elif match := _COUNTRY_REMARK.match(part):
            entry.add_country(match.group(2))
        elif match := _DOC.match(part):
            label, rest = match.group(1), match.group(2)
            country = ""
            paren = re.search(r"\(([^)]+)\)", rest)
            if paren:
                country = paren.group(1)
                rest = rest[: paren.start()]
            rest = rest.replace("IMO ", "").strip()
            kind = identifier_type("imo" if "IMO" in match.group(0) else label)
            entry.add_identifier(kind, rest.split(" expires")[0].strip(), country)
        elif part.lower().startswith(("a.k.a. ", "f.k.a. ", "n.k.a. ")):
            entry.add_name(part[7:].strip(" '\""), NameQuality.WEAK)


def parse(paths: list[Path], result: ParseResult) -> Iterator[ParsedEntry]:
    tables: dict[int, list[list[str]]] = {SDN_COLUMNS: [], ALT_COLUMNS: [], ADD_COLUMNS: []}
    for path in paths:
        rows = _rows(path)
        if not rows:
            raise ImportRefused(f"{path.name}: empty file")
        width = len(rows[0])
        if width not in tables:
            raise ImportRefused(f"{path.name}: {width} columns; expected OFAC sdn (12), alt (5) or add (6) CSV")
        for number, row in enumerate(rows, start=1):
            if len(row) != width:
                raise ImportRefused(
                    f"{path.name}: line {number} has {len(row)} columns instead of {width} (truncated or malformed)",
                    details={"file": path.name, "line": number},
                )
        tables[width].extend(rows)
    if not tables[SDN_COLUMNS]:
        raise ImportRefused("no sdn.csv among the files: the entries file is required")
    entries: dict[str, ParsedEntry] = {}
    for row in tables[SDN_COLUMNS]:
        ent_num, name, sdn_type, programme = (_value(cell) for cell in row[:4])
        if not ent_num.isdigit() or not name:
            raise ImportRefused(f"sdn.csv: bad entry number or empty name in {row[:2]!r}")
        remarks = _value(row[11])
        entry = ParsedEntry(
            source_id=ent_num,
            kind=KINDS.get(sdn_type.lower(), EntryKind.UNKNOWN),
            primary_name=name,
            programme=programme.replace("] [", ", ").strip("[]"),
            remarks=remarks,
            source_url=f"https://sanctionssearch.ofac.treas.gov/Details.aspx?id={ent_num}",
        )
        if entry.kind == EntryKind.VESSEL and _value(row[9]):
            entry.add_country(_value(row[9]))
        if _value(row[5]):
            entry.add_identifier("other", _value(row[5]))  # call sign
        apply_remarks(entry, remarks)
        entries[ent_num] = entry
    for row in tables[ALT_COLUMNS]:
        aliased = entries.get(_value(row[0]))
        if aliased is not None:
            aliased.add_name(_value(row[3]), NameQuality.STRONG)
    for row in tables[ADD_COLUMNS]:
        located = entries.get(_value(row[0]))
        if located is not None and _value(row[4]):
            located.add_country(_value(row[4]))
    yield from entries.values()
