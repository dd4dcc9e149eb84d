"""Small input rules every service shares."""

from __future__ import annotations

from typing import Any

from .errors import ValidationError


def clean_text(value: Any) -> str:
    """The value as text with surrounding space removed; None and empty become ""."""
    return str(value or "").strip()


def require_text(value: Any, *, field: str, code: str, message: str) -> str:
    """The cleaned text, or a ValidationError with `code` naming `field` when nothing is left."""
    cleaned = clean_text(value)
    if not cleaned:
        raise ValidationError(message, code=code, details={"field": field})
    return cleaned
