"""Structured logs: one JSON object per line (structlog), every line of a request or of the tasks it queued
carrying the same `request_id`, and nothing personal or secret in any of them.

- `logging_config()` builds Django's LOGGING: stdlib and structlog loggers go through one structlog formatter
  (JSON in production, key=value on a developer's console).
- `RequestIdMiddleware` takes a well-formed `X-Request-ID` from the proxy (or makes one), binds it for the
  request, answers it in the response header and logs one `request` line: method, route, status, duration, the
  user's id. Never the query string, the body, a header value or a name: those carry personal data.
- `excon.celery` copies the id into each task's message headers and binds it again in the worker.
- `redact` runs last before rendering: values under a sensitive key are replaced and e-mail addresses, bearer
  tokens and passwords in URLs are masked in every string, whoever wrote the line.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, MutableMapping
from typing import TYPE_CHECKING, Any

import structlog

if TYPE_CHECKING:  # settings import this module: no Django import at load time
    from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID_SHAPE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

# Keys whose values never reach a log, whatever logs them (compared lower-case, as substrings).
SENSITIVE_KEY_PARTS = (
    "password",
    "passphrase",
    "secret",
    "token",
    "authorization",
    "cookie",
    "session",
    "csrf",
    "api_key",
    "email",
    "phone",
    "address",
    "first_name",
    "last_name",
    "full_name",
    "username",
    "otp",
)
REDACTED = "[redacted]"
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_BEARER = re.compile(r"(?i)\b(bearer|token)\s+[A-Za-z0-9._~+/=-]{8,}")
_URL_PASSWORD = re.compile(r"(://[^:/@\s]+):[^@\s]+@")


def _is_sensitive(key: str) -> bool:
    lowered = key.lower()
    return any(part in lowered for part in SENSITIVE_KEY_PARTS)


def scrub_text(text: str) -> str:
    text = _EMAIL.sub("[email]", text)
    text = _BEARER.sub(lambda match: f"{match.group(1)} {REDACTED}", text)
    return _URL_PASSWORD.sub(r"\1:" + REDACTED + "@", text)


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: REDACTED if _is_sensitive(str(key)) else _scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    return value


def redact(logger: Any, method_name: str, event_dict: MutableMapping[str, Any]) -> Any:
    """structlog processor: the last word before a line is written."""
    return _scrub(event_dict)


def _drop_stdlib_noise(logger: Any, method_name: str, event_dict: MutableMapping[str, Any]) -> Any:
    event_dict.pop("_from_structlog", None)
    event_dict.pop("_record", None)
    return event_dict


SHARED_PROCESSORS: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.processors.format_exc_info,
]


def structured_formatter(json: bool = True) -> logging.Formatter:
    """The one formatter of every log line: structlog's and the standard library's alike, redacted, rendered."""
    renderer = (
        structlog.processors.JSONRenderer(sort_keys=True)
        if json
        else structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback)
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=SHARED_PROCESSORS,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, _drop_stdlib_noise, redact, renderer],
    )


def logging_config(*, json: bool, level: str) -> dict[str, Any]:
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *SHARED_PROCESSORS,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"structured": {"()": "excon.core.logs.structured_formatter", "json": json}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "axes": {"level": "WARNING"},
            # Our middleware writes one line per request; these would repeat it with the query string.
            "django.server": {"level": "WARNING"},
            "gunicorn.access": {"level": "WARNING"},
        },
    }


def current_request_id() -> str | None:
    return structlog.contextvars.get_contextvars().get("request_id")


def bind_request_id(request_id: str | None) -> str:
    request_id = request_id if request_id and _REQUEST_ID_SHAPE.match(request_id) else uuid.uuid4().hex
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(request_id=request_id)
    return request_id


request_logger = structlog.get_logger("excon.request")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = bind_request_id(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        request_logger.info(
            "request",
            method=request.method,
            # The route pattern, not the path: paths hold licence numbers and ids, which are enough.
            route=match.route if match is not None else None,
            path=request.path,
            status=response.status_code,
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
            user_id=str(user.pk) if user is not None and user.is_authenticated else None,
        )
        structlog.contextvars.clear_contextvars()
        return response


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)


logging.getLogger("excon").addHandler(logging.NullHandler())
