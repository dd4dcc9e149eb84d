"""gunicorn settings for ExCon (`gunicorn excon.wsgi:application --config python:excon.gunicorn_conf`), every
value from the environment so the Procfile, systemd and `make prod-local` share this one file."""

from __future__ import annotations

import os
from typing import Any

from excon.core.logs import logging_config

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then (with jitter so they do not all restart together) against slow leaks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# The request line is logged by excon.core.logs.RequestIdMiddleware, as JSON and without the query string.
accesslog = None
errorlog = "-"
# gunicorn's own lines (boot, worker timeouts) as the same JSON lines as ExCon's.
logconfig_dict = logging_config(
    json=os.environ.get("EXCON_LOG_FORMAT", "console") == "json", level=os.environ.get("EXCON_LOG_LEVEL", "INFO")
)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "excon-web"


def child_exit(server: Any, worker: Any) -> None:
    """A dead worker's Prometheus files stop counting towards live gauges (multi-process mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
