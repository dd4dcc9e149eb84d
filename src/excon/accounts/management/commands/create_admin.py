from __future__ import annotations

import getpass
import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from excon.accounts import services
from excon.accounts.models import Organisation, User
from excon.core.errors import DomainError
from excon.core.roles import OrganisationKind, Role


class Command(BaseCommand):
    help = (
        "Create the first system administrator of a new installation (and the authority organisation if there is "
        "none). The password comes from EXCON_ADMIN_PASSWORD or a prompt; it is never a command-line argument."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--authority-name", default=None, help="name of the authority (default: EXCON_AUTHORITY_NAME)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("EXCON_ADMIN_PASSWORD") or self._prompt_password()
        authority_name = options["authority_name"] or settings.EXCON_AUTHORITY_NAME
        try:
            with transaction.atomic():  # the authority and its first administrator, or neither
                authority, user = self._create(options, password, authority_name)
        except DomainError as exc:
            raise CommandError(f"{exc.message} [{exc.code}]") from exc
        self.stdout.write(self.style.SUCCESS(f"System administrator {user.username!r} created in {authority.name}."))

    def _create(self, options: dict[str, Any], password: str, authority_name: str) -> tuple[Organisation, User]:
        authority = Organisation.objects.filter(kind=OrganisationKind.AUTHORITY).first()
        if authority is None:
            authority = services.organisation_create(actor=None, kind=OrganisationKind.AUTHORITY, name=authority_name)
            self.stdout.write(f"Created the authority organisation {authority.name!r}.")
        user = services.user_create(
            actor=None,
            organisation=authority,
            username=options["username"],
            email=options["email"],
            password=password,
            roles=[Role.SYSTEM_ADMIN],
            first_name=options["first_name"],
            last_name=options["last_name"],
        )
        return authority, user

    def _prompt_password(self) -> str:
        if not os.isatty(0):
            raise CommandError("set EXCON_ADMIN_PASSWORD or run interactively to type the password")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("the two passwords differ")
        return first
