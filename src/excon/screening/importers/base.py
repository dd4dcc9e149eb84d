"""What every list parser yields (ParsedEntry), the one error they raise (ImportRefused), and safe XML streaming."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse as safe_iterparse

from excon.core.errors import DomainError

from ..enums import EntryKind, IdentifierType, NameQuality
from ..normalise import normalise_country


class ImportRefused(DomainError):
    """The file cannot be imported (malformed, truncated, empty, wrong format); nothing was changed."""

    code = "screening.import_refused"
    http_status = 422


@dataclass
class ParsedEntry:
    source_id: str
    kind: str
    primary_name: str
    names: list[tuple[str, str]] = field(default_factory=list)  # (name, quality) besides the primary name
    programme: str = ""
    listed_on: dt.date | None = None
    remarks: str = ""
    source_url: str = ""
    birth_dates: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    identifiers: list[tuple[str, str, str]] = field(default_factory=list)  # (type, value, country)

    def add_name(self, name: str, quality: str = NameQuality.STRONG) -> None:
        name = " ".join((name or "").split())
        if not name or name == self.primary_name or any(name == known for known, _ in self.names):
            return
        self.names.append((name, quality))

    def add_country(self, value: str) -> None:
        code = normalise_country(value)
        if code and code not in self.countries:
            self.countries.append(code)

    def add_birth_date(self, value: str) -> None:
        value = (value or "").strip()
        if value and value not in self.birth_dates:
            self.birth_dates.append(value)

    def add_identifier(self, kind: str, value: str, country: str = "") -> None:
        value = " ".join((value or "").split())
        if value and (kind, value) not in {(k, v) for k, v, _ in self.identifiers}:
            self.identifiers.append((kind, value, normalise_country(country) if country else ""))

    def content_hash(self) -> str:
        """A hash of everything screening looks at: a changed hash means the entry changed."""
        data = asdict(self)
        data["listed_on"] = self.listed_on.isoformat() if self.listed_on else None
        data["names"] = sorted(data["names"])
        data["birth_dates"] = sorted(data["birth_dates"])
        data["countries"] = sorted(data["countries"])
        data["identifiers"] = sorted(data["identifiers"])
        encoded = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(encoded.encode()).hexdigest()


class ParseResult:
    """Filled by a parser while it streams: the publication date, if the file states one."""

    def __init__(self) -> None:
        self.published_on: dt.date | None = None


def sha256_of(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        file_digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                file_digest.update(block)
        digest.update(file_digest.digest())
    return digest.hexdigest()


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def iter_xml(path: Path, record_tags: set[str]) -> Iterator[tuple[str, ET.Element | None, ET.Element]]:
    """Stream ('start'|'end', parent-root, element) for record elements; DTDs and entities are refused, and the
    caller clears each record after use so memory stays flat. Yields ('root', None, root) first."""
    try:
        root: ET.Element | None = None
        for event, element in safe_iterparse(
            str(path), events=("start", "end"), forbid_dtd=True, forbid_entities=True, forbid_external=True
        ):
            if root is None:
                root = element
                yield "root", None, element
            if event == "end" and local(element.tag) in record_tags:
                yield "record", root, element
                element.clear()
    except DefusedXmlException as exc:
        raise ImportRefused(f"{path.name}: refused unsafe XML ({type(exc).__name__})") from exc
    except ET.ParseError as exc:
        raise ImportRefused(f"{path.name}: malformed or truncated XML ({exc})") from exc


def child(element: ET.Element, name: str) -> ET.Element | None:
    for sub in element:
        if local(sub.tag) == name:
            return sub
    return None


def children(element: ET.Element, name: str) -> list[ET.Element]:
    return [sub for sub in element if local(sub.tag) == name]


def text(element: ET.Element | None, name: str | None = None) -> str:
    if element is None:
        return ""
    target = child(element, name) if name else element
    if target is None or target.text is None:
        return ""
    return " ".join(target.text.split())


def parse_date(value: str) -> dt.date | None:
    value = " ".join((value or "").split())
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if match:
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
    for pattern in ("%d/%m/%Y", "%d %b %Y", "%d-%b-%Y", "%m/%d/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def identifier_type(label: str) -> str:
    label = (label or "").lower()
    if "passport" in label or "pasaporte" in label or "passeport" in label:
        return IdentifierType.PASSPORT
    if "imo" in label:
        return IdentifierType.IMO
    if "mmsi" in label:
        return IdentifierType.MMSI
    if "swift" in label or "bic" in label:
        return IdentifierType.SWIFT
    if "tax" in label or "inn" in label or "vat" in label:
        return IdentifierType.TAX_ID
    if "registration" in label or "ogrn" in label or "company number" in label or "business" in label:
        return IdentifierType.REGISTRATION
    if "aircraft" in label or "tail" in label:
        return IdentifierType.AIRCRAFT_REG
    if "national" in label or "identification" in label or "id" in label.split():
        return IdentifierType.NATIONAL_ID
    return IdentifierType.OTHER


def kind_from(label: str) -> str:
    label = (label or "").lower()
    if label in {"individual", "person", "natural person"} or label.startswith("individ") or label == "p":
        return EntryKind.PERSON
    if label in {"vessel", "ship"}:
        return EntryKind.VESSEL
    if label == "aircraft":
        return EntryKind.AIRCRAFT
    if label in {"entity", "enterprise", "organisation", "organization", "company", "legalentity", "legal entity"}:
        return EntryKind.ORGANISATION
    return EntryKind.UNKNOWN
