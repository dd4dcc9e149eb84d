"""Reference data API: countries, control-list entries, HS codes, arms embargoes and destination groups.

Reads are open to every signed-in user; writes follow the policies (embargoes: case officers, senior officers,
system administrators; destination groups: senior officers and system administrators)."""

import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from excon.core.api import ERROR_RESPONSES, SmallCount, actor_of, paged

from . import selectors, services
from .models import ArmsEmbargo, ControlListEntry, Country, DestinationGroup

if TYPE_CHECKING:
    pass

router = Router(tags=["reference data"])


# Schemas ------------------------------------------------------------------------------------------------------


class CountryOut(Schema):
    iso2: str
    iso3: str
    numeric: str
    name: str
    official_name: str


class ControlEntryOut(Schema):
    code: str
    title: str
    regime: str
    parent_code: str | None
    att_category: str
    unroca_category: str
    att_categories: list[str]
    unroca_categories: list[str]
    active: bool

    @staticmethod
    def resolve_parent_code(obj: ControlListEntry) -> str | None:
        return obj.parent.code if obj.parent_id else None  # type: ignore[union-attr]


class ControlEntryChildOut(Schema):
    code: str
    title: str
    att_categories: list[str]
    unroca_categories: list[str]


class ControlEntryDetailOut(ControlEntryOut):
    description: str
    children: list[ControlEntryChildOut]

    @staticmethod
    def resolve_children(obj: ControlListEntry) -> list[ControlListEntry]:
        return list(obj.children.all())


class HsCodeOut(Schema):
    code: str
    description: str
    parent_code: str
    level: int


class EmbargoOut(Schema):
    id: UUID
    country: str
    country_name: str
    imposed_by: str
    scope: str
    applies_to: str
    control_entries: list[str]
    start_date: datetime.date
    end_date: datetime.date | None
    legal_reference: str
    notes: str
    source_url: str
    in_force: bool

    @staticmethod
    def resolve_country(obj: ArmsEmbargo) -> str:
        return obj.country.iso2

    @staticmethod
    def resolve_country_name(obj: ArmsEmbargo) -> str:
        return obj.country.name

    @staticmethod
    def resolve_control_entries(obj: ArmsEmbargo) -> list[str]:
        return [entry.code for entry in obj.control_entries.all()]

    @staticmethod
    def resolve_in_force(obj: ArmsEmbargo) -> bool:
        return obj.is_active_on(timezone.localdate())


class EmbargoIn(Schema):
    country: str = Field(..., description="ISO 3166-1 alpha-2")
    imposed_by: str = Field(..., description="un, eu, osce or national")
    start_date: datetime.date
    legal_reference: str
    scope: str = "full"
    applies_to: str = "all"
    control_entries: list[str] = Field(default_factory=list, description="codes, for a partial embargo")
    end_date: datetime.date | None = None
    notes: str = ""
    source_url: str = ""
    reason: str = ""


class EmbargoPatch(Schema):
    reason: str = Field(..., description="why the embargo is changed; kept in its history")
    imposed_by: str | None = None
    scope: str | None = None
    applies_to: str | None = None
    control_entries: list[str] | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    legal_reference: str | None = None
    notes: str | None = None
    source_url: str | None = None


class EmbargoEndIn(Schema):
    reason: str
    end_date: datetime.date | None = Field(None, description="the day it was lifted; today if omitted")


class EmbargoStatusOut(Schema):
    country: str
    on: datetime.date
    level: str
    government_exempt: bool
    matched_entries: list[str]
    embargoes: list[EmbargoOut]


class DestinationGroupOut(Schema):
    code: str
    name: str
    description: str
    countries: list[str]

    @staticmethod
    def resolve_countries(obj: DestinationGroup) -> list[str]:
        return sorted(country.iso2 for country in obj.countries.all())


class DestinationGroupIn(Schema):
    code: str
    name: str
    description: str = ""
    countries: list[str] = Field(default_factory=list, description="ISO 3166-1 alpha-2 codes")


class DestinationGroupPatch(Schema):
    name: str | None = None
    description: str | None = None
    countries: list[str] | None = None
    reason: str = ""


# Countries ----------------------------------------------------------------------------------------------------


@router.get("/countries", response=list[CountryOut], summary="Countries (ISO 3166-1)")
@paged(100)
def list_countries(request: HttpRequest, search: str = "") -> object:
    return selectors.country_list(actor=actor_of(request), search=search)


@router.get("/countries/{iso2}", response={200: CountryOut, **ERROR_RESPONSES})
def get_country(request: HttpRequest, iso2: str) -> Country:
    return selectors.country_get(actor=actor_of(request), iso2=iso2)


# Control-list entries -----------------------------------------------------------------------------------------


@router.get("/control-entries", response=list[ControlEntryOut], summary="Control-list entries")
@paged(100)
def list_control_entries(
    request: HttpRequest, regime: str = "", parent: str = "", search: str = "", top_level: bool = False
) -> object:
    return selectors.control_entry_list(
        actor=actor_of(request), regime=regime, parent=parent, search=search, top_level=top_level
    )


