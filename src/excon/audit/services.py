"""The only way history is written: audit_record()."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from .chain import GENESIS_HASH, canonical_content, entry_hash
from .labels import is_registered
from .models import AuditChainHead, AuditEntry

if TYPE_CHECKING:
    from excon.accounts.models import User

SYSTEM_ACTOR = "system"


def target_label(target: models.Model | None) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    meta = target._meta
    return f"{meta.app_label}.{meta.model_name}", str(target.pk), str(target)[:300]


def normalise_payload(payload: dict[str, Any] | None) -> dict[str, Any]:
    """Round-trip through JSON so what is hashed is exactly what the database returns later
    (dates, decimals and UUIDs become strings)."""
    return json.loads(json.dumps(payload or {}, cls=DjangoJSONEncoder, sort_keys=True))


@transaction.atomic
def audit_record(
    *,
    actor: User | None,
    verb: models.TextChoices,
    target: models.Model | None = None,
    payload: dict[str, Any] | None = None,
    system_label: str = SYSTEM_ACTOR,
) -> AuditEntry:
    """Append one entry to the chain. `actor=None` records a system action under `system_label`.

    Called inside the service's transaction, so the entry commits or rolls back with the change it describes.
    `verb` is a member of an app's registered AuditVerb enum (its string value is stored): a free string is refused,
    so every verb has a label and filters and reports can rely on the list."""
    if not is_registered(verb):
        raise TypeError(f"audit verb {verb!r} is not a member of a registered AuditVerb enum")
    AuditChainHead.objects.get_or_create(id=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH})
    head = AuditChainHead.objects.select_for_update().get(id=1)
    target_type, target_id, target_repr = target_label(target)
    actor_repr = f"{actor.username} ({actor.organisation.name})" if actor is not None else system_label
    occurred_at = timezone.now()
    clean_payload = normalise_payload(payload)
    seq = head.last_seq + 1
    content = canonical_content(
        seq=seq,
        occurred_at=occurred_at,
        actor_id=str(actor.pk) if actor is not None else None,
        actor_repr=actor_repr,
        verb=str(verb.value),
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr,
        payload=clean_payload,
        prev_hash=head.last_hash,
    )
    digest = entry_hash(content)
    entry = AuditEntry.objects.create(
        seq=seq,
        occurred_at=occurred_at,
        actor=actor,
        actor_repr=actor_repr,
        verb=str(verb.value),
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr,
        payload=clean_payload,
        prev_hash=head.last_hash,
        entry_hash=digest,
    )
    head.last_seq = seq
    head.last_hash = digest
    head.save(update_fields=["last_seq", "last_hash"])
    return entry
