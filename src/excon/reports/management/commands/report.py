"""excon report national|att|unroca --year YYYY [--format …] [--basis authorised|actual] --out FILE

Writes the report file and records it like a page download (who: the system at the console; when; the
parameters; SHA-256; Ed25519 signature), so the file can be verified later. A year with no data is a nil report
(a file with the header only, or the template's cover saying "nil"), not an error; bad parameters exit non-zero
with a clear message and write nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from excon.core.errors import DomainError
from excon.reports.enums import AttBasis, ReportKind
from excon.reports.services import report_file_generate_now

FORMATS = {
    ReportKind.NATIONAL: ("csv", "xlsx", "pdf"),
    ReportKind.ATT: ("csv", "xlsx"),
    ReportKind.UNROCA: ("csv", "xlsx"),
}


class Command(BaseCommand):
    help = "Write a treaty or national report for a year to a file (recorded and signed)."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="{national,att,unroca}")
        for kind, formats in FORMATS.items():
            sub = kinds.add_parser(kind, help=str(ReportKind(kind).label))
            sub.add_argument("--year", required=True, help="the calendar year, YYYY")
            sub.add_argument("--format", dest="file_format", default="csv", choices=formats)
            sub.add_argument("--out", required=True, help="the file to write")
            if kind == ReportKind.ATT:
                sub.add_argument("--basis", default=AttBasis.AUTHORISED, choices=AttBasis.values)

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        if out.is_dir():
            raise CommandError(f"--out {out} is a directory; give a file name")
        if not out.parent.exists():
            raise CommandError(f"--out {out}: the folder {out.parent} does not exist")
        try:
            report_file, content = report_file_generate_now(
                actor=None,
                kind=options["kind"],
                year=options["year"],
                file_format=options["file_format"],
                basis=options.get("basis") or "",
            )
        except DomainError as exc:
            raise CommandError(f"{exc.message} [{exc.code}]") from exc
        out.write_bytes(content)
        self.stdout.write(
            f"{report_file.filename}: {report_file.rows} rows{' (nil report)' if report_file.rows == 0 else ''}, "
            f"{len(content)} bytes written to {out}; SHA-256 {report_file.sha256}, signed with key "
            f"{report_file.signing_key.key_id if report_file.signing_key else '-'}"
        )
