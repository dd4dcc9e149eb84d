"""The one service that moves an application through its lifecycle (workflow.TRANSITIONS)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from excon.audit.services import audit_record
from excon.core.errors import InvalidTransition, ValidationError

from .. import policies, workflow
from ..enums import ApplicationAction, ApplicationStatus
from ..models import Application
from .common import deny, locked

if TYPE_CHECKING:
    from excon.accounts.models import User


@transaction.atomic
def application_transition(
    *,
    actor: User | None,
    application: Application,
    action: str,
    comment: str = "",
    payload: dict[str, Any] | None = None,
    system: bool = False,
) -> Application:
    """Apply one move of the table. `system=True` is for the moves ExCon itself makes (the checks' outcome);
    those are refused to any person. The row is locked; the move is audited with its source and target."""
    application = locked(application)
    if action not in ApplicationAction.values:
        raise ValidationError(f"unknown action {action!r}", code="application.unknown_action")
    kind = workflow.actor_kind_for(action)
    if kind == workflow.SYSTEM:
        if not system:
            raise deny("ExCon makes this move itself")
    elif actor is None or not policies.can_transition_application(actor, application, action):
        raise deny(f"you may not {ApplicationAction(action).label.lower()} this application")
    target = workflow.target_of(application.status, action)
    if target is None:
        raise InvalidTransition(
            f"an application that is {application.get_status_display().lower()} cannot be moved by "
            f"“{ApplicationAction(action).label}”",
            code="application.invalid_transition",
            details={"status": application.status, "action": action},
        )
    previous = application.status
    now = timezone.now()
    application.status = target
    application.status_changed_at = now
    if target == ApplicationStatus.SUBMITTED and application.submitted_at is None:
        application.submitted_at = now
    if target == ApplicationStatus.DECIDED:
        application.decided_at = now
    application.save(update_fields=["status", "status_changed_at", "submitted_at", "decided_at", "updated_at"])
    audit_record(
        actor=actor,
        verb=f"application.{action}",
        target=application,
        payload={"from": previous, "to": target, "comment": comment, **(payload or {})},
        system_label="system:checks",
    )
    return application
