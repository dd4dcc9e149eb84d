"""The one shape of a CSV import command (`import_products`, `import_licences`, `import_customs`): a file argument,
`--partial`, `--json` and, where the import acts for someone, `--as-user`; the file is read as UTF-8 (a BOM is
dropped), each bad row is reported on stderr as `line N, column C: message [code]`, and the command fails (exit 1)
with nothing written when a row is bad and `--partial` is not given. A command says only what is its own: its
options, the import it runs, its summary."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from .errors import DomainError


@dataclass(frozen=True)
class RowError:
    """One bad cell of an imported file (the summaries and the API show it as it is)."""

    row: int  # line number in the file, the header being line 1
    column: str
    code: str
    message: str


class CsvImportCommand(BaseCommand):
    file_help = "CSV file, UTF-8, with a header row"
    partial_help = "write the good rows even if some are bad"
    # The end of the refusal when a row is bad: "nothing was written because some rows are bad (use --partial to …)".
    partial_hint = "write the good rows"
    acts_as_user = True  # offers --as-user (otherwise the import runs as the system)

    def add_options(self, parser: Any) -> None:
        """The command's own options (between the file and --partial)."""

    def prepare(self, options: dict[str, Any]) -> dict[str, Any]:
        """Look up what the command's options name (before the file is read); the result goes to `run_import`."""
        return {}

    def run_import(self, text: str, *, actor: Any, path: Path, options: dict[str, Any], **prepared: Any) -> Any:
        """Run the import; the result has `errors` (rows with `row`, `column`, `message`, `code`)."""
        raise NotImplementedError

    def summary(self, result: Any) -> dict[str, Any]:
        raise NotImplementedError

    def describe(self, result: Any) -> str:
        raise NotImplementedError

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help=self.file_help)
        self.add_options(parser)
        parser.add_argument("--partial", action="store_true", help=self.partial_help)
        if self.acts_as_user:
            parser.add_argument("--as-user", default=None, help="username to act as (default: the system)")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        prepared = self.prepare(options)
        actor = _user(options["as_user"]) if self.acts_as_user and options["as_user"] else None
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} is not UTF-8 text: {exc}") from exc
        try:
            result = self.run_import(text, actor=actor, path=path, options=options, **prepared)
        except DomainError as exc:
            raise CommandError(f"{exc.message} [{exc.code}]") from exc
        if options["json"]:
            self.stdout.write(json.dumps(self.summary(result)))
        else:
            for error in result.errors:
                self.stderr.write(f"line {error.row}, column {error.column or '-'}: {error.message} [{error.code}]")
            self.stdout.write(self.describe(result))
        if result.errors and not options["partial"]:
            raise CommandError(f"nothing was written because some rows are bad (use --partial to {self.partial_hint})")


def _user(username: str) -> Any:
    user = get_user_model().objects.filter(username=username.lower()).first()
    if user is None:
        raise CommandError(f"no user {username!r}")
    return user
