"""The national annual report over a large licensing history on PostgreSQL: BENCH_REPORT_LICENCES licences
(default 1,000,000) with three lines each (3,000,000 lines), all issued in the reported year (the heaviest case),
a third of them legacy (1.5% of those refused, with criteria), 200,000 shipment lines. The data is generated in
the database with INSERT … SELECT over generate_series (no Python loop over rows).

Prints the generation time, then the report computed by `national_report()` (the whole selector: its SQL
aggregates and the merge of the aggregated cells in Python) beside the time of its SQL alone, run from the same
querysets on a cursor. Target: under 5 s. Skips on SQLite (set DATABASE_URL to a PostgreSQL server; the
benchmark creates and drops a database of its own)."""

from __future__ import annotations

import os
import time

from bench._django import benchmark_database

LICENCES = int(os.environ.get("BENCH_REPORT_LICENCES", "1000000"))
YEAR = 2024


def generate(licences: int) -> dict[str, float]:
    from django.db import connection

    from excon.accounts.models import Organisation, User
    from excon.refdata.loading import load_refdata

    load_refdata()
    holder = Organisation.objects.create(kind="exporter", name="Bench Exporter", registration_number="BENCH-1")
    customs = Organisation.objects.create(kind="customs", name="Bench Customs")
    officer = User.objects.create(username="bench-customs", organisation=customs)
    timings: dict[str, float] = {}
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(
            """
            INSERT INTO licences_licence (id, created_at, updated_at, number, holder_id, source, legacy_outcome,
                status, licence_type, terms, destination_id, end_user, end_user_kind, consignees, issued_on,
                valid_from, valid_until, conditions, version, signature)
            SELECT gen_random_uuid(), now(), now(), 'B-' || g, %s,
                   CASE WHEN g %% 3 = 0 THEN 'legacy' ELSE 'issued' END,
                   CASE WHEN g %% 3 <> 0 THEN '' WHEN g %% 67 = 0 THEN 'refused' ELSE 'issued' END,
                   CASE WHEN g %% 3 = 0 THEN 'historical' ELSE 'active' END,
                   CASE WHEN g %% 50 = 1 THEN 'brokering' ELSE 'standard_individual' END, '{}'::jsonb,
                   countries.ids[1 + (g::bigint * 7919) %% array_length(countries.ids, 1)], '', '', '[]'::jsonb,
                   DATE %s + (g %% 366), DATE %s + (g %% 366), NULL, '', 1, ''
            FROM generate_series(1, %s) AS g,
                 (SELECT array_agg(id ORDER BY iso2) AS ids FROM refdata_country) AS countries
            """,
            [holder.pk, f"{YEAR}-01-01", f"{YEAR}-01-01", licences],
        )
        timings["licences"] = time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute(
            """
            INSERT INTO licences_licenceline (id, created_at, updated_at, licence_id, line_number, description,
                control_entry_id, hs_code, quantity, value, currency, shipped_quantity, shipped_value, capped)
            SELECT gen_random_uuid(), now(), now(), l.id, n, 'goods',
                   entries.ids[1 + (abs(hashtext(l.number)::bigint) + n * 31) % array_length(entries.ids, 1)], '',
                   CASE WHEN n = 3 THEN NULL ELSE 1 + abs(hashtext(l.number || n)::bigint) % 500 END,
                   (abs(hashtext(l.number || 'v' || n)::bigint) % 10000000) / 100.0,
                   CASE WHEN abs(hashtext(l.number)::bigint) % 10 = 0 THEN 'USD' ELSE 'EUR' END, 0, 0, true
            FROM licences_licence l CROSS JOIN generate_series(1, 3) AS n,
                 (SELECT array_agg(id ORDER BY code) AS ids FROM refdata_controllistentry) AS entries
            """
        )
        timings["lines"] = time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute("ANALYZE licences_licence, licences_licenceline")
        cursor.execute(
            """
            INSERT INTO licences_refusalcriterion (id, created_at, updated_at, licence_id, criterion)
            SELECT gen_random_uuid(), now(), now(), l.id, c
            FROM licences_licence l CROSS JOIN generate_series(1, 8) AS c
            WHERE l.legacy_outcome = 'refused' AND (abs(hashtext(l.number)::bigint) + c) % 3 = 0
            """
        )
        cursor.execute(
            """
            -- the shipments CTE always runs to completion; the lines' foreign key to it is checked at commit
            WITH chosen AS (
                SELECT ln.id AS line_id, ln.licence_id, l.destination_id, gen_random_uuid() AS shipment_id,
                       row_number() OVER () AS k
                FROM licences_licenceline ln JOIN licences_licence l ON l.id = ln.licence_id
                WHERE ln.line_number = 1 AND l.legacy_outcome = '' LIMIT 200000
            ), shipments AS (
                INSERT INTO licences_shipment (id, created_at, updated_at, reference, licence_id, shipped_on,
                    declaration_number, exit_point, transport, destination_id, source, recorded_by_id, reason)
                SELECT shipment_id, now(), now(), 'BS-' || k, licence_id, DATE %s + (k %% 360)::int, '', '', '',
                       destination_id, 'customs', %s, ''
                FROM chosen RETURNING id
            )
            INSERT INTO licences_shipmentline (id, created_at, updated_at, shipment_id, licence_line_id, quantity,
                value, serial_numbers)
            SELECT gen_random_uuid(), now(), now(), c.shipment_id, c.line_id, 1, 10.00, '[]'::jsonb
            FROM chosen c
            """,
            [f"{YEAR}-01-01", officer.pk],
        )
        timings["refusals and shipments"] = time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute("ANALYZE")
        timings["analyze"] = time.perf_counter() - started
    return timings


def sql_only(year: int) -> float:
    """The report's aggregate queries, run on a cursor and fetched, without building any Python object."""
    from django.db import connection

    from excon.reports import transactions

    querysets = transactions.national_querysets(year)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for queryset in querysets:
            sql, params = queryset.query.sql_with_params()
            cursor.execute(sql, params)
            cursor.fetchall()
    return time.perf_counter() - started


def explain(year: int) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of each aggregate query, when BENCH_REPORT_EXPLAIN is set."""
    from django.db import connection

    from excon.reports import transactions

    with connection.cursor() as cursor:
        for queryset in transactions.national_querysets(year):
            sql, params = queryset.query.sql_with_params()
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            print("\n".join(row[0] for row in cursor.fetchall()), end="\n\n")


def main() -> None:
    with benchmark_database() as database:
        from django.db import connection

        if connection.vendor != "postgresql":
            print(f"reports_national: skipped on {database}: set DATABASE_URL to a PostgreSQL server")
            return
        from excon.licences.models import LicenceLine
        from excon.reports.national import national_report

        started = time.perf_counter()
        timings = generate(LICENCES)
        generated = time.perf_counter() - started
        lines = LicenceLine.objects.count()
        print(
            f"reports_national on {database}: {LICENCES:,} licences, {lines:,} lines generated in {generated:.1f} s "
            + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
        )
        for run in (1, 2):
            started = time.perf_counter()
            report = national_report(YEAR)
            whole = time.perf_counter() - started
            sql = sql_only(YEAR)
            issued = sum(total.licences_issued for total in report.year_totals)
            print(
                f"  run {run}: national_report({YEAR}) {whole:.2f} s (target < 5 s) | its SQL alone {sql:.2f} s | "
                f"{len(report.rows):,} rows, {issued:,} licences issued, {len(report.criteria_totals())} criteria"
            )
        if os.environ.get("BENCH_REPORT_EXPLAIN"):
            explain(YEAR)


if __name__ == "__main__":
    main()
