"""Authenticating API requests: a session (pages' own fetches, with CSRF) or a personal bearer token."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from .models import ApiToken, User
from .tokens import secret_matches, split_token

# Writing last_used_at on every call would turn each read into a write; once a minute is enough to see use.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def user_for_token(raw: str) -> User | None:
    parts = split_token(raw)
    if parts is None:
        return None
    prefix, secret = parts
    token = ApiToken.objects.select_related("user", "user__organisation").filter(prefix=prefix).first()
    if token is None or not secret_matches(secret, token.secret_hash) or not token.is_usable:
        return None
    user = token.user
    if not user.is_active or not user.organisation.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user


def session_user_allowed(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if (
        settings.EXCON_REQUIRE_MFA_FOR_GOVERNMENT
        and user.is_government
        and not getattr(user, "is_verified", lambda: False)()
    ):
        return None
    return user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser session, with Django's CSRF check on unsafe methods (ninja's APIKeyCookie does it)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return session_user_allowed(request)
