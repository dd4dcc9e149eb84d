"""Telling people: an inbox message per recipient, and an e-mail sent after the transaction commits."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from excon.audit.services import audit_record
from excon.core.addresses import public_base_url
from excon.core.errors import NotFound
from excon.core.ids import parse_uuid

from .enums import AuditVerb
from .models import InboxMessage

if TYPE_CHECKING:
    from excon.accounts.models import User

logger = logging.getLogger("excon.notifications")


def notify(*, recipients: Iterable[User], subject: str, body: str, link: str, event: str) -> list[InboxMessage]:
    """Called by other services inside their transaction (their audit entry records the change itself)."""
    unique = {user.pk: user for user in recipients if user.is_active}
    messages = InboxMessage.objects.bulk_create(
        [
            InboxMessage(recipient=user, subject=subject[:200], body=body, link=link, event=event)
            for user in unique.values()
        ]
    )
    addresses = [user.email for user in unique.values() if user.email]
    if addresses:
        transaction.on_commit(lambda: _send_email(addresses, subject, body, link))
    return messages


def _send_email(addresses: list[str], subject: str, body: str, link: str) -> None:
    base = public_base_url()
    text = f"{body}\n\n{base}{link}" if link else body
    try:
        send_mail(f"[ExCon] {subject}", text, settings.DEFAULT_FROM_EMAIL, addresses)
    except Exception:  # mail trouble must not undo a committed decision; the inbox still has the message
        logger.exception("could not send notification e-mail %r", subject)


@transaction.atomic
def inbox_mark_read(*, actor: User, message_id: object | None = None) -> int:
    """Mark one message (or, with no id, all) of the actor's own inbox as read."""
    unread = InboxMessage.objects.filter(recipient=actor, read_at__isnull=True)
    if message_id is not None:
        key = parse_uuid(message_id)
        if key is None or not InboxMessage.objects.filter(recipient=actor, pk=key).exists():
            raise NotFound("message")
        unread = unread.filter(pk=key)
    count = unread.update(read_at=timezone.now())
    if count:
        audit_record(actor=actor, verb=AuditVerb.INBOX_READ, target=actor, payload={"messages": count})
    return count
