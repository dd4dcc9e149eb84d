from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from excon.audit.verification import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exits non-zero naming the first altered, inserted or deleted entry."

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        if not result.ok:
            raise CommandError(result.describe())
        self.stdout.write(self.style.SUCCESS(result.describe()))
