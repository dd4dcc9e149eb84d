"""Readiness: is this process able to serve real work right now? `/readyz` runs every registered probe.

core owns the registry and the probes every deployment has (the database, the broker, a live worker); apps
register their own in `AppConfig.ready()` (screening: the index version in force; audit: entries waiting to be
sequenced), so core imports no app. A probe returns a JSON-able dict of details and raises `NotReady` (or any
exception) when its part is not ready; `/healthz` stays a liveness check that only touches the database.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection

Probe = Callable[[], dict[str, Any]]


class NotReady(Exception):
    """Raised by a probe whose part cannot serve: the message is shown to the operator (never secrets)."""


@dataclass(frozen=True)
class ProbeOutcome:
    name: str
    ok: bool
    detail: dict[str, Any]


_PROBES: dict[str, Probe] = {}


def register_readiness_probe(name: str, probe: Probe) -> None:
    """Register (or replace, so `ready()` may run twice) the probe called `name`."""
    _PROBES[name] = probe


def registered_probes() -> dict[str, Probe]:
    return dict(_PROBES)


def run_probes(probes: dict[str, Probe] | None = None) -> list[ProbeOutcome]:
    outcomes = []
    for name, probe in (probes if probes is not None else _PROBES).items():
        started = time.perf_counter()
        try:
            detail = dict(probe())
            ok = True
        except NotReady as exc:
            detail, ok = {"error": str(exc)}, False
        except Exception as exc:  # a probe that breaks means its part is not ready; report the kind, not a trace
            detail, ok = {"error": type(exc).__name__}, False
        detail["ok"] = ok
        detail["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
        outcomes.append(ProbeOutcome(name=name, ok=ok, detail=detail))
    return outcomes


def is_eager() -> bool:
    """The embedded default runs tasks in-process: there is no broker or worker to wait for."""
    return bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False))


def redis_client() -> Any:
    """A Redis client on the broker with short timeouts, so a probe never hangs a request."""
    import redis

    url = settings.CELERY_BROKER_URL
    if not str(url).startswith(("redis://", "rediss://", "unix://")):
        raise NotReady(f"the broker is not Redis ({str(url).split(':', 1)[0]})")
    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


WORKER_HEARTBEAT_KEY = "excon:worker-heartbeat:"


def probe_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def probe_broker() -> dict[str, Any]:
    if is_eager():
        return {"mode": "eager"}
    client = redis_client()
    client.ping()
    queue = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")
    return {"queue_depth": int(client.llen(queue))}


def probe_worker() -> dict[str, Any]:
    """At least one Celery worker wrote its heartbeat (excon.celery) within EXCON_WORKER_HEARTBEAT_TTL seconds."""
    if is_eager():
        return {"mode": "eager"}
    client = redis_client()
    workers = sorted(key.decode()[len(WORKER_HEARTBEAT_KEY) :] for key in client.scan_iter(f"{WORKER_HEARTBEAT_KEY}*"))
    if not workers:
        raise NotReady("no Celery worker heartbeat")
    return {"workers": len(workers)}


def register_core_probes() -> None:
    register_readiness_probe("database", probe_database)
    register_readiness_probe("broker", probe_broker)
    register_readiness_probe("worker", probe_worker)
