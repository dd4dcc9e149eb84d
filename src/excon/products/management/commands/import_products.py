from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from excon.accounts.models import Organisation
from excon.core.csv_import import CsvImportCommand
from excon.products.importer import ImportResult, import_products


class Command(CsvImportCommand):
    help = (
        "Register products from a CSV file (columns: see docs/products.md). Every row is checked first; with any "
        "bad row nothing is written unless --partial is given."
    )

    def add_options(self, parser: Any) -> None:
        parser.add_argument("--exporter", required=True, help="the manufacturer's registration number")

    def prepare(self, options: dict[str, Any]) -> dict[str, Any]:
        manufacturer = Organisation.objects.filter(registration_number=options["exporter"].strip().upper()).first()
        if manufacturer is None or not manufacturer.is_exporter:
            raise CommandError(f"no exporter with registration number {options['exporter']!r}")
        return {"manufacturer": manufacturer}

    def run_import(self, text: str, *, actor: Any, path: Path, options: dict[str, Any], **prepared: Any) -> Any:
        return import_products(text, manufacturer=prepared["manufacturer"], actor=actor, partial=options["partial"])

    def summary(self, result: ImportResult) -> dict[str, Any]:
        return {
            "rows": result.rows,
            "created": len(result.created),
            "rejected": result.rejected_rows,
            "errors": [error.__dict__ for error in result.errors],
        }

    def describe(self, result: ImportResult) -> str:
        return (
            f"{result.rows} rows read, {len(result.created)} products registered, {result.rejected_rows} rows rejected"
        )
