"""The in-app inbox: the user's own messages (unread first), marking them read, and the unread count for the
header (an htmx fragment)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from excon.core.errors import NotFound
from excon.core.pages import actor_of, paginate

from . import selectors, services

PAGE_SIZE = 25


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    items = selectors.inbox_list(actor=actor).order_by(F("read_at").asc(nulls_first=True), "-created_at")
    page, _query = paginate(request, items, PAGE_SIZE)
    context = {"page": page, "query": "", "unread": selectors.unread_count(actor=actor)}
    return render(request, "notifications/inbox.html", context)


@login_required
@require_POST
def mark_read(request: HttpRequest, message_id: Any = None) -> HttpResponse:
    actor = actor_of(request)
    try:
        count = services.inbox_mark_read(actor=actor, message_id=message_id)
    except NotFound as exc:
        raise Http404("message") from exc
    if message_id is None:
        messages.success(request, f"{count} message{'s' if count != 1 else ''} marked as read.")
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_GET
def unread_badge(request: HttpRequest) -> HttpResponse:
    """The unread count as a small fragment, loaded by htmx into the header."""
    count = selectors.unread_count(actor=actor_of(request))
    return render(request, "notifications/_badge.html", {"count": count})
