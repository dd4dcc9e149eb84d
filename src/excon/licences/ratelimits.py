"""The public verification page and API share one budget per client address (django-ratelimit on the cache), so
licence numbers, which are sequential, cannot be walked quickly. Behind a proxy, set RATELIMIT_IP_META_KEY."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

from excon.core.errors import DomainError

GROUP = "excon.licences.verify"


class VerificationRateLimited(DomainError):
    code = "verification.rate_limited"
    http_status = 429


def _client_address(group: str, request: HttpRequest) -> str:
    """The address the limit counts (the proxy's header when RATELIMIT_IP_META_KEY names one). A request without
    one (a test client, a misconfigured proxy) shares one budget rather than failing with a server error."""
    meta_key = getattr(settings, "RATELIMIT_IP_META_KEY", None) or "REMOTE_ADDR"
    return str(request.META.get(meta_key) or request.META.get("REMOTE_ADDR") or "unknown")


def check_verification_rate(request: HttpRequest) -> None:
    """Count this request; raise when the address went over EXCON_VERIFY_RATE_LIMIT (e.g. "30/m")."""
    if is_ratelimited(
        request, group=GROUP, key=_client_address, rate=settings.EXCON_VERIFY_RATE_LIMIT, method=ALL, increment=True
    ):
        raise VerificationRateLimited(
            "too many verification requests from this address; wait a minute and try again",
            details={"limit": settings.EXCON_VERIFY_RATE_LIMIT},
        )
