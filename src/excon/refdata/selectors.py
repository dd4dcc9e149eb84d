"""Reads of reference data. Every signed-in user may read it; the actor is still passed so scoping stays one rule.

Also the checks other apps call: `validate_hs_code`, `country_by_iso2`, `destination_embargo_status`."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from excon.core.errors import NotFound, ValidationError
from excon.core.ids import parse_uuid

from . import policies
from .enums import EmbargoLevel, EmbargoScope, EmbargoTarget
from .models import ArmsEmbargo, ControlListEntry, Country, DestinationGroup, HsCode

if TYPE_CHECKING:
    from excon.accounts.models import User


def _readable(actor: User) -> bool:
    return policies.can_view_refdata(actor)


# Countries ----------------------------------------------------------------------------------------------------


def country_list(*, actor: User, search: str = "") -> QuerySet[Country]:
    countries = Country.objects.all() if _readable(actor) else Country.objects.none()
    search = search.strip()
    if search:
        countries = countries.filter(
            Q(name__icontains=search)
            | Q(official_name__icontains=search)
            | Q(iso2__iexact=search)
            | Q(iso3__iexact=search)
        )
    return countries.order_by("name")


def country_get(*, actor: User, iso2: str) -> Country:
    country = Country.objects.filter(iso2=(iso2 or "").strip().upper()).first() if _readable(actor) else None
    if country is None:
        raise NotFound("country")
    return country


def country_by_iso2(iso2: str) -> Country:
    """The country for an ISO alpha-2 code, for services of other apps; ValidationError "country.unknown" if none."""
    code = (iso2 or "").strip().upper()
    country = Country.objects.filter(iso2=code).first() if len(code) == 2 else None
    if country is None:
        raise ValidationError(
            f"{iso2!r} is not a known ISO 3166-1 alpha-2 country code",
            code="country.unknown",
            details={"field": "country", "value": iso2},
        )
    return country


# Control-list entries ------------------------------------------------------------------------------------------


def control_entry_list(
    *,
    actor: User,
    regime: str = "",
    parent: str = "",
    search: str = "",
    top_level: bool = False,
    include_inactive: bool = False,
) -> QuerySet[ControlListEntry]:
    entries = ControlListEntry.objects.all() if _readable(actor) else ControlListEntry.objects.none()
    if not include_inactive:
        entries = entries.filter(active=True)
    if regime:
        entries = entries.filter(regime=regime)
    if parent:
        entries = entries.filter(parent__code__iexact=parent.strip())
    if top_level:
        entries = entries.filter(parent__isnull=True)
    search = search.strip()
    if search:
        entries = entries.filter(
            Q(code__istartswith=search) | Q(title__icontains=search) | Q(description__icontains=search)
        )
    return entries.select_related("parent").order_by("regime", "sort_order", "code")


def control_entry_get(*, actor: User, code: str) -> ControlListEntry:
    entry = (
        ControlListEntry.objects.select_related("parent")
        .prefetch_related(Prefetch("children", queryset=ControlListEntry.objects.order_by("sort_order", "code")))
        .filter(code__iexact=(code or "").strip())
        .first()
        if _readable(actor)
        else None
    )
    if entry is None:
        raise NotFound("control-list entry")
    return entry


def control_entries_by_code(codes: Iterable[str]) -> list[ControlListEntry]:
    """The entries for these codes, in the order given; ValidationError "control_entry.unknown" names the missing."""
    wanted = [str(code).strip() for code in codes if str(code).strip()]
    found = {entry.code.upper(): entry for entry in ControlListEntry.objects.filter(code__in=wanted)}
    if len(found) < len({code.upper() for code in wanted}):
        # Retry case-insensitively for the ones an exact match missed (ml1.a → ML1.a).
        for code in wanted:
            if code.upper() not in found:
                entry = ControlListEntry.objects.filter(code__iexact=code).first()
                if entry is not None:
                    found[code.upper()] = entry
    unknown = [code for code in wanted if code.upper() not in found]
    if unknown:
        raise ValidationError(
            f"unknown control-list entries: {', '.join(unknown)}",
            code="control_entry.unknown",
            details={"field": "control_entries", "unknown": unknown},
        )
    result: list[ControlListEntry] = []
    for code in wanted:
        entry = found[code.upper()]
        if entry not in result:
            result.append(entry)
    return result


def control_tree(*, actor: User, regime: str = "") -> list[dict[str, Any]]:
    """The whole list as nested dicts {"entry", "children"} in two queries' worth of work (one query)."""
    entries = list(control_entry_list(actor=actor, regime=regime))
    by_parent: dict[Any, list[ControlListEntry]] = {}
    for entry in entries:
        by_parent.setdefault(entry.parent_id, []).append(entry)

    def build(parent_id: Any) -> list[dict[str, Any]]:
        return [{"entry": entry, "children": build(entry.pk)} for entry in by_parent.get(parent_id, [])]

    return build(None)


