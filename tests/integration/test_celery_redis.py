"""Background work on a real engine: a Celery worker consuming from Redis runs the licence-expiry task, the way
production runs it (the embedded default runs tasks eagerly instead)."""

from __future__ import annotations

import datetime as dt
import socket
import uuid

import pytest
from django.utils import timezone

from excon.celery import app
from excon.licences.models import Licence
from excon.licences.tasks import expire_licences
from excon.licences.tests.factories import direct_licence

REDIS = ("127.0.0.1", 6379)


def redis_available() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_available(), reason="Redis is not running on 127.0.0.1:6379")
@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_on_redis_expires_licences() -> None:
    from celery import Celery
    from celery.contrib.testing.worker import start_worker

    # A Celery app of its own on Redis (the project's app is eager in tests and keeps its settings cached per
    # process), running the very task body the project schedules, under the same name.
    engine = Celery("excon-redis-test", broker="redis://127.0.0.1:6379/15", backend="redis://127.0.0.1:6379/15")
    engine.conf.task_always_eager = False
    # A queue of its own, so two test runs on one machine never take each other's tasks.
    engine.conf.task_default_queue = f"excon-test-{uuid.uuid4().hex}"
    task = engine.task(bind=True, name=expire_licences.name)(expire_licences.run)
    licence = direct_licence(number="LIC-CELERY-1")
    Licence.objects.filter(pk=licence.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=2))
    with start_worker(engine, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = task.delay()
        assert result.get(timeout=30) == 1
    licence.refresh_from_db()
    assert licence.status == "expired"
    assert app.conf.beat_schedule["expire-licences"]["task"] == expire_licences.name
