"""Writes of the screening app: list imports, the national denial list, screening runs and hit review."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from django.db import transaction
from django.utils import timezone

from excon.audit.services import audit_record
from excon.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from excon.core.ids import parse_uuid

from . import policies
from .enums import AuditVerb, EntryKind, HitStatus, IdentifierType, NameQuality, SourceCode, VersionStatus
from .importers import ImportRefused, ParsedEntry, ParseResult, parser_for
from .importers.base import sha256_of
from .index import forget_index
from .matching import DEFAULT_THRESHOLD, Hit, Query, match, match_many
from .metrics import SCREENING_HITS, SCREENING_NAMES, SCREENING_SECONDS
from .models import EntryIdentifier, EntryName, HitDismissal, ListEntry, ListSource, ListVersion, ScreeningHit
from .normalise import normalise_country, normalise_identifier, normalise_name

if TYPE_CHECKING:
    from excon.accounts.models import User

SYSTEM_LABEL = "screening"


# Sources and imports -------------------------------------------------------------------------------------------


def source_for(code: str) -> ListSource:
    if code not in SourceCode.values:
        raise ValidationError(f"unknown list source {code!r}", code="screening.unknown_source")
    source, _ = ListSource.objects.get_or_create(code=code, defaults={"name": SourceCode(code).label})
    return source


@dataclass(frozen=True)
class ImportOutcome:
    version: ListVersion
    unchanged: bool


def list_import(
    *,
    actor: User | None,
    source: str,
    paths: list[Path],
    published_on: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportOutcome:
    """Import one publication of a list. The same file again changes nothing; a newer one records what was added,
    removed and changed. A file that cannot be read whole is refused (ImportRefused) and the version in force
    stays as it was: everything is parsed before anything is written, and written in one transaction."""
    if not policies.can_import_lists(actor):
        raise PermissionDenied("you may not import sanctions lists")
    if source == SourceCode.NATIONAL:
        raise ValidationError("the national list is kept in ExCon, not imported", code="screening.national_import")
    for path in paths:
        if not path.is_file():
            raise ImportRefused(f"{path}: no such file")
    list_source = source_for(source)
    digest = sha256_of(paths)
    in_force = ListVersion.objects.filter(source=list_source, status=VersionStatus.IN_FORCE).first()
    if in_force is not None and in_force.sha256 == digest:
        return ImportOutcome(version=in_force, unchanged=True)
    result = ParseResult()
    parsed: dict[str, ParsedEntry] = {}
    try:
        for entry in parser_for(source, paths)(paths, result):
            parsed[entry.source_id] = entry
            if progress is not None:
                progress(1)
    except ImportRefused as exc:
        _record_failure(list_source, digest, paths, exc.message)
        raise
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        _record_failure(list_source, digest, paths, str(exc))
        raise ImportRefused(f"could not read the file: {exc}") from exc
    if not parsed:
        _record_failure(list_source, digest, paths, "no entries")
        raise ImportRefused("the file holds no entries")
    version = _write_version(actor, list_source, digest, paths, parsed, published_on or result.published_on)
    transaction.on_commit(forget_index)
    transaction.on_commit(_queue_rescreening)
    return ImportOutcome(version=version, unchanged=False)


def _queue_rescreening() -> None:
    """Every open case and active licence is screened again against the new version (tasks.rescreen_all)."""
    from .tasks import rescreen_all

    rescreen_all.delay()


def _record_failure(source: ListSource, digest: str, paths: list[Path], reason: str) -> None:
    with transaction.atomic():
        ListVersion.objects.create(
            source=source,
            sha256=digest,
            file_names=", ".join(path.name for path in paths)[:500],
            status=VersionStatus.FAILED,
            failure_reason=reason[:2000],
        )


@transaction.atomic
def _write_version(
    actor: User | None,
    source: ListSource,
    digest: str,
    paths: list[Path],
    parsed: dict[str, ParsedEntry],
    published_on: dt.date | None,
) -> ListVersion:
    previous = ListVersion.objects.select_for_update().filter(source=source, status=VersionStatus.IN_FORCE).first()
    if previous is not None:
        previous.status = VersionStatus.SUPERSEDED
        previous.save(update_fields=["status", "updated_at"])
    version = ListVersion.objects.create(
        source=source,
        sha256=digest,
        published_on=published_on,
        file_names=", ".join(path.name for path in paths)[:500],
        status=VersionStatus.IN_FORCE,
        total=len(parsed),
    )
    existing = {
        row[0]: row[1:]
        for row in ListEntry.objects.filter(source=source).values_list("external_id", "pk", "content_hash", "active")
    }
    hashes = {source_id: entry.content_hash() for source_id, entry in parsed.items()}
    added = [sid for sid in parsed if sid not in existing or not existing[sid][2]]
    changed = [sid for sid in parsed if sid in existing and existing[sid][2] and existing[sid][1] != hashes[sid]]
    unchanged = [sid for sid in parsed if sid in existing and existing[sid][2] and existing[sid][1] == hashes[sid]]
    removed = [sid for sid, row in existing.items() if row[2] and sid not in parsed]

    reactivated = [sid for sid in added if sid in existing]
    fresh = [sid for sid in added if sid not in existing]
    rewrite = reactivated + changed
    if rewrite:
        keys = [existing[sid][0] for sid in rewrite]
        EntryName.objects.filter(entry_id__in=keys).delete()
        EntryIdentifier.objects.filter(entry_id__in=keys).delete()
        rows = []
        for sid in rewrite:
            row = _entry_row(parsed[sid], source, version, hashes[sid], pk=existing[sid][0])
            rows.append(row)
        ListEntry.objects.bulk_update(
            rows,
            [
                "kind",
                "primary_name",
                "programme",
                "listed_on",
                "remarks",
                "source_url",
                "birth_dates",
                "countries",
                "active",
                "content_hash",
                "last_version",
                "updated_at",
            ],
            batch_size=1000,
        )
        _write_names(rows, parsed)
    if fresh:
        rows = [_entry_row(parsed[sid], source, version, hashes[sid], first=True) for sid in fresh]
        ListEntry.objects.bulk_create(rows, batch_size=1000)
        _write_names(rows, parsed)
    if unchanged:
        keys = [existing[sid][0] for sid in unchanged]
        for start in range(0, len(keys), 1000):
            ListEntry.objects.filter(pk__in=keys[start : start + 1000]).update(last_version=version)
    if removed:
        keys = [existing[sid][0] for sid in removed]
        for start in range(0, len(keys), 1000):
            ListEntry.objects.filter(pk__in=keys[start : start + 1000]).update(active=False, updated_at=timezone.now())
    version.added, version.changed, version.removed = len(added), len(changed), len(removed)
    version.save(update_fields=["added", "changed", "removed"])
    audit_record(
        actor=actor,
        verb=AuditVerb.SCREENING_LIST_IMPORTED,
        target=version,
        payload={
            "source": source.code,
            "sha256": digest,
            "published_on": published_on,
            "files": [path.name for path in paths],
            "total": len(parsed),
            "added": len(added),
            "changed": len(changed),
            "removed": len(removed),
            "superseded": str(previous.pk) if previous else None,
        },
        system_label=SYSTEM_LABEL,
    )
    return version


def _entry_row(
    parsed: ParsedEntry,
    source: ListSource,
    version: ListVersion,
    content_hash: str,
    *,
    pk: uuid.UUID | None = None,
    first: bool = False,
) -> ListEntry:
    row = ListEntry(
        source=source,
        external_id=parsed.source_id[:120],
        kind=parsed.kind,
        primary_name=parsed.primary_name[:500],
        programme=parsed.programme[:500],
        listed_on=parsed.listed_on,
        remarks=parsed.remarks,
        source_url=parsed.source_url[:500],
        birth_dates=parsed.birth_dates,
        countries=parsed.countries,
        active=True,
        content_hash=content_hash,
        last_version=version,
        updated_at=timezone.now(),
    )
    if pk is not None:
        row.pk = pk
    if first:
        row.first_version = version
    return row


def _write_names(rows: list[ListEntry], parsed: dict[str, ParsedEntry]) -> None:
    names: list[EntryName] = []
    identifiers: list[EntryIdentifier] = []
    for row in rows:
        entry = parsed[row.external_id]
        names.append(
            EntryName(
                entry=row,
                name=entry.primary_name[:500],
                normalised=normalise_name(entry.primary_name)[:500],
                quality=NameQuality.STRONG,
                is_primary=True,
            )
        )
        for name, quality in entry.names:
            names.append(EntryName(entry=row, name=name[:500], normalised=normalise_name(name)[:500], quality=quality))
        for kind, value, country in entry.identifiers:
            identifiers.append(
                EntryIdentifier(
                    entry=row,
                    type=kind,
                    value=value[:200],
                    normalised=normalise_identifier(value)[:200],
                    country=country,
                )
            )
    EntryName.objects.bulk_create(names, batch_size=2000)
    EntryIdentifier.objects.bulk_create(identifiers, batch_size=2000)


# The national denial list --------------------------------------------------------------------------------------


@dataclass
class NationalEntryInput:
    name: str
    kind: str = EntryKind.UNKNOWN
    aliases: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    birth_dates: tuple[str, ...] = ()
    identifiers: tuple[tuple[str, str], ...] = ()  # (type, value)
    programme: str = ""  # e.g. "authority denial", "denial notification from DE"
    remarks: str = ""
    listed_on: dt.date | None = None


def _clean_national(data: NationalEntryInput) -> ParsedEntry:
    name = " ".join((data.name or "").split())
    if not normalise_name(name):
        raise ValidationError("the name is required", code="screening.name_required", details={"field": "name"})
    if data.kind not in EntryKind.values:
        raise ValidationError(f"unknown kind {data.kind!r}", code="screening.bad_kind", details={"field": "kind"})
    entry = ParsedEntry(
        source_id="",
        kind=data.kind,
        primary_name=name,
        programme=data.programme.strip(),
        listed_on=data.listed_on or timezone.localdate(),
        remarks=data.remarks.strip(),
    )
    for alias in data.aliases:
        entry.add_name(alias)
    for country in data.countries:
        code = normalise_country(country)
        if not code:
            raise ValidationError(f"unknown country {country!r}", code="screening.bad_country")
        entry.add_country(code)
    for date in data.birth_dates:
        entry.add_birth_date(date)
    for kind, value in data.identifiers:
        if kind not in IdentifierType.values:
            raise ValidationError(f"unknown identifier type {kind!r}", code="screening.bad_identifier_type")
        entry.add_identifier(kind, value)
    return entry


def _save_national(entry: ListEntry, parsed: ParsedEntry) -> None:
    entry.kind = parsed.kind
    entry.primary_name = parsed.primary_name[:500]
    entry.programme = parsed.programme[:500]
    entry.listed_on = parsed.listed_on
    entry.remarks = parsed.remarks
    entry.birth_dates = parsed.birth_dates
    entry.countries = parsed.countries
    entry.content_hash = parsed.content_hash()
    entry.save()
    entry.names.all().delete()
    entry.identifiers.all().delete()
    _write_names([entry], {entry.external_id: parsed})


@transaction.atomic
def national_entry_create(*, actor: User, data: NationalEntryInput) -> ListEntry:
    if not policies.can_manage_national_list(actor):
        raise PermissionDenied("only compliance and senior officers keep the national denial list")
    parsed = _clean_national(data)
    source = source_for(SourceCode.NATIONAL)
    entry = ListEntry(source=source, external_id=f"NAT-{uuid.uuid4().hex[:12].upper()}")
    parsed.source_id = entry.external_id
    _save_national(entry, parsed)
    audit_record(
        actor=actor,
        verb=AuditVerb.SCREENING_NATIONAL_ENTRY_CREATED,
        target=entry,
        payload={"name": entry.primary_name, "kind": entry.kind, "programme": entry.programme},
    )
    transaction.on_commit(forget_index)
    transaction.on_commit(_queue_rescreening)  # a new or changed denial is checked against open cases at once
    return entry


def _national_entry(entry_id: object) -> ListEntry:
    key = parse_uuid(entry_id)
    entry = (
        ListEntry.objects.select_for_update().filter(pk=key, source__code=SourceCode.NATIONAL).first() if key else None
    )
    if entry is None:
        raise NotFound("national list entry")
    return entry


@transaction.atomic
def national_entry_update(*, actor: User, entry_id: object, data: NationalEntryInput) -> ListEntry:
    if not policies.can_manage_national_list(actor):
        raise PermissionDenied("only compliance and senior officers keep the national denial list")
    entry = _national_entry(entry_id)
    if not entry.active:
        raise Conflict("the entry was removed", code="screening.entry_removed")
    before = {"name": entry.primary_name, "hash": entry.content_hash}
    parsed = _clean_national(data)
    parsed.source_id = entry.external_id
    _save_national(entry, parsed)
    audit_record(
        actor=actor,
        verb=AuditVerb.SCREENING_NATIONAL_ENTRY_UPDATED,
        target=entry,
        payload={"before": before, "after": {"name": entry.primary_name, "hash": entry.content_hash}},
    )
    transaction.on_commit(forget_index)
    transaction.on_commit(_queue_rescreening)  # a new or changed denial is checked against open cases at once
    return entry


@transaction.atomic
def national_entry_remove(*, actor: User, entry_id: object, reason: str) -> ListEntry:
    if not policies.can_manage_national_list(actor):
        raise PermissionDenied("only compliance and senior officers keep the national denial list")
    if not reason.strip():
        raise ValidationError("a reason is required", code="screening.reason_required", details={"field": "reason"})
    entry = _national_entry(entry_id)
    if not entry.active:
        raise Conflict("the entry was already removed", code="screening.entry_removed")
    entry.active = False
    entry.save(update_fields=["active", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.SCREENING_NATIONAL_ENTRY_REMOVED,
        target=entry,
        payload={"name": entry.primary_name, "reason": reason.strip()},
    )
    transaction.on_commit(forget_index)
    return entry


# Searching -----------------------------------------------------------------------------------------------------


def screening_search(*, actor: User, query: Query, threshold: float = DEFAULT_THRESHOLD, limit: int = 20) -> list[Hit]:
    """A single-name search (no hit is recorded: the caller reviews the result on screen)."""
    if not policies.can_search_lists(actor):
        raise PermissionDenied("you may not search the sanctions lists")
    if not normalise_name(query.name or ""):
        raise ValidationError("the name is required", code="screening.name_required", details={"field": "name"})
    if not 0.0 < threshold <= 1.0:
        raise ValidationError("threshold must be in (0, 1]", code="screening.bad_threshold")
    if not 1 <= limit <= 200:
        raise ValidationError("limit must be between 1 and 200", code="screening.bad_limit")
    if query.country and not normalise_country(query.country):
        raise ValidationError(f"unknown country {query.country!r}", code="screening.bad_country")
    with SCREENING_SECONDS.labels("search").time():
        hits = match(query, threshold=threshold, limit=limit)
    SCREENING_NAMES.labels("search").inc()
    SCREENING_HITS.labels("search").inc(len(hits))
    return hits


# Parties, hits and their review --------------------------------------------------------------------------------


class ScreenableParty(Protocol):
    """What screening needs of a party (an applicant, consignee, end user …): applications and licences adapt
    their own models to this."""

    @property
    def reference(self) -> str: ...  # "applications.party:<uuid>"

    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def country(self) -> str: ...

    @property
    def birth_date(self) -> str: ...


@dataclass(frozen=True)
class Party:
    """A plain ScreenableParty."""

    reference: str
    name: str
    kind: str = ""
    country: str = ""
    birth_date: str = ""


def party_fingerprint(party: ScreenableParty) -> str:
    """What a dismissal is remembered against: the normalised name, country and birth date."""
    key = "|".join(
        (normalise_name(party.name), normalise_country(party.country or ""), (party.birth_date or "").strip())
    )
    return hashlib.sha256(key.encode()).hexdigest()


def _split_reference(reference: str) -> tuple[str, str]:
    target_type, _, target_id = reference.partition(":")
    return target_type[:60], target_id[:64]


@dataclass
class RescreenResult:
    screened: int = 0
    new_hits: int = 0
    suppressed: int = 0  # hits a remembered dismissal kept from being raised again
    already_open: int = 0


@transaction.atomic
def rescreen_parties(
    parties: Iterable[ScreenableParty], *, actor: User | None = None, threshold: float = DEFAULT_THRESHOLD
) -> RescreenResult:
    """Screen parties and raise a ScreeningHit for each new match; a match dismissed before for the same party
    fingerprint and the same entry content is not raised again. Called by tasks (nightly, after a list import)
    and, later, by the application and licence apps."""
    result = RescreenResult()
    parties = list(parties)
    queries = [Query(name=p.name, kind=p.kind, country=p.country, birth_date=p.birth_date) for p in parties]
    with SCREENING_SECONDS.labels("rescreen").time():
        matches = match_many(queries, threshold=threshold, limit=50)  # a worker pool for large batches
    SCREENING_NAMES.labels("rescreen").inc(len(queries))
    for party, hits in zip(parties, matches, strict=True):
        result.screened += 1
        fingerprint = party_fingerprint(party)
        target_type, target_id = _split_reference(party.reference)
        for hit in hits:
            entry_id = parse_uuid(hit.entry_key)
            if entry_id is None:  # an index built outside the database (benchmarks) has no entry rows
                continue
            if HitDismissal.objects.filter(
                party_fingerprint=fingerprint, entry_id=entry_id, entry_hash=hit.content_hash
            ).exists():
                result.suppressed += 1
                continue
            if ScreeningHit.objects.filter(
                target_type=target_type,
                target_id=target_id,
                entry_id=entry_id,
                party_fingerprint=fingerprint,
                entry_hash=hit.content_hash,
                status__in=[HitStatus.OPEN, HitStatus.CONFIRMED],
            ).exists():
                result.already_open += 1
                continue
            screening_hit = ScreeningHit.objects.create(
                target_type=target_type,
                target_id=target_id,
                screened_name=party.name[:500],
                party_fingerprint=fingerprint,
                entry_id=entry_id,
                entry_hash=hit.content_hash,
                score=hit.score,
                explanation={**hit.explanation, "matched_name": hit.matched_name, "source": hit.source},
            )
            audit_record(
                actor=actor,
                verb=AuditVerb.SCREENING_HIT_RAISED,
                target=screening_hit,
                payload={
                    "party": party.reference,
                    "name": party.name,
                    "entry": hit.source_id,
                    "source": hit.source,
                    "score": hit.score,
                },
                system_label=SYSTEM_LABEL,
            )
            result.new_hits += 1
            SCREENING_HITS.labels("rescreen").inc()
    return result


def _hit_for_review(actor: User, hit_id: object) -> ScreeningHit:
    if not policies.can_review_hit(actor):
        raise PermissionDenied("only compliance officers review screening hits")
    key = parse_uuid(hit_id)
    hit = ScreeningHit.objects.select_for_update().filter(pk=key).first() if key else None
    if hit is None:
        raise NotFound("screening hit")
    if hit.status != HitStatus.OPEN:
        raise Conflict(f"the hit is already {hit.status}", code="screening.hit_already_reviewed")
    return hit


@transaction.atomic
def hit_confirm(*, actor: User, hit_id: object, reason: str = "") -> ScreeningHit:
    hit = _hit_for_review(actor, hit_id)
    hit.status = HitStatus.CONFIRMED
    hit.reviewer = actor
    hit.reviewed_at = timezone.now()
    hit.reason = reason.strip()
    hit.save(update_fields=["status", "reviewer", "reviewed_at", "reason", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.SCREENING_HIT_CONFIRMED,
        target=hit,
        payload={"entry": str(hit.entry_id), "score": hit.score, "reason": hit.reason},
    )
    return hit


@transaction.atomic
def hit_dismiss(*, actor: User, hit_id: object, reason: str) -> ScreeningHit:
    hit = _hit_for_review(actor, hit_id)
    if not (reason or "").strip():
        raise ValidationError(
            "a reason is required to dismiss a hit", code="screening.reason_required", details={"field": "reason"}
        )
    hit.status = HitStatus.DISMISSED
    hit.reviewer = actor
    hit.reviewed_at = timezone.now()
    hit.reason = reason.strip()
    hit.save(update_fields=["status", "reviewer", "reviewed_at", "reason", "updated_at"])
    HitDismissal.objects.get_or_create(
        party_fingerprint=hit.party_fingerprint,
        entry_id=hit.entry_id,
        entry_hash=hit.entry_hash,
        defaults={"hit": hit, "reason": hit.reason},
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.SCREENING_HIT_DISMISSED,
        target=hit,
        payload={"entry": str(hit.entry_id), "score": hit.score, "reason": hit.reason},
    )
    return hit
