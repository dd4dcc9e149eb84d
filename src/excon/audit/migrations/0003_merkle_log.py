"""From the hash chain to the Merkle-tree log.

Existing entries keep their content and hashes (format 1, their chain position kept as `chain_seq`), are queued for
the sequencer in their old order, and become the first leaves at the first sequencing run, which signs the first
checkpoint. The chain head row goes: nothing trusts a head any more. The append-only trigger now covers entries,
leaves and checkpoints."""

import uuid

import django.db.models.deletion
from django.db import migrations, models

TABLES = ("audit_auditentry", "audit_auditleaf", "audit_auditcheckpoint")

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % is not allowed on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _trigger(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();"
    )


def drop_old_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_entry_no_update_delete ON audit_auditentry;", params=None)


def restore_old_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE TRIGGER audit_entry_no_update_delete BEFORE UPDATE OR DELETE ON audit_auditentry "
            "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();",
            params=None,
        )


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_FUNCTION, params=None)
        for table in TABLES:
            schema_editor.execute(_trigger(table), params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};", params=None)


def give_uids(apps, schema_editor):
    entry_model = apps.get_model("audit", "AuditEntry")
    for entry in entry_model.objects.filter(uid__isnull=True).only("seq"):
        entry_model.objects.filter(seq=entry.seq).update(uid=uuid.uuid4())


def queue_existing(apps, schema_editor):
    entry_model = apps.get_model("audit", "AuditEntry")
    pending_model = apps.get_model("audit", "AuditPending")
    pending_model.objects.bulk_create(
        [pending_model(entry_id=seq) for seq in entry_model.objects.order_by("chain_seq").values_list("seq", flat=True)],
        batch_size=5000,
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [
        migrations.RunPython(drop_old_trigger, restore_old_trigger),
        # The ordering and the index name `seq`, which changes meaning: set aside while the columns are renamed.
        migrations.RemoveIndex("auditentry", "audit_target_idx"),
        migrations.AlterModelOptions("auditentry", {"verbose_name_plural": "audit entries"}),
        migrations.RenameField("auditentry", "seq", "chain_seq"),
        migrations.AlterField(
            "auditentry",
            "chain_seq",
            models.BigIntegerField(
                blank=True,
                null=True,
                unique=True,
                help_text="position in the old hash chain (entries before the Merkle log)",
            ),
        ),
        migrations.RenameField("auditentry", "id", "seq"),
        migrations.AlterField(
            "auditentry",
            "seq",
            models.BigAutoField(
                primary_key=True,
                serialize=False,
                help_text="insertion number from the database; the position in the log is the leaf index",
            ),
        ),
        migrations.AlterModelOptions("auditentry", {"ordering": ["seq"], "verbose_name_plural": "audit entries"}),
        migrations.AddIndex(
            "auditentry", models.Index(fields=["target_type", "target_id", "seq"], name="audit_target_idx")
        ),
        migrations.AddField("auditentry", "content_format", models.PositiveSmallIntegerField(default=1)),
        migrations.AlterField("auditentry", "content_format", models.PositiveSmallIntegerField(default=2)),
        migrations.AddField("auditentry", "uid", models.UUIDField(null=True, editable=False)),
        migrations.RunPython(give_uids, migrations.RunPython.noop),
        migrations.AlterField("auditentry", "uid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
        migrations.AlterField(
            "auditentry",
            "prev_hash",
            models.CharField(blank=True, default="", help_text="old hash chain only", max_length=64),
        ),
        migrations.AlterField(
            "auditentry",
            "entry_hash",
            models.CharField(help_text="SHA-256 of the canonical content", max_length=64, unique=True),
        ),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("origin", models.CharField(max_length=200)),
                ("tree_size", models.BigIntegerField(unique=True)),
                ("root_hash", models.CharField(max_length=64)),
                ("published_at", models.DateTimeField()),
                ("key_id", models.CharField(max_length=40)),
                (
                    "public_key",
                    models.CharField(
                        help_text="base64url Ed25519 public key; verification trusts only the key files, not this",
                        max_length=60,
                    ),
                ),
                ("signature", models.CharField(max_length=120)),
            ],
            options={"ordering": ["tree_size"]},
        ),
        migrations.CreateModel(
            name="AuditSequencer",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("tree_size", models.BigIntegerField(default=0)),
                (
                    "frontier",
                    models.JSONField(default=list, help_text="hex hashes of the complete subtrees, largest first"),
                ),
            ],
        ),
        migrations.CreateModel(
            name="AuditLeaf",
            fields=[
                ("index", models.BigIntegerField(primary_key=True, serialize=False)),
                ("leaf_hash", models.CharField(max_length=64)),
                ("sequenced_at", models.DateTimeField()),
                (
                    "entry",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT, related_name="leaf", to="audit.auditentry"
                    ),
                ),
            ],
            options={"ordering": ["index"]},
        ),
        migrations.CreateModel(
            name="AuditPending",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "entry",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="audit.auditentry"
                    ),
                ),
            ],
        ),
        migrations.RunPython(queue_existing, migrations.RunPython.noop),
        migrations.DeleteModel(name="AuditChainHead"),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
