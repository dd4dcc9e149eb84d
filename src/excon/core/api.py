"""One error shape for the whole API: {"code", "message", "details"}, from every kind of failure."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from .errors import AuthenticationRequired, DomainError

if TYPE_CHECKING:
    from excon.accounts.models import User

logger = logging.getLogger("excon.api")


class ErrorOut(Schema):
    code: str
    message: str
    details: dict[str, Any] = {}


ERROR_RESPONSES: dict[int | frozenset[int], type] = {frozenset({400, 401, 403, 404, 409, 422}): ErrorOut}


def actor_of(request: HttpRequest) -> User:
    """The user the API's authentication accepted (token or session). Never `request.user` on its own: on a router
    mounted without authentication that would be an anonymous user, or a government session the MFA rule refused,
    so the caller gets 401 instead of an answer."""
    user = getattr(request, "auth", None)
    if user is None or not getattr(user, "is_authenticated", False):
        raise AuthenticationRequired("log in or send a valid API token (Authorization: Bearer …)")
    return user


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str, details: Any = None
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, "details": details or {}}, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(request, exc.as_dict(), status=exc.http_status)

    @api.exception_handler(NinjaValidationError)
    def request_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            {
                "loc": [str(part) for part in error.get("loc", [])],
                "msg": error.get("msg", ""),
                "type": error.get("type", ""),
            }
            for error in exc.errors
        ]
        return error_response(
            api,
            request,
            422,
            "request.invalid",
            "the request's parameters or body are invalid",
            {"errors": errors},
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(
            api,
            request,
            401,
            "authentication_required",
            "log in or send a valid API token (Authorization: Bearer …)",
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, "not_found", "not found")

    @api.exception_handler(DjangoPermissionDenied)
    def forbidden(request: HttpRequest, exc: DjangoPermissionDenied) -> HttpResponse:
        return error_response(api, request, 403, "permission_denied", str(exc) or "permission denied")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_response(api, request, exc.status_code, "http_error", str(exc))

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("unhandled error in %s %s", request.method, request.path)
        return error_response(api, request, 500, "internal_error", "an unexpected error occurred; it has been logged")
