"""Small helpers every service that edits fields shares."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models


def apply_changes(obj: models.Model, fields: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Set each of `fields` that differs from `obj`'s current value and return the audit diff
    {field: {"from": old, "to": new}} of exactly those; {} (and `obj` untouched) when nothing changed. Related
    objects appear in the diff by their text, so the payload stays JSON. Saving is the caller's (it may have more to
    write first)."""
    changes: dict[str, dict[str, Any]] = {}
    for name, value in fields.items():
        before = getattr(obj, name)
        if before != value:
            changes[name] = {"from": _shown(before), "to": _shown(value)}
            setattr(obj, name, value)
    return changes


def _shown(value: Any) -> Any:
    return str(value) if isinstance(value, models.Model) else value
