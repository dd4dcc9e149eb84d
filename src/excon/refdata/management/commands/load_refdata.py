"""`excon load-refdata`: load or refresh the shipped reference data (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from excon.refdata.loading import RefdataFileError, load_refdata


class Command(BaseCommand):
    help = (
        "Load countries (pycountry), control-list entries, HS codes and the seed embargoes and destination groups. "
        "Running it again changes nothing; seeded embargoes and groups edited by the authority are never overwritten."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data-dir", type=Path, default=None, help="read the data files from this folder")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_refdata(options.get("data_dir"))
        except RefdataFileError as exc:
            raise CommandError(f"reference data not loaded: {exc}") from exc
        for line in report.lines():
            self.stdout.write(line)
        if report.changed:
            self.stdout.write(self.style.SUCCESS("reference data loaded"))
        else:
            self.stdout.write("reference data already up to date: nothing changed")
