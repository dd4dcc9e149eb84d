"""Screening's Prometheus figures (excon.core.metrics): how long matching takes and how many hits it finds, for
single searches and for re-screening batches; and the readiness probe naming the list versions in force."""

from __future__ import annotations

from typing import Any

from prometheus_client import Counter, Histogram

from .enums import VersionStatus
from .models import ListVersion

SCREENING_SECONDS = Histogram(
    "excon_screening_seconds",
    "time spent matching names against the lists",
    labelnames=["kind"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
SCREENING_NAMES = Counter("excon_screening_names", "names screened", labelnames=["kind"])
SCREENING_HITS = Counter("excon_screening_hits", "possible matches found (searches) or raised (re-screening)", ["kind"])


def probe_screening_index() -> dict[str, Any]:
    """The list versions in force, i.e. what the matching index is built from (no list yet is not an outage:
    a new installation imports its lists after it starts)."""
    versions: dict[str, str] = dict(
        ListVersion.objects.filter(status=VersionStatus.IN_FORCE)
        .order_by("source__code")
        .values_list("source__code", "sha256")
    )
    return {"lists_in_force": len(versions), "versions": {code: sha[:12] for code, sha in versions.items()}}
