"""Screening an application's parties (and the exporter) against the sanctions and denied-party lists, through
the one screening engine. Hits are reviewed by compliance officers; open hits block the decision. The parties of
open cases are screened again with every list import (`open_case_parties`, a party source registered with
screening), and a hit on a party is shown on the hit pages through `describe_party` / `describe_exporter`."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

from django.db.models import Q, QuerySet

from excon.accounts.models import Organisation
from excon.screening.enums import EntryKind, HitStatus
from excon.screening.models import ScreeningHit
from excon.screening.registry import Case, HitTarget
from excon.screening.services import Party as ScreenedParty
from excon.screening.services import RescreenResult, rescreen_parties

from .enums import ApplicationStatus, PartyKind
from .models import Application, Party

PARTY_TARGET = "applications.party"
EXPORTER_TARGET = "accounts.organisation"


def screenable_parties(application: Application) -> list[ScreenedParty]:
    parties = [
        ScreenedParty(
            reference=f"{PARTY_TARGET}:{party.pk}",
            name=party.name,
            kind=EntryKind.PERSON if party.kind == PartyKind.INDIVIDUAL else EntryKind.ORGANISATION,
            country=party.country.iso2,
        )
        for party in application.parties.select_related("country")
    ]
    applicant = application.applicant
    parties.append(
        ScreenedParty(
            reference=f"{EXPORTER_TARGET}:{applicant.pk}",
            name=applicant.name,
            kind=EntryKind.ORGANISATION,
            country=applicant.country,
        )
    )
    return parties


def screen_application(application: Application) -> RescreenResult:
    return rescreen_parties(screenable_parties(application))


def application_hits(application: Application) -> QuerySet[ScreeningHit]:
    party_ids = [str(pk) for pk in application.parties.values_list("pk", flat=True)]
    return ScreeningHit.objects.filter(
        Q(target_type=PARTY_TARGET, target_id__in=party_ids)
        | Q(target_type=EXPORTER_TARGET, target_id=str(application.applicant_id))
    ).select_related("entry")


def open_hits_count(application: Application) -> int:
    return application_hits(application).filter(status=HitStatus.OPEN).count()


# Cases still being decided: their parties are screened again with every list import.
OPEN_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.CHECKS_FAILED,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.AWAITING_INFORMATION,
    ApplicationStatus.READY_FOR_COMMISSION,
)


def open_case_parties() -> Iterator[tuple[ScreenedParty, Case]]:
    """Every party (and the exporter) of every open case, with the case (a re-screening party source)."""
    open_cases = (
        Application.objects.filter(status__in=OPEN_STATUSES)
        .select_related("applicant")
        .prefetch_related("parties__country")
        .order_by("reference")
    )
    for application in open_cases:
        case = Case(label=f"application {application.reference}", link=f"/applications/{application.pk}/")
        for party in screenable_parties(application):
            yield party, case


def describe_party(key: UUID) -> HitTarget | None:
    row = Party.objects.select_related("country", "application").filter(pk=key).first()
    if row is None:
        return None
    return HitTarget(
        country=f"{row.country.name} ({row.country.iso2})",
        kind=row.get_kind_display(),
        role=row.get_role_display(),
        belongs_to=f"Application {row.application.reference}",
        link=f"/applications/{row.application_id}/",
    )


def describe_exporter(key: UUID) -> HitTarget | None:
    organisation = Organisation.objects.filter(pk=key).first()
    if organisation is None:
        return None
    return HitTarget(country=organisation.country, kind="Organisation", role="Exporter", belongs_to=organisation.name)
