"""`excon lists import --source SRC FILE [FILE...]` and `excon lists status`."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from excon.core.errors import DomainError
from excon.screening.enums import IMPORTED_SOURCES
from excon.screening.selectors import list_status
from excon.screening.services import list_import


class Command(BaseCommand):
    help = "Import sanctions lists and show which versions are in force."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import one publication of a list")
        imp.add_argument("--source", required=True, choices=[str(s) for s in IMPORTED_SOURCES])
        imp.add_argument("--published", help="publication date (YYYY-MM-DD) when the file does not state it")
        imp.add_argument("files", nargs="+", type=Path)
        sub.add_parser("status", help="the version in force of each list")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(options)
        else:
            self._status()

    def _import(self, options: dict[str, Any]) -> None:
        from tqdm import tqdm

        published = None
        if options.get("published"):
            try:
                published = dt.date.fromisoformat(options["published"])
            except ValueError as exc:
                raise CommandError(f"--published: {exc}") from exc
        bar = tqdm(
            desc=f"parsing {options['source']}", unit=" entries", file=sys.stderr, disable=not sys.stderr.isatty()
        )
        try:
            outcome = list_import(
                actor=None,
                source=options["source"],
                paths=options["files"],
                published_on=published,
                progress=bar.update,
            )
        except DomainError as exc:
            raise CommandError(f"import refused: {exc.message}; the version in force is unchanged") from exc
        finally:
            bar.close()
        version = outcome.version
        if outcome.unchanged:
            self.stdout.write(
                f"{options['source']}: unchanged (same file as the version in force, {version.total} entries)"
            )
            return
        self.stdout.write(
            f"{options['source']}: version of {version.published_on or 'unknown date'} in force: "
            f"{version.total} entries, {version.added} added, {version.changed} changed, {version.removed} removed"
        )

    def _status(self) -> None:
        rows = list_status()
        if not rows:
            self.stdout.write("no list imported yet")
        for row in rows:
            version = row["version"]
            if version is None:
                line = f"{row['source']:<14} no version in force"
            else:
                line = (
                    f"{row['source']:<14} published {version.published_on or '?'}  imported "
                    f"{version.imported_at:%Y-%m-%d %H:%M}  {row['active_entries']:>7} active entries  "
                    f"(+{version.added} ~{version.changed} -{version.removed})  sha256 {version.sha256[:12]}"
                )
            if row["last_failure"] is not None:
                line += f"\n{'':<14} last refused import: {row['last_failure'].failure_reason[:120]}"
            self.stdout.write(line)
