"""Pages of the licence types: what the licence page shows of its type (what it allows, its particulars, an open
licence's returns, a temporary export's items out), the holder's return and the confirmed return of goods."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from excon.accounts.models import User
from excon.core.pages import actor_of, form_page, found_or_404, posted, require

from . import policies, selectors, services, type_forms, types
from .models import Licence
from .services.types import period_report


def type_context(actor: User, licence: Licence) -> dict[str, Any]:
    """The licence page's part about the type (the policies decide which actions it offers)."""
    today = timezone.localdate()
    returns = list(selectors.licence_usage_returns(licence)) if types.is_open(licence) else []
    items = list(selectors.licence_temporary_exports(licence)) if types.is_temporary(licence) else []
    can_submit = policies.can_submit_usage_return(actor, licence)
    can_confirm = policies.can_confirm_temporary_return(actor, licence)
    return {
        "type_title": types.title_of(licence),
        "type_allows": types.allows_of(licence),
        "type_rows": types.terms_rows(licence),
        "ships": types.allows_shipments(licence),
        "usage_returns": [
            {
                "row": row,
                "ended": row.period_end < today,
                "overdue": row.submitted_at is None and row.due_on < today,
                "can_submit": can_submit and row.submitted_at is None and row.period_end < today,
            }
            for row in returns
        ],
        "temporary_items": [
            {
                "item": item,
                "overdue": item.returned_on is None and item.due_on < today,
                "can_confirm": can_confirm and item.returned_on is None,
            }
            for item in items
        ],
    }


def _licence_page(licence: Licence) -> str:
    return reverse("licences:detail", kwargs={"licence_id": licence.pk}) + "#returns"


@login_required
def usage_return_submit(request: HttpRequest, licence_id: Any, return_id: Any) -> HttpResponse:
    actor = actor_of(request)
    licence = found_or_404(selectors.licence_get, actor=actor, licence_id=licence_id)
    row = found_or_404(selectors.usage_return_get, licence=licence, return_id=return_id)
    require(policies.can_submit_usage_return(actor, licence))
    return form_page(
        request,
        type_forms.UsageReturnForm(posted(request)),
        lambda data: services.usage_return_submit(actor=actor, usage_return=row, note=data["note"]),
        message=f"The return of {row.period_start:%d %B %Y} to {row.period_end:%d %B %Y} is submitted.",
        then=_licence_page(licence),
        template="licences/usage_return_form.html",
        context={"licence": licence, "row": row, "report": period_report(row)},
    )


@login_required
def temporary_return_confirm(request: HttpRequest, licence_id: Any, item_id: Any) -> HttpResponse:
    actor = actor_of(request)
    licence = found_or_404(selectors.licence_get, actor=actor, licence_id=licence_id)
    if not types.is_temporary(licence):
        raise Http404("temporary export")
    item = found_or_404(selectors.temporary_export_get, licence=licence, item_id=item_id)
    require(policies.can_confirm_temporary_return(actor, licence))
    return form_page(
        request,
        type_forms.GoodsBackForm(posted(request), initial={"returned_on": timezone.localdate()}),
        lambda data: services.temporary_return_confirm(actor=actor, item=item, **data),
        message=f"The goods of {item.shipment.reference} are confirmed back.",
        then=reverse("licences:detail", kwargs={"licence_id": licence.pk}) + "#temporary",
        template="licences/temporary_return_form.html",
        context={"licence": licence, "item": item},
    )
