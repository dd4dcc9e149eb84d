"""The audit log's backlog as an operator sees it: /readyz fails when sequencing stalls, /metrics carries the lag."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from excon.audit import health
from excon.audit.health import audit_backlog
from excon.audit.models import AuditPending
from excon.audit.sequencing import sequence_pending
from excon.audit.services import audit_record
from excon.audit.tests.verbs import SampleVerb


def record(n: int) -> None:
    for index in range(n):
        audit_record(actor=None, verb=SampleVerb.CREATED, payload={"index": index})


@pytest.mark.django_db
def test_the_backlog_counts_what_waits_and_what_no_checkpoint_covers() -> None:
    sequence_pending(sweep=True, checkpoint_when_idle=True)
    covered = audit_backlog()
    assert covered.pending == 0
    assert covered.checkpoint_lag == 0
    record(3)
    backlog = audit_backlog()
    assert backlog.pending == 3
    assert backlog.checkpoint_lag == 3
    assert backlog.oldest_pending_at is not None
    sequence_pending()
    after = audit_backlog()
    assert (after.pending, after.checkpoint_lag) == (0, 0)
    assert after.tree_size == covered.tree_size + 3 == after.checkpoint_tree_size


@pytest.mark.django_db
def test_readiness_names_a_stalled_sequencer(client: Client, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.EXCON_AUDIT_SEQUENCING_MAX_LAG = 60
    record(2)
    body = client.get("/readyz").json()
    assert body["checks"]["audit_sequencing"]["ok"] is True
    assert body["checks"]["audit_sequencing"]["pending"] == AuditPending.objects.count()

    # Ten minutes later, and no sequencer has run since (the entries themselves are append-only, even in a test).
    later = timezone.now() + dt.timedelta(minutes=10)
    monkeypatch.setattr(health, "timezone", SimpleNamespace(now=lambda: later))
    response = client.get("/readyz")
    assert response.status_code == 503
    failed = response.json()
    assert "audit_sequencing" in failed["failing"]
    assert "wait for sequencing" in failed["checks"]["audit_sequencing"]["error"]

    sequence_pending()
    assert client.get("/readyz").json()["checks"]["audit_sequencing"]["ok"] is True, "nothing waits any more"


@pytest.mark.django_db
def test_the_metrics_carry_the_audit_lag(client: Client) -> None:
    sequence_pending(sweep=True, checkpoint_when_idle=True)
    record(4)
    body = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert "excon_audit_pending_entries 4.0" in body
    assert "excon_audit_checkpoint_lag_entries 4.0" in body
    assert "excon_audit_checkpoint_age_seconds" in body
    assert 'excon_metric_source_failed{source="audit"} 0.0' in body
