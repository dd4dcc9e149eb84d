"""Helpers shared by the application pages: the actor, 404 for what is out of scope, the rendering of lists."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from excon.accounts.models import User
from excon.core.errors import NotFound

from .. import selectors
from ..models import AgendaItem, Application, CommissionMeeting, Referral

PAGE_SIZE = 25


def actor_of(request: HttpRequest) -> User:
    return cast(User, request.user)


def posted(request: HttpRequest) -> Any:
    """The form data on a POST (even an empty one, so the form is bound), None otherwise."""
    return request.POST if request.method == "POST" else None


def require(allowed: bool) -> None:
    """The actor may see the object but not do this: 403."""
    if not allowed:
        raise PermissionDenied


def application_or_404(actor: User, application_id: Any) -> Application:
    try:
        return selectors.application_get(actor=actor, application_id=application_id)
    except NotFound as exc:
        raise Http404("application") from exc


def referral_or_404(actor: User, referral_id: Any) -> Referral:
    try:
        return selectors.referral_get(actor=actor, referral_id=referral_id)
    except NotFound as exc:
        raise Http404("referral") from exc


def meeting_or_404(actor: User, meeting_id: Any) -> CommissionMeeting:
    try:
        return selectors.meeting_get(actor=actor, meeting_id=meeting_id)
    except NotFound as exc:
        raise Http404("meeting") from exc


def item_or_404(actor: User, item_id: Any) -> AgendaItem:
    try:
        return selectors.agenda_item_get(actor=actor, item_id=item_id)
    except NotFound as exc:
        raise Http404("agenda item") from exc


def paginate(request: HttpRequest, items: Any) -> tuple[Any, str]:
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def is_partial(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]


def render_list(
    request: HttpRequest, page_template: str, results_template: str, context: dict[str, Any]
) -> HttpResponse:
    response = render(request, results_template if is_partial(request) else page_template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
