"""Domain errors. Each carries a stable machine-readable code; one mapping turns them into HTTP responses
(excon.core.api) and form errors (excon.core.forms)."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error a service raises on purpose. `code` is stable and documented; `message` is for people."""

    code = "error"
    http_status = 400

    def __init__(self, message: str, *, code: str | None = None, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details: dict[str, Any] = details or {}

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class ValidationError(DomainError):
    """The input is wrong: a field is missing, malformed or refers to something unknown."""

    code = "validation_error"
    http_status = 422


class NotFound(DomainError):
    """The object does not exist, or the actor may not see it: the two look the same on purpose."""

    code = "not_found"
    http_status = 404

    def __init__(self, what: str = "object", *, code: str | None = None, details: dict[str, Any] | None = None):
        super().__init__(f"{what} not found", code=code, details=details)


class PermissionDenied(DomainError):
    """The actor may see the object but not do this to it."""

    code = "permission_denied"
    http_status = 403


class Conflict(DomainError):
    """The request is well-formed but clashes with the current state (a duplicate, a forbidden transition)."""

    code = "conflict"
    http_status = 409


class InvalidTransition(Conflict):
    code = "workflow.invalid_transition"


class AuthenticationRequired(DomainError):
    code = "authentication_required"
    http_status = 401
