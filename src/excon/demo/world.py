"""The demo world: the authority, four departments, customs, six exporters and one user per role.

Everything is created through the services (actor=None: the system), so the demo is audited like real data,
and only when missing, so running it twice changes nothing."""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from excon.accounts import services as account_services
from excon.accounts.models import Organisation, User
from excon.applications.defaults import ensure_default_routing_rules
from excon.core.roles import DepartmentKind, OrganisationKind, Role
from excon.screening.shipped import load_shipped_lists

from .applications import build_demo_applications
from .licence_types import build_demo_licence_types
from .products import build_demo_products
from .regime import build_demo_regime
from .supply_screening import build_demo_denials, build_demo_supply

DEFAULT_DEMO_PASSWORD = "demo-excon-2026"  # noqa: S105 - the demo world only, printed for users to type


def demo_password() -> str:
    return os.environ.get("EXCON_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    kind: str
    name: str
    department_kind: str = ""
    registration_number: str = ""
    address: str = ""
    country: str = ""
    email: str = ""


@dataclass(frozen=True)
class DemoUser:
    username: str
    organisation_key: str
    roles: tuple[str, ...]
    first_name: str
    last_name: str
    job_title: str


ORGANISATIONS = (
    DemoOrganisation(
        "authority",
        OrganisationKind.AUTHORITY,
        "National Export Control Authority",
        address="12 Government Square, Capital City",
        country="UA",
        email="licensing@excon.example",
    ),
    DemoOrganisation(
        "defence",
        OrganisationKind.DEPARTMENT,
        "Ministry of Defence",
        DepartmentKind.DEFENCE,
        address="6 Defence Avenue, Capital City",
        country="UA",
    ),
    DemoOrganisation(
        "foreign",
        OrganisationKind.DEPARTMENT,
        "Ministry of Foreign Affairs",
        DepartmentKind.FOREIGN_AFFAIRS,
        address="1 Embassy Row, Capital City",
        country="UA",
    ),
    DemoOrganisation(
        "security",
        OrganisationKind.DEPARTMENT,
        "State Security Service",
        DepartmentKind.SECURITY,
        address="33 Quiet Lane, Capital City",
        country="UA",
    ),
    DemoOrganisation(
        "economy",
        OrganisationKind.DEPARTMENT,
        "Ministry of Economy and Trade",
        DepartmentKind.ECONOMY,
        address="9 Market Street, Capital City",
        country="UA",
    ),
    DemoOrganisation(
        "customs",
        OrganisationKind.CUSTOMS,
        "State Customs Service",
        address="2 Border Road, Capital City",
        country="UA",
    ),
    DemoOrganisation(
        "northfield",
        OrganisationKind.EXPORTER,
        "Northfield Armour Works JSC",
        registration_number="EXP-0001",
        address="14 Foundry Street, Kharkiv",
        country="UA",
        email="export@northfield-armour.example",
    ),
    DemoOrganisation(
        "kestrel",
        OrganisationKind.EXPORTER,
        "Kestrel Optronics LLC",
        registration_number="EXP-0002",
        address="3 Lens Lane, Kyiv",
        country="UA",
        email="sales@kestrel-optronics.example",
    ),
    DemoOrganisation(
        "baltic",
        OrganisationKind.EXPORTER,
        "Baltic Marine Systems Ltd",
        registration_number="EXP-0003",
        address="88 Harbour Quay, Mykolaiv",
        country="UA",
        email="contracts@baltic-marine.example",
    ),
    DemoOrganisation(
        "meridian",
        OrganisationKind.EXPORTER,
        "Meridian Aerospace Corporation",
        registration_number="EXP-0004",
        address="1 Runway Road, Zaporizhzhia",
        country="UA",
        email="export@meridian-aero.example",
    ),
    DemoOrganisation(
        "granite",
        OrganisationKind.EXPORTER,
        "Granite Munitions Plant SE",
        registration_number="EXP-0005",
        address="Industrial Zone 4, Shostka",
        country="UA",
        email="trade@granite-munitions.example",
    ),
    DemoOrganisation(
        "vector",
        OrganisationKind.EXPORTER,
        "Vector Defence Electronics PJSC",
        registration_number="EXP-0006",
        address="27 Circuit Avenue, Lviv",
        country="UA",
        email="export@vector-electronics.example",
    ),
)

USERS = (
    DemoUser("sysadmin", "authority", (Role.SYSTEM_ADMIN,), "Sofia", "Admin", "System administrator"),
    DemoUser("officer", "authority", (Role.CASE_OFFICER,), "Oleh", "Casework", "Licensing case officer"),
    DemoUser("senior", "authority", (Role.SENIOR_OFFICER,), "Serhiy", "Senior", "Head of licensing"),
    DemoUser("senior.2", "authority", (Role.SENIOR_OFFICER,), "Svitlana", "Second", "Deputy head of licensing"),
    # Each department's senior officer countersigns its refusals and the advice the routing rules mark.
    DemoUser("defence.senior", "defence", (Role.SENIOR_OFFICER,), "Dana", "Defence", "Head of export advice"),
    DemoUser("foreign.senior", "foreign", (Role.SENIOR_OFFICER,), "Fedir", "Foreign", "Head of export policy"),
    DemoUser(
        "security.senior", "security", (Role.SENIOR_OFFICER,), "Stepan", "Security", "Head of counter-proliferation"
    ),
    DemoUser("economy.senior", "economy", (Role.SENIOR_OFFICER,), "Ella", "Economy", "Head of trade controls"),
    DemoUser("compliance", "authority", (Role.COMPLIANCE_OFFICER,), "Kateryna", "Compliance", "Compliance officer"),
    DemoUser("ipcounsel", "authority", (Role.IP_COUNSEL,), "Iryna", "Counsel", "Intellectual property counsel"),
    DemoUser("analyst", "authority", (Role.ANALYST,), "Andriy", "Analyst", "Export analyst"),
    DemoUser("auditor", "authority", (Role.AUDITOR,), "Anna", "Auditor", "Internal auditor"),
    DemoUser("commission.defence", "defence", (Role.COMMISSION_MEMBER,), "Dmytro", "Defence", "Commission member"),
    DemoUser("commission.foreign", "foreign", (Role.COMMISSION_MEMBER,), "Olena", "Foreign", "Commission member"),
    DemoUser("commission.security", "security", (Role.COMMISSION_MEMBER,), "Taras", "Security", "Commission member"),
    DemoUser("commission.economy", "economy", (Role.COMMISSION_MEMBER,), "Maria", "Economy", "Commission member"),
    DemoUser("expert", "defence", (Role.TECHNICAL_EXPERT,), "Yuriy", "Expert", "Technical expert"),
    DemoUser("customs", "customs", (Role.CUSTOMS_OFFICER,), "Viktor", "Customs", "Customs officer"),
    DemoUser("northfield.admin", "northfield", (Role.EXPORTER_ADMIN,), "Nadia", "Northfield", "Export manager"),
    DemoUser("northfield.user", "northfield", (Role.EXPORTER_USER,), "Pavlo", "Northfield", "Export clerk"),
    DemoUser("kestrel.admin", "kestrel", (Role.EXPORTER_ADMIN,), "Kyrylo", "Kestrel", "Export manager"),
)


# Government users' clearances in the demo (system administrators grant them in a real installation).
CLEARANCES = {
    "expert": "secret",
    "officer": "confidential",
    "senior": "secret",
    "compliance": "confidential",
    "commission.defence": "secret",
    "commission.foreign": "confidential",
    "commission.security": "secret",
    "commission.economy": "restricted",
    "auditor": "secret",
    "analyst": "restricted",
    "customs": "restricted",
    "ipcounsel": "confidential",
}


@dataclass(frozen=True)
class DemoResult:
    organisations_created: int
    users_created: int
    products_created: int
    applications_created: int
    logins: list[tuple[str, str, str, str]]  # (role, username, password, organisation)


@transaction.atomic
def build_demo_world() -> DemoResult:
    password = demo_password()
    by_key: dict[str, Organisation] = {}
    organisations_created = 0
    for spec in ORGANISATIONS:
        organisation = Organisation.objects.filter(name=spec.name).first()
        if organisation is None:
            organisation = account_services.organisation_create(
                actor=None,
                kind=spec.kind,
                name=spec.name,
                department_kind=spec.department_kind,
                registration_number=spec.registration_number,
                address=spec.address,
                country=spec.country,
                email=spec.email,
            )
            organisations_created += 1
        by_key[spec.key] = organisation
    users_created = 0
    logins = []
    users: dict[str, User] = {}
    for user_spec in USERS:
        organisation = by_key[user_spec.organisation_key]
        user = User.objects.filter(username=user_spec.username).first()
        if user is None:
            user = account_services.user_create(
                actor=None,
                organisation=organisation,
                username=user_spec.username,
                email=f"{user_spec.username}@{'excon' if organisation.is_government else 'exporter'}.example",
                password=password,
                roles=user_spec.roles,
                first_name=user_spec.first_name,
                last_name=user_spec.last_name,
                job_title=user_spec.job_title,
            )
            users_created += 1
        users[user_spec.username] = user
        role_labels = ", ".join(Role(role).label for role in user_spec.roles)
        logins.append((role_labels, user_spec.username, password, organisation.name))
    for username, clearance in CLEARANCES.items():
        account_services.user_set_clearance(
            actor=users["sysadmin"], user=users[username], clearance=clearance, reason="demo world clearance"
        )
        users[username].refresh_from_db()
    load_shipped_lists(settings.EXCON_SHIPPED_LISTS)  # before the cases, so their checks screen against them
    products_created = build_demo_products(users)
    ensure_default_routing_rules()
    applications_created = build_demo_applications(users)
    build_demo_licence_types(users)
    build_demo_supply(users)
    build_demo_denials(users)
    build_demo_regime(users)
    return DemoResult(organisations_created, users_created, products_created, applications_created, logins)
