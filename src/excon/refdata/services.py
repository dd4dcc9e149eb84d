"""Writes to reference data: arms embargoes and destination groups. Each checks the policy, validates, writes and
audits. The shipped data (countries, control lists, HS codes, seeds) is loaded by `loading.load_refdata`."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from excon.audit.services import audit_record
from excon.core.errors import Conflict, PermissionDenied, ValidationError
from excon.core.validation import require_text

from . import policies
from .enums import AuditVerb, EmbargoAuthority, EmbargoScope, EmbargoTarget
from .models import ArmsEmbargo, ControlListEntry, Country, DestinationGroup
from .selectors import control_entries_by_code, validate_hs_code

if TYPE_CHECKING:
    from excon.accounts.models import User

__all__ = [
    "EMBARGO_EDITABLE_FIELDS",
    "destination_group_create",
    "destination_group_update",
    "embargo_create",
    "embargo_end",
    "embargo_update",
    "validate_hs_code",
]

EMBARGO_EDITABLE_FIELDS = (
    "imposed_by",
    "scope",
    "applies_to",
    "control_entries",
    "start_date",
    "end_date",
    "legal_reference",
    "notes",
    "source_url",
)
_GROUP_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


# Validation helpers -------------------------------------------------------------------------------------------


def _clean_country(value: Country | str) -> Country:
    if isinstance(value, Country):
        return value
    code = (value or "").strip().upper()
    country = Country.objects.filter(iso2=code).first() if len(code) == 2 else None
    if country is None:
        raise ValidationError(
            f"{value!r} is not a known ISO 3166-1 alpha-2 country code",
            code="embargo.unknown_country",
            details={"field": "country", "value": value},
        )
    return country


def _clean_choice(value: str, choices: Any, *, field: str, code: str) -> str:
    value = (value or "").strip()
    if value not in choices.values:
        raise ValidationError(
            f"{field.replace('_', ' ')} must be one of {', '.join(choices.values)}",
            code=code,
            details={"field": field, "value": value},
        )
    return value


def _clean_date(value: Any, *, field: str, required: bool) -> datetime.date | None:
    if value in (None, ""):
        if required:
            raise ValidationError(
                f"give the {field.replace('_', ' ')}", code="embargo.date_required", details={"field": field}
            )
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError(
            f"{value!r} is not a date (YYYY-MM-DD)", code="embargo.invalid_date", details={"field": field}
        ) from exc


def _clean_entries(values: Iterable[ControlListEntry | str]) -> list[ControlListEntry]:
    items = list(values or [])
    entries = [item for item in items if isinstance(item, ControlListEntry)]
    codes = [item for item in items if isinstance(item, str)]
    if codes:
        try:
            entries += control_entries_by_code(codes)
        except ValidationError as exc:
            raise ValidationError(exc.message, code="embargo.unknown_control_entry", details=exc.details) from exc
    unique: list[ControlListEntry] = []
    for entry in entries:
        if entry not in unique:
            unique.append(entry)
    return unique


def _clean_url(value: str) -> str:
    url = (value or "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except DjangoValidationError as exc:
            raise ValidationError(
                f"{url!r} is not a web address", code="embargo.invalid_source_url", details={"field": "source_url"}
            ) from exc
    return url


def _check_embargo(
    *,
    start_date: datetime.date,
    end_date: datetime.date | None,
    scope: str,
    entries: list[ControlListEntry],
    legal_reference: str,
) -> None:
    if end_date is not None and end_date < start_date:
        raise ValidationError(
            "the end date is before the start date",
            code="embargo.invalid_dates",
            details={"field": "end_date", "start_date": start_date, "end_date": end_date},
        )
    if scope == EmbargoScope.PARTIAL and not entries:
        raise ValidationError(
            "a partial embargo needs the control-list entries it covers",
            code="embargo.entries_required",
            details={"field": "control_entries"},
        )
    if scope == EmbargoScope.FULL and entries:
        raise ValidationError(
            "a full embargo covers every military item: list no control-list entries, or make it partial",
            code="embargo.entries_not_allowed",
            details={"field": "control_entries"},
        )
    if not legal_reference:
        raise ValidationError(
            "give the legal reference (resolution or Council Decision)",
            code="embargo.legal_reference_required",
            details={"field": "legal_reference"},
        )


def _require_reason(reason: str, *, code: str) -> str:
    return require_text(reason, field="reason", code=code, message="give the reason for the change")


def _embargo_snapshot(embargo: ArmsEmbargo, entries: list[ControlListEntry]) -> dict[str, Any]:
    return {
        "country": embargo.country.iso2,
        "imposed_by": embargo.imposed_by,
        "scope": embargo.scope,
        "applies_to": embargo.applies_to,
        "control_entries": [entry.code for entry in entries],
        "start_date": embargo.start_date,
        "end_date": embargo.end_date,
        "legal_reference": embargo.legal_reference,
        "notes": embargo.notes,
        "source_url": embargo.source_url,
    }


# Embargoes ----------------------------------------------------------------------------------------------------


@transaction.atomic
def embargo_create(
    *,
    actor: User,
    country: Country | str,
    imposed_by: str,
    start_date: datetime.date | str,
    legal_reference: str,
    scope: str = EmbargoScope.FULL,
    applies_to: str = EmbargoTarget.ALL,
    control_entries: Iterable[ControlListEntry | str] = (),
    end_date: datetime.date | str | None = None,
    notes: str = "",
    source_url: str = "",
    reason: str = "",
) -> ArmsEmbargo:
    if not policies.can_create_embargo(actor):
        raise PermissionDenied("only case officers, senior officers and system administrators record embargoes")
    country_obj = _clean_country(country)
    imposed_by = _clean_choice(imposed_by, EmbargoAuthority, field="imposed_by", code="embargo.invalid_imposed_by")
    scope = _clean_choice(scope, EmbargoScope, field="scope", code="embargo.invalid_scope")
    applies_to = _clean_choice(applies_to, EmbargoTarget, field="applies_to", code="embargo.invalid_applies_to")
    start = _clean_date(start_date, field="start_date", required=True)
    assert start is not None
    end = _clean_date(end_date, field="end_date", required=False)
    entries = _clean_entries(control_entries)
    legal_reference = (legal_reference or "").strip()
    _check_embargo(start_date=start, end_date=end, scope=scope, entries=entries, legal_reference=legal_reference)
    embargo = ArmsEmbargo.objects.create(
        country=country_obj,
        imposed_by=imposed_by,
        scope=scope,
        applies_to=applies_to,
        start_date=start,
        end_date=end,
        legal_reference=legal_reference,
        notes=(notes or "").strip(),
        source_url=_clean_url(source_url),
    )
    embargo.control_entries.set(entries)
    audit_record(
        actor=actor,
        verb=AuditVerb.EMBARGO_CREATED,
        target=embargo,
        payload={**_embargo_snapshot(embargo, entries), "reason": (reason or "").strip()},
    )
    return embargo


@transaction.atomic
def embargo_update(*, actor: User, embargo: ArmsEmbargo, reason: str, **fields: Any) -> ArmsEmbargo:
    if not policies.can_change_embargo(actor, embargo):
        raise PermissionDenied("only case officers, senior officers and system administrators change embargoes")
    unknown = set(fields) - set(EMBARGO_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            f"these fields cannot be changed: {', '.join(sorted(unknown))}",
            code="embargo.field_not_editable",
            details={"fields": sorted(unknown)},
        )
    reason = _require_reason(reason, code="embargo.reason_required")
    embargo = ArmsEmbargo.objects.select_for_update().select_related("country").get(pk=embargo.pk)
    current_entries = list(embargo.control_entries.order_by("sort_order", "code"))
    cleaned: dict[str, Any] = {}
    if "imposed_by" in fields:
        cleaned["imposed_by"] = _clean_choice(
            fields["imposed_by"], EmbargoAuthority, field="imposed_by", code="embargo.invalid_imposed_by"
        )
    if "scope" in fields:
        cleaned["scope"] = _clean_choice(fields["scope"], EmbargoScope, field="scope", code="embargo.invalid_scope")
    if "applies_to" in fields:
        cleaned["applies_to"] = _clean_choice(
            fields["applies_to"], EmbargoTarget, field="applies_to", code="embargo.invalid_applies_to"
        )
    if "start_date" in fields:
        cleaned["start_date"] = _clean_date(fields["start_date"], field="start_date", required=True)
    if "end_date" in fields:
        cleaned["end_date"] = _clean_date(fields["end_date"], field="end_date", required=False)
    if "legal_reference" in fields:
        cleaned["legal_reference"] = (fields["legal_reference"] or "").strip()
    if "notes" in fields:
        cleaned["notes"] = (fields["notes"] or "").strip()
    if "source_url" in fields:
        cleaned["source_url"] = _clean_url(fields["source_url"])
    entries = _clean_entries(fields["control_entries"]) if "control_entries" in fields else current_entries
    _check_embargo(
        start_date=cleaned.get("start_date", embargo.start_date),
        end_date=cleaned.get("end_date", embargo.end_date),
        scope=cleaned.get("scope", embargo.scope),
        entries=entries,
        legal_reference=cleaned.get("legal_reference", embargo.legal_reference),
    )
    changes = {
        name: {"from": getattr(embargo, name), "to": value}
        for name, value in cleaned.items()
        if getattr(embargo, name) != value
    }
    before_codes = [entry.code for entry in current_entries]
    after_codes = [entry.code for entry in entries]
    entries_changed = set(before_codes) != set(after_codes)
    if not changes and not entries_changed:
        return embargo
    for name, value in cleaned.items():
        setattr(embargo, name, value)
    embargo.save()
    payload: dict[str, Any] = {"changes": changes, "reason": reason}
    if entries_changed:
        embargo.control_entries.set(entries)
        payload["added"] = sorted(set(after_codes) - set(before_codes))
        payload["removed"] = sorted(set(before_codes) - set(after_codes))
    audit_record(actor=actor, verb=AuditVerb.EMBARGO_UPDATED, target=embargo, payload=payload)
    return embargo


@transaction.atomic
def embargo_end(
    *, actor: User, embargo: ArmsEmbargo, reason: str, end_date: datetime.date | str | None = None
) -> ArmsEmbargo:
    """Record that an embargo was lifted: from `end_date` (default today) it no longer applies."""
    if not policies.can_end_embargo(actor, embargo):
        raise PermissionDenied("only case officers, senior officers and system administrators end embargoes")
    reason = _require_reason(reason, code="embargo.reason_required")
    end = _clean_date(end_date, field="end_date", required=False) or timezone.localdate()
    embargo = ArmsEmbargo.objects.select_for_update().select_related("country").get(pk=embargo.pk)
    if embargo.end_date is not None and embargo.end_date <= timezone.localdate():
        raise Conflict(
            f"the embargo already ended on {embargo.end_date.isoformat()}",
            code="embargo.already_ended",
            details={"end_date": embargo.end_date},
        )
    if end < embargo.start_date:
        raise ValidationError(
            "the end date is before the start date",
            code="embargo.invalid_dates",
            details={"field": "end_date", "start_date": embargo.start_date, "end_date": end},
        )
    previous = embargo.end_date
    embargo.end_date = end
    embargo.save(update_fields=["end_date", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.EMBARGO_ENDED,
        target=embargo,
        payload={"changes": {"end_date": {"from": previous, "to": end}}, "reason": reason},
    )
    return embargo


# Destination groups -------------------------------------------------------------------------------------------


def _clean_group_countries(values: Iterable[Country | str]) -> list[Country]:
    items = list(values or [])
    countries = [item for item in items if isinstance(item, Country)]
    codes = [str(item).strip().upper() for item in items if not isinstance(item, Country) and str(item).strip()]
    found = {country.iso2: country for country in Country.objects.filter(iso2__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise ValidationError(
            f"unknown ISO 3166-1 alpha-2 country codes: {', '.join(unknown)}",
            code="destination_group.unknown_country",
            details={"field": "countries", "unknown": unknown},
        )
    countries += [found[code] for code in codes]
    unique: dict[str, Country] = {}
    for country in countries:
        unique.setdefault(country.iso2, country)
    return sorted(unique.values(), key=lambda country: country.iso2)


def _clean_group_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError(
            "a destination group needs a name", code="destination_group.name_required", details={"field": "name"}
        )
    return name


@transaction.atomic
def destination_group_create(
    *,
    actor: User,
    code: str,
    name: str,
    description: str = "",
    countries: Iterable[Country | str] = (),
) -> DestinationGroup:
    if not policies.can_create_destination_group(actor):
        raise PermissionDenied("only senior officers and system administrators manage destination groups")
    code = (code or "").strip().lower()
    if not _GROUP_CODE.match(code):
        raise ValidationError(
            "the code is 1-40 lower-case letters, digits, hyphens or underscores",
            code="destination_group.invalid_code",
            details={"field": "code"},
        )
    if DestinationGroup.objects.filter(code=code).exists():
        raise Conflict(
            f"a destination group with code {code!r} exists",
            code="destination_group.duplicate_code",
            details={"field": "code"},
        )
    name = _clean_group_name(name)
    members = _clean_group_countries(countries)
    group = DestinationGroup.objects.create(code=code, name=name, description=(description or "").strip())
    group.countries.set(members)
    audit_record(
        actor=actor,
        verb=AuditVerb.DESTINATION_GROUP_CREATED,
        target=group,
        payload={
            "code": code,
            "name": name,
            "description": group.description,
            "countries": [country.iso2 for country in members],
        },
    )
    return group


@transaction.atomic
def destination_group_update(
    *,
    actor: User,
    group: DestinationGroup,
    name: str | None = None,
    description: str | None = None,
    countries: Iterable[Country | str] | None = None,
    reason: str = "",
) -> DestinationGroup:
    if not policies.can_change_destination_group(actor, group):
        raise PermissionDenied("only senior officers and system administrators manage destination groups")
    group = DestinationGroup.objects.select_for_update().get(pk=group.pk)
    changes: dict[str, dict[str, Any]] = {}
    if name is not None:
        cleaned_name = _clean_group_name(name)
        if cleaned_name != group.name:
            changes["name"] = {"from": group.name, "to": cleaned_name}
            group.name = cleaned_name
    if description is not None:
        cleaned_description = description.strip()
        if cleaned_description != group.description:
            changes["description"] = {"from": group.description, "to": cleaned_description}
            group.description = cleaned_description
    added: list[str] = []
    removed: list[str] = []
    if countries is not None:
        members = _clean_group_countries(countries)
        before = set(group.countries.values_list("iso2", flat=True))
        after = {country.iso2 for country in members}
        added, removed = sorted(after - before), sorted(before - after)
        if added or removed:
            group.countries.set(members)
    if not changes and not added and not removed:
        return group
    if changes:
        group.save()
    payload: dict[str, Any] = {"changes": changes, "added": added, "removed": removed}
    if reason.strip():
        payload["reason"] = reason.strip()
    audit_record(actor=actor, verb=AuditVerb.DESTINATION_GROUP_UPDATED, target=group, payload=payload)
    return group
