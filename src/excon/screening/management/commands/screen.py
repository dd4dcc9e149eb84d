"""`excon screen FILE.csv --out HITS.csv [--threshold T]`: batch screening of names.

Input columns (header row): name (required), kind, country (ISO alpha-2), birth_date. Output: one row per hit
(row, name, source, entry_id, matched_name, score, explanation). Bad rows are reported and skipped."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from excon.core.exports import csv_writerow
from excon.screening.enums import EntryKind
from excon.screening.index import current_index
from excon.screening.matching import DEFAULT_THRESHOLD, Query, match_many
from excon.screening.normalise import normalise_country, normalise_name

BATCH = 20_000  # names per pool run (progress is reported between runs)
OUT_COLUMNS = ["row", "name", "source", "entry_id", "matched_name", "score", "explanation"]


def check_row(record: dict[str, str]) -> str:
    """'' for a good row, else the reason it is skipped."""
    if not normalise_name(record.get("name") or ""):
        return "name is empty"
    kind = (record.get("kind") or "").strip()
    if kind and kind not in EntryKind.values:
        return f"unknown kind {kind!r}"
    country = (record.get("country") or "").strip()
    if country and not (len(country) == 2 and normalise_country(country)):
        return f"country {country!r} is not an ISO alpha-2 code"
    birth = (record.get("birth_date") or "").strip()
    if birth and not (len(birth) in (4, 7, 10) and birth[:4].isdigit()):
        return f"birth_date {birth!r} is not YYYY, YYYY-MM or YYYY-MM-DD"
    return ""


class Command(BaseCommand):
    help = "Screen a CSV of names against the lists in force and write the hits to a CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)

    def handle(self, *args: Any, **options: Any) -> None:
        from tqdm import tqdm

        threshold = options["threshold"]
        if not 0 < threshold <= 1:
            raise CommandError("--threshold must be in (0, 1]")
        try:
            with open(options["file"], encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                fieldnames = list(reader.fieldnames or [])
                rows = list(reader)
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise CommandError(f"cannot read {options['file']}: {exc}") from exc
        if not fieldnames or "name" not in fieldnames:
            raise CommandError("the input needs a header row with a 'name' column")
        index = current_index()
        bad = hits = 0
        good: list[tuple[int, dict[str, str]]] = []
        for number, record in enumerate(rows, start=2):
            reason = "more cells than the header" if None in record else check_row(record)
            if reason:
                bad += 1
                self.stderr.write(f"row {number}: skipped: {reason}")
                continue
            good.append((number, record))
        queries = [
            Query(
                name=record["name"],
                kind=(record.get("kind") or "").strip(),
                country=(record.get("country") or "").strip(),
                birth_date=(record.get("birth_date") or "").strip(),
            )
            for _, record in good
        ]
        # A pool of worker processes (one per core) shares the index for large files; small ones run here.
        bar = tqdm(
            total=len(queries), desc="screening", unit=" names", file=sys.stderr, disable=not sys.stderr.isatty()
        )
        results = []
        for start in range(0, len(queries), BATCH):
            results.extend(match_many(queries[start : start + BATCH], index=index, threshold=threshold, limit=20))
            bar.update(min(BATCH, len(queries) - start))
        bar.close()
        with open(options["out"], "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(OUT_COLUMNS)
            for (number, record), found in zip(good, results, strict=True):
                for hit in found:
                    hits += 1
                    csv_writerow(
                        writer,
                        [
                            number,
                            record["name"],
                            hit.source,
                            hit.source_id,
                            hit.matched_name,
                            f"{hit.score:.3f}",
                            hit.summary(),
                        ],
                    )
        self.stdout.write(f"screened {len(rows) - bad} names, {hits} hits, {bad} rows skipped → {options['out']}")