def control_entries_for_att_category(category: str) -> list[ControlListEntry]:
    """Entries whose ATT categories include `category` (filtered in Python: the list is small, and JSON
    containment is not portable to SQLite)."""
    return [entry for entry in ControlListEntry.objects.filter(active=True) if category in entry.att_categories]


# HS codes -----------------------------------------------------------------------------------------------------

_HS_SEPARATORS = re.compile(r"[\s.]")


def hs_code_list(*, actor: User, search: str = "", level: int | None = None) -> QuerySet[HsCode]:
    codes = HsCode.objects.all() if _readable(actor) else HsCode.objects.none()
    search = search.strip()
    if search:
        digits = _HS_SEPARATORS.sub("", search)
        query = Q(description__icontains=search)
        if digits.isdigit():
            query |= Q(code__startswith=digits)
        codes = codes.filter(query)
    if level:
        codes = codes.filter(level=level)
    return codes.order_by("code")


def validate_hs_code(code: str) -> str:
    """Check an HS code given for goods: 4 or 6 digits (dots and spaces ignored) that exist in the reference data,
    or a 6-digit subheading whose 4-digit heading exists. Returns the normalised code.

    Raises ValidationError "hs_code.malformed" or "hs_code.unknown"."""
    normalised = _HS_SEPARATORS.sub("", str(code or ""))
    if not normalised.isdigit() or len(normalised) not in (4, 6):
        raise ValidationError(
            f"{code!r} is not an HS code: give 4 or 6 digits",
            code="hs_code.malformed",
            details={"field": "hs_code", "value": code},
        )
    candidates = {normalised, normalised[:4]}
    if not HsCode.objects.filter(code__in=candidates).exists():
        raise ValidationError(
            f"HS code {normalised} is not in the reference data of military-relevant codes",
            code="hs_code.unknown",
            details={"field": "hs_code", "value": code},
        )
    return normalised


# Embargoes ----------------------------------------------------------------------------------------------------


def _embargo_queryset() -> QuerySet[ArmsEmbargo]:
    return ArmsEmbargo.objects.select_related("country").prefetch_related(
        Prefetch("control_entries", queryset=ControlListEntry.objects.order_by("sort_order", "code"))
    )


def active_on_filter(on: datetime.date) -> Q:
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gt=on))


def embargo_list(
    *,
    actor: User,
    country: str = "",
    active_on: datetime.date | None = None,
    imposed_by: str = "",
) -> QuerySet[ArmsEmbargo]:
    embargoes = _embargo_queryset() if _readable(actor) else ArmsEmbargo.objects.none()
    if country:
        embargoes = embargoes.filter(country__iso2=country.strip().upper())
    if active_on is not None:
        embargoes = embargoes.filter(active_on_filter(active_on))
    if imposed_by:
        embargoes = embargoes.filter(imposed_by=imposed_by)
    return embargoes.order_by("country__name", "-start_date", "imposed_by")


def reference_counts(*, actor: User, today: datetime.date) -> dict[str, int]:
    """How much reference data there is, for the index page: active entries, embargoes in force, groups, HS codes."""
    if not _readable(actor):
        return {"entry_count": 0, "embargo_count": 0, "group_count": 0, "hs_count": 0}
    return {
        "entry_count": ControlListEntry.objects.filter(active=True).count(),
        "embargo_count": embargo_list(actor=actor, active_on=today).count(),
        "group_count": DestinationGroup.objects.count(),
        "hs_count": HsCode.objects.count(),
    }


def embargo_get(*, actor: User, embargo_id: Any) -> ArmsEmbargo:
    key = parse_uuid(embargo_id)
    embargo = _embargo_queryset().filter(pk=key).first() if key and _readable(actor) else None
    if embargo is None:
        raise NotFound("arms embargo")
    return embargo


@dataclass(frozen=True)
class EmbargoStatus:
    """The answer to "is this destination embargoed for these goods on this day?".

    level: "full" when an embargo covers all military goods, "partial" when one covers some of the goods given
    (or, with no goods given, when a partial embargo exists), "none" otherwise. `embargoes` are all that apply.
    `government_exempt` is true when every applicable embargo targets only non-governmental forces or
    designated parties, so a supply to the government itself may be lawful: a person must check the end user."""

    country: Country
    on: datetime.date
    level: str
    embargoes: tuple[ArmsEmbargo, ...] = ()
    matched_entries: tuple[str, ...] = field(default_factory=tuple)

    @property
    def embargoed(self) -> bool:
        return self.level != EmbargoLevel.NONE

    @property
    def fully_embargoed(self) -> bool:
        return self.level == EmbargoLevel.FULL

    @property
    def partially_embargoed(self) -> bool:
        return self.level == EmbargoLevel.PARTIAL

    @property
    def government_exempt(self) -> bool:
        return bool(self.embargoes) and all(
            embargo.applies_to == EmbargoTarget.NON_GOVERNMENT for embargo in self.embargoes
        )

    @property
    def legal_references(self) -> list[str]:
        return [embargo.legal_reference for embargo in self.embargoes]


