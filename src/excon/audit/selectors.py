"""Reading history. Object history is shown only beside an object the actor was already allowed to read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import QuerySet

from excon.core.errors import NotFound

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


def audit_entry_list(*, actor: User, verb: str = "", target_type: str = "") -> QuerySet[AuditEntry]:
    if not policies.can_view_audit_log(actor):
        raise NotFound("audit log")  # not yours looks like not there
    entries = AuditEntry.objects.select_related("leaf").order_by("-seq")
    if verb:
        entries = entries.filter(verb=verb)
    if target_type:
        entries = entries.filter(target_type=target_type)
    return entries
