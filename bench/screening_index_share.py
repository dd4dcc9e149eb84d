"""What sharing the screening index saves a process: `python -m bench.screening_index_share [entries]`.

Builds the index of the real lists (../shared/data) padded with synthetic entries to N (default 200,000) — the work
every web and worker process did before the index was shared — then writes it as the first process does and
loads it as every other process now does, timing each in the same run. The baseline is the build."""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

from bench.screening_quality import DATA, _setup_django, real_records
from bench.screening_speed import synthetic


def main() -> None:
    if not DATA.is_dir():
        print(f"screening_index_share: {DATA} not present; skipped")
        return
    _setup_django()
    from django.conf import settings

    from excon.screening.index import ScreeningIndex, load_shared, save_shared

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    real = list(real_records())
    records = real + list(synthetic(max(count - len(real), 0), real, random.Random(7)))  # noqa: S311 - test data
    settings.EXCON_SCREENING_INDEX_DIR = Path(tempfile.mkdtemp(prefix="excon-bench-index-"))
    started = time.perf_counter()
    index = ScreeningIndex.build(records, generation="bench")
    build = time.perf_counter() - started
    started = time.perf_counter()
    path = save_shared(index)
    save = time.perf_counter() - started
    assert path is not None
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        loaded = load_shared("bench")
        runs.append(time.perf_counter() - started)
        assert loaded is not None
        assert loaded.name_count == index.name_count
    load = min(runs)
    print(
        f"screening index, {len(records):,} entries ({index.name_count:,} names), load average "
        f"{os.getloadavg()[0]:.1f}: build (every process, before) {build:.2f} s; write once {save:.2f} s "
        f"({path.stat().st_size / 1e6:.0f} MB); load (every other process, now) {load:.2f} s = "
        f"{build / load:.1f}x faster than the build"
    )


if __name__ == "__main__":
    main()
