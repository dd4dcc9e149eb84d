"""Reads of the screening app, scoped by the actor."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When

from excon.core.errors import NotFound
from excon.core.ids import parse_uuid
from excon.core.selectors import one_visible

from . import policies
from .enums import HitStatus, SourceCode, VersionStatus
from .models import EntryName, ListEntry, ListSource, ListVersion, ScreeningHit
from .registry import HitTarget, describe_hit_target

if TYPE_CHECKING:
    from excon.accounts.models import User


def list_status() -> list[dict[str, Any]]:
    """Each source with its version in force (for `excon lists status` and dashboards; no personal data)."""
    rows = []
    for source in ListSource.objects.order_by("code"):
        version = ListVersion.objects.filter(source=source, status=VersionStatus.IN_FORCE).first()
        last_failure = ListVersion.objects.filter(source=source, status=VersionStatus.FAILED).first()
        rows.append(
            {
                "source": source.code,
                "name": source.name,
                "version": version,
                "active_entries": source.entries.filter(active=True).count(),
                "last_failure": last_failure,
            }
        )
    return rows


def hit_list(*, actor: User, status: str = "", target_type: str = "", target_id: str = "") -> QuerySet[ScreeningHit]:
    if not policies.can_view_hits(actor):
        return ScreeningHit.objects.none()
    hits = ScreeningHit.objects.select_related("entry", "entry__source", "reviewer")
    if status:
        hits = hits.filter(status=status)
    if target_type:
        hits = hits.filter(target_type=target_type)
    if target_id:
        hits = hits.filter(target_id=target_id)
    return hits.order_by("-created_at")


def hit_queue(
    *,
    actor: User,
    status: str = "",
    source: str = "",
    score_min: Any = None,
    score_max: Any = None,
    name: str = "",
) -> QuerySet[ScreeningHit]:
    """The review queue: hit_list with the reviewer's filters (list, score range, part of the screened name), the
    open hits first, then the newest."""
    hits = hit_list(actor=actor, status=status)
    if source:
        hits = hits.filter(entry__source__code=source)
    if score_min is not None:
        hits = hits.filter(score__gte=score_min)
    if score_max is not None:
        hits = hits.filter(score__lte=score_max)
    if name.strip():
        hits = hits.filter(screened_name__icontains=name.strip())
    open_first = Case(When(status=HitStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    return hits.annotate(open_first=open_first).order_by("open_first", "-created_at", "pk")


def screened_party(*, actor: User, hit: ScreeningHit) -> dict[str, Any]:
    """Who was screened: the party behind a hit the actor may see, as the app it belongs to describes it (see
    registry.register_hit_describer), where it still exists."""
    key = parse_uuid(hit.target_id)
    target = describe_hit_target(hit.target_type, key) if key and policies.can_view_hits(actor) else None
    return {"name": hit.screened_name, **asdict(target or HitTarget())}


def hit_get(*, actor: User, hit_id: Any) -> ScreeningHit:
    return one_visible(
        ScreeningHit.objects.select_related("entry", "entry__source"),
        hit_id,
        "screening hit",
        visible=lambda hit: policies.can_view_hits(actor),
    )


# The lists (public list data, no personal data of ours) -----------------------------------------------------------


def failed_imports(*, actor: User, limit: int = 20) -> list[ListVersion]:
    """The latest failed list imports, for those who may read the lists."""
    if not policies.can_read_lists(actor):
        return []
    return list(ListVersion.objects.filter(status=VersionStatus.FAILED).select_related("source")[:limit])


def _entries(actor: User) -> QuerySet[ListEntry]:
    if not policies.can_read_lists(actor):
        return ListEntry.objects.none()
    return ListEntry.objects.select_related("source")


def entry_get(*, actor: User, entry_id: Any) -> ListEntry:
    """One list entry with its names (primary first) and identifiers."""
    return one_visible(
        _entries(actor)
        .select_related("first_version", "last_version")
        .prefetch_related(
            Prefetch("names", queryset=EntryName.objects.order_by("-is_primary", "quality", "name")),
            "identifiers",
        ),
        entry_id,
        "list entry",
    )


def national_entry_get(*, actor: User, entry_id: Any) -> ListEntry:
    """An entry of the national denial list (an entry of another list is not found here)."""
    entry = entry_get(actor=actor, entry_id=entry_id)
    if entry.source.code != SourceCode.NATIONAL:
        raise NotFound("national list entry")
    return entry


def national_entry_list(*, actor: User, q: str = "", include_removed: bool = False) -> QuerySet[ListEntry]:
    entries = _entries(actor).filter(source__code=SourceCode.NATIONAL)
    if not include_removed:
        entries = entries.filter(active=True)
    if q:
        entries = entries.filter(Q(primary_name__icontains=q) | Q(names__name__icontains=q) | Q(programme__icontains=q))
        entries = entries.distinct()
    return entries.order_by("primary_name", "pk")


def known_entry_ids(*, actor: User, entry_ids: list[Any]) -> set[Any]:
    """Which of these ids are entries still on file (a search result may name one an import has since replaced)."""
    if not policies.can_search_lists(actor):
        return set()
    keys = [key for key in (parse_uuid(value) for value in entry_ids) if key]
    return set(ListEntry.objects.filter(pk__in=keys).values_list("pk", flat=True))
