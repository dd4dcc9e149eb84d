"""Uploaded files: checked by content (not by name), hashed with SHA-256, stored privately under content-addressed
names. Files are never served from a public URL; views stream them after a permission check."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import filetype
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

from .errors import ValidationError

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    storage_name: str
    sha256: str
    size: int
    content_type: str
    original_filename: str

    def audit_fields(self) -> dict[str, object]:
        """What an audit entry records of an uploaded file, so the entry alone proves which bytes were stored."""
        return {"sha256": self.sha256, "filename": self.original_filename, "size": self.size}


# What a person calls each kind of file we may accept, in the order a refusal lists them.
KIND_NAMES = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (.docx)",
    "application/msword": "Word (.doc)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (.xlsx)",
    "application/vnd.ms-excel": "Excel (.xls)",
    "application/vnd.oasis.opendocument.text": "OpenDocument text (.odt)",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet (.ods)",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "image/tiff": "TIFF image",
    "application/zip": "ZIP archive",
    "text/csv": "CSV",
}


def kinds_in_words(types: Iterable[str]) -> str:
    """The accepted kinds of file as a person reads them: "PDF, Word (.docx), … or ZIP archive"."""
    order = list(KIND_NAMES)
    listed = sorted(set(types), key=lambda mime: (order.index(mime) if mime in KIND_NAMES else len(order), mime))
    names = [KIND_NAMES.get(mime, mime) for mime in listed]
    if len(names) < 2:
        return names[0] if names else "none"
    return ", ".join(names[:-1]) + " or " + names[-1]


def _detect(head: bytes) -> str | None:
    kind = filetype.guess(head)
    return kind.mime if kind is not None else None


def store_upload(
    stream: IO[bytes] | Iterable[bytes],
    *,
    original_filename: str,
    folder: str,
    allowed_types: Iterable[str] | None = None,
    max_bytes: int | None = None,
) -> StoredFile:
    """Check, hash and store an upload. Raises ValidationError (file.empty / file.too_large / file.type_not_allowed)
    before anything is stored. The stored name is the hash, so storing the same content twice is harmless."""
    allowed = set(allowed_types if allowed_types is not None else settings.EXCON_UPLOAD_ALLOWED_TYPES)
    limit = max_bytes if max_bytes is not None else settings.EXCON_UPLOAD_MAX_BYTES
    chunks = stream.chunks(CHUNK) if hasattr(stream, "chunks") else _chunks(stream)
    digest = hashlib.sha256()
    size = 0
    head = b""
    with tempfile.TemporaryFile() as spool:
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise ValidationError(
                    f"the file is larger than the limit of {limit:,} bytes",
                    code="file.too_large",
                    details={"field": "file", "limit_bytes": limit},
                )
            if len(head) < 8192:
                head += chunk[: 8192 - len(head)]
            digest.update(chunk)
            spool.write(chunk)
        if size == 0:
            raise ValidationError("the file is empty", code="file.empty", details={"field": "file"})
        content_type = _detect(head)
        if content_type is None or content_type not in allowed:
            kind = KIND_NAMES.get(content_type or "", "not recognised")
            raise ValidationError(
                f"files of this kind ({kind}) are not accepted; the accepted kinds are {kinds_in_words(allowed)}",
                code="file.type_not_allowed",
                details={"field": "file", "detected_type": content_type, "allowed": sorted(allowed)},
            )
        sha = digest.hexdigest()
        storage_name = f"{folder}/{sha[:2]}/{sha}"
        if not default_storage.exists(storage_name):
            spool.seek(0)
            saved = default_storage.save(storage_name, File(spool))
            if saved != storage_name:  # a concurrent upload of the same bytes won the race; keep one copy
                default_storage.delete(saved)
    return StoredFile(storage_name, sha, size, content_type, Path(original_filename or "upload").name[:255])


def _chunks(stream: IO[bytes] | Iterable[bytes]) -> Iterable[bytes]:
    if hasattr(stream, "read"):
        while True:
            block = stream.read(CHUNK)
            if not block:
                return
            yield block
    else:
        yield from stream


def open_stored(storage_name: str) -> IO[bytes]:
    return default_storage.open(storage_name, "rb")


def stored_download(storage_name: str, *, filename: str, content_type: str) -> FileResponse:
    """A stored file as an attachment for a reader the caller has already checked: never cached, never sniffed.
    A file missing from storage is a 404 (pages and the API alike), not a 500."""
    try:
        handle = open_stored(storage_name)
    except FileNotFoundError as exc:
        raise Http404("document file") from exc
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
