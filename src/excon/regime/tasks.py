"""Background work for the regime: recording the expiry of export authorisations past their validity, daily
(the checks already treat them as not in force on read)."""

from __future__ import annotations

from typing import Any

from excon.celery import app
from excon.core.scheduling import run_once_per_slot

from .services import expire_due_authorisations

EXPIRY_PERIOD_SECONDS = 24 * 60 * 60


@app.task(bind=True, name="excon.regime.expire_due_authorisations")
def expire_authorisations(self: Any, period_seconds: int = EXPIRY_PERIOD_SECONDS) -> int | None:
    """Idempotent (an expired authorisation is not touched again) and run once per slot however many beats send it."""
    run = run_once_per_slot("expire-authorisations", period_seconds, str(self.request.id), expire_due_authorisations)
    return run.result
