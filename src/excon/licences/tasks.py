"""Background work for licences: the expiry of licences past their validity, every six hours; the licence types'
daily follow-up (open licences' returns: reminders and overdue alerts; temporary exports not back by their date)."""

from __future__ import annotations

from typing import Any

from excon.celery import app
from excon.core.scheduling import run_once_per_slot

from .services import expire_due_licences, licence_follow_ups

EXPIRY_PERIOD_SECONDS = 6 * 60 * 60


@app.task(bind=True, name="excon.licences.expire_due_licences")
def expire_licences(self: Any, period_seconds: int = EXPIRY_PERIOD_SECONDS) -> int | None:
    """Idempotent (a licence already expired is not touched again) and run once per slot however many beats send
    it (excon.core.scheduling)."""
    run = run_once_per_slot("expire-licences", period_seconds, str(self.request.id), expire_due_licences)
    return run.result


FOLLOW_UP_PERIOD_SECONDS = 24 * 60 * 60


@app.task(bind=True, name="excon.licences.licence_follow_ups")
def follow_up_licences(self: Any, period_seconds: int = FOLLOW_UP_PERIOD_SECONDS) -> dict[str, int] | None:
    """Idempotent (each reminder and alert is sent once) and run once per slot however many beats send it."""
    run = run_once_per_slot("licence-follow-ups", period_seconds, str(self.request.id), licence_follow_ups)
    return run.result
