"""Scheduled jobs run once per slot, however many beats send them; a redelivered message runs again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from excon.core.models import ScheduledJobClaim
from excon.core.scheduling import run_once_per_slot, slot_start
from excon.licences.models import Licence
from excon.licences.tasks import expire_licences
from excon.licences.tests.factories import direct_licence

SIX_HOURS = 6 * 60 * 60


def test_slots_are_counted_from_the_epoch_so_every_host_agrees() -> None:
    moment = dt.datetime(2026, 12, 1, 7, 59, tzinfo=dt.UTC)
    assert slot_start(moment, SIX_HOURS) == dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC)
    assert slot_start(moment, 24 * 60 * 60) == dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_two_beats_sending_the_same_job_run_it_once() -> None:
    runs: list[str] = []
    now = timezone.now()
    first = run_once_per_slot("job", SIX_HOURS, "task-from-beat-a", lambda: runs.append("a"), now=now)
    second = run_once_per_slot("job", SIX_HOURS, "task-from-beat-b", lambda: runs.append("b"), now=now)
    assert (first.ran, second.ran) == (True, False)
    assert runs == ["a"]
    claim = ScheduledJobClaim.objects.get()
    assert claim.task_id == "task-from-beat-a"
    assert claim.finished_at is not None


@pytest.mark.django_db
def test_a_redelivered_message_runs_again_and_the_next_slot_runs() -> None:
    runs: list[str] = []
    now = timezone.now()
    run_once_per_slot("job", SIX_HOURS, "task-1", lambda: runs.append("first try"), now=now)
    again = run_once_per_slot("job", SIX_HOURS, "task-1", lambda: runs.append("redelivered"), now=now)
    later = run_once_per_slot(
        "job", SIX_HOURS, "task-2", lambda: runs.append("next slot"), now=now + dt.timedelta(seconds=SIX_HOURS)
    )
    assert again.ran
    assert later.ran
    assert runs == ["first try", "redelivered", "next slot"]


@pytest.mark.django_db
def test_the_expiry_task_sent_by_two_beats_expires_once() -> None:
    licence = direct_licence(number="LIC-BEAT-1")
    Licence.objects.filter(pk=licence.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    assert expire_licences.apply(task_id="beat-a").get() == 1
    assert expire_licences.apply(task_id="beat-b").get() is None
    licence.refresh_from_db()
    assert licence.status == "expired"
    assert ScheduledJobClaim.objects.filter(job="expire-licences").count() == 1
