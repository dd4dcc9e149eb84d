"""EU consolidated financial sanctions list (FSF), XML export (namespace http://eu.europa.ec/fpi/fsd/export)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..enums import EntryKind, NameQuality
from .base import ImportRefused, ParsedEntry, ParseResult, children, identifier_type, iter_xml, local, parse_date, text

KINDS = {"person": EntryKind.PERSON, "enterprise": EntryKind.ORGANISATION}


def parse(paths: list[Path], result: ParseResult) -> Iterator[ParsedEntry]:
    for path in paths:
        for event, _, element in iter_xml(path, {"sanctionEntity"}):
            if event == "root":
                if local(element.tag) != "export":
                    raise ImportRefused(f"{path.name}: not an EU FSF export (root <{local(element.tag)}>)")
                result.published_on = parse_date(element.get("generationDate", ""))
                continue
            yield _entry(element)


def _entry(element) -> ParsedEntry:
    logical_id = element.get("logicalId", "")
    aliases = children(element, "nameAlias")
    names = [alias.get("wholeName", "").strip() for alias in aliases if alias.get("wholeName", "").strip()]
    if not logical_id or not names:
        raise ImportRefused(f"EU sanctionEntity without logicalId or name (logicalId {logical_id!r})")
    subject = next(iter(children(element, "subjectType")), None)
    regulations = children(element, "regulation")
    listed = sorted(filter(None, (parse_date(r.get("publicationDate", "")) for r in regulations)))
    entry = ParsedEntry(
        source_id=logical_id,
        kind=KINDS.get(subject.get("code", "") if subject is not None else "", EntryKind.UNKNOWN),
        primary_name=names[0],
        programme=", ".join(sorted({r.get("programme", "") for r in regulations if r.get("programme")})),
        listed_on=listed[0] if listed else None,
        remarks=" ".join(text(remark) for remark in children(element, "remark")),
        source_url=next((text(url) for r in regulations for url in children(r, "publicationUrl")), ""),
    )
    for alias in aliases[1:]:
        quality = NameQuality.WEAK if alias.get("strong", "true") == "false" else NameQuality.STRONG
        entry.add_name(alias.get("wholeName", ""), quality)
    for tag in ("citizenship", "address"):
        for item in children(element, tag):
            entry.add_country(item.get("countryIso2Code", "") or item.get("countryDescription", ""))
    for birth in children(element, "birthdate"):
        if birth.get("birthdate"):
            entry.add_birth_date(birth.get("birthdate", "")[:10])
        elif birth.get("year"):
            entry.add_birth_date(birth.get("year", ""))
    for ident in children(element, "identification"):
        label = ident.get("identificationTypeCode", "") + " " + ident.get("identificationTypeDescription", "")
        entry.add_identifier(identifier_type(label), ident.get("number", ""), ident.get("countryIso2Code", ""))
    return entry
