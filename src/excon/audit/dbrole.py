"""The SQL that gives the application's database role everything except rewriting history.

The application must not connect as the owner of its tables: an owner can ALTER TABLE … DISABLE TRIGGER. The
migrations run as the owner; the running application connects as this role, which can INSERT into the audit
tables but holds no UPDATE, DELETE or TRUNCATE on them, and cannot alter them or their trigger. Printed by
`excon audit role-sql NAME` and quoted in docs/operations.md; the PostgreSQL tests run the audit tests as it."""

from __future__ import annotations

import re

APPEND_ONLY_TABLES = ("audit_auditentry", "audit_auditleaf", "audit_auditcheckpoint")
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def application_role_sql(role: str, *, schema: str = "public", owner: str = "") -> list[str]:
    """Statements to run as the table owner after `migrate` (again after every migration that adds tables, or
    once with `owner` set so future tables get the same grants)."""
    if not _ROLE_NAME.match(role) or not _ROLE_NAME.match(schema) or (owner and not _ROLE_NAME.match(owner)):
        raise ValueError("role, schema and owner names are lower-case letters, digits and underscores")
    tables = ", ".join(f"{schema}.{table}" for table in APPEND_ONLY_TABLES)
    statements = [
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {tables} FROM {role}",
    ]
    if owner:
        statements += [
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {role}",
        ]
    return statements
