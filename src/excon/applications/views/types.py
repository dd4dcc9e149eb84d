"""Pages of the licence types: a draft's type particulars (one form per type), and the authority's rules per type
(the longest validity, the open licence's returns)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from excon.core.pages import form_page

from .. import licence_types, policies, services, type_forms
from ..enums import ApplicationType
from .common import actor_of, application_or_404, posted, require
from .exporter import one_form_page


@login_required
def terms_edit(request: HttpRequest, application_id: Any) -> HttpResponse:
    actor = actor_of(request)
    application = application_or_404(actor, application_id)
    require(policies.can_edit_application(actor, application))
    form_class = type_forms.TERMS_FORMS.get(application.application_type)
    if form_class is None:
        raise Http404("a standard licence has no particulars of its own")
    form = form_class(posted(request), initial=type_forms.terms_initial(licence_types.terms_of(application)))
    kind = ApplicationType(application.application_type)
    return one_form_page(
        request,
        application,
        form,
        lambda data: services.application_terms_set(actor=actor, application=application, **data),
        heading=f"{kind.label}: its particulars",
        message="The particulars are saved.",
    )


def _rules_manager(request: HttpRequest) -> Any:
    actor = actor_of(request)
    if not policies.can_manage_licence_types(actor):
        raise Http404("licence types")
    return actor


@login_required
@require_GET
def type_rules_list(request: HttpRequest) -> HttpResponse:
    _rules_manager(request)
    rows = [
        {"kind": kind, "label": kind.label, "rules": licence_types.rules_for(kind), "hint": type_forms.TYPE_HINTS[kind]}
        for kind in ApplicationType
    ]
    return render(request, "applications/licence_types.html", {"rows": rows})


@login_required
def type_rules_edit(request: HttpRequest, application_type: str) -> HttpResponse:
    actor = _rules_manager(request)
    if application_type not in ApplicationType.values:
        raise Http404("licence type")
    kind = ApplicationType(application_type)
    rules = licence_types.rules_for(kind)
    form = type_forms.TypeRulesForm(posted(request), initial=rules.__dict__)
    return form_page(
        request,
        form,
        lambda data: services.licence_type_rules_set(actor=actor, application_type=kind, **data),
        message=f"The rules of the {kind.label.lower()} are saved.",
        then="applications:licence_types",
        template="applications/licence_type_form.html",
        context={"kind": kind},
    )
