"""Ed25519 signatures over a licence document, for the QR code on it.

Scheme v2 signs the canonical form of the whole document: every particular and goods line printed on it
(`canonical_document`). Scheme v1 signed only the identifying data (number, version, holder, destination, dates);
documents signed under it still verify, and are reported as covering only those fields.

The private key is a PEM file under EXCON_DATA_DIR/keys/ (mode 0600; encrypted when EXCON_SIGNING_KEY_PASSPHRASE is
set); the database keeps only the public key, so a database copy cannot forge documents. Rotating creates a new
active key; retired keys still verify what they signed."""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

SCHEME_IDENTIFYING_DATA = "excon-licence-v1"
SCHEME_WHOLE_DOCUMENT = "excon-licence-v2"
SIGNATURE_SCHEME = SCHEME_WHOLE_DOCUMENT
NOT_SIGNED = ("key_id", "signature")  # kept beside the signed fields in a version's snapshot


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii"))


def scheme_of(fields: dict[str, Any]) -> str:
    return str(fields.get("scheme") or SCHEME_IDENTIFYING_DATA)


def signed_message(fields: dict[str, Any]) -> bytes:
    """The exact bytes signed, in the scheme the fields name (no scheme: the first one)."""
    if scheme_of(fields) == SCHEME_WHOLE_DOCUMENT:
        document = {name: value for name, value in fields.items() if name not in NOT_SIGNED}
        return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    order = ("number", "version", "holder", "destination", "issued_on", "valid_until")
    parts = [SCHEME_IDENTIFYING_DATA, *(str(fields.get(name) or "") for name in order)]
    return "|".join(parts).encode("utf-8")


def keys_dir() -> Path:
    path = Path(settings.DATA_DIR) / "keys"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _passphrase() -> bytes | None:
    value = os.environ.get("EXCON_SIGNING_KEY_PASSPHRASE", "")
    return value.encode() if value else None


def generate_key_file() -> tuple[str, str]:
    """Create a new private key file; return (key id, base64url public key)."""
    key = Ed25519PrivateKey.generate()
    key_id = f"k{secrets.token_hex(6)}"
    passphrase = _passphrase()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    )
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    path = keys_dir() / f"{key_id}.pem"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return key_id, b64url(public)


def load_private_key(key_id: str) -> Ed25519PrivateKey:
    path = keys_dir() / f"{key_id}.pem"
    key = serialization.load_pem_private_key(path.read_bytes(), password=_passphrase())
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 key")
    return key


def sign(key_id: str, message: bytes) -> str:
    return b64url(load_private_key(key_id).sign(message))


def verify(public_key_b64: str, message: bytes, signature_b64: str) -> bool:
    try:
        public = Ed25519PublicKey.from_public_bytes(b64url_decode(public_key_b64))
        public.verify(b64url_decode(signature_b64), message)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
