"""API of the licence types: a draft's type particulars, and the authority's rules per type."""

# No "from __future__ import annotations": django-ninja resolves the parameter types in its module.

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from excon.core.api import ERROR_RESPONSES, actor_of
from excon.core.errors import PermissionDenied

from .. import licence_types, policies, selectors, services
from ..enums import ApplicationType
from .schemas import ApplicationOut

router = Router(tags=["licence applications"])


class TermsIn(Schema):
    """Only the fields the application's type takes (another type's are refused with application.terms_not_for_type);
    a field left out is left as it is."""

    further_destinations: list[str] | None = None
    requested_valid_until: dt.date | None = None
    temporary_purpose: str | None = None
    return_date: dt.date | None = None
    broker_name: str | None = None
    broker_country: str | None = None
    source_country: str | None = None
    transfer_kind: str | None = None
    transferred: str | None = None
    innovation_reference: str | None = None


class TypeRulesOut(Schema):
    application_type: str
    label: str
    max_validity_days: int
    return_period_months: int | None
    return_due_days: int
    reminder_days: int


class TypeRulesIn(Schema):
    max_validity_days: int | None = None
    return_period_months: int | None = None
    return_due_days: int | None = None
    reminder_days: int | None = None


def _rules_out(application_type: str) -> dict[str, Any]:
    rules = licence_types.rules_for(application_type)
    return {**rules.__dict__, "label": ApplicationType(application_type).label}


@router.put(
    "/applications/{application_id}/terms",
    response={200: ApplicationOut, **ERROR_RESPONSES},
    summary="Set the particulars of the application's licence type",
)
def set_terms(request: HttpRequest, application_id: str, payload: TermsIn) -> Any:
    actor = actor_of(request)
    application = selectors.application_get(actor=actor, application_id=application_id)
    services.application_terms_set(actor=actor, application=application, **payload.dict(exclude_unset=True))
    return application


@router.get(
    "/licence-types", response={200: list[TypeRulesOut], **ERROR_RESPONSES}, summary="Each licence type's rules"
)
def list_type_rules(request: HttpRequest) -> Any:
    actor_of(request)  # any signed-in user may read the limits that apply to applications
    return [_rules_out(kind) for kind in ApplicationType.values]


@router.put(
    "/licence-types/{application_type}",
    response={200: TypeRulesOut, **ERROR_RESPONSES},
    summary="Change a licence type's rules (senior officers)",
)
def set_type_rules(request: HttpRequest, application_type: str, payload: TypeRulesIn) -> Any:
    actor = actor_of(request)
    if not policies.can_manage_licence_types(actor):
        raise PermissionDenied("only senior officers set the licence types' rules")
    rules = services.licence_type_rules_set(
        actor=actor, application_type=application_type, **payload.dict(exclude_unset=True)
    )
    return _rules_out(rules.application_type)
