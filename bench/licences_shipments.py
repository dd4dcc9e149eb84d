"""Shipments per second against one hot licence under concurrent clients, and the overdrafts that got through
(must be zero, counted from the database afterwards), beside the raw SQL of the same statements in the same run
(lock the licence and its line, check what remains, update the line, insert the shipment, its line and the audit
row, on plain tables without Django). Target: at least half the raw rate. The audit entries are sequenced by one
background sequencer, as a Celery worker does in production. PostgreSQL only: SQLite serialises every writer, so
the figure would say nothing about row locks.

Scale: BENCH_SHIPMENT_CLIENTS threads (default 16), each with its own connection, each recording
BENCH_SHIPMENTS_PER_CLIENT shipments of one item (default 40) against one licence whose quantity is 95% of the
attempts, so the last attempts are refused as overdrafts."""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import Any

from bench._django import benchmark_database
from bench._sequencer import background_sequencer


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("licences_shipments: skipped (needs DATABASE_URL=postgres://...; SQLite serialises every writer)")
        return
    clients = int(os.environ.get("BENCH_SHIPMENT_CLIENTS", "16"))
    per_client = int(os.environ.get("BENCH_SHIPMENTS_PER_CLIENT", "40"))
    attempts = clients * per_client
    quantity = attempts * 95 // 100
    with benchmark_database() as database:
        from django.db import close_old_connections, connection
        from django.db.models import Sum
        from django.utils import timezone

        from excon.accounts.tests.factories import UserFactory
        from excon.core.errors import Conflict
        from excon.core.roles import Role
        from excon.licences import services
        from excon.licences.models import LicenceLine, ShipmentLine
        from excon.licences.services import ShipmentLineInput
        from excon.licences.tests.factories import direct_licence

        licence = direct_licence(quantity=quantity, value=f"{attempts * 10}.00", number="LIC-BENCH-000001")
        clerks = [UserFactory.create(organisation=licence.holder, roles=[Role.EXPORTER_USER]) for _ in range(clients)]
        today = timezone.localdate()
        accepted = [0] * clients
        refused: dict[str, int] = {}
        failures: list[BaseException] = []
        lock = threading.Lock()
        barrier = threading.Barrier(clients + 1)

        def worker(index: int) -> None:
            try:
                barrier.wait()
                for _ in range(per_client):
                    try:
                        services.shipment_record(
                            actor=clerks[index],
                            licence=licence,
                            shipped_on=today,
                            lines=[ShipmentLineInput(1, 1, "10.00")],
                        )
                        accepted[index] += 1
                    except Conflict as exc:
                        with lock:
                            refused[exc.code] = refused.get(exc.code, 0) + 1
            except BaseException as exc:  # reported below
                failures.append(exc)
            finally:
                close_old_connections()
                connection.close()

        with background_sequencer() as sequencer:
            threads = [threading.Thread(target=worker, args=(index,)) for index in range(clients)]
            for thread in threads:
                thread.start()
            barrier.wait()
            started = time.perf_counter()
            for thread in threads:
                thread.join()
            seconds = time.perf_counter() - started
        raw_seconds, raw_accepted, raw_shipped = _raw_sql(clients, per_client, quantity)
        if failures:
            print(f"licences_shipments: {len(failures)} clients failed: {failures[0]!r}", file=sys.stderr)
            sys.exit(1)
        line = LicenceLine.objects.get(licence=licence)
        recorded: dict[str, Any] = ShipmentLine.objects.filter(licence_line=line).aggregate(
            quantity=Sum("quantity"), value=Sum("value")
        )
        overdrafts = LicenceLine.objects.filter(pk=line.pk, shipped_quantity__gt=quantity).count() + int(
            (recorded["quantity"] or 0) > quantity
        )
        done = sum(accepted)
        print(f"licences_shipments on {database}")
        print(f"  clients x attempts      {clients:>6} x {per_client}  (licence quantity {quantity:,})")
        print(f"  accepted shipments      {done:>12,}  ({done / seconds:,.0f} shipments/s)")
        print(f"  refused                 {sum(refused.values()):>12,}  {refused}")
        print(f"  all attempts            {attempts / seconds:>12,.0f} attempts/s  ({seconds:.2f} s)")
        print(
            f"  shipped per database    {line.shipped_quantity:>12,}  (sum of shipment lines {recorded['quantity']:,})"
        )
        print(f"  overdrafts              {overdrafts:>12,}")
        raw_rate = raw_accepted / raw_seconds
        print(
            f"  raw SQL, same statements{raw_rate:>12,.0f} shipments/s  ({raw_seconds:.2f} s; shipped {raw_shipped:,}, "
            f"overdrafts {max(raw_shipped - quantity, 0)})"
        )
        print(f"  service / raw           {done / seconds / raw_rate:>12.0%}  (target at least 50%)")
        from excon.audit.verification import verify_log

        print(f"  audit log               {verify_log().describe()}  ({sequencer['runs']:.0f} sequencer runs)")
        if overdrafts or done != quantity or line.shipped_quantity != quantity:
            print("licences_shipments: the licence was overdrawn or miscounted", file=sys.stderr)
            sys.exit(1)


