"""The embedded SQLite database under concurrent writers (sign-ins, audited API writes, sign-outs from eight
clients at once) answers every request and never "database is locked" (a 500).

Without `transaction_mode: IMMEDIATE` the same load gives 500s: a transaction that has read cannot upgrade to a
write lock while another writes, and SQLite fails it at once instead of waiting for the busy timeout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[3]


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="tests the embedded SQLite database in its own process; it runs in the SQLite suite",
)
def test_concurrent_writes_on_sqlite_never_answer_500(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["PYTHONPATH"] = str(SRC)
    result = subprocess.run(
        [sys.executable, "-m", "excon.core.tests.sqlite_load", str(tmp_path), "8", "3"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    statuses = json.loads(result.stdout.strip().splitlines()[-1])
    # 8 clients × 3 rounds: sign-in (302), token created (201), home page (200), sign-out (302).
    assert statuses == {"302": 48, "201": 24, "200": 24}, result.stderr[-2000:]
