"""Applications move through their lifecycle (workflow.TABLE) by the workflow engine; this module holds the field
stamps the engine applies for them and the typed entry point."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from excon.core.workflow import Move, transition

from ..enums import ApplicationStatus
from ..models import Application

if TYPE_CHECKING:
    from excon.accounts.models import User


def stamp_application_move(application: Application, move: Move, now: dt.datetime) -> list[str]:
    """The first submission and every decision are dated on the case itself (the clocks and lists read them)."""
    if move.target == ApplicationStatus.SUBMITTED and application.submitted_at is None:
        application.submitted_at = now
    if move.target == ApplicationStatus.DECIDED:
        application.decided_at = now
    return ["submitted_at", "decided_at"]


def application_transition(
    *,
    actor: User | None,
    application: Application,
    action: str,
    comment: str = "",
    payload: dict[str, Any] | None = None,
    system: bool = False,
) -> Application:
    """Typed entry to the workflow engine for applications. `system=True` is for the moves ExCon itself makes (the
    checks' outcome); those are refused to any person."""
    return transition(application, action, actor=actor, comment=comment, payload=payload, system=system)
