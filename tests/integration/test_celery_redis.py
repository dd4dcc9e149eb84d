"""Background work on a real engine: a Celery worker consuming from Redis runs the licence-expiry task, the way
production runs it (the embedded default runs tasks eagerly instead)."""

from __future__ import annotations

import datetime as dt
import socket

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
    from celery.contrib.testing.worker import start_worker

    app.conf.update(
        broker_url="redis://127.0.0.1:6379/15",
        result_backend="redis://127.0.0.1:6379/15",
        task_always_eager=False,
    )
    try:
        licence = direct_licence(number="LIC-CELERY-1")
        Licence.objects.filter(pk=licence.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=2))
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            result = expire_licences.delay()
            assert result.get(timeout=30) == 1
        licence.refresh_from_db()
        assert licence.status == "expired"
    finally:
        app.conf.update(broker_url="memory://", result_backend=None, task_always_eager=True)
