"""Ed25519 signatures over a licence document, for the QR code on it.

Scheme v2 signs the canonical form of the whole document: every particular and goods line printed on it
(`canonical_document`). Scheme v1 signed only the identifying data (number, version, holder, destination, dates);
documents signed under it still verify, and are reported as covering only those fields.

The private key is a PEM file under EXCON_DATA_DIR/keys/ (mode 0600; encrypted when EXCON_SIGNING_KEY_PASSPHRASE is
set); the database keeps only the public key, so a database copy cannot forge documents. Rotating creates a new
active key; retired keys still verify what they signed."""

from __future__ import annotations

import json
import secrets
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from excon.core.keys import b64url, b64url_decode, keys_dir, public_raw, read_private_key, write_private_key

SCHEME_IDENTIFYING_DATA = "excon-licence-v1"
SCHEME_WHOLE_DOCUMENT = "excon-licence-v2"
SIGNATURE_SCHEME = SCHEME_WHOLE_DOCUMENT
NOT_SIGNED = ("key_id", "signature")  # kept beside the signed fields in a version's snapshot


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


def generate_key_file() -> tuple[str, str]:
    """Create a new private key file; return (key id, base64url public key)."""
    key = Ed25519PrivateKey.generate()
    key_id = f"k{secrets.token_hex(6)}"
    write_private_key(keys_dir() / f"{key_id}.pem", key)
    return key_id, b64url(public_raw(key))


def load_private_key(key_id: str) -> Ed25519PrivateKey:
    return read_private_key(keys_dir() / f"{key_id}.pem")


def sign(key_id: str, message: bytes) -> str:
    return b64url(load_private_key(key_id).sign(message))


def verify(public_key_b64: str, message: bytes, signature_b64: str) -> bool:
    try:
        public = Ed25519PublicKey.from_public_bytes(b64url_decode(public_key_b64))
        public.verify(b64url_decode(signature_b64), message)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
