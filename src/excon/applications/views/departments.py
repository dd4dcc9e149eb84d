"""The departments' pages: the cases referred to them, their advice and its countersignature."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from excon.core.pages import form_page, post_action, shown_or_404

from .. import forms, policies, selectors, services
from .common import actor_of, paginate, posted, referral_or_404, require
from .exporter import _case_page


@login_required
@require_GET
def department_inbox(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    shown_or_404(policies.can_view_department_inbox(actor), "referred cases")
    show_all = request.GET.get("all") == "1"
    page, query = paginate(request, selectors.department_inbox(actor=actor, pending_only=not show_all))
    context = {"page": page, "query": query, "today": timezone.localdate(), "show_all": show_all}
    return render(request, "applications/department_inbox.html", context)


@login_required
def advice_give(request: HttpRequest, referral_id: Any) -> HttpResponse:
    actor = actor_of(request)
    referral = referral_or_404(actor, referral_id)
    require(policies.can_give_advice(actor, referral))
    application = referral.application
    form = forms.AdviceForm(posted(request), lines=application.goods_lines.all(), parties=application.parties.all())

    def advise(data: dict[str, Any]) -> Any:
        return services.advice_give(
            actor=actor,
            referral=referral,
            advice_type=data["advice_type"],
            rationale=data["rationale"],
            provisos=data["provisos"],
            refusal_criteria=forms.criteria_list(data["refusal_criteria"]),
            goods_line_number=int(data["goods_line"]) if data["goods_line"] else None,
            party_id=data["party"] or None,
        )

    return form_page(
        request,
        form,
        advise,
        message=f"{referral.department.name}'s advice on {application.reference} is recorded.",
        then=_case_page(application),
        template="applications/advice_form.html",
        context={"referral": referral, "application": application},
        field_map=forms.ADVICE_FIELD_MAP,
    )


@login_required
@require_POST
def advice_countersign(request: HttpRequest, referral_id: Any) -> HttpResponse:
    actor = actor_of(request)
    referral = referral_or_404(actor, referral_id)
    require(policies.is_referral_department(actor, referral))
    return post_action(
        request,
        lambda: services.advice_countersign(actor=actor, referral=referral),
        message="The advice is countersigned.",
        then=reverse("applications:detail", kwargs={"application_id": referral.application_id}),
    )
