"""The signed-in user's inbox."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from excon.core.api import ERROR_RESPONSES, Pagination, actor_of

from . import selectors, services

router = Router(tags=["inbox"])


class MessageOut(Schema):
    id: UUID
    subject: str
    body: str
    link: str
    event: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class ReadIn(Schema):
    message_id: UUID | None = None


@router.get("/inbox", response=list[MessageOut], summary="Your messages, newest first")
@paginate(Pagination, page_size=50)
def inbox(request: HttpRequest, unread_only: bool = False) -> Any:
    return selectors.inbox_list(actor=actor_of(request), unread_only=unread_only)


@router.post("/inbox/read", response={200: dict[str, int], **ERROR_RESPONSES}, summary="Mark one or all read")
def mark_read(request: HttpRequest, payload: ReadIn) -> dict[str, int]:
    count = services.inbox_mark_read(actor=actor_of(request), message_id=payload.message_id)
    return {"marked_read": count}
