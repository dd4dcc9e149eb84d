"""The particulars of a licence type (ApplicationTerms) on a draft, and the authority's rules per licence type."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from excon.audit.services import audit_record
from excon.core.errors import PermissionDenied, ValidationError
from excon.core.services import apply_changes
from excon.refdata import selectors as refdata_selectors
from excon.refdata.models import Country

from .. import licence_types, policies
from ..enums import ApplicationType, AuditVerb, TemporaryPurpose, TransferKind
from ..models import Application, ApplicationTerms, LicenceTypeRules
from .common import deny, locked, text

if TYPE_CHECKING:
    from excon.accounts.models import User

RULE_LIMITS = {
    "max_validity_days": (1, 10 * 366),
    "return_period_months": (1, 12),
    "return_due_days": (1, 120),
    "reminder_days": (0, 60),
}


def _date(value: Any, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValidationError(
            "a date is YYYY-MM-DD", code="application.invalid_date", details={"field": field}
        ) from exc


def _country(value: Any) -> Country | None:
    return refdata_selectors.country_by_iso2(str(value)) if text(value) else None


def _choice(value: Any, choices: Any, field: str) -> str:
    value = text(value)
    if value and value not in choices.values:
        raise ValidationError(
            f"unknown {field.replace('_', ' ')} {value!r}", code="application.invalid_choice", details={"field": field}
        )
    return value


def clean_terms(application_type: str, fields: dict[str, Any]) -> tuple[dict[str, Any], list[Country] | None]:
    """The scalar fields to set and, for an open licence, the further destinations (None: leave them)."""
    allowed = licence_types.TERMS_FIELDS[ApplicationType(application_type)]
    foreign = sorted(set(fields) - set(allowed))
    if foreign:
        raise ValidationError(
            f"a {ApplicationType(application_type).label.lower()} takes no {', '.join(foreign)}",
            code="application.terms_not_for_type",
            details={"field": foreign[0], "allowed": list(allowed)},
        )
    cleaned: dict[str, Any] = {}
    destinations: list[Country] | None = None
    for name, value in fields.items():
        if name == "further_destinations":
            codes = value.split(",") if isinstance(value, str) else list(value or [])
            destinations = []
            for code in codes:
                country = _country(code)
                if country is not None and country not in destinations:
                    destinations.append(country)
        elif name in ("requested_valid_until", "return_date"):
            cleaned[name] = _date(value, name)
        elif name in ("broker_country", "source_country"):
            cleaned[name] = _country(value)
        elif name == "temporary_purpose":
            cleaned[name] = _choice(value, TemporaryPurpose, name)
        elif name == "transfer_kind":
            cleaned[name] = _choice(value, TransferKind, name)
        else:
            cleaned[name] = text(value)
    today = timezone.localdate()
    for name in ("requested_valid_until", "return_date"):
        if cleaned.get(name) is not None and cleaned[name] <= today:
            raise ValidationError(
                "the date must be in the future", code="application.date_not_future", details={"field": name}
            )
    return cleaned, destinations


@transaction.atomic
def application_terms_set(*, actor: User, application: Application, **fields: Any) -> ApplicationTerms:
    """Set the particulars the application's licence type takes (only those: another type's are refused)."""
    application = locked(application)
    if not policies.can_edit_application(actor, application):
        raise deny("you may not change this application")
    cleaned, destinations = clean_terms(application.application_type, fields)
    terms, _ = ApplicationTerms.objects.get_or_create(application=application)
    display = {key: (value.iso2 if isinstance(value, Country) else value) for key, value in cleaned.items()}
    before = {
        key: (getattr(terms, key).iso2 if isinstance(getattr(terms, key), Country) else getattr(terms, key))
        for key in cleaned
    }
    changes = apply_changes(terms, cleaned)
    changes = {key: {"from": before[key], "to": display[key]} for key in changes}
    if destinations is not None:
        old = sorted(terms.further_destinations.values_list("iso2", flat=True))
        new = sorted(country.iso2 for country in destinations if country.pk != application.destination_id)
        if old != new:
            terms.further_destinations.set([c for c in destinations if c.pk != application.destination_id])
            changes["further_destinations"] = {"from": old, "to": new}
    if changes:
        terms.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.APPLICATION_TERMS_SET,
            target=application,
            payload={"type": application.application_type, "changes": changes},
        )
    return terms


def copy_terms(old: Application, new: Application) -> None:
    """An amendment starts with the particulars of the case it replaces."""
    terms = licence_types.terms_of(old)
    if terms is None:
        return
    copy = ApplicationTerms.objects.create(
        application=new,
        requested_valid_until=terms.requested_valid_until,
        temporary_purpose=terms.temporary_purpose,
        return_date=terms.return_date,
        broker_name=terms.broker_name,
        broker_country=terms.broker_country,
        source_country=terms.source_country,
        transfer_kind=terms.transfer_kind,
        transferred=terms.transferred,
        innovation_reference=terms.innovation_reference,
    )
    copy.further_destinations.set(terms.further_destinations.all())


@transaction.atomic
def licence_type_rules_set(*, actor: User, application_type: str, **fields: Any) -> LicenceTypeRules:
    """The authority's limits for one licence type: the longest validity and, for open licences, the returns'
    period, when they are due after it, and how many days before a reminder goes."""
    if not policies.can_manage_licence_types(actor):
        raise PermissionDenied("only senior officers set the licence types' rules")
    if application_type not in ApplicationType.values:
        raise ValidationError(f"unknown licence type {application_type!r}", code="application.unknown_type")
    unknown = sorted(set(fields) - set(RULE_LIMITS))
    if unknown:
        raise ValidationError(f"unknown field(s): {', '.join(unknown)}", code="licence_type_rules.unknown_field")
    cleaned: dict[str, Any] = {}
    for name, value in fields.items():
        if value in (None, "") and name == "return_period_months":
            cleaned[name] = None
            continue
        low, high = RULE_LIMITS[name]
        try:
            number = int(value)
        except (TypeError, ValueError) as exc:
            raise ValidationError(
                f"{name.replace('_', ' ')} is a whole number",
                code="licence_type_rules.invalid_number",
                details={"field": name},
            ) from exc
        if not low <= number <= high:
            raise ValidationError(
                f"{name.replace('_', ' ')} is between {low} and {high}",
                code="licence_type_rules.invalid_number",
                details={"field": name},
            )
        cleaned[name] = number
    if application_type == ApplicationType.OPEN and cleaned.get("return_period_months", 1) is None:
        raise ValidationError(
            "an open licence's shipments are reported periodically: give the period",
            code="licence_type_rules.period_required",
            details={"field": "return_period_months"},
        )
    current = licence_types.rules_for(application_type)
    rules, _ = LicenceTypeRules.objects.get_or_create(
        application_type=application_type,
        defaults={
            "max_validity_days": current.max_validity_days,
            "return_period_months": current.return_period_months,
            "return_due_days": current.return_due_days,
            "reminder_days": current.reminder_days,
        },
    )
    changes = apply_changes(rules, cleaned)
    if changes:
        rules.changed_by = actor
        rules.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.LICENCE_TYPE_RULES_SET,
            target=rules,
            payload={"type": application_type, "changes": changes},
        )
    return rules
