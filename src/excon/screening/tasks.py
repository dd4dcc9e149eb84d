"""Background work of the screening app: re-screening every open case and active licence, after each successful
list import (services.list_import queues it on commit) and nightly (the beat schedule in settings). Eager in the
embedded default, so the work happens in the caller's process."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from excon.celery import app

from .rescreening import rescreen_open_cases, run_summary
from .services import RescreenResult, ScreenableParty, rescreen_parties


@app.task(name="excon.screening.tasks.rescreen_all", ignore_result=True)
def rescreen_all() -> dict[str, Any]:
    """Screen the parties of open applications and active licences again; new hits alert compliance officers."""
    return run_summary(rescreen_open_cases())


def rescreen(parties: Iterable[ScreenableParty]) -> RescreenResult:
    """Screen the given parties as the system (no human actor) and raise new hits."""
    return rescreen_parties(parties, actor=None)
