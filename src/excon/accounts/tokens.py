"""Personal API token format: `excon_<prefix>_<secret>`. The prefix finds the row; the secret is compared by hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_PREFIX = "excon"  # noqa: S105 - a public marker, not a secret


def new_token() -> tuple[str, str, str]:
    """Return (full token shown once, prefix stored in clear, SHA-256 of the secret stored)."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return f"{TOKEN_PREFIX}_{prefix}_{secret}", prefix, hash_secret(secret)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def split_token(token: str) -> tuple[str, str] | None:
    parts = token.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)
