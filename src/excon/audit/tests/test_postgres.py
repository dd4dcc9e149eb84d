"""PostgreSQL only: concurrent writers and the sequencer, and the audit tests run as the application's own role,
which can write history but not rewrite it."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import DatabaseError, connection, connections, transaction

from excon.audit.dbrole import application_role_sql
from excon.audit.models import AuditEntry, AuditLeaf
from excon.audit.sequencing import sequence_pending
from excon.audit.services import audit_record
from excon.audit.verification import verify_log

from . import test_log
from .verbs import SampleVerb

pytestmark = pytest.mark.postgres_only


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")


class Rollback(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_nothing_committed_left_out_nothing_rolled_back_let_in() -> None:
    committed: set[str] = set()
    rolled_back: set[str] = set()
    lock = threading.Lock()
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            for step in range(12):
                marker = f"{number}-{step}"
                try:
                    with transaction.atomic():
                        audit_record(actor=None, verb=SampleVerb.CONCURRENT, payload={"marker": marker})
                        if step % 3 == 0:
                            raise Rollback
                except Rollback:
                    with lock:
                        rolled_back.add(marker)
                else:
                    with lock:
                        committed.add(marker)  # on commit, the eager task has already run a sequencer pass
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    def sequencer(stop: threading.Event) -> None:
        try:
            while not stop.is_set():
                sequence_pending()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    stop = threading.Event()
    background = threading.Thread(target=sequencer, args=(stop,))
    background.start()
    writers = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    background.join()
    assert not errors, errors
    sequence_pending()

    in_tree = {leaf.entry.payload["marker"] for leaf in AuditLeaf.objects.select_related("entry")}
    assert in_tree == committed
    assert not in_tree & rolled_back
    assert len(committed) == 8 * 8
    assert len(rolled_back) == 8 * 4
    indices = list(AuditLeaf.objects.order_by("index").values_list("index", flat=True))
    assert indices == list(range(len(committed)))
    assert not AuditEntry.objects.filter(leaf__isnull=True).exists()
    result = verify_log()
    assert result.ok, result.describe()


@pytest.fixture
def as_application_role(django_db_setup, db) -> str:  # type: ignore[no-untyped-def]
    """Inside the test's transaction: create a role with the documented grants and act as it from here on."""
    role = f"excon_app_test_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        for statement in application_role_sql(role):
            cursor.execute(statement)
        cursor.execute(f"SET LOCAL ROLE {role}")
    return role


def _refused(sql: str) -> str:
    with pytest.raises(DatabaseError) as raised, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    return str(raised.value)


def test_the_application_role_runs_the_audit_tests(
    as_application_role: str,
    tmp_path,  # type: ignore[no-untyped-def]
    settings,  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    """The suite's own audit tests (all but the tampering ones, which need a superuser by design), each in a
    savepoint rolled back afterwards and with a checkpoint file of its own, as if each were a test of its own."""
    capture = django_capture_on_commit_callbacks
    runs = [
        (test_log.test_entries_wait_for_the_sequencer_then_become_leaves_under_a_signed_checkpoint, [capture]),
        (test_log.test_sequencing_again_adds_only_new_entries_and_keeps_old_checkpoints_consistent, [capture]),
        (test_log.test_a_commit_queues_the_sequencing_run, [capture]),
        (test_log.test_payload_is_stored_as_hashed, []),
        (test_log.test_empty_log_verifies, []),
        (test_log.test_entry_rolls_back_with_the_failed_change, []),
        (test_log.test_audit_verify_against_a_missing_or_malformed_file_is_a_clear_error, [tmp_path]),
    ]
    for number, (test, arguments) in enumerate(runs):
        settings.EXCON_AUDIT_CHECKPOINT_FILE = tmp_path / f"checkpoints-{number}.jsonl"
        try:
            with transaction.atomic():
                test(*arguments)
                raise Rollback
        except Rollback:
            pass
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == as_application_role


def test_the_application_role_cannot_rewrite_trim_or_unprotect_history(
    as_application_role: str,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    entry = audit_record(actor=None, verb=SampleVerb.PROTECTED)
    with django_capture_on_commit_callbacks(execute=True):
        sequence_pending()
    for table in ("audit_auditentry", "audit_auditleaf", "audit_auditcheckpoint"):
        assert "permission denied" in _refused(f"DELETE FROM {table}")  # noqa: S608 - a fixed table name
        assert "permission denied" in _refused(f"TRUNCATE {table}")
    assert "permission denied" in _refused(f"UPDATE audit_auditentry SET verb = 'x' WHERE seq = {entry.seq:d}")  # noqa: S608
    assert "permission denied" in _refused("UPDATE audit_auditleaf SET leaf_hash = 'x'")
    assert "must be owner" in _refused("ALTER TABLE audit_auditentry DISABLE TRIGGER ALL")
    assert "must be owner" in _refused("DROP TRIGGER audit_auditentry_append_only ON audit_auditentry")
    assert "permission denied" in _refused("SET session_replication_role = replica")
    assert verify_log().ok
