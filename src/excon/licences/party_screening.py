"""The parties of active licences (holder, end user, consignees), screened again with every list import: a party
source registered with screening, and how a hit on one is shown on the hit pages (LicencesConfig.ready())."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

from excon.screening.enums import EntryKind
from excon.screening.registry import Case, HitTarget
from excon.screening.services import Party

from .enums import LicenceStatus
from .models import Licence

LICENCE_TARGET = "licences.licence"


def active_licence_parties() -> Iterator[tuple[Party, Case]]:
    for licence in (
        Licence.objects.filter(status=LicenceStatus.ACTIVE).select_related("holder", "destination").order_by("pk")
    ):
        reference = f"{LICENCE_TARGET}:{licence.pk}"
        case = Case(label=f"licence {licence.number}", link=f"/licences/{licence.pk}/")
        holder = licence.holder
        yield Party(reference, holder.name, EntryKind.ORGANISATION, holder.country or ""), case
        destination = licence.destination.iso2
        if licence.end_user:
            kind = EntryKind.PERSON if licence.end_user_kind == "individual" else EntryKind.ORGANISATION
            yield Party(reference, licence.end_user, kind, destination), case
        for consignee in licence.consignees or []:
            if not isinstance(consignee, dict) or not consignee.get("name"):
                continue
            country = str(consignee.get("country") or destination)[:2].upper()
            yield Party(reference, str(consignee["name"]), EntryKind.ORGANISATION, country), case


def describe_licence(key: UUID) -> HitTarget | None:
    """A licence's parties share the licence's reference, so the hit names the licence (by its number)."""
    licence = Licence.objects.filter(pk=key).only("pk", "number").first()
    if licence is None:
        return None
    return HitTarget(belongs_to=f"Licence {licence.number}", link=f"/licences/{licence.pk}/")
