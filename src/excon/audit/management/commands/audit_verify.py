from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from excon.audit import checkpoints
from excon.audit.verification import verify_log


class Command(BaseCommand):
    help = (
        "Verify the audit log: every entry, the Merkle tree, every signed checkpoint (database and file) and the "
        "consistency between them; exits non-zero naming what is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--against",
            metavar="FILE",
            action="append",
            default=[],
            help="also check a checkpoint kept elsewhere (written by `excon audit checkpoint --export`)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kept: list[checkpoints.SignedCheckpoint] = []
        for name in options["against"]:
            path = Path(name)
            try:
                found = checkpoints.read_file(path)
            except FileNotFoundError as exc:
                raise CommandError(f"no checkpoint file at {path}") from exc
            except (ValueError, UnicodeDecodeError) as exc:
                raise CommandError(f"{path} is not an audit checkpoint: {exc}") from exc
            if not found:
                raise CommandError(f"{path} holds no checkpoint")
            kept.extend(found)
        result = verify_log(against=kept)
        if not result.ok:
            raise CommandError(result.describe())
        self.stdout.write(self.style.SUCCESS(result.describe()))
        for checkpoint in kept:
            self.stdout.write(
                f"the checkpoint kept elsewhere (size {checkpoint.tree_size}, {checkpoint.published_at}) is signed "
                "by this log and consistent with it"
            )
