from __future__ import annotations

from pathlib import Path
from typing import Any

from excon.core.csv_import import CsvImportCommand
from excon.licences.services import declarations_import
from excon.licences.services.customs import COLUMNS, ReconciliationReport


class Command(CsvImportCommand):
    help = (
        f"Import customs export declarations (CSV, columns {','.join(COLUMNS)}; see docs/licences.md) and "
        "reconcile each against the licences. Idempotent on the declaration number; with any bad row nothing is "
        "written unless --partial is given."
    )
    partial_help = "import the good rows even if some are bad"
    partial_hint = "import the good rows"

    def run_import(self, text: str, *, actor: Any, path: Path, options: dict[str, Any], **prepared: Any) -> Any:
        return declarations_import(actor=actor, text=text, partial=options["partial"])

    def summary(self, result: ReconciliationReport) -> dict[str, Any]:
        return {
            "rows": result.rows,
            "imported": result.imported,
            "unchanged": result.unchanged,
            "rejected": _rejected(result),
            "outcomes": result.outcomes,
            "errors": [error.__dict__ for error in result.errors],
        }

    def describe(self, result: ReconciliationReport) -> str:
        outcomes = ", ".join(f"{name} {count}" for name, count in sorted(result.outcomes.items()))
        return (
            f"{result.rows} rows read, {result.imported} declarations imported ({outcomes or 'none'}), "
            f"{result.unchanged} already present, {_rejected(result)} rows rejected"
        )


def _rejected(report: ReconciliationReport) -> int:
    return len({error.row for error in report.errors})
