"""Backups that restore: the database and every folder of state, with one manifest of SHA-256 hashes.

A backup folder holds
- `database.dump` (PostgreSQL: `pg_dump --format=custom`, taken in an exported snapshot) or `database.sqlite3`
  (SQLite's online backup API), and the row count of every table *in that same snapshot*;
- one folder per registered *part* (uploaded files, signing keys; the audit log adds its checkpoints): a part is a
  folder under EXCON_DATA_DIR that apps register in `AppConfig.ready()` (core imports no app);
- `manifest.json`: format, creation time, database vendor, the latest migration of every app, the row counts, and
  the path, size and SHA-256 of every file, the manifest being written last.

`restore_backup` refuses a folder whose files do not match the manifest (missing, altered, extra under a part) and
a target database that already holds tables, before it writes anything; then restores the database, copies the
parts into place and compares every table's row count with the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

MANIFEST = "manifest.json"
FORMAT = 1
PG_DUMP_FILE = "database.dump"
SQLITE_FILE = "database.sqlite3"


class BackupError(Exception):
    """A backup or restore refused, with a message for the operator (the CLI exits non-zero with it)."""


_PARTS: dict[str, Callable[[], Path]] = {}


def register_backup_part(name: str, folder: Callable[[], Path]) -> None:
    """A folder of state backed up with the database (a callable, so tests and settings can move it)."""
    if not re.fullmatch(r"[a-z][a-z0-9_-]*", name) or name.startswith("database"):
        raise ValueError(f"bad backup part name {name!r}")
    _PARTS[name] = folder


def registered_parts() -> dict[str, Callable[[], Path]]:
    return dict(_PARTS)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class BackupResult:
    folder: Path
    manifest: dict[str, Any]

    @property
    def tables(self) -> int:
        return len(self.manifest["row_counts"])

    @property
    def files(self) -> int:
        return len(self.manifest["files"])


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    row_counts: dict[str, int]
    mismatches: dict[str, tuple[int, int]] = field(default_factory=dict)


# Database engines ----------------------------------------------------------------------------------------------


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if db.get(key):
            env[variable] = str(db[key])
    env["PGDATABASE"] = str(db["NAME"])
    return env


def _major(version_text: str) -> int:
    """The major version in `pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)`."""
    match = re.search(r"\)\s*(\d+)", version_text) or re.search(r"(\d+)", version_text)
    if match is None:
        raise BackupError(f"cannot read a PostgreSQL version from {version_text!r}")
    return int(match.group(1))


def check_pg_tools(server_version_num: int, tool: str = "pg_dump") -> str:
    """The client tool must exist and be at least the server's major version (an older pg_dump refuses a newer
    server; a newer one reads older servers)."""
    path = shutil.which(tool)
    if path is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client)")
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    client_major, server_major = _major(output), server_version_num // 10000
    if client_major < server_major:
        raise BackupError(
            f"{tool} {client_major} cannot handle a PostgreSQL {server_major} server: install {tool} "
            f"{server_major} or newer"
        )
    return path


def _table_names(cursor: Any, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute(
            "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    return [row[0] for row in cursor.fetchall()]


def _row_counts(cursor: Any, vendor: str) -> dict[str, int]:
    counts = {}
    for table in _table_names(cursor, vendor):
        quoted = '"' + table.replace('"', '""') + '"'
        cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 - names come from the catalogue, quoted
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _latest_migrations(cursor: Any) -> dict[str, str]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    latest: dict[str, str] = {}
    for app, name in cursor.fetchall():
        latest[app] = max(latest.get(app, ""), name)
    return latest


def _dump_postgresql(alias: str, out: Path) -> dict[str, Any]:
    db = connections[alias].settings_dict
    conn = connections[alias]
    conn.ensure_connection()
    with conn.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server_version = int(cursor.fetchone()[0])
    pg_dump = check_pg_tools(server_version)
    # One snapshot for the dump and the row counts: a write landing meanwhile is in neither.
    raw = conn.connection
    previous_autocommit = raw.autocommit
    raw.autocommit = False
    try:
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            completed = subprocess.run(
                [
                    pg_dump,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={out / PG_DUMP_FILE}",
                ],
                env=_pg_env(db),
                capture_output=True,
                text=True,
                check=False,
            )
            if completed.returncode != 0:
                raise BackupError(f"pg_dump failed: {completed.stderr.strip()}")
            counts = _row_counts(cursor, "postgresql")
            migrations = _latest_migrations(cursor)
        raw.rollback()
    finally:
        raw.autocommit = previous_autocommit
    return {
        "vendor": "postgresql",
        "file": PG_DUMP_FILE,
        "server_version": server_version,
        "row_counts": counts,
        "migrations": migrations,
    }


def _dump_sqlite(alias: str, out: Path) -> dict[str, Any]:
    conn = connections[alias]
    conn.ensure_connection()
    target = sqlite3.connect(out / SQLITE_FILE)
    try:
        conn.connection.backup(target)  # the online backup API: a consistent copy while others write
        cursor = target.cursor()
        counts = _row_counts(cursor, "sqlite")
        migrations = _latest_migrations(cursor)
    finally:
        target.close()
    return {"vendor": "sqlite", "file": SQLITE_FILE, "row_counts": counts, "migrations": migrations}


# Backup --------------------------------------------------------------------------------------------------------


def create_backup(out: Path, *, alias: str = "default") -> BackupResult:
    out = out.resolve()
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} is not empty: back up into a new folder")
    out.mkdir(parents=True, exist_ok=True)
    vendor = connections[alias].vendor
    if vendor == "postgresql":
        database = _dump_postgresql(alias, out)
    elif vendor == "sqlite":
        database = _dump_sqlite(alias, out)
    else:
        raise BackupError(f"cannot back up a {vendor} database")
    # The parts after the database: files are content-addressed and never deleted, keys only added, so every
    # file a row of the snapshot points at is there.
    for name, folder in _PARTS.items():
        source = folder()
        if source.is_dir():
            shutil.copytree(source, out / name, symlinks=False)
    files = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        relative = path.relative_to(out).as_posix()
        files.append({"path": relative, "size": path.stat().st_size, "sha256": sha256_file(path)})
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "database": {key: value for key, value in database.items() if key not in {"row_counts", "migrations"}},
        "migrations": database["migrations"],
        "row_counts": database["row_counts"],
        "parts": sorted(name for name in _PARTS if (out / name).is_dir()),
        "files": files,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return BackupResult(folder=out, manifest=manifest)


# Restore -------------------------------------------------------------------------------------------------------


def read_verified_manifest(folder: Path) -> dict[str, Any]:
    """The manifest, once every file it lists is present with its size and hash, and nothing else is there."""
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} holds no {MANIFEST}: not an ExCon backup")
    try:
        manifest = json.loads(path.read_text())
    except ValueError as exc:
        raise BackupError(f"{MANIFEST} is not valid JSON: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r} (this ExCon reads format {FORMAT})")
    listed = {entry["path"]: entry for entry in manifest["files"]}
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {MANIFEST}
    problems = [f"missing: {name}" for name in sorted(set(listed) - present)]
    problems += [f"not in the manifest: {name}" for name in sorted(present - set(listed))]
    for name in sorted(set(listed) & present):
        file_path = folder / name
        if file_path.stat().st_size != listed[name]["size"] or sha256_file(file_path) != listed[name]["sha256"]:
            problems.append(f"hash mismatch: {name}")
    if problems:
        shown = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
        raise BackupError(f"the backup does not match its manifest ({shown}): nothing was restored")
    return manifest


def _existing_tables(alias: str) -> list[str]:
    with connections[alias].cursor() as cursor:
        return _table_names(cursor, connections[alias].vendor)


def _restore_postgresql(alias: str, dump: Path) -> None:
    conn = connections[alias]
    with conn.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server_version = int(cursor.fetchone()[0])
    pg_restore = check_pg_tools(server_version, "pg_restore")
    conn.close()
    completed = subprocess.run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={conn.settings_dict['NAME']}",
            str(dump),
        ],
        env=_pg_env(conn.settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise BackupError(f"pg_restore failed (the database is left as it was): {completed.stderr.strip()}")


def _restore_sqlite(alias: str, copy: Path) -> None:
    conn = connections[alias]
    conn.ensure_connection()
    source = sqlite3.connect(copy)
    try:
        source.backup(conn.connection)
    finally:
        source.close()


def restore_backup(folder: Path, *, alias: str = "default") -> RestoreResult:
    folder = folder.resolve()
    manifest = read_verified_manifest(folder)
    vendor = connections[alias].vendor
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(f"the backup is of a {manifest['database']['vendor']} database; this one is {vendor}")
    tables = _existing_tables(alias)
    if tables:
        raise BackupError(
            f"the target database is not empty ({len(tables)} tables, e.g. {tables[0]}): restore into a new, "
            "empty database"
        )
    targets = {name: folder_of() for name, folder_of in _PARTS.items()}
    for name in manifest["parts"]:
        if name not in targets:
            raise BackupError(f"this installation does not know the backup part {name!r}")
        target = targets[name]
        if target.exists() and any(target.iterdir()):
            raise BackupError(f"{target} is not empty: restore onto a fresh data folder")
    if vendor == "postgresql":
        _restore_postgresql(alias, folder / manifest["database"]["file"])
    else:
        _restore_sqlite(alias, folder / manifest["database"]["file"])
    for name in manifest["parts"]:
        shutil.copytree(folder / name, targets[name], dirs_exist_ok=True)
    with connections[alias].cursor() as cursor:
        counts = _row_counts(cursor, vendor)
    expected = manifest["row_counts"]
    mismatches = {
        table: (expected.get(table, -1), counts.get(table, -1))
        for table in sorted(set(expected) | set(counts))
        if expected.get(table) != counts.get(table)
    }
    if mismatches:
        raise BackupError(f"restored row counts differ from the backup's: {mismatches}")
    return RestoreResult(manifest=manifest, row_counts=counts)


def media_folder() -> Path:
    return Path(settings.MEDIA_ROOT)
