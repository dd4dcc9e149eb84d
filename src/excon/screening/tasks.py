"""Background work: re-screening parties after a list import or nightly. Plain functions; the Celery wiring (a
`shared_task` wrapper and a beat schedule) is added by the apps that own the parties."""

from __future__ import annotations

from collections.abc import Iterable

from .services import RescreenResult, ScreenableParty, rescreen_parties


def rescreen(parties: Iterable[ScreenableParty]) -> RescreenResult:
    """Screen the given parties as the system (no human actor) and raise new hits."""
    return rescreen_parties(parties, actor=None)
