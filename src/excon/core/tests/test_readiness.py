"""/readyz: every part it depends on, each made to fail in turn, answers 503 naming that part."""

from __future__ import annotations

import socket
import uuid
from typing import Any

import pytest
from django.db.utils import OperationalError
from django.test import Client

from excon.core import readiness
from excon.core.readiness import NotReady, register_readiness_probe, registered_probes

REDIS = ("127.0.0.1", 6379)


def redis_available() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


needs_redis = pytest.mark.skipif(not redis_available(), reason="Redis is not running on 127.0.0.1:6379")


def ready(client: Client) -> tuple[int, dict[str, Any]]:
    response = client.get("/readyz")
    return response.status_code, response.json()


@pytest.mark.django_db
def test_ready_in_the_embedded_default(client: Client) -> None:
    status, body = ready(client)
    assert status == 200, body
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert {"database", "broker", "worker", "screening_index"} <= set(body["checks"])
    assert body["checks"]["broker"]["mode"] == "eager"
    assert body["checks"]["screening_index"]["lists_in_force"] == 0


@pytest.mark.django_db
def test_a_database_failure_is_named(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        vendor = "broken"

        def cursor(self) -> Any:
            raise OperationalError("connection refused")

    monkeypatch.setattr(readiness, "connection", Broken())
    status, body = ready(client)
    assert status == 503
    assert body["status"] == "error"
    assert "database" in body["failing"]
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError", **_latency(body, "database")}


def _latency(body: dict[str, Any], name: str) -> dict[str, Any]:
    return {"latency_ms": body["checks"][name]["latency_ms"]}


@pytest.mark.django_db
def test_redis_unreachable_fails_the_broker_and_the_worker(client: Client, settings: Any) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
    status, body = ready(client)
    assert status == 503
    assert body["failing"] == ["broker", "worker"]
    assert body["checks"]["broker"]["error"] == "ConnectionError"


@pytest.mark.django_db
def test_a_broker_that_is_not_redis_is_named(client: Client, settings: Any) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "amqp://127.0.0.1//"
    status, body = ready(client)
    assert status == 503
    assert body["checks"]["broker"]["error"] == "the broker is not Redis (amqp)"


@needs_redis
@pytest.mark.django_db
def test_no_worker_heartbeat_fails_the_worker_only(client: Client, settings: Any) -> None:
    import redis

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/13"
    settings.CELERY_TASK_DEFAULT_QUEUE = f"excon-readyz-{uuid.uuid4().hex}"
    store = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    for key in store.scan_iter(f"{readiness.WORKER_HEARTBEAT_KEY}*"):
        store.delete(key)
    status, body = ready(client)
    assert status == 503
    assert body["failing"] == ["worker"]
    assert body["checks"]["worker"]["error"] == "no Celery worker heartbeat"
    assert body["checks"]["broker"]["queue_depth"] == 0

    key = f"{readiness.WORKER_HEARTBEAT_KEY}test-{uuid.uuid4().hex}"
    store.set(key, "1", ex=30)
    try:
        status, body = ready(client)
    finally:
        store.delete(key)
    assert status == 200, body
    assert body["checks"]["worker"]["workers"] == 1


@pytest.mark.django_db
def test_a_registered_probe_that_is_not_ready_is_named(client: Client) -> None:
    saved = registered_probes()

    def screening_index() -> dict[str, Any]:
        raise NotReady("the index of version 42 is still being built")

    register_readiness_probe("screening_index", screening_index)
    try:
        status, body = ready(client)
    finally:
        register_readiness_probe("screening_index", saved["screening_index"])
    assert status == 503
    assert body["failing"] == ["screening_index"]
    assert body["checks"]["screening_index"]["error"] == "the index of version 42 is still being built"


@pytest.mark.django_db
def test_the_screening_probe_names_the_versions_in_force(client: Client) -> None:
    from excon.screening.enums import VersionStatus
    from excon.screening.models import ListSource, ListVersion

    source = ListSource.objects.create(code="un", name="UN")
    ListVersion.objects.create(source=source, sha256="ab" * 32, status=VersionStatus.IN_FORCE)
    status, body = ready(client)
    assert status == 200
    assert body["checks"]["screening_index"]["versions"] == {"un": "ab" * 6}


@pytest.mark.django_db
def test_healthz_stays_a_liveness_check(client: Client) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
