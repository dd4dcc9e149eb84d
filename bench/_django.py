"""Set up Django for a benchmark on a throwaway database: a temporary SQLite file, or the PostgreSQL server in
DATABASE_URL with a database of its own that is dropped afterwards."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


@contextlib.contextmanager
def benchmark_database() -> Iterator[str]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "excon.settings.dev")
    with tempfile.TemporaryDirectory(prefix="excon-bench-") as tmp:
        os.environ["EXCON_DATA_DIR"] = tmp
        import django
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        django.setup()
        creator = connection.creation
        test_name = creator.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            call_command("migrate", verbosity=0)
            yield f"{connection.vendor} ({settings.DATABASES['default']['NAME']})"
        finally:
            creator.destroy_test_db(test_name, verbosity=0)
