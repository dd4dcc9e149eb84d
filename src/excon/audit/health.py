"""How far the audit log's sequencing and signed checkpoints trail the writes: for /readyz, /metrics and backups.

Audited writes only queue their entry; the sequencer gives it a leaf after commit and signs a checkpoint of the new
tree (`sequencing.py`). An entry still queued is not yet under any signature, so the operator must see how many
are waiting, since when, and how many entries the latest checkpoint does not cover. Readiness fails when the
oldest queued entry has waited longer than EXCON_AUDIT_SEQUENCING_MAX_LAG seconds: the sequencer (a worker, the
beat schedule) is not running, and every write since is unsigned.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, Metric

from excon.core.readiness import NotReady

from . import checkpoints
from .models import AuditCheckpoint, AuditEntry, AuditPending, AuditSequencer

DEFAULT_MAX_LAG_SECONDS = 300


@dataclass(frozen=True)
class AuditBacklog:
    pending: int
    oldest_pending_at: datetime | None
    tree_size: int
    checkpoint_tree_size: int
    checkpoint_published_at: datetime | None

    @property
    def checkpoint_lag(self) -> int:
        """Committed entries that no signed checkpoint covers yet (in the tree but newer, or still queued)."""
        return max(self.tree_size - self.checkpoint_tree_size, 0) + self.pending

    def seconds_since(self, moment: datetime | None, now: datetime) -> float:
        return round((now - moment).total_seconds(), 1) if moment is not None else 0.0


def audit_backlog() -> AuditBacklog:
    queued = AuditEntry.objects.filter(seq__in=AuditPending.objects.values("entry_id"))
    oldest = queued.order_by("seq").values_list("occurred_at", flat=True).first()
    state = AuditSequencer.objects.filter(id=1).values_list("tree_size", flat=True).first()
    latest = AuditCheckpoint.objects.order_by("-tree_size").values_list("tree_size", "published_at").first()
    return AuditBacklog(
        pending=AuditPending.objects.count(),
        oldest_pending_at=oldest,
        tree_size=int(state or 0),
        checkpoint_tree_size=int(latest[0]) if latest else 0,
        checkpoint_published_at=latest[1] if latest else None,
    )


def max_lag_seconds() -> int:
    return int(getattr(settings, "EXCON_AUDIT_SEQUENCING_MAX_LAG", DEFAULT_MAX_LAG_SECONDS))


def probe_audit_sequencing() -> dict[str, Any]:
    backlog, now = audit_backlog(), timezone.now()
    waited = backlog.seconds_since(backlog.oldest_pending_at, now)
    detail = {
        "pending": backlog.pending,
        "oldest_pending_seconds": waited,
        "tree_size": backlog.tree_size,
        "checkpoint_tree_size": backlog.checkpoint_tree_size,
        "checkpoint_lag_entries": backlog.checkpoint_lag,
    }
    if backlog.pending and waited > max_lag_seconds():
        raise NotReady(
            f"{backlog.pending} audit entries wait for sequencing, the oldest for {waited:.0f} s "
            f"(more than {max_lag_seconds()} s): is a Celery worker and beat running?"
        )
    return detail


def audit_gauges() -> Iterator[Metric]:
    backlog, now = audit_backlog(), timezone.now()
    figures = [
        ("excon_audit_pending_entries", "audit entries committed and waiting for sequencing", backlog.pending),
        (
            "excon_audit_oldest_pending_seconds",
            "how long the oldest audit entry waiting for sequencing has waited",
            backlog.seconds_since(backlog.oldest_pending_at, now),
        ),
        ("excon_audit_tree_size", "leaves in the audit log's Merkle tree", backlog.tree_size),
        (
            "excon_audit_checkpoint_lag_entries",
            "committed audit entries not yet covered by a signed checkpoint",
            backlog.checkpoint_lag,
        ),
        (
            "excon_audit_checkpoint_age_seconds",
            "age of the latest signed checkpoint (0 when there is none)",
            backlog.seconds_since(backlog.checkpoint_published_at, now),
        ),
    ]
    for name, documentation, value in figures:
        yield GaugeMetricFamily(name, documentation, value=value)


def checkpoint_folder() -> Path:
    """The folder of the append-only checkpoint file, backed up as the `audit` part (keep it a folder of its own)."""
    return checkpoints.checkpoint_file().parent
