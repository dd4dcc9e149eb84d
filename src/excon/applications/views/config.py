"""What the authority configures: the routing rules and the destination risk profiles."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from excon.core.pages import form_page, found_or_404, shown_or_404

from .. import forms, policies, selectors, services
from .common import actor_of, posted

RULE_FIELD_MAP: dict[str, str] = {}


@login_required
@require_GET
def routing_rule_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    shown_or_404(policies.can_manage_routing(actor), "routing rules")
    return render(request, "applications/routing_rules.html", {"rules": list(selectors.routing_rules(actor=actor))})


@login_required
def routing_rule_edit(request: HttpRequest, rule_id: Any = None) -> HttpResponse:
    actor = actor_of(request)
    shown_or_404(policies.can_manage_routing(actor), "routing rules")
    rule = None if rule_id is None else found_or_404(selectors.routing_rule_get, actor=actor, rule_id=rule_id)
    initial = (
        forms.RoutingRuleForm.initial_for(rule) if rule else {"active": True, "priority": 100, "due_working_days": 10}
    )
    form = forms.RoutingRuleForm(posted(request), initial=initial)

    def save(data: dict[str, Any]) -> Any:
        if rule is None:
            return services.routing_rule_create(actor=actor, **form.service_fields())
        return services.routing_rule_update(actor=actor, rule=rule, **form.service_fields())

    return form_page(
        request,
        form,
        save,
        message=lambda saved: f"The routing rule “{form.cleaned_data['name']}” is saved.",
        then="applications:routing_rules",
        template="applications/routing_rule_form.html",
        context={"rule": rule},
    )


def _risk_reader(request: HttpRequest) -> Any:
    actor = actor_of(request)
    shown_or_404(policies.can_manage_risk_profiles(actor), "risk profiles")
    return actor


@login_required
@require_GET
def risk_profile_list(request: HttpRequest) -> HttpResponse:
    actor = _risk_reader(request)
    profiles = selectors.risk_profile_list(actor=actor)
    rows = [{"profile": p, "levels": [p.level(n) for n in range(1, 9)]} for p in profiles]
    return render(request, "applications/risk_profiles.html", {"rows": rows})


@login_required
def risk_profile_edit(request: HttpRequest, iso2: str = "") -> HttpResponse:
    actor = _risk_reader(request)
    profile = None
    if iso2:
        profile = found_or_404(selectors.risk_profile_get, actor=actor, iso2=iso2)
    initial: dict[str, Any] = {}
    if profile is not None:
        initial = {
            "country": profile.country.iso2,
            "att_article_6_prohibition": profile.att_article_6_prohibition,
            "notes": profile.notes,
            "source": profile.source,
            **{f"criterion_{n}": str(profile.level(n)) for n in range(1, 9)},
        }
    form = forms.RiskProfileForm(posted(request), initial=initial)

    def save(data: dict[str, Any]) -> Any:
        return services.risk_profile_set(
            actor=actor,
            country=data["country"],
            criterion_levels=form.levels(),
            att_article_6_prohibition=data["att_article_6_prohibition"],
            notes=data["notes"],
            source=data["source"],
        )

    return form_page(
        request,
        form,
        save,
        message=lambda saved: f"The risk profile of {form.cleaned_data['country'].upper()} is saved.",
        then="applications:risk_profiles",
        template="applications/risk_profile_form.html",
        context={"profile": profile},
    )
