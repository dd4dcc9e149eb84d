from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from .models import InboxMessage

if TYPE_CHECKING:
    from excon.accounts.models import User


def inbox_list(*, actor: User, unread_only: bool = False) -> QuerySet[InboxMessage]:
    messages = InboxMessage.objects.filter(recipient=actor)
    if unread_only:
        messages = messages.filter(read_at__isnull=True)
    return messages.order_by("-created_at")


def unread_count(*, actor: User) -> int:
    return InboxMessage.objects.filter(recipient=actor, read_at__isnull=True).count()