@router.get("/control-entries/{code}", response={200: ControlEntryDetailOut, **ERROR_RESPONSES})
def get_control_entry(request: HttpRequest, code: str) -> ControlListEntry:
    return selectors.control_entry_get(actor=actor_of(request), code=code)


# HS codes -----------------------------------------------------------------------------------------------------


@router.get("/hs-codes", response=list[HsCodeOut], summary="HS codes relevant to military goods")
@paged(100)
def list_hs_codes(request: HttpRequest, search: str = "", level: SmallCount | None = None) -> object:
    return selectors.hs_code_list(actor=actor_of(request), search=search, level=level)


# Embargoes ----------------------------------------------------------------------------------------------------


@router.get("/embargoes", response=list[EmbargoOut], summary="Arms embargoes")
@paged(50)
def list_embargoes(
    request: HttpRequest, country: str = "", active_on: datetime.date | None = None, imposed_by: str = ""
) -> object:
    return selectors.embargo_list(actor=actor_of(request), country=country, active_on=active_on, imposed_by=imposed_by)


@router.post("/embargoes", response={201: EmbargoOut, **ERROR_RESPONSES}, summary="Record an arms embargo")
def create_embargo(request: HttpRequest, payload: EmbargoIn) -> Status[ArmsEmbargo]:
    embargo = services.embargo_create(actor=actor_of(request), **payload.dict())
    return Status(201, selectors.embargo_get(actor=actor_of(request), embargo_id=embargo.pk))


@router.get(
    "/embargo-status",
    response={200: EmbargoStatusOut, **ERROR_RESPONSES},
    summary="Is a destination embargoed for these control-list entries on a day?",
)
def embargo_status(
    request: HttpRequest, country: str, entries: str = "", on: datetime.date | None = None
) -> dict[str, object]:
    selectors.country_get(actor=actor_of(request), iso2=country)
    codes = [code.strip() for code in entries.split(",") if code.strip()]
    status = selectors.destination_embargo_status(country, codes or None, on=on)
    return {
        "country": status.country.iso2,
        "on": status.on,
        "level": status.level,
        "government_exempt": status.government_exempt,
        "matched_entries": list(status.matched_entries),
        "embargoes": list(status.embargoes),
    }


@router.get("/embargoes/{embargo_id}", response={200: EmbargoOut, **ERROR_RESPONSES})
def get_embargo(request: HttpRequest, embargo_id: str) -> ArmsEmbargo:
    return selectors.embargo_get(actor=actor_of(request), embargo_id=embargo_id)


@router.patch("/embargoes/{embargo_id}", response={200: EmbargoOut, **ERROR_RESPONSES})
def update_embargo(request: HttpRequest, embargo_id: str, payload: EmbargoPatch) -> ArmsEmbargo:
    actor = actor_of(request)
    embargo = selectors.embargo_get(actor=actor, embargo_id=embargo_id)
    fields = payload.dict(exclude_unset=True)
    reason = fields.pop("reason")
    services.embargo_update(actor=actor, embargo=embargo, reason=reason, **fields)
    return selectors.embargo_get(actor=actor, embargo_id=embargo.pk)


@router.post("/embargoes/{embargo_id}/end", response={200: EmbargoOut, **ERROR_RESPONSES})
def end_embargo(request: HttpRequest, embargo_id: str, payload: EmbargoEndIn) -> ArmsEmbargo:
    actor = actor_of(request)
    embargo = selectors.embargo_get(actor=actor, embargo_id=embargo_id)
    services.embargo_end(actor=actor, embargo=embargo, reason=payload.reason, end_date=payload.end_date)
    return selectors.embargo_get(actor=actor, embargo_id=embargo.pk)


# Destination groups -------------------------------------------------------------------------------------------


@router.get("/destination-groups", response=list[DestinationGroupOut], summary="Destination groups")
@paged(50)
def list_destination_groups(request: HttpRequest, search: str = "") -> object:
    return selectors.destination_group_list(actor=actor_of(request), search=search)


@router.post("/destination-groups", response={201: DestinationGroupOut, **ERROR_RESPONSES})
def create_destination_group(request: HttpRequest, payload: DestinationGroupIn) -> Status[DestinationGroup]:
    actor = actor_of(request)
    group = services.destination_group_create(actor=actor, **payload.dict())
    return Status(201, selectors.destination_group_get(actor=actor, code=group.code))


@router.get("/destination-groups/{code}", response={200: DestinationGroupOut, **ERROR_RESPONSES})
def get_destination_group(request: HttpRequest, code: str) -> DestinationGroup:
    return selectors.destination_group_get(actor=actor_of(request), code=code)


@router.patch("/destination-groups/{code}", response={200: DestinationGroupOut, **ERROR_RESPONSES})
def update_destination_group(request: HttpRequest, code: str, payload: DestinationGroupPatch) -> DestinationGroup:
    actor = actor_of(request)
    group = selectors.destination_group_get(actor=actor, code=code)
    services.destination_group_update(actor=actor, group=group, **payload.dict(exclude_unset=True))
    return selectors.destination_group_get(actor=actor, code=code)
