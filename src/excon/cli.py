"""The `excon` command: Django's manage.py with ExCon's commands spelled the way operators type them.

excon setup            migrate, load reference data and the demo world (idempotent), print demo logins
excon run              setup, then serve on 127.0.0.1:8000
excon load-refdata     load or refresh the shipped reference data
excon demo             create the demo world and print its logins
excon audit-verify     verify the audit log (Merkle tree, signed checkpoints); --against FILE
excon audit checkpoint sign a checkpoint of the audit log; --export FILE
excon <any Django management command>
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "excon.settings.dev")
    if len(argv) > 1 and not argv[1].startswith("-"):
        # Operators type `excon load-refdata`; Django's command modules are named load_refdata.
        argv[1] = argv[1].replace("-", "_")
    if len(argv) > 1 and argv[1] == "run":
        status = _run([argv[0], "setup"])
        if status:
            sys.exit(status)
        argv = [argv[0], "runserver", *(argv[2:] or ["127.0.0.1:8000"])]
    if len(argv) == 1:
        print(__doc__)
    sys.exit(_run(argv))


def _run(argv: list[str]) -> int:
    """Run a management command; configuration and database failures become one clear line and exit status 2."""
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:
        print(f"excon: configuration error: {exc}", file=sys.stderr)
        return 2
    except OperationalError as exc:
        print(f"excon: database unavailable: {exc}".strip(), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    main()
