"""Helpers shared by the application services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from excon.core.errors import PermissionDenied, ValidationError

from ..models import Application

if TYPE_CHECKING:
    from excon.accounts.models import User


def text(value: Any) -> str:
    return str(value or "").strip()


def require_text(value: Any, *, field: str, code: str, message: str) -> str:
    cleaned = text(value)
    if not cleaned:
        raise ValidationError(message, code=code, details={"field": field})
    return cleaned


def locked(application: Application) -> Application:
    """Re-read the application with a row lock, so concurrent changes queue behind each other."""
    return Application.objects.select_for_update().get(pk=application.pk)


def deny(message: str, code: str = "permission_denied") -> PermissionDenied:
    return PermissionDenied(message, code=code)


def application_link(application: Application) -> str:
    return f"/applications/{application.pk}/"


def actor_label(actor: User | None) -> str:
    return str(actor) if actor is not None else "ExCon"
