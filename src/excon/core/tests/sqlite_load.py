"""Concurrent writers against a file-backed SQLite database, run in its own process by test_sqlite_concurrency.py
(the suite's own database is in memory, where locking works differently).

Usage: python -m excon.core.tests.sqlite_load DATA_DIR THREADS ROUNDS [transaction_mode]
Prints one JSON object: the HTTP status codes seen, counted."""

from __future__ import annotations

import json
import os
import sys
import threading
from collections import Counter


def main() -> None:
    data_dir, threads, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    mode = sys.argv[4] if len(sys.argv) > 4 else None
    os.environ["DJANGO_SETTINGS_MODULE"] = "excon.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir}/excon.sqlite3"
    os.environ["EXCON_DATA_DIR"] = data_dir
    import django

    django.setup()
    from django.conf import settings

    if mode:  # only to show that the test can fail: the same load with another transaction mode
        settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] = mode
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from excon.accounts.tests.factories import TEST_PASSWORD, user_with_role
    from excon.core.roles import Role

    call_command("migrate", verbosity=0)
    users = [user_with_role(Role.EXPORTER_ADMIN).username for _ in range(threads)]
    connection.close()
    statuses: Counter[str] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def work(username: str) -> None:
        from django.db import connection as thread_connection

        client = Client(raise_request_exception=False)
        seen: list[int] = []
        start.wait()
        for round_number in range(rounds):
            seen.append(client.post("/accounts/login/", {"username": username, "password": TEST_PASSWORD}).status_code)
            seen.append(
                client.post(
                    "/api/v1/tokens",
                    {"name": f"load {round_number}", "expires_in_days": 30},
                    content_type="application/json",
                ).status_code
            )
            seen.append(client.get("/").status_code)
            seen.append(client.post("/accounts/logout/").status_code)
        thread_connection.close()
        with lock:
            statuses.update(str(status) for status in seen)

    workers = [threading.Thread(target=work, args=(username,)) for username in users]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(json.dumps(dict(statuses)))


if __name__ == "__main__":
    main()
