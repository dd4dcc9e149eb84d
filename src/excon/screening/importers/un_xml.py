"""UN Security Council consolidated list, XML (https://scsanctions.un.org/resources/xml/en/consolidated.xml)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..enums import EntryKind, NameQuality
from .base import ImportRefused, ParsedEntry, ParseResult, child, children, identifier_type, iter_xml, parse_date, text

NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


def parse(paths: list[Path], result: ParseResult) -> Iterator[ParsedEntry]:
    for path in paths:
        seen_root = False
        for event, _, element in iter_xml(path, {"INDIVIDUAL", "ENTITY"}):
            if event == "root":
                if element.tag != "CONSOLIDATED_LIST":
                    raise ImportRefused(f"{path.name}: not a UN consolidated list (root <{element.tag}>)")
                seen_root = True
                result.published_on = parse_date(element.get("dateGenerated", ""))
                continue
            yield _entry(element)
        if not seen_root:  # pragma: no cover - iter_xml raises on an empty file
            raise ImportRefused(f"{path.name}: empty file")


def _entry(element) -> ParsedEntry:
    is_person = element.tag == "INDIVIDUAL"
    name = " ".join(part for part in (text(element, tag) for tag in NAME_PARTS) if part)
    reference = text(element, "REFERENCE_NUMBER") or text(element, "DATAID")
    if not name or not reference:
        raise ImportRefused(f"UN record without a name or reference (DATAID {text(element, 'DATAID')!r})")
    entry = ParsedEntry(
        source_id=reference,
        kind=EntryKind.PERSON if is_person else EntryKind.ORGANISATION,
        primary_name=name,
        programme=text(element, "UN_LIST_TYPE"),
        listed_on=parse_date(text(element, "LISTED_ON")),
        remarks=text(element, "COMMENTS1"),
        source_url="https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list",
    )
    original = text(element, "NAME_ORIGINAL_SCRIPT")
    if original:
        entry.add_name(original)
    for alias in children(element, "INDIVIDUAL_ALIAS" if is_person else "ENTITY_ALIAS"):
        quality = text(alias, "QUALITY").lower()
        entry.add_name(text(alias, "ALIAS_NAME"), NameQuality.WEAK if quality == "low" else NameQuality.STRONG)
    for tag in ("NATIONALITY", "CITIZENSHIP"):
        node = child(element, tag)
        if node is not None:
            for value in children(node, "VALUE"):
                entry.add_country(text(value))
    for address in children(element, "INDIVIDUAL_ADDRESS" if is_person else "ENTITY_ADDRESS"):
        entry.add_country(text(address, "COUNTRY"))
    for birth in children(element, "INDIVIDUAL_DATE_OF_BIRTH"):
        if text(birth, "DATE"):
            entry.add_birth_date(text(birth, "DATE")[:10])
        elif text(birth, "YEAR"):
            entry.add_birth_date(text(birth, "YEAR"))
        elif text(birth, "FROM_YEAR"):
            for year in range(
                int(text(birth, "FROM_YEAR")), int(text(birth, "TO_YEAR") or text(birth, "FROM_YEAR")) + 1
            ):
                entry.add_birth_date(str(year))
    for document in children(element, "INDIVIDUAL_DOCUMENT"):
        number = text(document, "NUMBER")
        if number:
            entry.add_identifier(
                identifier_type(text(document, "TYPE_OF_DOCUMENT")),
                number,
                text(document, "ISSUING_COUNTRY") or text(document, "COUNTRY_OF_ISSUE"),
            )
    return entry
