from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from excon.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `excon backup` onto an EMPTY database and a fresh data folder. Refuses a backup "
        "whose files do not match its manifest and a database that already holds tables. Run `excon audit-verify` "
        "afterwards."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="the folder `excon backup --out` wrote")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = restore_backup(options["folder"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"restored {len(result.row_counts)} tables ({sum(result.row_counts.values())} rows, every count as "
                f"in the backup of {result.manifest['created_at']}) and {', '.join(result.manifest['parts'])}; "
                "now run `excon audit-verify`"
            )
        )
