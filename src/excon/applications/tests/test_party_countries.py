"""The party-country check: every party's own country against arms embargoes and the destination, with a stable
code and the reason, shown on the case page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from excon.applications import selectors, services
from excon.applications.enums import CheckOutcome

from .factories import World, complete_draft, licensing_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return licensing_world()


def _submitted_with(world: World, *parties: tuple[str, str, str]):  # type: ignore[no-untyped-def]
    application = complete_draft(world, destination="PL")
    for role, name, country in parties:
        services.party_add(
            actor=world.exporter,
            application=application,
            role=role,
            name=name,
            country=country,
            kind="commercial",
            address="somewhere",
        )
    application = services.application_submit(actor=world.exporter, application=application)
    results = {r.check_name: r for r in selectors.latest_check_run(application).results.all()}
    return application, results["party_countries"]


def test_parties_in_the_destination_pass(world: World) -> None:
    _, result = _submitted_with(world, ("consignee", "Huta Stalowa Wola", "PL"))
    assert result.outcome == CheckOutcome.PASS
    assert result.details["parties"] == []


def test_a_consignee_in_an_embargoed_country_fails_the_case(world: World) -> None:
    application, result = _submitted_with(world, ("consignee", "Rosoboron Export", "RU"))
    assert result.outcome == CheckOutcome.FAIL
    assert result.details["code"] == "application.party_country_embargoed"
    (finding,) = result.details["parties"]
    assert finding["party"] == "Rosoboron Export"
    assert finding["country"] == "RU"
    assert "2014/512/CFSP" in finding["reason"]
    application.refresh_from_db()
    assert application.status == "checks_failed"


def test_a_party_elsewhere_is_flagged_with_the_groups_not_shared(world: World) -> None:
    _, result = _submitted_with(
        world, ("intermediate_consignee", "Kyiv Logistics", "UA"), ("consignee", "Rheinmetall Depot", "DE")
    )
    assert result.outcome == CheckOutcome.WARNING
    assert result.details["code"] == "application.party_country_differs"
    by_party = {finding["party"]: finding for finding in result.details["parties"]}
    assert by_party["Kyiv Logistics"]["groups_not_shared"] == ["nato"]
    assert "outside the destination's groups nato" in by_party["Kyiv Logistics"]["reason"]
    assert by_party["Rheinmetall Depot"]["groups_not_shared"] == []  # DE shares Poland's groups: flagged, no more
    assert "not in the destination" in by_party["Rheinmetall Depot"]["reason"]


def test_an_exporter_in_an_embargoed_country_fails(world: World) -> None:
    world.exporter_org.country = "RU"
    world.exporter_org.save(update_fields=["country"])
    _, result = _submitted_with(world)
    assert result.outcome == CheckOutcome.FAIL
    assert result.details["parties"][0]["role"] == "Exporter"


def test_the_case_page_shows_the_reason_and_code(world: World) -> None:
    application, _ = _submitted_with(world, ("consignee", "Rheinmetall Depot", "DE"))
    client = Client()
    client.force_login(world.officer)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert 'data-check="party_countries"' in page
    assert "Rheinmetall Depot is in" in page
    assert "application.party_country_differs" in page
