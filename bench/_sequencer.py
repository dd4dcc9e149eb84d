"""A sequencing worker for the benchmarks: the business transactions only queue their audit entries (no Celery
task is queued per commit here), while one background thread sequences and checkpoints, as a Celery worker
would in production."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator


@contextlib.contextmanager
def background_sequencer(interval: float = 0.2) -> Iterator[dict[str, float]]:
    from django.db import connection

    from excon.audit import services
    from excon.audit.sequencing import sequence_pending

    figures = {"runs": 0.0, "drain_seconds": 0.0}
    stop = threading.Event()
    queue_on_commit = services.schedule_sequencing
    services.schedule_sequencing = lambda: None  # type: ignore[assignment]

    def loop() -> None:
        try:
            while not stop.is_set():
                sequence_pending()
                figures["runs"] += 1
                stop.wait(interval)
        finally:
            connection.close()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield figures
    finally:
        stop.set()
        thread.join()
        services.schedule_sequencing = queue_on_commit  # type: ignore[assignment]
        started = time.perf_counter()
        sequence_pending()  # what was still queued when the writers stopped
        figures["drain_seconds"] = time.perf_counter() - started
