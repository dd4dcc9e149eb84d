"""Signed checkpoints of the audit log: the key, the signed text, the append-only file and the export format.

The Ed25519 private key is a PEM file EXCON_DATA_DIR/keys/audit-<key id>.pem (mode 0600; encrypted when
EXCON_SIGNING_KEY_PASSPHRASE is set), never in the database. Verification trusts only the public keys of the key
files present, so a database copy can neither forge a checkpoint nor swap in a key of its own."""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from excon.core.keys import b64url, b64url_decode, keys_dir, read_private_key, write_private_key

from .chain import canonical_timestamp

KEY_PREFIX = "audit-"
CHECKPOINT_SCHEME = "excon-audit-checkpoint-v1"


@dataclass(frozen=True)
class SignedCheckpoint:
    origin: str
    tree_size: int
    root_hash: str  # hex
    published_at: str  # canonical UTC timestamp
    key_id: str
    public_key: str  # base64url
    signature: str  # base64url

    def message(self) -> bytes:
        return checkpoint_message(self.origin, self.tree_size, self.root_hash, self.published_at)

    def to_json(self) -> str:
        return json.dumps({"scheme": CHECKPOINT_SCHEME, **asdict(self)}, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SignedCheckpoint:
        if data.get("scheme") != CHECKPOINT_SCHEME:
            raise ValueError(f"not an ExCon audit checkpoint (scheme {data.get('scheme')!r})")
        try:
            return cls(
                origin=str(data["origin"]),
                tree_size=int(data["tree_size"]),
                root_hash=str(data["root_hash"]),
                published_at=str(data["published_at"]),
                key_id=str(data["key_id"]),
                public_key=str(data["public_key"]),
                signature=str(data["signature"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"incomplete checkpoint: {exc}") from exc


def log_origin() -> str:
    return str(getattr(settings, "EXCON_AUDIT_LOG_ORIGIN", "") or "excon audit log")


def checkpoint_message(origin: str, tree_size: int, root_hash: str, published_at: str) -> bytes:
    """The signed text, one field a line in the manner of a transparency-log checkpoint note."""
    return f"{CHECKPOINT_SCHEME}\n{origin}\n{tree_size}\n{root_hash}\n{published_at}\n".encode()


def _public_raw(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id_for(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).hexdigest()[:16]


def _load(path: Path) -> Ed25519PrivateKey:
    return _load_cached(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _load_cached(path: Path, _mtime_ns: int) -> Ed25519PrivateKey:
    """Parsing the PEM on every checkpoint would cost more than signing; a changed file is read again."""
    return read_private_key(path)


def _key_files() -> list[Path]:
    return sorted(keys_dir().glob(f"{KEY_PREFIX}*.pem"), key=lambda path: (path.stat().st_mtime, path.name))


def signing_key() -> tuple[str, Ed25519PrivateKey]:
    """The newest audit key file, created on first use."""
    files = _key_files()
    if files:
        key = _load(files[-1])
        return key_id_for(_public_raw(key)), key
    key = Ed25519PrivateKey.generate()
    key_id = key_id_for(_public_raw(key))
    write_private_key(keys_dir() / f"{KEY_PREFIX}{key_id}.pem", key)
    return key_id, key


def trusted_public_keys() -> dict[str, bytes]:
    """key id → raw public key, from the key files on this machine (never from the database)."""
    trusted = {}
    for path in _key_files():
        raw = _public_raw(_load(path))
        trusted[key_id_for(raw)] = raw
    return trusted


def sign_checkpoint(tree_size: int, root: bytes, published_at: datetime) -> SignedCheckpoint:
    key_id, key = signing_key()
    origin = log_origin()
    when = canonical_timestamp(published_at)
    signature = key.sign(checkpoint_message(origin, tree_size, root.hex(), when))
    return SignedCheckpoint(
        origin=origin,
        tree_size=tree_size,
        root_hash=root.hex(),
        published_at=when,
        key_id=key_id,
        public_key=b64url(_public_raw(key)),
        signature=b64url(signature),
    )


def signature_problem(checkpoint: SignedCheckpoint, trusted: dict[str, bytes]) -> str:
    """'' when the checkpoint is signed by a trusted key, otherwise what is wrong with it."""
    raw = trusted.get(checkpoint.key_id)
    if raw is None:
        return f"signed by key {checkpoint.key_id}, which is not one of this log's keys"
    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(b64url_decode(checkpoint.signature), checkpoint.message())
    except (InvalidSignature, ValueError, TypeError):
        return "its signature does not match (forged or altered)"
    return ""


def checkpoint_file() -> Path:
    return Path(settings.EXCON_AUDIT_CHECKPOINT_FILE)


def append_to_file(checkpoint: SignedCheckpoint) -> None:
    """Append one line; O_APPEND keeps concurrent writers' lines whole."""
    path = checkpoint_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(checkpoint.to_json() + "\n")


def read_file(path: Path) -> list[SignedCheckpoint]:
    """Every checkpoint in a file of JSON lines (the append-only file) or one JSON document (an export)."""
    text = path.read_text(encoding="utf-8").strip()
    if not text:
        return []
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        document = None
    try:
        if isinstance(document, dict):
            return [SignedCheckpoint.from_dict(document)]
        return [SignedCheckpoint.from_dict(json.loads(line)) for line in text.splitlines() if line.strip()]
    except (json.JSONDecodeError, AttributeError) as exc:
        raise ValueError(f"{path} is not a checkpoint file: {exc}") from exc


def export_text(checkpoint: SignedCheckpoint) -> str:
    return json.dumps({"scheme": CHECKPOINT_SCHEME, **asdict(checkpoint)}, sort_keys=True, indent=2) + "\n"
