"""Helpers shared by the application pages: the actor, 404 for what is out of scope, the rendering of lists."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from excon.accounts.models import User
from excon.core.pages import actor_of, found_or_404, is_partial, paginate, posted, require

from .. import selectors
from ..models import AgendaItem, Application, CommissionMeeting, Referral

__all__ = ["actor_of", "is_partial", "paginate", "posted", "require"]


def application_or_404(actor: User, application_id: Any) -> Application:
    return found_or_404(selectors.application_get, actor=actor, application_id=application_id)


def referral_or_404(actor: User, referral_id: Any) -> Referral:
    return found_or_404(selectors.referral_get, actor=actor, referral_id=referral_id)


def meeting_or_404(actor: User, meeting_id: Any) -> CommissionMeeting:
    return found_or_404(selectors.meeting_get, actor=actor, meeting_id=meeting_id)


def item_or_404(actor: User, item_id: Any) -> AgendaItem:
    return found_or_404(selectors.agenda_item_get, actor=actor, item_id=item_id)


def render_list(
    request: HttpRequest, page_template: str, results_template: str, context: dict[str, Any]
) -> HttpResponse:
    response = render(request, results_template if is_partial(request) else page_template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
