"""The shipped list snapshots: they parse with the production importers, load once, and never overwrite a
version the authority imported."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from excon.screening.enums import VersionStatus
from excon.screening.importers import ParseResult, parser_for
from excon.screening.models import ListEntry, ListVersion
from excon.screening.shipped import DATA, SNAPSHOTS, load_shipped_lists


def _unpacked(source: str, folder: Path) -> list[Path]:
    paths = []
    for shipped, name in SNAPSHOTS[source].files:
        target = folder / name
        with gzip.open(DATA / shipped, "rb") as compressed, open(target, "wb") as plain:
            shutil.copyfileobj(compressed, plain)
        paths.append(target)
    return paths


def test_the_ofac_snapshot_parses_whole(tmp_path: Path) -> None:
    paths = _unpacked("ofac", tmp_path)
    entries = list(parser_for("ofac", paths)(paths, ParseResult()))
    assert len(entries) == 14965
    komid = next(entry for entry in entries if entry.source_id == "9345")
    assert komid.primary_name == "KOREA MINING DEVELOPMENT TRADING CORPORATION"
    assert sum(len(entry.names) for entry in entries) > 17000  # the joined aliases


@pytest.mark.django_db
def test_the_un_snapshot_loads_once_and_never_over_a_newer_import() -> None:
    first = load_shipped_lists(["un"])
    assert first["un"].startswith("snapshot of 2026-02-27 imported: 1003 entries")
    version = ListVersion.objects.get(source__code="un", status=VersionStatus.IN_FORCE)
    assert version.published_on.isoformat() == "2026-02-27"
    assert ListEntry.objects.filter(source__code="un", primary_name__icontains="KOREA MINING").exists()
    assert load_shipped_lists(["un"]) == {"un": "a version is already in force: kept"}
    assert ListVersion.objects.filter(source__code="un").count() == 1
