"""One error shape for the whole API: {"code", "message", "details"}, from every kind of failure."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PageNumberPagination, paginate

from .errors import AuthenticationRequired, DomainError

if TYPE_CHECKING:
    from excon.accounts.models import User

logger = logging.getLogger("excon.api")


class ErrorOut(Schema):
    code: str
    message: str
    details: dict[str, Any] = {}


class ReasonIn(Schema):
    """The body of every action that needs only a reason (suspend, reset, withdraw ...)."""

    reason: str


ERROR_RESPONSES: dict[int | frozenset[int], type] = {frozenset({400, 401, 403, 404, 409, 422}): ErrorOut}


# Every integer the API accepts is bounded in its schema, so a huge or negative number answers 422 from the schema
# instead of overflowing a database column (a 500). Services still give the specific business errors inside these
# bounds (a negative capacity is `supply.negative_quantity`, not a schema error).
DB_INT_MAX = 2_147_483_647  # a PostgreSQL integer column
DbInt = Annotated[int, Field(ge=-DB_INT_MAX, le=DB_INT_MAX)]
Days = Annotated[int, Field(ge=0, le=36_500, description="a number of days, 0 to 36,500")]
Year = Annotated[int, Field(ge=1900, le=2200)]
Quarter = Annotated[int, Field(ge=1, le=4)]
LineNumber = Annotated[int, Field(ge=1, le=100_000)]
SmallCount = Annotated[int, Field(ge=0, le=1_000)]
Amount = Annotated[Decimal, Field(max_digits=18, decimal_places=2, description="up to 16 digits and 2 decimals")]

# Bounds for every list: a page number beyond MAX_PAGE answers 422 instead of an offset the database cannot take.
MAX_PAGE = 100_000
MAX_PAGE_SIZE = 100
# Lists count at most COUNT_LIMIT rows (one bounded COUNT per request): beyond it `count` is COUNT_LIMIT and
# `count_exact` is false, so a list of a million cases costs no more to page than one of ten thousand.
COUNT_LIMIT = 10_000


class Pagination(PageNumberPagination):
    """`?page=N` (1 to MAX_PAGE) and `?page_size=` (1 to MAX_PAGE_SIZE), with one bounded count per request."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description=f"page number, 1 to {MAX_PAGE}")
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE, description="rows per page (the list's default)")

    class Output(Schema):
        items: list[Any]
        count: int = Field(..., description=f"how many rows match, counted up to {COUNT_LIMIT}")
        count_exact: bool = Field(True, description=f"false when the count stopped at {COUNT_LIMIT} (there are more)")

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        page_size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * page_size
        count = bounded_count(queryset, COUNT_LIMIT)
        return {
            self.items_attribute: queryset[offset : offset + page_size],
            "count": count,
            "count_exact": count < COUNT_LIMIT,
        }


def bounded_count(rows: Any, limit: int = COUNT_LIMIT) -> int:
    """How many rows, counting no further than `limit`: `SELECT COUNT(*) FROM (SELECT … LIMIT n)` on a queryset."""
    if isinstance(rows, QuerySet):
        return rows.order_by()[:limit].count()
    return min(len(rows), limit)


ERROR_ANSWERS = {
    400: "the body cannot be read (a malformed multipart upload): `request.malformed_multipart`",
    401: "no or invalid credentials: `authentication_required`",
    403: "you may see this but not do it: `permission_denied` or a specific code",
    409: "clashes with the current state (a specific code such as `user.status_unchanged`)",
    404: "missing, malformed id, or not yours (indistinguishable on purpose): `not_found` or a specific code",
    422: "parameters or body outside their schema (`request.invalid`), or a business validation failed",
}


class ExconApi(NinjaAPI):
    """NinjaAPI whose OpenAPI document states the error answers of every operation (see `document_error_answers`)."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_error_answers(schema)
        return schema


def document_error_answers(schema: dict[str, Any]) -> None:
    """Add the error answers an operation can give, in the one error shape, where its decorator did not list them:
    401/403/404 when it needs credentials, 404 when its path names an object, 409 when it writes, 422 when it
    takes parameters or a body, 400 when it takes a multipart upload."""
    error_ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    schema.setdefault("components", {}).setdefault("schemas", {}).setdefault("ErrorOut", ErrorOut.model_json_schema())
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            body = operation.get("requestBody", {}).get("content", {})
            statuses = set()
            if operation.get("security"):
                statuses |= {401, 403, 404}  # 404: what is outside your scope reads as missing
            if "{" in path:
                statuses.add(404)
            if method in {"post", "put", "patch", "delete"}:
                statuses.add(409)
            if operation.get("parameters") or body:
                statuses.add(422)
            if "multipart/form-data" in body:
                statuses.add(400)
            responses = operation.setdefault("responses", {})
            listed = {str(status) for status in responses}  # django-ninja keys them by int
            for status in sorted(statuses):
                if str(status) not in listed:
                    responses[status] = {"description": ERROR_ANSWERS[status], **error_ref}


def paged(page_size: int) -> Any:
    """The one pagination of list endpoints: `?page=N` (bounded), answered as `{"items", "count", "count_exact"}`."""
    return paginate(Pagination, page_size=page_size)


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


def _fixed_answer(api: NinjaAPI, status: int, code: str, message: str | None) -> Any:
    def answer(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(api, request, status, code, message or str(exc) or "permission denied")

    return answer


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

    # Failures that always answer the same: (status, code, message; None: the exception's own text, else
    # "permission denied").
    fixed: list[tuple[type[Exception], int, str, str | None]] = [
        (
            AuthenticationError,
            401,
            "authentication_required",
            "log in or send a valid API token (Authorization: Bearer …)",
        ),
        (Http404, 404, "not_found", "not found"),
        (DjangoPermissionDenied, 403, "permission_denied", None),
        (
            MultiPartParserError,
            400,
            "request.malformed_multipart",
            "the multipart/form-data body cannot be read (is the boundary missing?)",
        ),
    ]
    for exception, status, code, message in fixed:
        api.add_exception_handler(exception, _fixed_answer(api, status, code, message))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_response(api, request, exc.status_code, "http_error", str(exc))

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("unhandled error in %s %s", request.method, request.path)
        return error_response(api, request, 500, "internal_error", "an unexpected error occurred; it has been logged")
