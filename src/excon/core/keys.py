"""The private Ed25519 key files ExCon signs with (licence documents, audit checkpoints): one folder,
DATA_DIR/keys (backed up as the "keys" part), PEM files readable only by their owner and encrypted with
EXCON_SIGNING_KEY_PASSPHRASE when it is set; and the unpadded base64url that signatures and public keys travel in."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode((text + "=" * (-len(text) % 4)).encode("ascii"))


def keys_dir() -> Path:
    path = Path(settings.DATA_DIR) / "keys"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _passphrase() -> bytes | None:
    value = os.environ.get("EXCON_SIGNING_KEY_PASSPHRASE", "")
    return value.encode() if value else None


def write_private_key(path: Path, key: Ed25519PrivateKey) -> None:
    """Write a new key file (never over an existing one: O_EXCL), mode 0600."""
    passphrase = _passphrase()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    )
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def read_private_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=_passphrase())
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 key")
    return key


def public_raw(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
