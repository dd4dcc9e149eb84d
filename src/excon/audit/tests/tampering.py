"""Rewriting the audit table behind the application's back, for tamper-detection tests."""

from __future__ import annotations

from django.db import connection


def tamper(sql: str, params: list | None = None) -> None:
    """Run `sql` against the audit table. On PostgreSQL the append-only trigger has to be bypassed first, as only a
    database superuser could (session_replication_role), inside the test's transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params or [])
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
