"""The public verification page a foreign customs officer reaches from the QR code: no login, nothing beyond what
the signed document shows, plus the licence's current status and the proof that its issue is in the audit log."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .ratelimits import VerificationRateLimited, check_verification_rate
from .selectors import verify_document


@never_cache
def verify_page(request: HttpRequest, number: str) -> HttpResponse:
    try:
        check_verification_rate(request)
    except VerificationRateLimited as exc:
        context = {"number": number, "limited": exc.message, "limit": settings.EXCON_VERIFY_RATE_LIMIT}
        return render(request, "licences/verify.html", context, status=429)
    result = verify_document(
        number=number,
        version=request.GET.get("v", ""),
        key_id=request.GET.get("k", ""),
        signature=request.GET.get("s", ""),
    )
    return render(request, "licences/verify.html", {"result": result, "number": number})
