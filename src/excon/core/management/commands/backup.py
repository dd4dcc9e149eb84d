from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from excon.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump or SQLite's backup API) and every folder of state (uploaded files, signing "
        "keys, audit checkpoints) into a new folder, with a manifest of SHA-256 hashes and row counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="a new (or empty) folder for the backup")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = create_backup(options["out"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(result.manifest["row_counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"backed up {result.manifest['database']['vendor']} ({result.tables} tables, {rows} rows) and "
                f"{', '.join(result.manifest['parts']) or 'no folders'} into {result.folder} "
                f"({result.files} files hashed in manifest.json)"
            )
        )
