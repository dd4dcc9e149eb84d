"""Navigation by role for the base layout."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .navigation import navigation_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "nav_items": navigation_for(user, request.path) if user is not None else [],
        "authority_name": settings.EXCON_AUTHORITY_NAME,
        "demo_mode": settings.EXCON_DEMO_MODE,
    }