def _ancestor_map() -> dict[Any, Any]:
    return dict(ControlListEntry.objects.values_list("id", "parent_id"))


def _lineage(entry_id: Any, parents: dict[Any, Any]) -> set[Any]:
    seen: set[Any] = set()
    current = entry_id
    while current is not None and current not in seen:
        seen.add(current)
        current = parents.get(current)
    return seen


def destination_embargo_status(
    country: Country | str,
    control_entries: Iterable[ControlListEntry | str] | None = None,
    on: datetime.date | None = None,
) -> EmbargoStatus:
    """Whether exports to `country` of goods in `control_entries` are embargoed on `on` (default: today).

    A partial embargo matches an entry given when one is an ancestor of (or the same as) the other: an embargo on
    ML1 covers ML1.a, and goods classed only as "ML1" may fall under an embargo on ML1.a."""
    if isinstance(country, str):
        country = country_by_iso2(country)
    on = on or timezone.localdate()
    embargoes = list(
        ArmsEmbargo.objects.filter(active_on_filter(on), country=country)
        .select_related("country")
        .prefetch_related("control_entries")
        .order_by("start_date")
    )
    if not embargoes:
        return EmbargoStatus(country=country, on=on, level=EmbargoLevel.NONE)
    full = [embargo for embargo in embargoes if embargo.scope == EmbargoScope.FULL]
    partial = [embargo for embargo in embargoes if embargo.scope == EmbargoScope.PARTIAL]
    if control_entries is None:
        if full:
            return EmbargoStatus(country=country, on=on, level=EmbargoLevel.FULL, embargoes=tuple(embargoes))
        return EmbargoStatus(country=country, on=on, level=EmbargoLevel.PARTIAL, embargoes=tuple(partial))
    given = list(control_entries)
    codes = [item for item in given if isinstance(item, str)]
    resolved = [item for item in given if isinstance(item, ControlListEntry)]
    if codes:
        resolved += control_entries_by_code(codes)
    matching: list[ArmsEmbargo] = []
    matched_codes: list[str] = []
    if partial and resolved:
        parents = _ancestor_map()
        given_lineages = {entry.code: (entry.pk, _lineage(entry.pk, parents)) for entry in resolved}
        for embargo in partial:
            hit = False
            for embargoed_entry in embargo.control_entries.all():
                embargoed_lineage = _lineage(embargoed_entry.pk, parents)
                for code, (given_id, given_lineage) in given_lineages.items():
                    # The embargoed entry is the given one or above it, or the given one is above the embargoed.
                    if embargoed_entry.pk in given_lineage or given_id in embargoed_lineage:
                        hit = True
                        if code not in matched_codes:
                            matched_codes.append(code)
            if hit:
                matching.append(embargo)
    if full:
        return EmbargoStatus(
            country=country,
            on=on,
            level=EmbargoLevel.FULL,
            embargoes=tuple(full + matching),
            matched_entries=tuple(matched_codes),
        )
    if matching:
        return EmbargoStatus(
            country=country,
            on=on,
            level=EmbargoLevel.PARTIAL,
            embargoes=tuple(matching),
            matched_entries=tuple(matched_codes),
        )
    return EmbargoStatus(country=country, on=on, level=EmbargoLevel.NONE)


# Destination groups -------------------------------------------------------------------------------------------


def _group_queryset() -> QuerySet[DestinationGroup]:
    return DestinationGroup.objects.prefetch_related(Prefetch("countries", queryset=Country.objects.order_by("iso2")))


def destination_group_list(*, actor: User, search: str = "") -> QuerySet[DestinationGroup]:
    groups = _group_queryset() if _readable(actor) else DestinationGroup.objects.none()
    search = search.strip()
    if search:
        groups = groups.filter(Q(code__icontains=search) | Q(name__icontains=search))
    return groups.order_by("name")


def destination_group_get(*, actor: User, code: str) -> DestinationGroup:
    group = _group_queryset().filter(code=(code or "").strip().lower()).first() if _readable(actor) else None
    if group is None:
        raise NotFound("destination group")
    return group


def destination_group_country_codes(code: str) -> set[str]:
    """The ISO alpha-2 codes of a group's members, for rules of other apps ("is the destination in the EU?")."""
    return set(Country.objects.filter(destination_groups__code=code).values_list("iso2", flat=True))
