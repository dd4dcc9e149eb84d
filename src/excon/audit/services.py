"""The only way history is written: audit_record()."""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from .chain import canonical_content, entry_hash
from .labels import is_registered
from .models import AuditEntry, AuditPending
from .tasks import schedule_sequencing

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
    """Write one entry. `actor=None` records a system action under `system_label`.

    Called inside the service's transaction, so the entry commits or rolls back with the change it describes. It
    takes no lock: the entry gets its place in the Merkle tree from the sequencer, after commit.
    `verb` is a member of an app's registered AuditVerb enum (its string value is stored): a free string is refused,
    so every verb has a label and filters and reports can rely on the list."""
    if not is_registered(verb):
        raise TypeError(f"audit verb {verb!r} is not a member of a registered AuditVerb enum")
    target_type, target_id, target_repr = target_label(target)
    actor_repr = f"{actor.username} ({actor.organisation.name})" if actor is not None else system_label
    occurred_at = timezone.now()
    clean_payload = normalise_payload(payload)
    uid = uuid.uuid4()
    verb_value = str(verb.value)
    described = {
        "occurred_at": occurred_at,
        "actor_repr": actor_repr,
        "verb": verb_value,
        "target_type": target_type,
        "target_id": target_id,
        "target_repr": target_repr,
        "payload": clean_payload,
    }
    content = canonical_content(uid=str(uid), actor_id=str(actor.pk) if actor is not None else None, **described)
    entry = AuditEntry.objects.create(
        uid=uid, content_format=AuditEntry.FORMAT_LEAF, actor=actor, entry_hash=entry_hash(content), **described
    )
    AuditPending.objects.create(entry=entry)
    transaction.on_commit(schedule_sequencing)
    return entry
