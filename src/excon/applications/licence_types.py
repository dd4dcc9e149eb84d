"""Each licence type's own rules on the application side: which particulars it takes (ApplicationTerms), which it
needs before submission, the authority's limits (validity, returns) and what its check finds. Pure of writes: the
services (services/types.py) and the check (checks.check_licence_type) use these.

    standard individual  one destination, named parties, set quantities (no particulars of its own)
    open individual      several destinations and consignees, optional caps per goods line, validity up to the
                         authority's maximum; shipments reported periodically (returns)
    temporary            the purpose (exhibition, trial, repair) and the return date; every item comes back
    brokering            the broker, the source country (never this state) and the destination; no shipment
    technology transfer  what is transferred (technical data, production rights), the receiving side's
                         undertakings (documents), optionally the innovations registry's reference
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from excon.refdata.models import Country

from .enums import ApplicationType, CheckOutcome, DocumentKind, PartyRole, TemporaryPurpose, TransferKind
from .innovation_links import registry_installed, resolve_innovation
from .models import Application, ApplicationTerms, LicenceTypeRules

T = ApplicationType


@dataclass(frozen=True)
class TypeRules:
    application_type: str
    max_validity_days: int
    return_period_months: int | None = None
    return_due_days: int = 30
    reminder_days: int = 7


def default_rules(application_type: str) -> TypeRules:
    """The limits that apply until the authority sets its own (a LicenceTypeRules row)."""
    standard = int(settings.EXCON_LICENCE_VALIDITY_DAYS)
    days = {
        T.STANDARD_INDIVIDUAL: standard,
        T.OPEN: int(settings.EXCON_OPEN_LICENCE_MAX_VALIDITY_DAYS),
        T.TEMPORARY: 365,
        T.BROKERING: standard,
        T.TECHNOLOGY_TRANSFER: 5 * 365,
    }[ApplicationType(application_type)]
    period = 3 if application_type == T.OPEN else None
    return TypeRules(str(application_type), days, period)


def rules_for(application_type: str) -> TypeRules:
    row = LicenceTypeRules.objects.filter(application_type=application_type).first()
    if row is None:
        return default_rules(application_type)
    return TypeRules(
        row.application_type, row.max_validity_days, row.return_period_months, row.return_due_days, row.reminder_days
    )


def latest_valid_until(application_type: str, today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()) + dt.timedelta(days=rules_for(application_type).max_validity_days)


# The particulars each type takes (the names of ApplicationTerms' fields, as services and the API spell them).
TERMS_FIELDS: dict[str, tuple[str, ...]] = {
    T.STANDARD_INDIVIDUAL: (),
    T.OPEN: ("further_destinations", "requested_valid_until"),
    T.TEMPORARY: ("temporary_purpose", "return_date"),
    T.BROKERING: ("broker_name", "broker_country", "source_country"),
    T.TECHNOLOGY_TRANSFER: ("transfer_kind", "transferred", "innovation_reference"),
}
# Several parties of these roles only on an open licence (one of each otherwise).
MULTIPLE_PARTY_TYPES = frozenset({T.OPEN})
# Goods lines without a cap only on an open licence.
UNCAPPED_TYPES = frozenset({T.OPEN})


def terms_of(application: Application) -> ApplicationTerms | None:
    return ApplicationTerms.objects.filter(application=application).first()


def licensed_destinations(application: Application) -> list[Country]:
    """The destination and, on an open licence, the further destinations (in that order, no repeats)."""
    countries: list[Country] = [application.destination] if application.destination else []
    if application.application_type == T.OPEN:
        terms = terms_of(application)
        if terms is not None:
            countries += [c for c in terms.further_destinations.order_by("iso2") if c not in countries]
    return countries


def type_missing(application: Application) -> list[dict[str, str]]:
    """What the type needs before submission, each with a stable code and the field (the completeness check and
    the submit page list them beside the standard particulars)."""
    kind = application.application_type
    terms = terms_of(application)
    missing: list[dict[str, str]] = []

    def need(condition: bool, code: str, field_name: str, message: str) -> None:
        if not condition:
            missing.append({"code": code, "field": field_name, "message": message})

    if kind == T.TEMPORARY:
        need(
            bool(terms and terms.temporary_purpose), "application.purpose_required", "temporary_purpose", "the purpose"
        )
        need(bool(terms and terms.return_date), "application.return_date_required", "return_date", "the return date")
    elif kind == T.BROKERING:
        need(bool(terms and terms.broker_name), "application.broker_required", "broker_name", "the broker")
        need(
            bool(terms and terms.source_country_id),
            "application.source_country_required",
            "source_country",
            "the source country",
        )
    elif kind == T.TECHNOLOGY_TRANSFER:
        need(
            bool(terms and terms.transfer_kind and terms.transferred.strip()),
            "application.transfer_required",
            "transferred",
            "what is transferred",
        )
        need(
            application.documents.filter(kind=DocumentKind.UNDERTAKING).exists(),
            "application.undertaking_required",
            "documents",
            "the receiving side's undertaking",
        )
    return missing


@dataclass(frozen=True)
class Finding:
    outcome: str
    code: str
    message: str


def type_findings(application: Application, today: dt.date | None = None) -> list[Finding]:
    """The type's rules beyond completeness (embargoes on further destinations are checked in checks.py with the
    goods' control entries)."""
    today = today or timezone.localdate()
    kind = application.application_type
    terms = terms_of(application)
    findings: list[Finding] = []
    latest = latest_valid_until(kind, today)
    if kind == T.OPEN and terms is not None and terms.requested_valid_until and terms.requested_valid_until > latest:
        findings.append(
            Finding(
                CheckOutcome.FAIL,
                "application.validity_beyond_maximum",
                f"the validity asked for ({terms.requested_valid_until:%d %B %Y}) is beyond the authority's "
                f"maximum for open licences ({latest:%d %B %Y})",
            )
        )
    if kind == T.OPEN:
        licensed = {country.pk for country in licensed_destinations(application)}
        outside = [party for party in application.parties.select_related("country") if party.country_id not in licensed]
        for party in outside:
            findings.append(
                Finding(
                    CheckOutcome.WARNING,
                    "application.party_outside_destinations",
                    f"{party.get_role_display()} {party.name} is in {party.country.name}, not one of the licence's "
                    "destinations",
                )
            )
    if kind == T.TEMPORARY and terms is not None and terms.return_date:
        if terms.return_date <= today:
            findings.append(
                Finding(CheckOutcome.FAIL, "application.return_date_past", "the return date has passed already")
            )
        elif terms.return_date > latest:
            findings.append(
                Finding(
                    CheckOutcome.FAIL,
                    "application.return_date_beyond_maximum",
                    f"the return date is beyond the longest temporary export the authority allows ({latest:%d %B %Y})",
                )
            )
    if kind == T.BROKERING and terms is not None and terms.source_country_id:
        if terms.source_country_id == application.destination_id:
            findings.append(
                Finding(
                    CheckOutcome.FAIL,
                    "application.brokering_same_country",
                    "the goods must move between two countries: the source country is the destination",
                )
            )
        assert terms.source_country is not None
        if application.applicant.country and terms.source_country.iso2 == application.applicant.country:
            findings.append(
                Finding(
                    CheckOutcome.FAIL,
                    "application.brokering_from_this_state",
                    "goods leaving this state need an export licence, not a brokering licence",
                )
            )
    if kind == T.TECHNOLOGY_TRANSFER and terms is not None and terms.innovation_reference:
        if registry_installed():
            if resolve_innovation(terms.innovation_reference) is None:
                findings.append(
                    Finding(
                        CheckOutcome.FAIL,
                        "application.unknown_innovation",
                        f"no innovation {terms.innovation_reference} in the innovations registry",
                    )
                )
        else:
            findings.append(
                Finding(
                    CheckOutcome.WARNING,
                    "application.innovation_not_verified",
                    f"innovation {terms.innovation_reference} is recorded as given: no innovations registry yet",
                )
            )
    if kind not in UNCAPPED_TYPES and application.goods_lines.filter(capped=False).exists():
        findings.append(
            Finding(CheckOutcome.FAIL, "application.cap_required", "only an open licence has goods without a cap")
        )
    return findings


