"""Prometheus metrics at /metrics: django-prometheus's request, database and model figures, plus the domain's own.

Counters and histograms that code increments (screening latency and hits, licence verifications) are plain
prometheus_client metrics defined by each app. Gauges that describe the state of the data (cases by status and
age, advice overdue per department, audit checkpoint lag, task queue depth) are computed at scrape time by
*sources* that apps register here in `AppConfig.ready()` (core imports no app): a source is a callable yielding
prometheus_client metric families. Under gunicorn with several workers, PROMETHEUS_MULTIPROC_DIR makes the counters
add up across processes (see docs/operations.md).

/metrics answers only a bearer token equal to EXCON_METRICS_TOKEN or a client inside
EXCON_METRICS_ALLOWED_NETWORKS; anyone else gets 403 `metrics.forbidden`.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from .readiness import is_eager, redis_client

MetricSource = Callable[[], Iterable[Metric]]

_SOURCES: dict[str, MetricSource] = {}


def register_metric_source(name: str, source: MetricSource) -> None:
    _SOURCES[name] = source


class DomainCollector:
    """Collects every registered source at scrape time; a failing source is reported, not raised."""

    def collect(self) -> Iterator[Metric]:
        failures = GaugeMetricFamily(
            "excon_metric_source_failed", "1 when a domain metric source failed at this scrape", labels=["source"]
        )
        for name, source in _SOURCES.items():
            try:
                yield from source()
                failures.add_metric([name], 0)
            except Exception:  # a broken source must not hide every other metric
                failures.add_metric([name], 1)
        yield failures


def task_queue_depth() -> Iterator[Metric]:
    gauge = GaugeMetricFamily("excon_task_queue_depth", "messages waiting in the Celery queue", labels=["queue"])
    if not is_eager():
        queue = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")
        gauge.add_metric([queue], int(redis_client().llen(queue)))
    yield gauge


def build_registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REGISTRY)  # the process's own registry is a collector too
    registry.register(DomainCollector())
    return registry


def metrics_allowed(request: HttpRequest) -> bool:
    token = getattr(settings, "EXCON_METRICS_TOKEN", "")
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].encode(), token.encode()):
        return True
    try:
        client = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    networks: list[Any] = []
    for network in getattr(settings, "EXCON_METRICS_ALLOWED_NETWORKS", []):
        networks.append(ipaddress.ip_network(network, strict=False))
    return any(client in network for network in networks)


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        return JsonResponse(
            {
                "code": "metrics.forbidden",
                "message": "metrics need the bearer token or a client address on the allow-list",
                "details": {},
            },
            status=403,
        )
    return HttpResponse(generate_latest(build_registry()), content_type=CONTENT_TYPE_LATEST)
