"""API of the licence types' follow-ups: an open licence's periodic returns and a temporary export's items, with
the holder's return and the confirmed return of the goods. Mounted under the licences router."""

# No "from __future__ import annotations": django-ninja resolves the parameter types in its module.

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema

from excon.core.api import ERROR_RESPONSES, actor_of

from . import selectors, services
from .models import TemporaryExport, UsageReturn

router = Router(tags=["licences"])


class UsageReturnOut(Schema):
    id: UUID
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date
    submitted_at: dt.datetime | None
    report: dict[str, Any]
    note: str
    overdue: bool

    @staticmethod
    def resolve_overdue(obj: UsageReturn) -> bool:
        return obj.overdue_at is not None and obj.submitted_at is None


class TemporaryExportOut(Schema):
    id: UUID
    shipment: str
    shipped_on: dt.date
    due_on: dt.date
    returned_on: dt.date | None
    confirmation: str
    note: str
    overdue: bool

    @staticmethod
    def resolve_shipment(obj: TemporaryExport) -> str:
        return obj.shipment.reference

    @staticmethod
    def resolve_shipped_on(obj: TemporaryExport) -> dt.date:
        return obj.shipment.shipped_on

    @staticmethod
    def resolve_overdue(obj: TemporaryExport) -> bool:
        return obj.overdue_at is not None and obj.returned_on is None


class ReturnIn(Schema):
    note: str = ""


class GoodsBackIn(Schema):
    returned_on: dt.date
    note: str = ""


@router.get(
    "/licences/{licence_id}/returns",
    response={200: list[UsageReturnOut], **ERROR_RESPONSES},
    summary="An open licence's periodic returns of shipments",
)
def list_returns(request: HttpRequest, licence_id: str) -> Any:
    licence = selectors.licence_get(actor=actor_of(request), licence_id=licence_id)
    return list(selectors.licence_usage_returns(licence))


@router.post(
    "/licences/{licence_id}/returns/{return_id}/submit",
    response={200: UsageReturnOut, **ERROR_RESPONSES},
    summary="Submit the return of a period that has ended (the holder)",
)
def submit_return(request: HttpRequest, licence_id: str, return_id: str, payload: ReturnIn) -> Any:
    actor = actor_of(request)
    licence = selectors.licence_get(actor=actor, licence_id=licence_id)
    row = selectors.usage_return_get(licence=licence, return_id=return_id)
    return services.usage_return_submit(actor=actor, usage_return=row, note=payload.note)


@router.get(
    "/licences/{licence_id}/temporary-exports",
    response={200: list[TemporaryExportOut], **ERROR_RESPONSES},
    summary="What a temporary export licence's shipments took out, and whether it is back",
)
def list_temporary_exports(request: HttpRequest, licence_id: str) -> Any:
    licence = selectors.licence_get(actor=actor_of(request), licence_id=licence_id)
    return list(selectors.licence_temporary_exports(licence))


@router.post(
    "/licences/{licence_id}/temporary-exports/{item_id}/return",
    response={200: TemporaryExportOut, **ERROR_RESPONSES},
    summary="Confirm that temporarily exported goods are back (customs or the holder)",
)
def confirm_return(request: HttpRequest, licence_id: str, item_id: str, payload: GoodsBackIn) -> Any:
    actor = actor_of(request)
    licence = selectors.licence_get(actor=actor, licence_id=licence_id)
    item = selectors.temporary_export_get(licence=licence, item_id=item_id)
    return services.temporary_return_confirm(actor=actor, item=item, returned_on=payload.returned_on, note=payload.note)
