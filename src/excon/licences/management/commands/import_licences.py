from __future__ import annotations

from pathlib import Path
from typing import Any

from excon.core.csv_import import CsvImportCommand
from excon.licences.legacy import COLUMNS, LegacyImportResult, import_legacy_licences


class Command(CsvImportCommand):
    help = (
        "Load historical licences from a previous system (CSV with the header "
        f"{','.join(COLUMNS)}; see docs/licences.md). Every row is checked first; with any bad row nothing is "
        "written unless --partial is given (then a licence with any bad row is rejected whole). Licence numbers "
        "already present are left unchanged."
    )
    file_help = "CSV file, UTF-8, with the header row"
    partial_help = "write the good licences even if some are bad"
    partial_hint = "write the good ones"
    acts_as_user = False

    def run_import(self, text: str, *, actor: Any, path: Path, options: dict[str, Any], **prepared: Any) -> Any:
        return import_legacy_licences(text, actor=None, partial=options["partial"], source_name=path.name)

    def summary(self, result: LegacyImportResult) -> dict[str, Any]:
        return result.summary()

    def describe(self, result: LegacyImportResult) -> str:
        return (
            f"{result.rows} rows read: {result.licences_created} licences created with {result.lines} lines, "
            f"{result.licences_unchanged} already present (unchanged), {result.rejected} rows rejected"
            + (f", {result.exporters_created} legacy exporters registered" if result.exporters_created else "")
        )
