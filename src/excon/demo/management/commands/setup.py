from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

from excon.applications.defaults import ensure_default_routing_rules


class Command(BaseCommand):
    help = "Prepare an installation: migrate, load reference data and (in demo mode) the demo world. Idempotent."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-demo", action="store_true", help="do not create the demo world")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"Database: {settings.DATABASES['default']['NAME']}"))
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Migrations applied.")
        if "load_refdata" in get_commands():
            call_command("load_refdata", stdout=self.stdout)
        from excon.screening.shipped import load_shipped_lists

        for source, outcome in load_shipped_lists(settings.EXCON_SHIPPED_LISTS).items():
            self.stdout.write(f"Sanctions list {source}: {outcome}.")
        created = ensure_default_routing_rules()
        if created:
            self.stdout.write(f"{created} default routing rules created.")
        if settings.EXCON_DEMO_MODE and not options["no_demo"]:
            call_command("demo", stdout=self.stdout)
