"""The UN M49 geographic regions of countries (`data/m49_regions.json`, sources in data/SOURCES.md): the national
report's totals per region. Read once from the shipped file; a code in no region (Antarctica) is "Other"."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

REGIONS_FILE = Path(__file__).resolve().parent / "data" / "m49_regions.json"
NO_REGION = "Other"


@cache
def _regions() -> tuple[dict[str, str], tuple[str, ...]]:
    data = json.loads(REGIONS_FILE.read_text(encoding="utf-8"))
    by_country = {iso2: group["name"] for group in data["regions"] for iso2 in group["countries"]}
    return by_country, tuple(group["name"] for group in data["regions"])


def region_of(iso2: str) -> str:
    """The M49 region (intermediate region where there is one, else sub-region) of an ISO 3166-1 alpha-2 code."""
    return _regions()[0].get(iso2.upper(), NO_REGION)


def region_order() -> tuple[str, ...]:
    """The regions in M49 order (Africa, Americas, Asia, Europe, Oceania), then "Other"."""
    return (*_regions()[1], NO_REGION)
