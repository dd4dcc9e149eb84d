from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from excon.accounts.models import Organisation, User
from excon.core.errors import DomainError
from excon.products.importer import import_products


class Command(BaseCommand):
    help = (
        "Register products from a CSV file (columns: see docs/products.md). Every row is checked first; with any "
        "bad row nothing is written unless --partial is given."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="CSV file, UTF-8, with a header row")
        parser.add_argument("--exporter", required=True, help="the manufacturer's registration number")
        parser.add_argument("--partial", action="store_true", help="write the good rows even if some are bad")
        parser.add_argument("--as-user", default=None, help="username to act as (default: the system)")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        manufacturer = Organisation.objects.filter(registration_number=options["exporter"].strip().upper()).first()
        if manufacturer is None or not manufacturer.is_exporter:
            raise CommandError(f"no exporter with registration number {options['exporter']!r}")
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
            result = import_products(text, manufacturer=manufacturer, actor=actor, partial=options["partial"])
        except DomainError as exc:
            raise CommandError(f"{exc.message} [{exc.code}]") from exc
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "rows": result.rows,
                        "created": len(result.created),
                        "rejected": result.rejected_rows,
                        "errors": [error.__dict__ for error in result.errors],
                    }
                )
            )
        else:
            for error in result.errors:
                self.stderr.write(f"line {error.row}, column {error.column or '-'}: {error.message} [{error.code}]")
            self.stdout.write(
                f"{result.rows} rows read, {len(result.created)} products registered, "
                f"{result.rejected_rows} rows rejected"
            )
        if result.errors and not options["partial"]:
            raise CommandError("nothing was written because some rows are bad (use --partial to write the good rows)")