RAW_SETUP = """
CREATE TABLE bench_licence (id integer PRIMARY KEY, status text NOT NULL);
CREATE TABLE bench_line (id integer PRIMARY KEY, licence_id integer NOT NULL, quantity integer NOT NULL,
                         shipped_quantity integer NOT NULL DEFAULT 0, value numeric(18,2) NOT NULL,
                         shipped_value numeric(18,2) NOT NULL DEFAULT 0);
CREATE TABLE bench_shipment (id bigserial PRIMARY KEY, licence_id integer NOT NULL, shipped_on date NOT NULL,
                             reference text NOT NULL);
CREATE TABLE bench_shipment_line (id bigserial PRIMARY KEY, shipment_id bigint NOT NULL, line_id integer NOT NULL,
                                  quantity integer NOT NULL, value numeric(18,2) NOT NULL);
CREATE TABLE bench_audit (id bigserial PRIMARY KEY, occurred_at timestamptz NOT NULL, verb text NOT NULL,
                          payload jsonb NOT NULL, entry_hash text NOT NULL);
"""


def _raw_sql(clients: int, per_client: int, quantity: int) -> tuple[float, int, int]:
    """The same work in plain SQL, one connection per client: the ideal the service is measured against."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute(RAW_SETUP)
        cursor.execute("INSERT INTO bench_licence VALUES (1, 'active')")
        cursor.execute("INSERT INTO bench_line VALUES (1, 1, %s, 0, %s, 0)", [quantity, clients * per_client * 10])
    accepted = [0] * clients
    barrier = threading.Barrier(clients + 1)

    def worker(index: int) -> None:
        try:
            barrier.wait()
            for step in range(per_client):
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SELECT status FROM bench_licence WHERE id = 1 FOR UPDATE")
                    cursor.execute("SELECT quantity - shipped_quantity FROM bench_line WHERE licence_id = 1 FOR UPDATE")
                    if cursor.fetchone()[0] < 1:
                        continue
                    cursor.execute(
                        "UPDATE bench_line SET shipped_quantity = shipped_quantity + 1, "
                        "shipped_value = shipped_value + 10 WHERE id = 1"
                    )
                    cursor.execute(
                        "INSERT INTO bench_shipment (licence_id, shipped_on, reference) "
                        "VALUES (1, CURRENT_DATE, %s) RETURNING id",
                        [f"SHP-{index}-{step}"],
                    )
                    shipment_id = cursor.fetchone()[0]
                    cursor.execute(
                        "INSERT INTO bench_shipment_line (shipment_id, line_id, quantity, value) VALUES (%s, 1, 1, 10)",
                        [shipment_id],
                    )
                    cursor.execute(
                        "INSERT INTO bench_audit (occurred_at, verb, payload, entry_hash) VALUES (now(), %s, %s, %s)",
                        ["shipment.recorded", '{"shipment": "SHP"}', f"{index}-{step}"],
                    )
                    accepted[index] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT shipped_quantity FROM bench_line WHERE id = 1")
        shipped = cursor.fetchone()[0]
    return seconds, sum(accepted), shipped


if __name__ == "__main__":
    main()
