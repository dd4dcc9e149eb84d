"""What a licence of each type allows (pure: no writes). The services (shipments, issue, returns), the signed
document and the pages read these; the application side's rules are excon.applications.licence_types."""

from __future__ import annotations

from excon.applications import licence_types as application_types
from excon.applications.enums import ApplicationType

from .models import Licence

T = ApplicationType

# The document's title per type.
TITLES = {
    T.STANDARD_INDIVIDUAL: "Export licence",
    T.OPEN: "Open individual export licence",
    T.TEMPORARY: "Temporary export licence",
    T.BROKERING: "Brokering licence",
    T.TECHNOLOGY_TRANSFER: "Technology transfer and licensed production licence",
}

# What the licence allows, printed on the signed document and signed with it.
ALLOWS = {
    T.STANDARD_INDIVIDUAL: (
        "The export of the goods below, up to the quantities and values stated, to the destination and end user "
        "named, within the validity."
    ),
    T.OPEN: (
        "Repeated exports of the goods below to any of the destinations named, to the consignees and end users "
        "named, within the validity. A goods line with a cap may not exceed it; a line without one is an estimate. "
        "The holder reports the shipments of every period in a return by its due date."
    ),
    T.TEMPORARY: (
        "The temporary export of the goods below for the purpose stated. Every item exported must be back in this "
        "state by the return date; its return is confirmed by customs or the holder."
    ),
    T.BROKERING: (
        "Brokering: arranging the transfer of the goods below from the source country to the destination named, "
        "by the broker named. No goods may be exported from this state under this licence."
    ),
    T.TECHNOLOGY_TRANSFER: (
        "The transfer of the technical data or production rights described to the receiving side named, under the "
        "undertakings listed, within the validity."
    ),
}

# Types under which no shipment is recorded from this state.
NO_SHIPMENT_TYPES = frozenset({T.BROKERING})


def licence_type(licence: Licence) -> ApplicationType:
    return ApplicationType(licence.licence_type or T.STANDARD_INDIVIDUAL)


def title_of(licence: Licence) -> str:
    return TITLES[licence_type(licence)]


def allows_of(licence: Licence) -> str:
    return ALLOWS[licence_type(licence)]


def allows_shipments(licence: Licence) -> bool:
    return licence_type(licence) not in NO_SHIPMENT_TYPES


def destinations_of(licence: Licence) -> list[str]:
    """The ISO codes a shipment may go to: the destination, and an open licence's further destinations."""
    codes = [licence.destination.iso2]
    if licence_type(licence) == T.OPEN:
        codes += [code for code in licence.terms.get("further_destinations", []) if code not in codes]
    return codes


def is_temporary(licence: Licence) -> bool:
    return licence_type(licence) == T.TEMPORARY


def is_open(licence: Licence) -> bool:
    return licence_type(licence) == T.OPEN


def terms_rows(licence: Licence) -> list[tuple[str, str]]:
    """The type's particulars as (label, text) rows for the document and the licence page (the validity asked
    for is left out: the licence's own validity says it)."""
    return application_types.terms_rows(licence.terms, skip=("requested_valid_until",))
