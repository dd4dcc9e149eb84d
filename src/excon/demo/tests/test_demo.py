from __future__ import annotations

import pytest
from django.core.management import call_command

from excon.accounts.models import Organisation, User
from excon.applications.enums import ApplicationStatus, ApplicationType
from excon.applications.models import Application
from excon.audit.models import AuditEntry
from excon.audit.verification import verify_chain
from excon.core.roles import DepartmentKind, OrganisationKind, Role
from excon.demo.applications import DEMO_CASES
from excon.demo.products import DEMO_PRODUCTS
from excon.demo.world import build_demo_world, demo_password
from excon.products.enums import ProductStatus
from excon.products.models import Product

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reference_data() -> None:
    call_command("load_refdata", verbosity=0)


def test_demo_world_has_every_organisation_kind_and_role() -> None:
    result = build_demo_world()
    assert Organisation.objects.filter(kind=OrganisationKind.EXPORTER).count() == 6
    assert set(
        Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT).values_list("department_kind", flat=True)
    ) == set(DepartmentKind.values)
    assert Organisation.objects.filter(kind=OrganisationKind.CUSTOMS).count() == 1
    held = {role for user in User.objects.all() for role in user.role_set}
    assert held == set(Role.values)
    assert len(result.logins) == User.objects.count()
    user = User.objects.get(username="officer")
    assert user.check_password(demo_password())
    assert result.products_created == len(DEMO_PRODUCTS)
    states = {(p.status, p.needs_review) for p in Product.objects.all()}
    assert {status for status, _ in states} == set(ProductStatus.values)
    assert ("decided", True) in states
    assert result.applications_created == len(DEMO_CASES)
    # "submitted" lasts only while the checks run, inside the submission's transaction.
    expected = set(ApplicationStatus.values) - {ApplicationStatus.SUBMITTED}
    assert set(Application.objects.values_list("status", flat=True)) == expected
    from excon.licences.models import Licence

    licence = Licence.objects.get(application__contract_reference="NAW-APPR-06")
    assert licence.lines.get().shipped_quantity == 2
    # A licence of each type, each with what its type carries.
    assert set(Licence.objects.values_list("licence_type", flat=True)) == set(ApplicationType.values)
    open_licence = Licence.objects.get(licence_type="open")
    assert open_licence.terms["further_destinations"] == ["LT", "LV"]
    assert open_licence.usage_returns.exists()
    assert open_licence.shipments.get().destination.iso2 == "LT"
    assert Licence.objects.get(licence_type="temporary").temporary_exports.get().returned_on is None
    assert not Licence.objects.get(licence_type="brokering").shipments.exists()
    assert Licence.objects.get(licence_type="technology_transfer").terms["undertakings"]
    from excon.screening.models import ScreeningHit
    from excon.supply.models import CapacityDeclaration

    assert CapacityDeclaration.objects.count() == 2
    assert ScreeningHit.objects.filter(screened_name="Rosoboronexport JSC", status="open").exists()
    # The shipped UN snapshot is loaded, and the case to Poland whose end user is on the UN list is blocked.
    blocked = Application.objects.get(contract_reference="NAW-UN-11")
    assert blocked.status == ApplicationStatus.CHECKS_FAILED
    hit = ScreeningHit.objects.get(screened_name="Korea Mining Development Trading Corporation")
    assert (hit.entry.source.code, hit.status) == ("un", "open")
    results = {r.check_name: r for r in blocked.check_runs.first().results.all()}
    assert results["screening"].details["code"] == "application.screening_hits_open"
    assert results["party_countries"].details["code"] == "application.party_country_embargoed"


def test_demo_world_is_idempotent_and_audited(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("demo")
    first = capsys.readouterr().out
    entries = AuditEntry.objects.count()
    counts = (Organisation.objects.count(), User.objects.count())
    call_command("demo")
    second = capsys.readouterr().out
    assert (Organisation.objects.count(), User.objects.count()) == counts
    assert AuditEntry.objects.count() == entries
    assert "0 organisations, 0 users, 0 products and 0 licence applications created" in second
    assert "sysadmin" in first
    assert "sysadmin" in second
    assert verify_chain().ok


def test_every_role_can_open_every_page_of_its_navigation(client) -> None:  # type: ignore[no-untyped-def]
    """What a newcomer does after `make run`: sign in as each role and click through the menu. Every demo login,
    and every role in every kind of organisation that may hold it."""
    from excon.accounts.tests.factories import (
        AuthorityFactory,
        CustomsFactory,
        DepartmentFactory,
        OrganisationFactory,
        UserFactory,
    )
    from excon.core.navigation import home_sections_for, navigation_for
    from excon.core.roles import roles_allowed_for

    build_demo_world()
    users = list(User.objects.filter(is_active=True))
    for factory in (AuthorityFactory, DepartmentFactory, CustomsFactory, OrganisationFactory):
        organisation = factory()
        for role in sorted(roles_allowed_for(organisation.kind, organisation.department_kind)):
            users.append(UserFactory(organisation=organisation, roles=[role]))
    for user in users:
        client.force_login(user)
        home = client.get("/")
        assert home.status_code == 200, user.username
        links = [item["url"] for item in navigation_for(user, "/")]
        links += [link["url"] for section in home_sections_for(user) for link in section["links"]]
        for url in links:
            if url.startswith("/api/"):
                continue
            response = client.get(url)
            assert response.status_code == 200, (user.username, sorted(user.role_set), url, response.status_code)
        client.logout()


def test_demo_world_has_the_export_regime() -> None:
    from excon.regime import selectors as regime_selectors
    from excon.regime.enums import AuthorisationStatus, PolicyTier
    from excon.regime.models import ExportAuthorisation, Quota

    build_demo_world()
    statuses = dict(ExportAuthorisation.objects.values_list("holder__name", "status"))
    assert statuses == {
        "Northfield Armour Works JSC": AuthorisationStatus.GRANTED,
        "Kestrel Optronics LLC": AuthorisationStatus.IN_COMMISSION,
    }
    assert Organisation.objects.filter(kind=OrganisationKind.EXPORTER).exclude(name__in=statuses).count() == 4
    version = regime_selectors.policy_latest()
    assert version is not None
    assert set(version.destinations.values_list("tier", flat=True)) == set(PolicyTier.values)
    assert regime_selectors.register_published().entries[0]["holder"] == "Northfield Armour Works JSC"  # type: ignore[union-attr]
    latvia = regime_selectors.quota_usage(Quota.objects.get(country__iso2="LV"))
    assert (latvia.used_quantity, latvia.remaining_quantity) == (5, 1)  # nearly used up by the demo licence
