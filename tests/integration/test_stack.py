"""The production stack, for real: the Procfile's gunicorn (two workers), Celery worker and beat, on a Redis of
their own and a throwaway PostgreSQL database; /readyz passes, a short mixed load gets no server error, the
worker runs a task sent through Redis, and every process stops cleanly on SIGTERM.

Marked `stack` (select or skip it with -m); it skips, saying why, where the binaries or PostgreSQL are absent."""

from __future__ import annotations

import concurrent.futures
import shutil
import socket
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from bench.stack import Stack, free_port, missing_binaries

pytestmark = pytest.mark.stack


def postgres_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


@pytest.mark.skipif(bool(missing_binaries()), reason=f"the stack needs {', '.join(missing_binaries())}")
@pytest.mark.skipif(shutil.which("gunicorn") is None and not Path(".venv/bin/gunicorn").exists(), reason="no gunicorn")
@pytest.mark.skipif(not postgres_reachable(), reason="PostgreSQL is not running on 127.0.0.1:5432")
def test_the_stack_starts_serves_a_short_load_and_stops() -> None:
    stack = Stack(
        root=Path(tempfile.mkdtemp(prefix="excon-stack-test-")),
        web_port=free_port(),
        redis_port=free_port(),
        web_workers=2,
        worker_concurrency=1,
    )
    try:
        stack.prepare(refdata=False, static=False, admin=False)
        stack.start_all()
        ready = stack.wait_ready(timeout=60)
        assert ready["checks"]["database"]["vendor"] == "postgresql"
        assert ready["checks"]["worker"]["workers"] == 1

        # A short load across the request kinds the public and the probes make: no 5xx.
        paths = ["/healthz", "/readyz", "/accounts/login/", "/verify/LIC-2026-000001/?v=1&k=k&s=s", "/api/v1/me"]
        deadline = time.monotonic() + 5
        statuses: list[int] = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
            while time.monotonic() < deadline:
                statuses += pool.map(get, [stack.url + path for path in paths * 4])
        assert len(statuses) >= 40
        assert [status for status in statuses if status >= 500] == []
        # 429: the public verification's rate limit (EXCON_VERIFY_RATE_LIMIT) answering a burst from one address.
        assert set(statuses) <= {200, 401, 429}

        # The worker takes a task from Redis: the scheduled expiry, claimed once in the database.
        from celery import Celery

        sender = Celery("excon-stack-test", broker=stack.redis_url)
        sender.send_task("excon.licences.expire_due_licences")
        claimed = ""
        for _ in range(60):
            claimed = stack.sql("SELECT count(*) FROM core_scheduledjobclaim WHERE finished_at IS NOT NULL")
            if claimed != "0":
                break
            time.sleep(0.5)
        assert claimed == "1"

        exits = stack.stop_all()
        assert set(exits) == {"web", "worker", "beat"}
        assert all(code in (0, -15) for code in exits.values()), exits
        with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", stack.web_port), timeout=1):
            pass
    finally:
        stack.teardown()
