"""Suspending the licences a domestic priority affects: the licences app acts on supply's priority (page, API and
service), supply records the bulk action; and the licensed quantities licences provides to supply's surplus."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from excon.accounts import services as account_services
from excon.accounts.tests.factories import OrganisationFactory
from excon.applications.tests.factories import World, licensing_world
from excon.audit.models import AuditEntry
from excon.licences.enums import LicenceStatus
from excon.licences.models import Licence, LicenceLine
from excon.licences.tests.factories import direct_licence
from excon.supply import selectors as supply_selectors
from excon.supply import services as supply_services
from excon.supply.models import DomesticPriority
from excon.supply.providers import licensed_quantities
from excon.supply.tests.factories import ministry_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return licensing_world()


def _licence(world: World, quantity: int = 10, shipped: int = 0) -> Licence:
    licence = direct_licence(world.product.manufacturer, quantity=quantity, number="LIC-TEST-000001")
    LicenceLine.objects.filter(licence=licence).update(product=world.product, shipped_quantity=shipped)
    return licence


def _priority(world: World) -> DomesticPriority:
    period = supply_selectors.current_period()
    return supply_services.priority_place(
        actor=ministry_user(), product_id=world.product.pk, start=period.start, end=period.end, reason="Brigade"
    )


def test_the_priority_page_button_suspends_the_affected_licences(world: World) -> None:
    affected = _licence(world)
    other = direct_licence(OrganisationFactory(), number="LIC-TEST-000002")
    priority = _priority(world)
    client = Client()
    client.force_login(world.senior)
    response = client.post(reverse("licences:priority_suspend", args=[priority.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("supply:priorities")
    affected.refresh_from_db()
    other.refresh_from_db()
    assert (affected.status, other.status) == (LicenceStatus.SUSPENDED, LicenceStatus.ACTIVE)
    priority.refresh_from_db()
    assert priority.suspension is not None
    assert list(priority.suspension.licences.values_list("number", flat=True)) == ["LIC-TEST-000001"]
    assert AuditEntry.objects.get(verb="supply.priority_licences_suspended").payload["licences"] == ["LIC-TEST-000001"]
    page = client.get(reverse("supply:priorities")).content.decode()
    assert "Licences suspended (1)" in page


def test_the_page_reads_as_missing_to_whoever_may_not_suspend(world: World) -> None:
    priority = _priority(world)
    client = Client()
    client.force_login(world.exporter)
    assert client.post(reverse("licences:priority_suspend", args=[priority.pk])).status_code == 404


def test_the_api_keeps_its_path_and_refuses_a_lifted_priority(world: World) -> None:
    _licence(world)
    priority = _priority(world)
    _, token = account_services.api_token_create(actor=world.senior, name="test")
    headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    url = f"/api/v1/supply/priorities/{priority.pk}/suspend-licences"
    response = Client().post(url, **headers)
    assert response.status_code == 200, response.json()
    assert response.json()["licences"] == ["LIC-TEST-000001"]
    supply_services.priority_lift(actor=ministry_user(), priority=priority, reason="done")
    again = Client().post(url, **headers)
    assert again.status_code == 409
    assert again.json()["code"] == "supply.priority_lifted"


def test_licences_provide_supply_with_the_outstanding_licensed_quantities(world: World) -> None:
    _licence(world, quantity=10, shipped=3)
    period = supply_selectors.current_period()
    lines = licensed_quantities().lines([world.product.pk], period)
    assert [(line.quantity, line.shipped) for line in lines[world.product.pk]] == [(10, 3)]
