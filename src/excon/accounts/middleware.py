"""Session lifetimes, and government users must pass two-factor authentication before any page (when the setting
requires it)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/static/", "/healthz", "/readyz", "/metrics", "/api/", "/verify/")

SIGNED_IN_AT = "_excon_signed_in_at"
SEEN_AT = "_excon_seen_at"


def _now() -> int:
    return int(time.time())


def stamp_sign_in(sender: object, request: HttpRequest | None, user: object, **kwargs: object) -> None:
    """At sign-in (the user_logged_in signal), start both clocks in the session that login() just saved."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = request.session[SEEN_AT] = _now()


class SessionLifetimeMiddleware:
    """An absolute lifetime beside the idle timeout, without writing the session on every request.

    The idle timeout is the session's expiry (SESSION_COOKIE_AGE), which Django moves forward only when the session
    is saved. Touching a timestamp once EXCON_SESSION_REFRESH_SECONDS have passed saves it then, and not on every
    page view, so the idle clock is exact to within that interval."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = _now()
        session = request.session
        signed_in_at = session.get(SIGNED_IN_AT)
        if signed_in_at is not None and now - int(signed_in_at) >= settings.EXCON_SESSION_MAX_AGE:
            logout(request)  # flushes the session: the request goes on as an anonymous one
        response = self.get_response(request)
        # Only a signed-in session (not an API token's request, which has no session) carries the clocks.
        if SESSION_KEY in request.session:
            if request.session.get(SIGNED_IN_AT) is None:  # signed in before the clocks existed
                request.session[SIGNED_IN_AT] = now
                request.session[SEEN_AT] = now
            elif now - int(request.session.get(SEEN_AT, 0)) >= settings.EXCON_SESSION_REFRESH_SECONDS:
                request.session[SEEN_AT] = now
        return response


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
