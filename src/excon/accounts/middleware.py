"""Government users must pass two-factor authentication before any page (when the setting requires it)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/static/", "/healthz", "/readyz", "/metrics", "/api/", "/verify/")


class RequireMfaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.EXCON_REQUIRE_MFA_FOR_GOVERNMENT
            and user is not None
            and user.is_authenticated
            and user.is_government
            and not user.is_verified()
        ):
            exempt = (
                reverse("accounts:mfa_setup"),
                reverse("accounts:mfa_verify"),
                reverse("accounts:logout"),
            )
            if not request.path.startswith(EXEMPT_PREFIXES) and request.path not in exempt:
                from django_otp import devices_for_user

                has_device = any(True for _ in devices_for_user(user, confirmed=True))
                target = "accounts:mfa_verify" if has_device else "accounts:mfa_setup"
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
