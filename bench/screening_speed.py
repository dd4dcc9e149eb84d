"""Screening speed at scale: single-name search latency, batch throughput and memory, against a naive
rapidfuzz scan as the baseline.

Scale: BENCH_SCREENING_ENTRIES entries (default 1,000,000): the real lists (UN, OFAC, EU journal, FtM; see
screening_quality) expanded with synthetic persons and companies whose names recombine given and family names
taken from the real lists and the yente synthetic persons (Latin, Cyrillic, Arabic, CJK scripts), about 1.6 names
per entry. The index is built in memory from records (the production path builds the same index from the database).
Queries: 1,000 names, half listed names with a typo or reordering, half clean synthetic persons.
BENCH_SCREENING_BATCH (default 5,000) names for throughput in one process and in the worker pool (match_many), and
BENCH_SCREENING_POOL_BATCH (default 20,000) for the pool again at a size where the workers' copy-on-write page faults
are amortised; BENCH_SCREENING_BASELINE (default 20) for the scan."""

from __future__ import annotations

import csv
import os
import random
import resource
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from excon.screening.index import IndexRecord

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from bench.screening_quality import DATA, _setup_django, real_records


def _name_pools(records: list[IndexRecord]) -> tuple[list[str], list[str], list[str]]:
    given: set[str] = set()
    family: set[str] = set()
    for name in ("negatives_global", "negatives_us"):
        path = DATA / f"yente/contrib_candidate_generation_benchmark_fixtures_{name}.csv"
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["first_name"]:
                    given.add(row["first_name"])
                if row["last_name"]:
                    family.add(row["last_name"])
    words: set[str] = set()
    for record in records:
        if record.kind == "person":
            parts = record.primary_name.replace(",", " ").split()
            if len(parts) >= 2:
                family.add(parts[0].title())
                given.add(parts[-1].title())
        else:
            words.update(word.title() for word in record.primary_name.split() if len(word) > 3)
    return sorted(given), sorted(family), sorted(words)


def synthetic(count: int, records: list[IndexRecord], rng: random.Random) -> Iterator[IndexRecord]:
    from excon.screening.index import IndexRecord

    given, family, words = _name_pools(records)
    suffixes = ["LLC", "JSC", "Ltd", "GmbH", "Trading Co", "Group", "Industries", "OOO", "SA"]
    for number in range(count):
        if number % 4 == 3:
            name = " ".join(rng.sample(words, 2)) + " " + rng.choice(suffixes)
            names = ((" ".join(rng.sample(words, 2)), "strong"),) if rng.random() < 0.5 else ()
            kind = "organisation"
            birth: tuple[str, ...] = ()
        else:
            first, last = rng.choice(given), rng.choice(family)
            middle = f" {rng.choice(given)}" if rng.random() < 0.3 else ""
            name = f"{first}{middle} {last}"
            names = ((f"{last}, {first}", "strong"),) if rng.random() < 0.7 else ()
            kind = "person"
            birth = (f"{rng.randint(1940, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",)
        yield IndexRecord(
            key=f"syn:{number}",
            source="synthetic",
            source_id=str(number),
            kind=kind,
            primary_name=name,
            names=names,
            birth_dates=birth,
            countries=(rng.choice(["RU", "IR", "SY", "KP", "AE", "TR", "CN", "DE", "US", "UA"]),),
        )


def typo(name: str, rng: random.Random) -> str:
    tokens = name.replace(",", " ").split()
    rng.shuffle(tokens)
    text = " ".join(tokens)
    if len(text) > 6:
        at = rng.randrange(1, len(text) - 1)
        text = text[:at] + text[at + 1 :]
    return text


def main() -> None:
    if not DATA.is_dir():
        print(f"screening_speed: {DATA} not present; skipped")
        return
    _setup_django()
    from rapidfuzz import fuzz, process

    from excon.screening.index import ScreeningIndex
    from excon.screening.matching import Query, match, match_many, pool_workers
    from excon.screening.normalise import normalise_name

    target = int(os.environ.get("BENCH_SCREENING_ENTRIES", "1000000"))
    batch = int(os.environ.get("BENCH_SCREENING_BATCH", "5000"))
    pool_batch = int(os.environ.get("BENCH_SCREENING_POOL_BATCH", "20000"))
    baseline_queries = int(os.environ.get("BENCH_SCREENING_BASELINE", "20"))
    rng = random.Random(20261124)  # noqa: S311 - reproducible test data, not secrets
    real = list(real_records())
    started = time.perf_counter()
    records: list[IndexRecord] = real + list(synthetic(max(0, target - len(real)), real, rng))
    index = ScreeningIndex.build(records)
    build_seconds = time.perf_counter() - started
    built_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    del records
    print(
        f"screening_speed: {len(index.entries):,} entries ({len(real):,} real), {index.name_count:,} names, "
        f"{len(index.postings):,} keys; index built in {build_seconds:.0f} s; "
        f"peak resident memory after building {built_rss:,.0f} MiB"
    )

    negatives = []
    with open(
        DATA / "yente/contrib_candidate_generation_benchmark_fixtures_negatives_global.csv", encoding="utf-8"
    ) as h:
        for row in csv.DictReader(h):
            negatives.append(row["full_name"])
    listed = [index.name_text[rng.randrange(index.name_count)] for _ in range(500)]
    queries = [typo(name, rng) for name in listed] + rng.sample(negatives, 500)
    rng.shuffle(queries)
    for query in queries[:20]:  # warm caches
        match(Query(name=query), index=index)
    latencies = []
    for query in queries:
        started = time.perf_counter()
        match(Query(name=query), index=index)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[int(len(latencies) * 0.95)]
    p99 = latencies[int(len(latencies) * 0.99)]
    print(f"  single search ({len(queries)} names)     p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   p99 {p99:6.1f} ms")

    names = [rng.choice(queries) for _ in range(batch)]
    started = time.perf_counter()
    for query in names:
        match(Query(name=query), index=index)
    seconds = time.perf_counter() - started
    print(f"  batch, one process                 {batch / seconds:8,.0f} names/s   ({batch:,} names)")

    # The production batch path: match_many forks one worker per core after the index is built (copy-on-write).
    workers = pool_workers(pool_batch)
    for size in (batch, pool_batch):
        pooled = [Query(name=rng.choice(queries)) for _ in range(size)]
        started = time.perf_counter()
        match_many(pooled, index=index)
        seconds = time.perf_counter() - started
        print(
            f"  batch, match_many ({workers} processes)     {size / seconds:8,.0f} names/s   ({size:,} names, "
            f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})"
        )

    normalised = [" ".join(tokens) for tokens in index.name_strong]
    scan = []
    for query in queries[:baseline_queries]:
        started = time.perf_counter()
        process.extract(normalise_name(query), normalised, scorer=fuzz.token_sort_ratio, limit=20, score_cutoff=80)
        scan.append((time.perf_counter() - started) * 1000)
    scan_mean = statistics.mean(scan)
    print(
        f"  naive rapidfuzz scan (baseline)    mean {scan_mean:7.1f} ms per name ({baseline_queries} names); "
        f"indexed search is {scan_mean / statistics.mean(latencies):,.0f}x faster on average"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak resident memory               {peak:8,.0f} MiB")


if __name__ == "__main__":
    main()
