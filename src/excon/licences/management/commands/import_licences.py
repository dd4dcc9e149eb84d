from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from excon.core.errors import DomainError
from excon.licences.legacy import COLUMNS, import_legacy_licences


class Command(BaseCommand):
    help = (
        "Load historical licences from a previous system (CSV with the header "
        f"{','.join(COLUMNS)}; see docs/licences.md). Every row is checked first; with any bad row nothing is "
        "written unless --partial is given (then a licence with any bad row is rejected whole). Licence numbers "
        "already present are left unchanged."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="CSV file, UTF-8, with the header row")
        parser.add_argument("--partial", action="store_true", help="write the good licences even if some are bad")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} is not UTF-8 text: {exc}") from exc
        try:
            result = import_legacy_licences(text, actor=None, partial=options["partial"], source_name=path.name)
        except DomainError as exc:
            raise CommandError(f"{exc.message} [{exc.code}]") from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.summary()))
        else:
            for error in result.errors:
                self.stderr.write(f"line {error.row}, column {error.column or '-'}: {error.message} [{error.code}]")
            self.stdout.write(
                f"{result.rows} rows read: {result.licences_created} licences created with {result.lines} lines, "
                f"{result.licences_unchanged} already present (unchanged), {result.rejected} rows rejected"
                + (f", {result.exporters_created} legacy exporters registered" if result.exporters_created else "")
            )
        if result.errors and not options["partial"]:
            raise CommandError("nothing was written because some rows are bad (use --partial to write the good ones)")
