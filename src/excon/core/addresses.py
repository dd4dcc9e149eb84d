"""ExCon's public address: what e-mails link to and what the licence QR code carries.

`EXCON_BASE_URL` when it is set (production sets it). When it is not, the address the current request was served
at (scheme, host and port, as Django's host validation accepted them), so `make run` on another port still writes
QR codes that verify; outside a request (a background task), the last address a request was served at, else
http://127.0.0.1:8000."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

FALLBACK = "http://127.0.0.1:8000"

_current: ContextVar[str] = ContextVar("excon_base_url", default="")
_last_served = {"url": ""}


def public_base_url() -> str:
    configured = (getattr(settings, "EXCON_BASE_URL", "") or "").strip()
    if configured:
        return configured.rstrip("/")
    return _current.get() or _last_served["url"] or FALLBACK


class BaseUrlMiddleware:
    """Remembers the address each request was served at, for public_base_url() (only when it is not configured)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(settings, "EXCON_BASE_URL", ""):
            return self.get_response(request)
        served = request.build_absolute_uri("/").rstrip("/")
        _last_served["url"] = served
        token = _current.set(served)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
