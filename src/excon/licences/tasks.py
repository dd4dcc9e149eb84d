"""Background work for licences: the nightly expiry of licences past their validity."""

from __future__ import annotations

from excon.celery import app

from .services import expire_due_licences


@app.task(name="excon.licences.expire_due_licences")
def expire_licences() -> int:
    return expire_due_licences()
