"""Dated snapshots of public government lists shipped with ExCon (src/excon/screening/data/, sources in
data/SOURCES.md), so a fresh installation and the demo world screen against real lists from the first day.

A snapshot is loaded only while its source has no version in force: once the authority imports a current
publication, the (older) snapshot is never imported over it. Loading the same snapshot again changes nothing."""

from __future__ import annotations

import datetime as dt
import gzip
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .enums import VersionStatus
from .models import ListVersion

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Snapshot:
    source: str
    published_on: dt.date
    files: tuple[tuple[str, str], ...]  # (shipped gzip file, the name the importer expects)


SNAPSHOTS: dict[str, Snapshot] = {
    "un": Snapshot("un", dt.date(2026, 2, 27), (("un_sc_consolidated_2026-02-27.xml.gz", "consolidated.xml"),)),
    "ofac": Snapshot(
        "ofac",
        dt.date(2024, 5, 3),
        (
            ("ofac_sdn_2024-05-03.csv.gz", "sdn.csv"),
            ("ofac_alt_2025-12-24_for_2024-05-03.csv.gz", "alt.csv"),
            ("ofac_add_2025-12-24_for_2024-05-03.csv.gz", "add.csv"),
        ),
    ),
}


def load_shipped_lists(sources: tuple[str, ...] | list[str] | None = None) -> dict[str, str]:
    """Import each shipped snapshot whose source has no version in force. Returns {source: what happened}."""
    from .services import list_import

    report: dict[str, str] = {}
    for source in sources if sources is not None else tuple(SNAPSHOTS):
        snapshot = SNAPSHOTS[source]
        if ListVersion.objects.filter(source__code=source, status=VersionStatus.IN_FORCE).exists():
            report[source] = "a version is already in force: kept"
            continue
        with tempfile.TemporaryDirectory(prefix="excon-lists-") as folder:
            paths = []
            for shipped, name in snapshot.files:
                target = Path(folder) / name
                with gzip.open(DATA / shipped, "rb") as compressed, open(target, "wb") as plain:
                    shutil.copyfileobj(compressed, plain)
                paths.append(target)
            outcome = list_import(actor=None, source=source, paths=paths, published_on=snapshot.published_on)
        report[source] = f"snapshot of {snapshot.published_on.isoformat()} imported: {outcome.version.total} entries"
    return report
