from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from excon.audit import checkpoints
from excon.audit.dbrole import application_role_sql
from excon.audit.sequencing import latest_checkpoint, sequence_pending


class Command(BaseCommand):
    help = (
        "The audit log's sequencer and checkpoints: `excon audit checkpoint [--export FILE]`, `excon audit sequence`, "
        "`excon audit role-sql ROLE`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        checkpoint = actions.add_parser(
            "checkpoint", help="sequence everything committed and sign a checkpoint of the tree"
        )
        checkpoint.add_argument(
            "--export", metavar="FILE", help="also write the signed checkpoint to FILE, for an outside party to keep"
        )
        actions.add_parser("sequence", help="give committed entries their places in the tree (and sign them)")
        role = actions.add_parser("role-sql", help="print the SQL that creates the application's database role")
        role.add_argument("role", help="the role the application connects as, e.g. excon_app")
        role.add_argument("--owner", default="", help="the role that owns the tables (runs the migrations)")
        role.add_argument("--schema", default="public")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "role-sql":
            try:
                statements = application_role_sql(options["role"], schema=options["schema"], owner=options["owner"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"CREATE ROLE {options['role']} LOGIN PASSWORD 'choose-one';")
            for statement in statements:
                self.stdout.write(statement + ";")
            return
        if options["action"] == "sequence":
            result = sequence_pending()
            self.stdout.write(f"sequenced {result.sequenced} entries; the tree has {result.tree_size} leaves")
            return
        result = sequence_pending(sweep=True, checkpoint_when_idle=True)
        signed = latest_checkpoint()
        if signed is None:
            raise CommandError("no checkpoint could be signed")
        self.stdout.write(
            f"checkpoint: {signed.tree_size} leaves, root {signed.root_hash}, {signed.published_at}, "
            f"key {signed.key_id} ({result.sequenced} entries newly sequenced)"
        )
        if options.get("export"):
            path = Path(options["export"])
            try:
                path.write_text(checkpoints.export_text(signed), encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"cannot write {path}: {exc.strerror}") from exc
            self.stdout.write(f"written to {path}")
