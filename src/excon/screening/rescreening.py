"""Continuous re-screening: every party of every open case, and of every active licence, screened again against
the lists in force, after each list import and nightly (tasks.rescreen_all). A new hit alerts the compliance
officers (an inbox message each, and an audit entry); a hit dismissed before for the same party and the same entry
content is not raised again (services.rescreen_parties remembers dismissals).

The applications and licences apps sit above screening in the dependency order, so their models are read here
lazily, inside the functions, and the licences app only when it is installed."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from excon.audit.services import audit_record
from excon.core.roles import OrganisationKind, Role

from .enums import AuditVerb, EntryKind, HitStatus, SourceCode
from .models import ScreeningHit
from .services import SYSTEM_LABEL, Party, RescreenResult, rescreen_parties

if TYPE_CHECKING:
    from excon.accounts.models import User

logger = logging.getLogger("excon.screening")

OPEN_APPLICATION_STATUSES = (
    "submitted",
    "checks_failed",
    "under_review",
    "awaiting_information",
    "ready_for_commission",
)
LICENCE_TARGET = "licences.licence"
ALERT_EVENT = "screening.rescreen_hit"
MAX_ALERT_MESSAGES = 25  # beyond this many new hits in one run, officers get one summary message instead


@dataclass(frozen=True)
class Case:
    """What a screened party belongs to, as an alert names it."""

    label: str  # "application EXP-2026-000123", "licence LIC-2026-000045"
    link: str


@dataclass
class RescreenRun:
    result: RescreenResult = field(default_factory=RescreenResult)
    parties: int = 0
    new_hits: list[ScreeningHit] = field(default_factory=list)
    alerted: int = 0  # compliance officers told


class PartyBook:
    """The parties to screen, each once, with the cases each belongs to."""

    def __init__(self) -> None:
        self.parties: dict[tuple[str, str, str, str], Party] = {}
        self.cases: dict[str, list[Case]] = {}

    def add(self, party: Party, case: Case) -> None:
        if not (party.name or "").strip():
            return
        self.parties.setdefault((party.reference, party.name, party.country, party.kind), party)
        cases = self.cases.setdefault(party.reference, [])
        if case not in cases:
            cases.append(case)


def _application_parties(book: PartyBook) -> None:
    if not apps.is_installed("excon.applications"):
        return
    from excon.applications.models import Application
    from excon.applications.party_screening import screenable_parties

    open_cases = (
        Application.objects.filter(status__in=OPEN_APPLICATION_STATUSES)
        .select_related("applicant")
        .prefetch_related("parties__country")
        .order_by("reference")
    )
    for application in open_cases:
        case = Case(label=f"application {application.reference}", link=f"/applications/{application.pk}/")
        for party in screenable_parties(application):
            book.add(party, case)


def _licence_parties(book: PartyBook) -> None:
    if not apps.is_installed("excon.licences"):
        return
    try:
        from excon.licences.models import Licence
    except ImportError:  # the licences app is still being written
        logger.warning("excon.licences is installed but its models cannot be imported; licences not re-screened")
        return
    for licence in Licence.objects.filter(status="active").select_related("holder", "destination").order_by("pk"):
        reference = f"{LICENCE_TARGET}:{licence.pk}"
        case = Case(label=f"licence {licence.number}", link=f"/licences/{licence.pk}/")
        holder = licence.holder
        book.add(Party(reference, holder.name, EntryKind.ORGANISATION, holder.country or ""), case)
        destination = getattr(licence.destination, "iso2", "") or ""
        if licence.end_user:
            kind = EntryKind.PERSON if licence.end_user_kind == "individual" else EntryKind.ORGANISATION
            book.add(Party(reference, licence.end_user, kind, destination), case)
        for consignee in licence.consignees or []:
            if not isinstance(consignee, dict) or not consignee.get("name"):
                continue
            country = str(consignee.get("country") or destination)[:2].upper()
            book.add(Party(reference, str(consignee["name"]), EntryKind.ORGANISATION, country), case)


def parties_to_rescreen() -> PartyBook:
    book = PartyBook()
    _application_parties(book)
    _licence_parties(book)
    return book


def compliance_officers() -> list[User]:
    from excon.accounts.selectors import users_with_roles

    return list(users_with_roles([Role.COMPLIANCE_OFFICER], organisation_kind=OrganisationKind.AUTHORITY))


def _hit_link(hit: ScreeningHit) -> str:
    try:
        return reverse("screening:hit", args=[hit.pk])
    except NoReverseMatch:
        return f"/screening/hits/{hit.pk}/"


def _queue_link() -> str:
    try:
        return reverse("screening:queue") + f"?status={HitStatus.OPEN}"
    except NoReverseMatch:
        return f"/screening/?status={HitStatus.OPEN}"


def _cases_text(cases: Iterable[Case]) -> str:
    labels = [case.label for case in cases]
    return ", ".join(labels) if labels else "no open case"


def _alert(hit: ScreeningHit, cases: list[Case], officers: list[User], *, message: bool) -> None:
    from excon.notifications.services import notify

    entry = hit.entry
    source = SourceCode(entry.source.code).label if entry.source.code in SourceCode.values else entry.source.code
    where = _cases_text(cases)
    if message:
        notify(
            recipients=officers,
            subject=f"Screening hit: {hit.screened_name} ({where})",
            body=(
                f"Re-screening against the lists in force found that {hit.screened_name}, a party to {where}, may "
                f"be {entry.primary_name} on the {source} (entry {entry.external_id}), score {hit.score:.2f}. "
                "Review the hit: confirm it if it is the listed party, or dismiss it with your reason."
            ),
            link=_hit_link(hit),
            event=ALERT_EVENT,
        )
    audit_record(
        actor=None,
        verb=AuditVerb.SCREENING_RESCREEN_ALERT,
        target=hit,
        payload={
            "party": f"{hit.target_type}:{hit.target_id}",
            "name": hit.screened_name,
            "cases": [case.label for case in cases],
            "entry": entry.external_id,
            "source": entry.source.code,
            "score": hit.score,
            "officers_told": len(officers) if message else 0,
        },
        system_label=SYSTEM_LABEL,
    )


@transaction.atomic
def rescreen_open_cases() -> RescreenRun:
    """Screen every party of every open application (and its exporter) and of every active licence again; raise
    and announce the new hits. Running it twice raises nothing new."""
    book = parties_to_rescreen()
    run = RescreenRun(parties=len(book.parties))
    if not book.parties:
        return run
    started = timezone.now() - dt.timedelta(microseconds=1)
    run.result = rescreen_parties(list(book.parties.values()), actor=None)
    if not run.result.new_hits:
        return run
    screened = {reference.partition(":")[::2] for reference in book.cases}
    candidates = ScreeningHit.objects.filter(
        created_at__gte=started,
        status=HitStatus.OPEN,
        target_type__in={target_type for target_type, _ in screened},
    ).select_related("entry", "entry__source")
    run.new_hits = [hit for hit in candidates.order_by("created_at") if (hit.target_type, hit.target_id) in screened]
    officers = compliance_officers()
    individual = len(run.new_hits) <= MAX_ALERT_MESSAGES
    for hit in run.new_hits:
        _alert(hit, book.cases.get(f"{hit.target_type}:{hit.target_id}", []), officers, message=individual)
    if not individual:
        _summary_alert(run.new_hits, officers)
    run.alerted = len(officers)
    return run


def _summary_alert(hits: list[ScreeningHit], officers: list[User]) -> None:
    from excon.notifications.services import notify

    names = ", ".join(sorted({hit.screened_name for hit in hits})[:10])
    notify(
        recipients=officers,
        subject=f"Re-screening raised {len(hits)} new screening hits",
        body=f"Re-screening against the lists in force raised {len(hits)} new hits, among them: {names}. "
        "They are open in the review queue.",
        link=_queue_link(),
        event=ALERT_EVENT,
    )


def run_summary(run: RescreenRun) -> dict[str, Any]:
    return {
        "parties": run.parties,
        "screened": run.result.screened,
        "new_hits": run.result.new_hits,
        "suppressed": run.result.suppressed,
        "already_open": run.result.already_open,
        "officers_alerted": run.alerted,
    }
