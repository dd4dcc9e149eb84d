"""Factories for organisations and users. Users are created through the model (not the service) so tests of
other apps do not write audit entries they do not care about; services are tested on their own."""

from __future__ import annotations

from typing import Any

import factory

from excon.accounts.models import Organisation, RoleAssignment, User
from excon.core.roles import DepartmentKind, OrganisationKind, Role

TEST_PASSWORD = "correct-horse-battery-staple-42"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.EXPORTER
    name = factory.Sequence(lambda n: f"Exporter {n} JSC")
    registration_number = factory.Sequence(lambda n: f"EXP{n:05d}")
    country = "UA"
    address = "1 Industrial Street"


class AuthorityFactory(OrganisationFactory):
    kind = OrganisationKind.AUTHORITY
    name = factory.Sequence(lambda n: f"Export Control Authority {n}")
    registration_number = ""


class DepartmentFactory(OrganisationFactory):
    kind = OrganisationKind.DEPARTMENT
    department_kind = DepartmentKind.DEFENCE
    name = factory.Sequence(lambda n: f"Department {n}")
    registration_number = ""


class CustomsFactory(OrganisationFactory):
    kind = OrganisationKind.CUSTOMS
    name = factory.Sequence(lambda n: f"Customs Service {n}")
    registration_number = ""


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda obj: f"{obj.username}@example.test")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            RoleAssignment.objects.bulk_create([RoleAssignment(user=self, role=role) for role in extracted])
            self.forget_roles()


ORGANISATION_FACTORY_FOR_ROLE = {
    Role.EXPORTER_ADMIN: OrganisationFactory,
    Role.EXPORTER_USER: OrganisationFactory,
    Role.CASE_OFFICER: AuthorityFactory,
    Role.SENIOR_OFFICER: AuthorityFactory,
    Role.COMPLIANCE_OFFICER: AuthorityFactory,
    Role.IP_COUNSEL: AuthorityFactory,
    Role.ANALYST: AuthorityFactory,
    Role.AUDITOR: AuthorityFactory,
    Role.SYSTEM_ADMIN: AuthorityFactory,
    Role.COMMISSION_MEMBER: DepartmentFactory,
    Role.TECHNICAL_EXPERT: DepartmentFactory,
    Role.CUSTOMS_OFFICER: CustomsFactory,
}


def user_with_role(role: str, organisation: Organisation | None = None, **kwargs: Any) -> User:
    """A user holding one role, in a fresh organisation of the right kind unless one is given."""
    if organisation is None:
        organisation = ORGANISATION_FACTORY_FOR_ROLE[role]()
    return UserFactory(organisation=organisation, roles=[role], **kwargs)
