from __future__ import annotations

import uuid
from typing import Any


def parse_uuid(value: Any) -> uuid.UUID | None:
    """The UUID in `value`, or None for anything that is not one (so a bad id reads as 'not found', never a 500)."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None
