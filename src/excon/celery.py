"""Celery application: Redis-backed in production, eager (in-process) in the embedded default.

Two pieces of operations live here because they belong to every task and every worker:
- the request id of the web request that queued a task travels in the message headers and is bound again in the
  worker, so a task's log lines carry it (excon.core.logs);
- each worker writes a heartbeat key to Redis (`excon:worker-heartbeat:<hostname>`, expiring after
  EXCON_WORKER_HEARTBEAT_TTL seconds) that /readyz looks for (excon.core.readiness).
"""

from __future__ import annotations

import contextlib
import os
import threading
from typing import Any

import structlog
from celery import Celery, signals
from django.conf import settings

from excon.core.logs import current_request_id
from excon.core.readiness import WORKER_HEARTBEAT_KEY, redis_client

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "excon.settings.dev")

app = Celery("excon")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

REQUEST_ID_HEADER = "excon_request_id"


@signals.before_task_publish.connect
def _carry_request_id(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    request_id = current_request_id()
    if headers is not None and request_id and REQUEST_ID_HEADER not in headers:
        headers[REQUEST_ID_HEADER] = request_id


@signals.task_prerun.connect
def _bind_request_id(task: Any = None, task_id: str | None = None, **kwargs: Any) -> None:
    request = getattr(task, "request", None)
    carried = getattr(request, REQUEST_ID_HEADER, None) or (getattr(request, "headers", None) or {}).get(
        REQUEST_ID_HEADER
    )
    request_id = carried or current_request_id()  # eager tasks run inside the request that queued them
    structlog.contextvars.bind_contextvars(task_id=task_id, task=getattr(task, "name", None))
    if request_id:
        structlog.contextvars.bind_contextvars(request_id=request_id)


@signals.task_postrun.connect
def _unbind_task(**kwargs: Any) -> None:
    structlog.contextvars.unbind_contextvars("task_id", "task")


_heartbeat_stop = threading.Event()


def _beat_heart(hostname: str) -> None:
    ttl = int(getattr(settings, "EXCON_WORKER_HEARTBEAT_TTL", 30))
    key = f"{WORKER_HEARTBEAT_KEY}{hostname}"
    while not _heartbeat_stop.is_set():
        with contextlib.suppress(Exception):  # Redis is down: /readyz says so; the worker keeps trying
            redis_client().set(key, "1", ex=ttl)
        _heartbeat_stop.wait(max(1, ttl // 3))
    with contextlib.suppress(Exception):  # shutting down while Redis is away: the key expires by itself
        redis_client().delete(key)


@signals.worker_ready.connect
def _start_heartbeat(sender: Any = None, **kwargs: Any) -> None:
    if app.conf.task_always_eager:
        return
    hostname = getattr(sender, "hostname", None) or "worker"
    threading.Thread(target=_beat_heart, args=(hostname,), name="excon-heartbeat", daemon=True).start()


@signals.worker_shutdown.connect
def _stop_heartbeat(**kwargs: Any) -> None:
    _heartbeat_stop.set()
