"""The Merkle-tree audit log: entries are written without a lock, sequenced after commit into leaves under signed
checkpoints, and every kind of tampering is caught: altered, deleted, forged, trimmed and rewritten."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from excon.accounts.tests.factories import OrganisationFactory, user_with_role
from excon.audit import checkpoints
from excon.audit.chain import GENESIS_HASH, chained_content, entry_content, entry_hash, entry_leaf_hash
from excon.audit.models import AuditCheckpoint, AuditEntry, AuditLeaf, AuditPending, AuditSequencer
from excon.audit.sequencing import sequence_pending
from excon.audit.services import audit_record
from excon.audit.verification import verify_log
from excon.core.roles import Role

from .tampering import tamper
from .verbs import SampleVerb

pytestmark = pytest.mark.django_db


def record_three() -> list[AuditEntry]:
    organisation = OrganisationFactory()
    actor = user_with_role(Role.SYSTEM_ADMIN)
    return [
        audit_record(actor=actor, verb=SampleVerb.CREATED, target=organisation, payload={"n": 1, "amount": "10.50"}),
        audit_record(actor=None, verb=SampleVerb.SYSTEM, payload={"n": 2}),
        audit_record(
            actor=actor, verb=SampleVerb.UPDATED, target=organisation, payload={"n": 3, "nested": {"a": [1, 2]}}
        ),
    ]


def sequenced(django_capture_on_commit_callbacks) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    """Three entries sequenced under a checkpoint that is also in the append-only file."""
    entries = record_three()
    with django_capture_on_commit_callbacks(execute=True):
        sequence_pending()
    return entries


def test_entries_wait_for_the_sequencer_then_become_leaves_under_a_signed_checkpoint(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    entries = record_three()
    assert AuditPending.objects.count() == 3
    assert not AuditLeaf.objects.exists()
    assert verify_log().ok
    assert verify_log().pending == 3
    with django_capture_on_commit_callbacks(execute=True):
        result = sequence_pending()
    assert (result.sequenced, result.tree_size) == (3, 3)
    assert list(AuditLeaf.objects.values_list("entry_id", flat=True)) == [entry.seq for entry in entries]
    assert not AuditPending.objects.exists()
    checkpoint = AuditCheckpoint.objects.get()
    assert checkpoint.tree_size == 3
    assert [c.tree_size for c in checkpoints.read_file(checkpoints.checkpoint_file())] == [3]
    outcome = verify_log()
    assert outcome.ok, outcome.describe()
    assert (outcome.checked, outcome.tree_size, outcome.pending, outcome.checkpoints) == (3, 3, 0, 1)
    assert entries[1].actor_repr == "system"


def test_sequencing_again_adds_only_new_entries_and_keeps_old_checkpoints_consistent(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    sequenced(django_capture_on_commit_callbacks)
    assert sequence_pending().sequenced == 0
    audit_record(actor=None, verb=SampleVerb.LATER)
    with django_capture_on_commit_callbacks(execute=True):
        assert sequence_pending().sequenced == 1
    assert list(AuditCheckpoint.objects.values_list("tree_size", flat=True)) == [3, 4]
    outcome = verify_log()
    assert outcome.ok, outcome.describe()
    assert outcome.checkpoints == 2


def test_a_commit_queues_the_sequencing_run(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        entry = audit_record(actor=None, verb=SampleVerb.COMMITTED)
    assert AuditLeaf.objects.get(entry=entry).index == 0
    assert AuditCheckpoint.objects.get().tree_size == 1


def test_payload_is_stored_as_hashed() -> None:
    import datetime
    import decimal
    import uuid

    entry = audit_record(
        actor=None,
        verb=SampleVerb.TYPES,
        payload={"when": datetime.date(2026, 1, 2), "amount": decimal.Decimal("1.10"), "id": uuid.UUID(int=5)},
    )
    entry.refresh_from_db()
    assert entry.payload == {"amount": "1.10", "id": str(uuid.UUID(int=5)), "when": "2026-01-02"}
    assert entry_hash(entry_content(entry)) == entry.entry_hash
    sequence_pending()
    assert verify_log().ok


def test_empty_log_verifies() -> None:
    assert verify_log().ok


def test_altered_payload_is_detected_before_and_after_sequencing(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    entries = record_three()
    tamper("UPDATE audit_auditentry SET payload = %s WHERE seq = %s", ['{"n": 999}', entries[1].seq])
    result = verify_log()
    assert (result.ok, result.first_bad_seq) == (False, entries[1].seq)
    assert "altered" in result.problem


def test_altered_actor_name_in_a_leaf_is_detected(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    entries = sequenced(django_capture_on_commit_callbacks)
    tamper("UPDATE audit_auditentry SET actor_repr = %s WHERE seq = %s", ["someone else", entries[0].seq])
    result = verify_log()
    assert (result.ok, result.first_bad_seq) == (False, entries[0].seq)


def test_deleted_middle_entry_is_detected(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    entries = sequenced(django_capture_on_commit_callbacks)
    tamper("DELETE FROM audit_auditleaf WHERE entry_id = %s", [entries[1].seq])
    tamper("DELETE FROM audit_auditentry WHERE seq = %s", [entries[1].seq])
    result = verify_log()
    assert not result.ok
    assert "missing" in result.problem


def test_trimmed_tail_with_rewound_head_is_caught_against_the_checkpoint_file(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    first, second = audit_record(actor=None, verb=SampleVerb.ONE), audit_record(actor=None, verb=SampleVerb.TWO)
    with django_capture_on_commit_callbacks(execute=True):
        sequence_pending()
    newest = audit_record(actor=None, verb=SampleVerb.THREE)
    with django_capture_on_commit_callbacks(execute=True):
        sequence_pending()
    # Whoever controls the database deletes the newest entry, its leaf and the checkpoint that covered it, and
    # rewinds the sequencer's state; the checkpoint of two leaves still matches what is left in the database.
    tamper("DELETE FROM audit_auditleaf WHERE entry_id = %s", [newest.seq])
    tamper("DELETE FROM audit_auditentry WHERE seq = %s", [newest.seq])
    tamper("DELETE FROM audit_auditcheckpoint WHERE tree_size = 3", [])
    AuditSequencer.objects.update(tree_size=2)
    assert verify_log(use_file=False).ok  # all a head row, or the database alone, can tell
    result = verify_log()
    assert not result.ok
    assert "trimmed tail" in result.problem
    assert {first.seq, second.seq} == set(AuditLeaf.objects.values_list("entry_id", flat=True))


def test_trimmed_tail_is_caught_against_an_exported_checkpoint(
    tmp_path: Path,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
    settings,  # type: ignore[no-untyped-def]
) -> None:
    entries = record_three()
    exported = tmp_path / "kept-by-the-customs-office.json"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("audit", "checkpoint", "--export", str(exported))
    assert json.loads(exported.read_text())["tree_size"] == 3
    call_command("audit_verify", "--against", str(exported))
    tamper("DELETE FROM audit_auditleaf WHERE entry_id = %s", [entries[2].seq])
    tamper("DELETE FROM audit_auditentry WHERE seq = %s", [entries[2].seq])
    tamper("DELETE FROM audit_auditcheckpoint", [])
    settings.EXCON_AUDIT_CHECKPOINT_FILE = tmp_path / "the-local-file-was-wiped-too.jsonl"
    with pytest.raises(CommandError, match="trimmed tail"):
        call_command("audit_verify", "--against", str(exported))


def test_forged_appended_entry_is_caught(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    entries = sequenced(django_capture_on_commit_callbacks)
    # A forged entry with recomputed hashes, appended as the next leaf with the sequencer's state moved on.
    forged = AuditEntry(
        occurred_at=entries[-1].occurred_at, actor_repr="system", verb="licence.issued", payload={"forged": True}
    )
    content = entry_content(forged)
    forged.entry_hash = entry_hash(content)
    forged.save()
    AuditLeaf.objects.create(index=3, entry=forged, leaf_hash=entry_leaf_hash(content), sequenced_at=forged.occurred_at)
    AuditSequencer.objects.update(tree_size=4)
    result = verify_log()
    assert not result.ok
    assert "under no signed checkpoint" in result.problem


def test_rewritten_middle_with_recomputed_hashes_is_caught_against_the_checkpoint(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    entries = sequenced(django_capture_on_commit_callbacks)
    target = AuditEntry.objects.get(seq=entries[1].seq)
    target.payload = {"n": 2, "approved_by": "nobody"}
    content = entry_content(target)
    tamper(
        "UPDATE audit_auditentry SET payload = %s, entry_hash = %s WHERE seq = %s",
        [json.dumps(target.payload), entry_hash(content), target.seq],
    )
    tamper("UPDATE audit_auditleaf SET leaf_hash = %s WHERE entry_id = %s", [entry_leaf_hash(content), target.seq])
    result = verify_log()
    assert not result.ok
    assert "no longer hash to the signed root" in result.problem


def test_a_checkpoint_with_a_forged_signature_is_refused(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    sequenced(django_capture_on_commit_callbacks)
    tamper("UPDATE audit_auditcheckpoint SET signature = %s", ["A" * 86])
    checkpoints.checkpoint_file().unlink()
    result = verify_log()
    assert not result.ok
    assert "signature does not match" in result.problem


def test_audit_verify_command_exits_non_zero_naming_the_entry(capsys, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    entries = sequenced(django_capture_on_commit_callbacks)
    call_command("audit_verify")
    assert "3 entries verified" in capsys.readouterr().out
    tamper("UPDATE audit_auditentry SET verb = %s WHERE seq = %s", ["test.rewritten", entries[2].seq])
    with pytest.raises(CommandError, match=f"#{entries[2].seq}"):
        call_command("audit_verify")


def test_audit_verify_against_a_missing_or_malformed_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no checkpoint file"):
        call_command("audit_verify", "--against", str(tmp_path / "absent.json"))
    junk = tmp_path / "junk.json"
    junk.write_text("not json at all")
    with pytest.raises(CommandError, match="not an audit checkpoint"):
        call_command("audit_verify", "--against", str(junk))
    empty_log = tmp_path / "empty.json"
    call_command("audit", "checkpoint", "--export", str(empty_log))  # "nothing yet at this time" is a claim too
    assert json.loads(empty_log.read_text())["tree_size"] == 0
    with pytest.raises(CommandError, match="cannot write"):
        call_command("audit", "checkpoint", "--export", str(tmp_path / "no-such-folder" / "x.json"))


def test_entries_from_the_old_hash_chain_still_verify_and_their_links_are_checked(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    previous = GENESIS_HASH
    made = []
    for number in (1, 2, 3):
        entry = AuditEntry(
            content_format=AuditEntry.FORMAT_CHAINED,
            chain_seq=number,
            occurred_at=OrganisationFactory().created_at,
            actor_repr="system",
            verb="test.chained",
            payload={"n": number},
            prev_hash=previous,
        )
        entry.entry_hash = entry_hash(
            chained_content(
                seq=number,
                occurred_at=entry.occurred_at,
                actor_id=None,
                actor_repr="system",
                verb="test.chained",
                target_type="",
                target_id="",
                target_repr="",
                payload={"n": number},
                prev_hash=previous,
            )
        )
        entry.save()
        AuditPending.objects.create(entry=entry)  # as the migration queues them
        previous = entry.entry_hash
        made.append(entry)
    audit_record(actor=None, verb=SampleVerb.AFTER_MIGRATION)
    with django_capture_on_commit_callbacks(execute=True):
        assert sequence_pending().sequenced == 4
    assert verify_log().ok, verify_log().describe()
    tamper("UPDATE audit_auditentry SET prev_hash = %s WHERE seq = %s", [GENESIS_HASH, made[2].seq])
    assert not verify_log().ok


def test_entry_rolls_back_with_the_failed_change() -> None:
    def failing_service() -> None:
        with transaction.atomic():
            audit_record(actor=None, verb=SampleVerb.DOOMED)
            raise RuntimeError("the service failed after auditing")

    with pytest.raises(RuntimeError):
        failing_service()
    assert not AuditEntry.objects.exists()
    assert not AuditPending.objects.exists()
    sequence_pending()
    assert not AuditLeaf.objects.exists()
    assert verify_log().ok


def test_an_entry_whose_queue_row_was_deleted_is_swept_in_by_the_checkpoint_command() -> None:
    entries = record_three()
    AuditPending.objects.filter(entry=entries[1]).delete()
    assert sequence_pending().sequenced == 2
    call_command("audit", "checkpoint")
    assert AuditLeaf.objects.count() == 3
    assert verify_log().ok


@pytest.mark.postgres_only
def test_postgresql_refuses_update_and_delete_of_entries_leaves_and_checkpoints(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    entries = sequenced(django_capture_on_commit_callbacks)
    for statement in (
        lambda: AuditEntry.objects.filter(seq=entries[0].seq).update(verb="rewritten"),
        lambda: connection.cursor().execute("DELETE FROM audit_auditentry WHERE seq = %s", [entries[2].seq]),
        lambda: AuditLeaf.objects.filter(index=0).update(leaf_hash="0" * 64),
        lambda: AuditCheckpoint.objects.all().delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            statement()
    assert AuditEntry.objects.count() == 3
    assert verify_log().ok
