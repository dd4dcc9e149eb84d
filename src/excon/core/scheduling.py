"""Scheduled jobs that run once per time slot however many beats send them.

Celery beat has no leader election: two beat processes (two hosts, or a restart mid-slot) each send the job. The
job's task wraps its body in `run_once_per_slot(job, period, task_id)`: the first worker to insert the
(job, slot) row runs it; a copy sent by another beat (another task id) for the same slot is skipped. The same task
id arriving again is a redelivery after a worker died mid-task (tasks are `acks_late`): it runs again, which is why
every scheduled job is idempotent. The lock is a database row, so it holds on SQLite and PostgreSQL, with or
without Redis.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ScheduledJobClaim

T = TypeVar("T")


@dataclass(frozen=True)
class SlotRun(Generic[T]):
    ran: bool
    result: T | None
    slot: datetime


def slot_start(now: datetime, period_seconds: int) -> datetime:
    """The start of the period-long slot `now` falls in, counted from the Unix epoch (so every host agrees)."""
    epoch_seconds = int(now.timestamp())
    return datetime.fromtimestamp(epoch_seconds - epoch_seconds % period_seconds, tz=UTC)


def claim_slot(*, job: str, period_seconds: int, task_id: str, now: datetime | None = None) -> datetime | None:
    """Claim the current slot of `job` for `task_id`; None when another task already holds it."""
    slot = slot_start(now or timezone.now(), period_seconds)
    try:
        with transaction.atomic():
            ScheduledJobClaim.objects.create(job=job, slot=slot, task_id=task_id)
        return slot
    except IntegrityError:
        holder = ScheduledJobClaim.objects.filter(job=job, slot=slot).values_list("task_id", flat=True).first()
        return slot if holder == task_id else None


def run_once_per_slot(
    job: str, period_seconds: int, task_id: str, body: Callable[[], T], *, now: datetime | None = None
) -> SlotRun[T]:
    slot = claim_slot(job=job, period_seconds=period_seconds, task_id=task_id, now=now)
    if slot is None:
        return SlotRun(ran=False, result=None, slot=slot_start(now or timezone.now(), period_seconds))
    result = body()
    ScheduledJobClaim.objects.filter(job=job, slot=slot).update(finished_at=timezone.now())
    return SlotRun(ran=True, result=result, slot=slot)
