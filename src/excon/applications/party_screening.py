"""Screening an application's parties (and the exporter) against the sanctions and denied-party lists, through
the one screening engine. Hits are reviewed by compliance officers; open hits block the decision."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from excon.screening.enums import EntryKind, HitStatus
from excon.screening.models import ScreeningHit
from excon.screening.services import Party as ScreenedParty
from excon.screening.services import RescreenResult, rescreen_parties

from .enums import PartyKind
from .models import Application

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
