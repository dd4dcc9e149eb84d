"""The public verification page a foreign customs officer reaches from the QR code: no login, nothing beyond what
the signed document shows, plus the licence's current status."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .selectors import verify_document


@never_cache
def verify_page(request: HttpRequest, number: str) -> HttpResponse:
    result = verify_document(
        number=number,
        version=request.GET.get("v", ""),
        key_id=request.GET.get("k", ""),
        signature=request.GET.get("s", ""),
    )
    return render(request, "licences/verify.html", {"result": result, "number": number})
