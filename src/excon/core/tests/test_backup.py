"""Backups that restore: back up a populated database and its folders, restore into a fresh database, compare
every table's row count, and `excon audit-verify` passes on the restored copy; a tampered backup or a non-empty
target is refused before anything is written."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from excon.applications.tests.factories import complete_draft, licensing_world
from excon.audit.models import AuditCheckpoint, AuditEntry
from excon.audit.sequencing import sequence_pending
from excon.core.backup import BackupError, _major, check_pg_tools, create_backup, restore_backup
from excon.core.files import store_upload
from excon.licences.tests.factories import direct_licence

SRC = Path(__file__).resolve().parents[3]


@pytest.fixture
def data_folders(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "files"
    settings.EXCON_AUDIT_CHECKPOINT_FILE = tmp_path / "data" / "audit" / "checkpoints.jsonl"
    return tmp_path


def populate() -> None:
    world = licensing_world()
    complete_draft(world)
    direct_licence(number="LIC-BACKUP-1")  # signs: a key file under DATA_DIR/keys
    store_upload(io.BytesIO(b"%PDF-1.4\n% backup test\n%%EOF\n"), original_filename="t.pdf", folder="tests")
    sequence_pending(sweep=True, checkpoint_when_idle=True)  # a signed checkpoint in the database and the file


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[str]:
    """A second, empty database of the same engine; yields its DATABASE_URL."""
    source = connection.settings_dict
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"{source['NAME']}_restore_{uuid.uuid4().hex[:8]}"[:63]
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    password = f":{source['PASSWORD']}" if source.get("PASSWORD") else ""
    try:
        yield f"postgres://{source['USER']}{password}@{source['HOST'] or '127.0.0.1'}:{source['PORT'] or 5432}/{name}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def connect(url: str) -> Any:
    """A connection with the driver itself (the restored database is not one of the test's)."""
    if url.startswith("sqlite:///"):
        import sqlite3

        return sqlite3.connect(url.removeprefix("sqlite:///"))
    import psycopg

    return psycopg.connect(url)


def latest_checkpoint_at(url: str) -> tuple[Any, ...]:
    raw = connect(url)
    try:
        cursor = raw.cursor()
        cursor.execute("SELECT tree_size, root_hash, signature FROM audit_auditcheckpoint ORDER BY tree_size DESC")
        return tuple(cursor.fetchone())
    finally:
        raw.close()


def counts_at(url: str) -> dict[str, int]:
    """Every table's row count in the restored database."""
    if url.startswith("sqlite:///"):
        query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        query = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    raw = connect(url)
    try:
        cursor = raw.cursor()
        cursor.execute(query)
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
            counts[table] = cursor.fetchone()[0]
        return counts
    finally:
        raw.close()


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
            counts[table] = cursor.fetchone()[0]
    return counts


def excon(*commands: list[str], database_url: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run `excon` commands one after the other, as an operator would, against another database."""
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "excon.settings.dev",
        "DATABASE_URL": database_url,
        "EXCON_DATA_DIR": str(data_dir),
    }
    script = (
        f"import sys\nfrom excon.cli import _run\nfor argv in {list(commands)!r}:\n"
        "    status = _run(['excon', *argv])\n    if status: sys.exit(status)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_every_row(data_folders: Path, fresh_database: str) -> None:
    populate()
    source_counts = table_counts()
    backup = create_backup(data_folders / "backup")
    assert backup.manifest["row_counts"] == source_counts
    assert set(backup.manifest["parts"]) == {"files", "keys", "audit"}
    source_checkpoint = AuditCheckpoint.objects.order_by("-tree_size").values_list(
        "tree_size", "root_hash", "signature"
    )[0]
    assert source_checkpoint[0] == AuditEntry.objects.count()
    assert any(entry["path"].startswith("keys/") for entry in backup.manifest["files"])
    assert sum(source_counts.values()) > 50

    # Restore onto a fresh data folder and a fresh database, then verify the audit log, with the CLI.
    restored_data = data_folders / "restored-data"
    done = excon(
        ["restore", str(data_folders / "backup")], ["audit_verify"], database_url=fresh_database, data_dir=restored_data
    )
    assert done.returncode == 0, done.stderr
    assert "every count as in the backup" in done.stdout
    assert "audit log intact" in done.stdout
    assert counts_at(fresh_database) == source_counts
    restored_files = sorted(p.name for p in (restored_data / "files").rglob("*") if p.is_file())
    original_files = sorted(p.name for p in (data_folders / "data" / "files").rglob("*") if p.is_file())
    assert restored_files == original_files
    # The licence-signing key and the audit log's checkpoint key, exactly as they were.
    restored_keys = sorted(p.name for p in (restored_data / "keys").glob("*.pem"))
    assert restored_keys == sorted(p.name for p in (data_folders / "data" / "keys").glob("*.pem"))
    assert restored_keys
    # The latest signed checkpoint, in the restored database and in the restored append-only file.
    assert latest_checkpoint_at(fresh_database) == tuple(source_checkpoint)
    restored_file = restored_data / "audit" / "checkpoints.jsonl"
    assert restored_file.read_bytes() == (data_folders / "data" / "audit" / "checkpoints.jsonl").read_bytes()
    assert json.loads(restored_file.read_text().splitlines()[-1])["root_hash"] == source_checkpoint[1]


@pytest.mark.django_db(transaction=True)
def test_a_tampered_backup_and_a_non_empty_database_are_refused(data_folders: Path, settings: Any) -> None:
    populate()
    folder = data_folders / "backup"
    call_command("backup", "--out", str(folder), stdout=io.StringIO())
    manifest = json.loads((folder / "manifest.json").read_text())
    key_file = next(folder / entry["path"] for entry in manifest["files"] if entry["path"].startswith("keys/"))

    # Into the database it came from: not empty.
    with pytest.raises(CommandError, match="the target database is not empty"):
        call_command("restore", str(folder))

    key_file.write_bytes(key_file.read_bytes() + b"\n")
    with pytest.raises(CommandError, match=r"does not match its manifest \(hash mismatch: keys/"):
        call_command("restore", str(folder))
    (folder / "stray.txt").write_text("added later")
    with pytest.raises(BackupError, match=r"not in the manifest: stray\.txt"):
        restore_backup(folder)
    with pytest.raises(CommandError, match="is not empty: back up into a new folder"):
        call_command("backup", "--out", str(folder))
    with pytest.raises(CommandError, match=r"holds no manifest\.json"):
        call_command("restore", str(data_folders / "data"))


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_a_pg_dump_older_than_the_server_is_refused() -> None:
    assert _major("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)") == 15
    with pytest.raises(BackupError, match="cannot handle a PostgreSQL 99 server"):
        check_pg_tools(990004)
