from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from excon.accounts.models import User
from excon.core.errors import DomainError
from excon.licences.services import declarations_import
from excon.licences.services.customs import COLUMNS


class Command(BaseCommand):
    help = (
        f"Import customs export declarations (CSV, columns {','.join(COLUMNS)}; see docs/licences.md) and "
        "reconcile each against the licences. Idempotent on the declaration number; with any bad row nothing is "
        "written unless --partial is given."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="CSV file, UTF-8, with a header row")
        parser.add_argument("--partial", action="store_true", help="import the good rows even if some are bad")
        parser.add_argument("--as-user", default=None, help="username to act as (default: the system)")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        actor = None
        if options["as_user"]:
            actor = User.objects.filter(username=options["as_user"].lower()).first()
            if actor is None:
                raise CommandError(f"no user {options['as_user']!r}")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} is not UTF-8 text: {exc}") from exc
        try:
            report = declarations_import(actor=actor, text=text, partial=options["partial"])
        except DomainError as exc:
            raise CommandError(f"{exc.message} [{exc.code}]") from exc
        rejected = len({error.row for error in report.errors})
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "rows": report.rows,
                        "imported": report.imported,
                        "unchanged": report.unchanged,
                        "rejected": rejected,
                        "outcomes": report.outcomes,
                        "errors": [error.__dict__ for error in report.errors],
                    }
                )
            )
        else:
            for error in report.errors:
                self.stderr.write(f"line {error.row}, column {error.column or '-'}: {error.message} [{error.code}]")
            outcomes = ", ".join(f"{name} {count}" for name, count in sorted(report.outcomes.items()))
            self.stdout.write(
                f"{report.rows} rows read, {report.imported} declarations imported ({outcomes or 'none'}), "
                f"{report.unchanged} already present, {rejected} rows rejected"
            )
        if report.errors and not options["partial"]:
            raise CommandError("nothing was written because some rows are bad (use --partial to import the good rows)")
