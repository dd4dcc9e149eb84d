"""Rows per second of the legacy licence import (`excon import-licences`): the real UK licensing statistics
(96,311 rows, 2008-2015) when ../shared/data is present, otherwise a synthetic file of BENCH_LEGACY_ROWS rows
(default 96,311; about 1.5 rows per licence, like the UK data). Prints the first run (validation and bulk writes)
and the second (everything "unchanged")."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

from bench._django import benchmark_database

SHARED = Path(os.environ.get("EXCON_SHARED_DATA", Path(__file__).resolve().parent.parent.parent / "shared" / "data"))


def synthetic(rows: int) -> str:
    from excon.licences.legacy import COLUMNS

    rng = random.Random(2008)  # noqa: S311 (deterministic test data, not security)
    countries = ["United States of America", "South Korea", "UAE", "Germany", "FR", "India", "Saudi Arabia", "Japan"]
    ratings = ["ML1", "ML4", "ML10", "ML11", "ML13", "PL5001", "5A002", "6A003", "9A012"]
    lines = [",".join(COLUMNS)]
    number = 0
    while len(lines) <= rows:
        number += 1
        head = (f"SYN-{number:07d}", f"20{rng.randint(8, 15):02d}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}")
        exporter = f"Synthetic Exporter {rng.randint(1, 300)}"
        destination = rng.choice(countries)
        status = "refused" if rng.random() < 0.015 else "issued"
        for _ in range(1 if rng.random() < 0.6 else rng.randint(2, 3)):
            quantity = "" if rng.random() < 0.5 else str(rng.randint(1, 500))
            lines.append(
                ",".join(
                    [
                        *head,
                        exporter,
                        f'"{destination}"',
                        rng.choice(ratings),
                        quantity,
                        f"{rng.randint(100, 9_000_000)}.00",
                        "GBP",
                        status,
                    ]
                )
            )
    return "\n".join(lines[: rows + 1]) + "\n"


def main() -> None:
    with benchmark_database() as database:
        from excon.licences.legacy import import_legacy_licences
        from excon.refdata.loading import load_refdata

        load_refdata()
        uk = SHARED / "uk_licensing" / "caat_uk_values_2008-01_to_2015-03.csv"
        if uk.is_file():
            from excon.licences.tests.test_legacy import uk_rows_to_import

            text, source = uk_rows_to_import(uk), "the UK licensing statistics 2008-2015 (real)"
        else:
            count = int(os.environ.get("BENCH_LEGACY_ROWS", "96311"))
            text, source = synthetic(count), f"a synthetic file ({count:,} rows; ../shared/data absent)"
        started = time.perf_counter()
        first = import_legacy_licences(text, partial=True, source_name="bench")
        first_seconds = time.perf_counter() - started
        started = time.perf_counter()
        second = import_legacy_licences(text, partial=True, source_name="bench")
        second_seconds = time.perf_counter() - started
        print(f"licences_legacy_import on {database}, {source}")
        print(f"  rows                    {first.rows:>12,}")
        print(f"  licences created        {first.licences_created:>12,}  ({first.lines:,} lines)")
        print(f"  rows rejected           {first.rejected:>12,}  (unknown rating or destination)")
        print(f"  first run               {first.rows / first_seconds:>12,.0f} rows/s  ({first_seconds:.1f} s)")
        print(
            f"  second run (unchanged)  {second.rows / second_seconds:>12,.0f} rows/s  ({second_seconds:.1f} s, "
            f"{second.licences_unchanged:,} unchanged, {second.licences_created} created)"
        )


if __name__ == "__main__":
    main()
