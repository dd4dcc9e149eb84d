"""Pure functions of an entry's content: its canonical bytes (the leaf data) and hashes. No database here."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .merkle import leaf_hash

if TYPE_CHECKING:
    from .models import AuditEntry

GENESIS_HASH = "0" * 64
FORMAT_CHAINED = 1
FORMAT_LEAF = 2


def canonical_timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _dumps(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _described(
    *,
    occurred_at: datetime,
    actor_id: str | None,
    actor_repr: str,
    verb: str,
    target_type: str,
    target_id: str,
    target_repr: str,
    payload: dict[str, Any],
) -> dict[str, Any]:
    """What an entry says, in both formats (the keys are sorted when dumped, so their order here is not hashed)."""
    return {
        "occurred_at": canonical_timestamp(occurred_at),
        "actor_id": actor_id,
        "actor_repr": actor_repr,
        "verb": verb,
        "target_type": target_type,
        "target_id": target_id,
        "target_repr": target_repr,
        "payload": payload,
    }


def canonical_content(*, uid: str, **described: Any) -> bytes:
    """Format 2, the leaf data: everything the entry says and nothing about its position, which the sequencer
    assigns after commit. The random uid makes two otherwise identical entries distinct leaves."""
    return _dumps({"format": FORMAT_LEAF, "uid": uid, **_described(**described)})


def chained_content(*, seq: int, prev_hash: str, **described: Any) -> bytes:
    """Format 1, as entries were hashed under the old chain; kept byte for byte so those entries still verify."""
    return _dumps({"seq": seq, **_described(**described), "prev_hash": prev_hash})


def entry_content(entry: AuditEntry) -> bytes:
    """The canonical bytes of a stored entry, in the format it was written in."""
    common = {
        "occurred_at": entry.occurred_at,
        "actor_id": str(entry.actor_id) if entry.actor_id is not None else None,
        "actor_repr": entry.actor_repr,
        "verb": entry.verb,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "target_repr": entry.target_repr,
        "payload": entry.payload,
    }
    if entry.content_format == FORMAT_CHAINED:
        return chained_content(seq=entry.chain_seq or 0, prev_hash=entry.prev_hash, **common)
    return canonical_content(uid=str(entry.uid), **common)


def entry_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def entry_leaf_hash(content: bytes) -> str:
    return leaf_hash(content).hex()
