"""Audit log: entries recorded per second through audit_record(), and chain verification speed.

Scale: N entries (default 20,000; BENCH_AUDIT_ENTRIES to change) with realistic payloads."""

from __future__ import annotations

import os
import time

from bench._django import benchmark_database


def main() -> None:
    count = int(os.environ.get("BENCH_AUDIT_ENTRIES", "20000"))
    with benchmark_database() as database:
        from django.db import transaction

        from excon.accounts.enums import AuditVerb
        from excon.audit.services import audit_record
        from excon.audit.verification import verify_log

        payload = {"changes": {"address": {"from": "1 Old Street", "to": "2 New Road"}}, "reason": "moved offices"}
        started = time.perf_counter()
        # One transaction per entry, as services do.
        for index in range(count):
            with transaction.atomic():
                audit_record(actor=None, verb=AuditVerb.ORGANISATION_UPDATED, payload={**payload, "n": index})
        record_seconds = time.perf_counter() - started
        started = time.perf_counter()
        result = verify_log()
        verify_seconds = time.perf_counter() - started
        assert result.ok, result.describe()
        print(f"audit_chain on {database}")
        print(f"  entries                 {count:>12,}")
        print(f"  record (1 txn each)     {count / record_seconds:>12,.0f} entries/s")
        print(f"  verify whole chain      {count / verify_seconds:>12,.0f} entries/s  ({verify_seconds:.2f} s)")


if __name__ == "__main__":
    main()
