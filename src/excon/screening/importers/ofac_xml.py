"""OFAC SDN list, XML (sdn.xml, namespace http://tempuri.org/sdnList.xsd)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from ..enums import EntryKind, IdentifierType, NameQuality
from .base import ImportRefused, ParsedEntry, ParseResult, child, children, identifier_type, iter_xml, local, text
from .ofac_csv import _dob

KINDS = {"individual": EntryKind.PERSON, "entity": EntryKind.ORGANISATION, "vessel": EntryKind.VESSEL}
KINDS["aircraft"] = EntryKind.AIRCRAFT


def _name(element) -> str:
    return " ".join(part for part in (text(element, "firstName"), text(element, "lastName")) if part)


def parse(paths: list[Path], result: ParseResult) -> Iterator[ParsedEntry]:
    for path in paths:
        for event, _, element in iter_xml(path, {"sdnEntry", "publshInformation"}):
            if event == "root":
                if local(element.tag) != "sdnList":
                    raise ImportRefused(f"{path.name}: not an OFAC sdn.xml (root <{local(element.tag)}>)")
                continue
            if local(element.tag) == "publshInformation":
                try:  # OFAC writes MM/DD/YYYY
                    result.published_on = dt.datetime.strptime(text(element, "Publish_Date"), "%m/%d/%Y").date()
                except ValueError:
                    result.published_on = None
                continue
            uid, name = text(element, "uid"), _name(element)
            if not uid or not name:
                raise ImportRefused(f"{path.name}: sdnEntry without uid or name")
            entry = ParsedEntry(
                source_id=uid,
                kind=KINDS.get(text(element, "sdnType").lower(), EntryKind.UNKNOWN),
                primary_name=name,
                programme=", ".join(text(p) for p in children(child(element, "programList") or element, "program")),
                remarks=text(element, "remarks"),
                source_url=f"https://sanctionssearch.ofac.treas.gov/Details.aspx?id={uid}",
            )
            for aka in children(child(element, "akaList") or element, "aka"):
                weak = text(aka, "category").lower() == "weak"
                entry.add_name(_name(aka), NameQuality.WEAK if weak else NameQuality.STRONG)
            for address in children(child(element, "addressList") or element, "address"):
                entry.add_country(text(address, "country"))
            for tag, item_tag in (("nationalityList", "nationality"), ("citizenshipList", "citizenship")):
                for item in children(child(element, tag) or element, item_tag):
                    entry.add_country(text(item, "country"))
            for item in children(child(element, "dateOfBirthList") or element, "dateOfBirthItem"):
                for date in _dob(text(item, "dateOfBirth")):
                    entry.add_birth_date(date)
            for item in children(child(element, "idList") or element, "id"):
                kind, number = identifier_type(text(item, "idType")), text(item, "idNumber")
                if number.upper().startswith("IMO "):
                    kind, number = IdentifierType.IMO, number[4:]
                entry.add_identifier(kind, number, text(item, "idCountry"))
            vessel = child(element, "vesselInfo")
            if vessel is not None:
                entry.add_country(text(vessel, "vesselFlag"))
            yield entry
