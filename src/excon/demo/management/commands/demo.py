from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from excon.core.errors import DomainError
from excon.demo.world import build_demo_world


def print_logins(command: BaseCommand, logins: list[tuple[str, str, str, str]]) -> None:
    widths = [max(len(row[i]) for row in [("Role", "Username", "Password", "Organisation"), *logins]) for i in range(4)]
    header = ("Role", "Username", "Password", "Organisation")
    line = "  ".join(title.ljust(width) for title, width in zip(header, widths, strict=True))
    command.stdout.write(command.style.MIGRATE_HEADING("Demo logins"))
    command.stdout.write(line.rstrip())
    command.stdout.write("  ".join("-" * width for width in widths))
    for row in logins:
        command.stdout.write("  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip())


class Command(BaseCommand):
    help = "Create the demo world (idempotent) and print one login per role."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = build_demo_world()
        except DomainError as exc:
            raise CommandError(f"demo world could not be built: {exc.message} [{exc.code}]") from exc
        self.stdout.write(
            f"Demo world ready: {result.organisations_created} organisations, {result.users_created} users, "
            f"{result.products_created} products and {result.applications_created} licence applications created "
            "(existing ones kept)."
        )
        print_logins(self, result.logins)
