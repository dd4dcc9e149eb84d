"""Shipments per second against one hot licence under concurrent clients, and the overdrafts that got through
(must be zero, counted from the database afterwards). PostgreSQL only: SQLite serialises every writer, so the
figure would say nothing about row locks.

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

        threads = [threading.Thread(target=worker, args=(index,)) for index in range(clients)]
        for thread in threads:
            thread.start()
        barrier.wait()
        started = time.perf_counter()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
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
        if overdrafts or done != quantity or line.shipped_quantity != quantity:
            print("licences_shipments: the licence was overdrawn or miscounted", file=sys.stderr)
            sys.exit(1)


if __name__ == "__main__":
    main()
