"""Helpers shared by the application services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from excon.core.errors import PermissionDenied
from excon.core.validation import clean_text as text
from excon.core.validation import require_text

from ..models import Application

if TYPE_CHECKING:
    from excon.accounts.models import User

__all__ = ["actor_label", "application_link", "deny", "locked", "require_text", "text"]


def locked(application: Application) -> Application:
    """Re-read the application with a row lock, so concurrent changes queue behind each other."""
    return Application.objects.select_for_update().get(pk=application.pk)


def deny(message: str, code: str = "permission_denied") -> PermissionDenied:
    return PermissionDenied(message, code=code)


def application_link(application: Application) -> str:
    return f"/applications/{application.pk}/"


def actor_label(actor: User | None) -> str:
    return str(actor) if actor is not None else "ExCon"
