"""Reading history. Object history is shown only beside an object the actor was already allowed to read."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from excon.core.errors import NotFound
from excon.core.ids import parse_uuid

from . import policies
from .models import AuditEntry
from .services import target_label

if TYPE_CHECKING:
    from excon.accounts.models import User


def audit_history_for(target: models.Model, *, limit: int = 200) -> QuerySet[AuditEntry]:
    """The entries about one object, newest first. The caller has already fetched `target` through a selector
    scoped to the actor, so seeing the object implies seeing its history."""
    target_type, target_id, _ = target_label(target)
    return AuditEntry.objects.filter(target_type=target_type, target_id=target_id).order_by("-seq")[:limit]


def audit_entry_list(
    *,
    actor: User,
    verb: str = "",
    target_type: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    user: str = "",
    organisation: str = "",
    case: str = "",
) -> QuerySet[AuditEntry]:
    """The whole log for its readers, newest first, filtered by what was done and about what kind of object, the
    days it happened (both ends included, in the server's time zone), who acted (user name, or the name as it was
    recorded), the acting user's organisation, and a case or licence reference (the object as it was named)."""
    if not policies.can_view_audit_log(actor):
        raise NotFound("audit log")  # not yours looks like not there
    entries = AuditEntry.objects.select_related("leaf").order_by("-seq")
    if verb:
        entries = entries.filter(verb=verb)
    if target_type:
        entries = entries.filter(target_type=target_type)
    if date_from:
        entries = entries.filter(occurred_at__gte=_start_of(date_from))
    if date_to:
        entries = entries.filter(occurred_at__lt=_start_of(date_to + dt.timedelta(days=1)))
    if user.strip():
        name = user.strip()
        entries = entries.filter(Q(actor__username__iexact=name) | Q(actor_repr__icontains=name))
    if organisation:
        key = parse_uuid(organisation)
        entries = entries.filter(actor__organisation_id=key) if key else entries.none()
    if case.strip():
        entries = entries.filter(target_repr__icontains=case.strip())
    return entries


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_actor_organisations(*, actor: User) -> list[tuple[Any, str]]:
    """The organisations whose users appear in the log, by name: the choices of the organisation filter."""
    if not policies.can_view_audit_log(actor):
        raise NotFound("audit log")
    rows = (
        AuditEntry.objects.exclude(actor=None)
        .order_by()
        .values_list("actor__organisation_id", "actor__organisation__name")
        .distinct()
    )
    return sorted(set(rows), key=lambda row: str(row[1]).lower())
