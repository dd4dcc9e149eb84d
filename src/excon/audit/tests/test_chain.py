"""The audit chain: records, verifies, and catches every kind of tampering (edit, delete, insert)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from excon.accounts.tests.factories import OrganisationFactory, user_with_role
from excon.audit.chain import GENESIS_HASH
from excon.audit.models import AuditChainHead, AuditEntry
from excon.audit.services import audit_record
from excon.audit.verification import verify_chain
from excon.core.roles import Role

from .tampering import tamper
from .verbs import SampleVerb

pytestmark = pytest.mark.django_db


def _record_three() -> list[AuditEntry]:
    organisation = OrganisationFactory()
    actor = user_with_role(Role.SYSTEM_ADMIN)
    return [
        audit_record(actor=actor, verb=SampleVerb.CREATED, target=organisation, payload={"n": 1, "amount": "10.50"}),
        audit_record(actor=None, verb=SampleVerb.SYSTEM, payload={"n": 2}),
        audit_record(
            actor=actor, verb=SampleVerb.UPDATED, target=organisation, payload={"n": 3, "nested": {"a": [1, 2]}}
        ),
    ]


def test_entries_form_a_chain() -> None:
    first, second, third = _record_three()
    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.entry_hash
    assert third.prev_hash == second.entry_hash
    assert second.actor_repr == "system"
    head = AuditChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (3, third.entry_hash)
    result = verify_chain()
    assert result.ok, result.describe()
    assert result.checked == 3


def test_payload_is_stored_as_hashed(settings) -> None:  # type: ignore[no-untyped-def]
    import datetime
    import decimal
    import uuid

    entry = audit_record(
        actor=None,
        verb=SampleVerb.TYPES,
        payload={
            "when": datetime.date(2026, 1, 2),
            "amount": decimal.Decimal("1.10"),
            "id": uuid.UUID(int=5),
        },
    )
    entry.refresh_from_db()
    assert entry.payload == {"amount": "1.10", "id": str(uuid.UUID(int=5)), "when": "2026-01-02"}
    assert verify_chain().ok


def test_empty_log_verifies() -> None:
    assert verify_chain().ok


def test_altered_payload_is_detected() -> None:
    _record_three()
    tamper("UPDATE audit_auditentry SET payload = %s WHERE seq = 2", ['{"n": 999}'])
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == 2
    assert "altered" in result.problem


def test_altered_actor_name_is_detected() -> None:
    _record_three()
    tamper("UPDATE audit_auditentry SET actor_repr = %s WHERE seq = 1", ["someone else"])
    result = verify_chain()
    assert (result.ok, result.first_bad_seq) == (False, 1)


def test_deleted_middle_entry_is_detected() -> None:
    _record_three()
    tamper("DELETE FROM audit_auditentry WHERE seq = 2", [])
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == 2
    assert "missing" in result.problem


def test_deleted_tail_is_detected_through_the_head() -> None:
    _record_three()
    tamper("DELETE FROM audit_auditentry WHERE seq = 3", [])
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == 3
    assert "deleted" in result.problem


def test_inserted_entry_is_detected() -> None:
    entries = _record_three()
    # A forged entry appended after the real ones, with a plausible link but written outside audit_record().
    AuditEntry.objects.create(
        seq=4,
        occurred_at=entries[-1].occurred_at,
        actor=None,
        actor_repr="system",
        verb="test.forged",
        prev_hash=entries[-1].entry_hash,
        entry_hash="f" * 64,
    )
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == 4


def test_inserted_entry_in_the_middle_is_detected() -> None:
    _record_three()
    # Shift the tail up by one and slip a forged row into the gap.
    tamper("UPDATE audit_auditentry SET seq = seq + 10 WHERE seq >= 2", [])
    tamper("UPDATE audit_auditentry SET seq = seq - 9 WHERE seq >= 12", [])
    AuditEntry.objects.create(
        seq=2,
        occurred_at=AuditEntry.objects.get(seq=1).occurred_at,
        actor_repr="system",
        verb="test.forged",
        prev_hash=AuditEntry.objects.get(seq=1).entry_hash,
        entry_hash="e" * 64,
    )
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == 2


def test_audit_verify_command_exits_non_zero_naming_the_entry(capsys) -> None:  # type: ignore[no-untyped-def]
    _record_three()
    call_command("audit_verify")
    assert "3 entries verified" in capsys.readouterr().out
    tamper("UPDATE audit_auditentry SET verb = %s WHERE seq = 3", ["test.rewritten"])
    with pytest.raises(CommandError, match="#3"):
        call_command("audit_verify")


@pytest.mark.postgres_only
def test_postgresql_refuses_update_and_delete() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    _record_three()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(seq=1).update(verb="rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(seq=3).delete()
    assert AuditEntry.objects.count() == 3
    assert verify_chain().ok


def test_entry_rolls_back_with_the_failed_change() -> None:
    def failing_service() -> None:
        with transaction.atomic():
            audit_record(actor=None, verb=SampleVerb.DOOMED)
            raise RuntimeError("the service failed after auditing")

    with pytest.raises(RuntimeError):
        failing_service()
    assert not AuditEntry.objects.exists()
    assert verify_chain().ok