def terms_summary(application: Application) -> dict[str, Any]:
    """The type's particulars as plain values (the API, the licence's own copy at issue)."""
    terms = terms_of(application)
    kind = application.application_type
    if terms is None or kind == T.STANDARD_INDIVIDUAL:
        return {}
    values: dict[str, Any] = {}
    for name in TERMS_FIELDS[kind]:
        if name == "further_destinations":
            values[name] = [c.iso2 for c in terms.further_destinations.order_by("iso2")]
        elif name in ("broker_country", "source_country"):
            country = getattr(terms, name)
            values[name] = country.iso2 if country else ""
        else:
            value = getattr(terms, name)
            values[name] = value.isoformat() if isinstance(value, dt.date) else value
    return values


def single_party_roles(application_type: str) -> set[str]:
    if application_type in MULTIPLE_PARTY_TYPES:
        return set()
    return {PartyRole.END_USER, PartyRole.CONSIGNEE, PartyRole.ULTIMATE_END_USER}


TERMS_LABELS = {
    "further_destinations": "Further destinations",
    "requested_valid_until": "Validity asked for",
    "temporary_purpose": "Purpose",
    "return_date": "Back by",
    "broker_name": "Broker",
    "broker_country": "Broker's country",
    "source_country": "Source country",
    "transfer_kind": "Transferred",
    "transferred": "Technical data or production rights",
    "innovation_reference": "Innovations registry reference",
    "undertakings": "Receiving side's undertakings",
    "return_period_months": "Returns",
}


def _shown(name: str, value: Any) -> str:
    if name == "further_destinations":
        return ", ".join(value) or "—"
    if name == "temporary_purpose" and value in TemporaryPurpose.values:
        return str(TemporaryPurpose(value).label)
    if name == "transfer_kind" and value in TransferKind.values:
        return str(TransferKind(value).label)
    if name == "undertakings":
        return "; ".join(f"{item['filename']} (SHA-256 {item['sha256'][:16]}…)" for item in value) or "—"
    if name == "return_period_months":
        return f"a return of the shipments for every {value} month(s)"
    return str(value) if value not in (None, "") else "—"


def terms_rows(terms: dict[str, Any], *, skip: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """A type's particulars (terms_summary, or a licence's copy of them) as (label, text) rows for pages and the
    signed document."""
    return [
        (TERMS_LABELS.get(name, name.replace("_", " ").capitalize()), _shown(name, value))
        for name, value in terms.items()
        if name not in skip
    ]
