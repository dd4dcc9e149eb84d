"""Background work of the screening app: re-screening every open case and active licence, after each successful
list import (services.list_import queues it on commit) and nightly (the beat schedule in settings). Eager in the
embedded default, so the work happens in the caller's process."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from excon.celery import app
from excon.core.scheduling import run_once_per_slot

from .services import RescreenResult, ScreenableParty, rescreen_parties


@app.task(bind=True, name="excon.screening.tasks.rescreen_all", ignore_result=True)
def rescreen_all(self: Any, slot_seconds: int | None = None) -> dict[str, Any] | None:
    """Screen the parties of open applications and active licences again; new hits alert compliance officers.

    Idempotent: a hit already raised (or dismissed) for the same party and entry is not raised again. The nightly
    run passes `slot_seconds` so two beats never run it twice in one night (excon.core.scheduling); the run queued
    after a list import passes nothing and always runs."""
    from .rescreening import rescreen_open_cases, run_summary

    if slot_seconds is None:
        return run_summary(rescreen_open_cases())
    run = run_once_per_slot("rescreen-parties", slot_seconds, str(self.request.id), rescreen_open_cases)
    return run_summary(run.result) if run.ran and run.result is not None else None


def rescreen(parties: Iterable[ScreenableParty]) -> RescreenResult:
    """Screen the given parties as the system (no human actor) and raise new hits."""
    return rescreen_parties(parties, actor=None)
