"""Health check and the role-aware home page."""

from __future__ import annotations

import time

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from .navigation import home_sections_for
from .readiness import run_probes


def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: every registered probe (excon.core.readiness); 503 naming the failing parts."""
    outcomes = run_probes()
    failing = [outcome.name for outcome in outcomes if not outcome.ok]
    return JsonResponse(
        {
            "status": "error" if failing else "ok",
            "failing": failing,
            "checks": {outcome.name: outcome.detail for outcome in outcomes},
        },
        status=503 if failing else 200,
    )


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers and reaches its database."""
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # the point of a health check is to report any failure, not raise it
        return JsonResponse(
            {
                "status": "error",
                "database": {"ok": False, "vendor": connection.vendor, "error": type(exc).__name__},
            },
            status=503,
        )
    return JsonResponse(
        {
            "status": "ok",
            "database": {
                "ok": True,
                "vendor": connection.vendor,
                "latency_ms": round((time.perf_counter() - started) * 1000, 2),
            },
        }
    )


def _error_page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        code = {400: "bad_request", 403: "permission_denied", 404: "not_found", 500: "internal_error"}[status]
        return JsonResponse({"code": code, "message": message, "details": {}}, status=status)
    return render(request, "error.html", {"title": title, "message": message, "status": status}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 400, "Bad request", "The request could not be understood.")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 403, "Not allowed", "You are not allowed to do that.")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 404, "Page not found", "There is nothing here, or it is not yours to see.")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(request, 500, "Something went wrong", "An unexpected error occurred; it has been logged.")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"sections": home_sections_for(request.user)})
