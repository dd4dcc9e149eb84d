"""The application pages of the licence types: choosing the type, each type's particulars form, the open
licence's uncapped goods line, and the senior officer's rules page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from excon.applications.enums import ApplicationType
from excon.applications.models import Application, LicenceTypeRules

from .factories import World, complete_draft, licensing_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return licensing_world()


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_exporter_chooses_the_type_when_starting_a_draft(world: World) -> None:
    client = client_for(world.exporter)
    page = client.get(reverse("applications:create")).content.decode()
    for kind in ApplicationType:
        assert f'value="{kind.value}"' in page
    response = client.post(
        reverse("applications:create"),
        {"application_type": "temporary", "destination": "PL", "end_use_statement": "Eurosatory exhibition"},
    )
    assert response.status_code == 302
    assert Application.objects.get().application_type == "temporary"


@pytest.mark.parametrize(
    ("kind", "data", "shown"),
    [
        ("open", {"further_destinations": "DE"}, "Further destinations"),
        ("temporary", {"temporary_purpose": "trial", "return_date": "2099-01-31"}, "Trial or demonstration"),
        ("brokering", {"broker_name": "Broker Ltd", "source_country": "BR"}, "Broker Ltd"),
        ("technology_transfer", {"transfer_kind": "technical_data", "transferred": "Drawing set D-1"}, "Drawing set"),
    ],
)
def test_each_type_has_its_particulars_form(world: World, kind: str, data: dict[str, str], shown: str) -> None:
    draft = complete_draft(world, application_type=kind)
    client = client_for(world.exporter)
    url = reverse("applications:terms", args=[draft.pk])
    detail = client.get(reverse("applications:detail", args=[draft.pk])).content.decode()
    assert url in detail
    assert client.post(url, data).status_code == 302
    assert shown in client.get(reverse("applications:detail", args=[draft.pk])).content.decode()


def test_a_standard_draft_has_no_particulars_form_and_a_refusal_shows_on_the_form(world: World) -> None:
    client = client_for(world.exporter)
    assert client.get(reverse("applications:terms", args=[complete_draft(world).pk])).status_code == 404
    temporary = complete_draft(world, application_type="temporary")
    past = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    response = client.post(reverse("applications:terms", args=[temporary.pk]), {"return_date": past})
    assert response.status_code == 200
    assert "must be in the future" in response.content.decode()


def test_an_open_draft_offers_an_uncapped_line_a_standard_one_does_not(world: World) -> None:
    client = client_for(world.exporter)
    open_draft = complete_draft(world, application_type="open")
    assert 'name="uncapped"' in client.get(reverse("applications:goods_add", args=[open_draft.pk])).content.decode()
    standard = complete_draft(world)
    assert 'name="uncapped"' not in client.get(reverse("applications:goods_add", args=[standard.pk])).content.decode()
    response = client.post(
        reverse("applications:goods_add", args=[open_draft.pk]),
        {
            "product": str(world.product.pk),
            "quantity": "50",
            "unit_value": "10.00",
            "currency": "EUR",
            "uncapped": "on",
        },
    )
    assert response.status_code == 302
    assert open_draft.goods_lines.order_by("line_number").last().capped is False  # type: ignore[union-attr]


def test_the_senior_officer_sets_a_types_rules_and_others_get_no_page(world: World) -> None:
    assert client_for(world.officer).get(reverse("applications:licence_types")).status_code == 404
    assert client_for(world.exporter).get(reverse("applications:licence_types")).status_code == 404
    client = client_for(world.senior)
    page = client.get(reverse("applications:licence_types")).content.decode()
    assert "Open individual export licence" in page
    url = reverse("applications:licence_type_edit", args=["open"])
    data = {"max_validity_days": "500", "return_period_months": "6", "return_due_days": "20", "reminder_days": "5"}
    assert client.post(url, data).status_code == 302
    row = LicenceTypeRules.objects.get(application_type="open")
    assert (row.max_validity_days, row.return_period_months, row.return_due_days) == (500, 6, 20)
    refused = client.post(url, {**data, "return_period_months": "20"})
    assert refused.status_code == 200
    assert "between 1 and 12" in refused.content.decode()
