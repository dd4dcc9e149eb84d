"""Reads of the screening app, scoped by the actor."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from excon.core.errors import NotFound
from excon.core.ids import parse_uuid

from . import policies
from .enums import VersionStatus
from .models import ListSource, ListVersion, ScreeningHit

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


def hit_get(*, actor: User, hit_id: Any) -> ScreeningHit:
    key = parse_uuid(hit_id)
    hit = ScreeningHit.objects.select_related("entry", "entry__source").filter(pk=key).first() if key else None
    if hit is None or not policies.can_view_hits(actor):
        raise NotFound("screening hit")
    return hit
