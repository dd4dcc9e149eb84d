"""Pure functions of the hash chain: the canonical form of an entry and its hash. No database here."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_content(
    *,
    seq: int,
    occurred_at: datetime,
    actor_id: str | None,
    actor_repr: str,
    verb: str,
    target_type: str,
    target_id: str,
    target_repr: str,
    payload: dict[str, Any],
    prev_hash: str,
) -> bytes:
    document = {
        "seq": seq,
        "occurred_at": canonical_timestamp(occurred_at),
        "actor_id": actor_id,
        "actor_repr": actor_repr,
        "verb": verb,
        "target_type": target_type,
        "target_id": target_id,
        "target_repr": target_repr,
        "payload": payload,
        "prev_hash": prev_hash,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
