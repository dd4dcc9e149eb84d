"""Audited writes per second from 1, 4 and 16 clients (each its own connection, one transaction per write, as
services do), with one background sequencer; then that everything committed is in the tree and verifies.
Before the Merkle log every audited write queued on one head row, so adding clients added nothing.
PostgreSQL only (SQLite serialises every writer). Scale: BENCH_AUDIT_WRITES_PER_CLIENT (default 150)."""

from __future__ import annotations

import os
import sys
import threading
import time

from bench._django import benchmark_database
from bench._sequencer import background_sequencer


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("audit_writers: skipped (needs DATABASE_URL=postgres://...; SQLite serialises every writer)")
        return
    per_client = int(os.environ.get("BENCH_AUDIT_WRITES_PER_CLIENT", "150"))
    with benchmark_database() as database:
        from django.db import connection, transaction

        from excon.accounts.enums import AuditVerb
        from excon.accounts.tests.factories import OrganisationFactory
        from excon.audit.models import AuditEntry, AuditLeaf
        from excon.audit.services import audit_record
        from excon.audit.verification import verify_log

        organisation = OrganisationFactory()
        payload = {"changes": {"address": {"from": "1 Old Street", "to": "2 New Road"}}, "reason": "moved offices"}
        print(f"audit_writers on {database}")
        rates = []
        for clients in (1, 4, 16):
            failures: list[BaseException] = []
            barrier = threading.Barrier(clients + 1)

            def writer(number: int, barrier: threading.Barrier, failures: list[BaseException]) -> None:
                try:
                    barrier.wait()
                    for step in range(per_client):
                        with transaction.atomic():
                            audit_record(
                                actor=None,
                                verb=AuditVerb.ORGANISATION_UPDATED,
                                target=organisation,
                                payload={**payload, "client": number, "n": step},
                            )
                except BaseException as exc:  # reported below
                    failures.append(exc)
                finally:
                    connection.close()

            with background_sequencer() as sequencer:
                threads = [threading.Thread(target=writer, args=(n, barrier, failures)) for n in range(clients)]
                for thread in threads:
                    thread.start()
                barrier.wait()
                started = time.perf_counter()
                for thread in threads:
                    thread.join()
                seconds = time.perf_counter() - started
            if failures:
                print(f"audit_writers: {len(failures)} clients failed: {failures[0]!r}", file=sys.stderr)
                sys.exit(1)
            writes = clients * per_client
            rates.append(writes / seconds)
            print(
                f"  {clients:>2} clients              {writes / seconds:>10,.0f} audited writes/s  "
                f"({writes:,} in {seconds:.2f} s; {sequencer['runs']:.0f} sequencer runs, "
                f"{sequencer['drain_seconds']:.2f} s to sequence the rest)"
            )
        committed = AuditEntry.objects.count()
        in_tree = AuditLeaf.objects.count()
        started = time.perf_counter()
        result = verify_log()
        verify_seconds = time.perf_counter() - started
        print(f"  committed / in the tree {committed:>10,} / {in_tree:,}")
        print(f"  verify whole log        {committed / verify_seconds:>10,.0f} entries/s  ({result.describe()})")
        if not result.ok or committed != in_tree:
            print("audit_writers: the log is incomplete or does not verify", file=sys.stderr)
            sys.exit(1)
        if not rates[0] < rates[1] < rates[2]:
            print("audit_writers: throughput did not grow with clients", file=sys.stderr)


if __name__ == "__main__":
    main()
