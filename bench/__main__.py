"""Run every benchmark in turn: `python -m bench`."""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = [
    "bench.audit_chain",
    "bench.audit_writers",
    "bench.screening_quality",
    "bench.screening_speed",
    "bench.screening_index_share",
    "bench.licences_shipments",
    "bench.licences_legacy_import",
    "bench.licences_verification",
    "bench.reports_national",
]


def main() -> int:
    failures = 0
    for name in BENCHMARKS:
        # Each in its own process: Django is set up once per process, on its own throwaway database.
        failures += subprocess.call([sys.executable, "-m", name]) != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
