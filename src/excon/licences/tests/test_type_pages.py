"""The licence pages of each type: what the licence page says of its type, the open licence's shipment to one of
its destinations and its return, the confirmed return of temporarily exported goods, no shipment under brokering;
each write through its service and audited, a refusal shown on the form."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from excon.accounts.tests.factories import UserFactory, user_with_role
from excon.audit.models import AuditEntry
from excon.core.roles import Role
from excon.licences.models import Licence, TemporaryExport, UsageReturn
from excon.licences.services import ShipmentLineInput, shipment_record

from .factories import issued_licence

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _holder(licence: Licence) -> Any:
    return UserFactory(organisation=licence.holder, roles=[Role.EXPORTER_USER])


def _detail(licence: Licence) -> str:
    return reverse("licences:detail", args=[licence.pk])


def test_an_open_licence_page_shows_its_type_destinations_returns_and_no_cap(client: Any) -> None:
    _, licence = issued_licence(application_type="open")
    client.force_login(_holder(licence))
    text = client.get(_detail(licence)).content.decode()
    assert f"Open individual export licence {licence.number}" in text
    assert "in a return by its due date" in text
    assert 'id="usage-returns"' in text
    assert "Further destinations" in text
    assert "data-no-cap" in text
    assert "Submit the return" not in text  # the first period is still running


def test_the_holder_ships_to_a_further_destination_from_the_page(client: Any) -> None:
    _, licence = issued_licence(application_type="open")
    client.force_login(_holder(licence))
    url = reverse("licences:ship", args=[licence.pk])
    assert 'name="destination"' in client.get(url).content.decode()
    data = {"shipped_on": TODAY().isoformat(), "destination": "DE", "quantity_2": "30", "value_2": "30000.00"}
    response = client.post(url, data)
    assert response.status_code == 302
    shipment = licence.shipments.get()
    assert shipment.destination.iso2 == "DE"


def test_the_holder_submits_an_ended_periods_return_from_the_page(client: Any) -> None:
    _, licence = issued_licence(application_type="open")
    holder = _holder(licence)
    first = licence.usage_returns.order_by("period_start").first()
    assert first is not None
    UsageReturn.objects.filter(pk=first.pk).update(
        period_start=TODAY() - dt.timedelta(days=20), period_end=TODAY() - dt.timedelta(days=1)
    )
    Licence.objects.filter(pk=licence.pk).update(valid_from=TODAY() - dt.timedelta(days=20))
    client.force_login(holder)
    assert "Submit the return" in client.get(_detail(licence)).content.decode()
    url = reverse("licences:return_submit", args=[licence.pk, first.pk])
    assert "nil return" in client.get(url).content.decode()
    assert client.post(url, {"note": "Nothing shipped"}).status_code == 302
    first.refresh_from_db()
    assert first.submitted_at is not None
    assert first.report["nil"] is True
    again = client.post(url, {"note": ""})
    assert again.status_code == 200
    assert "already submitted" in again.content.decode()
    assert AuditEntry.objects.filter(verb="usage_return.submitted").count() == 1


def test_another_exporter_gets_no_return_page(client: Any) -> None:
    _, licence = issued_licence(application_type="open")
    first = licence.usage_returns.first()
    assert first is not None
    client.force_login(user_with_role(Role.EXPORTER_ADMIN))
    assert client.get(reverse("licences:return_submit", args=[licence.pk, first.pk])).status_code == 404


def test_customs_confirms_temporarily_exported_goods_back_from_the_page(client: Any) -> None:
    _, licence = issued_licence(application_type="temporary")
    holder = _holder(licence)
    shipment = shipment_record(
        actor=holder, licence=licence, shipped_on=TODAY(), lines=[ShipmentLineInput(1, 1, "150000.00")]
    )
    item = TemporaryExport.objects.get(shipment=shipment)
    client.force_login(user_with_role(Role.CUSTOMS_OFFICER))
    text = client.get(_detail(licence)).content.decode()
    assert 'id="temporary-exports"' in text
    assert "Confirm the return" in text
    url = reverse("licences:temporary_return", args=[licence.pk, item.pk])
    future = client.post(url, {"returned_on": (TODAY() + dt.timedelta(days=2)).isoformat()})
    assert future.status_code == 200
    assert "in the future" in future.content.decode()
    assert client.post(url, {"returned_on": TODAY().isoformat(), "note": "Seals intact"}).status_code == 302
    item.refresh_from_db()
    assert (item.returned_on, item.confirmation) == (TODAY(), "customs")


def test_a_brokering_licence_offers_no_shipment(client: Any) -> None:
    _, licence = issued_licence(application_type="brokering")
    client.force_login(_holder(licence))
    text = client.get(_detail(licence)).content.decode()
    assert "No goods may be exported from this state" in text
    assert reverse("licences:ship", args=[licence.pk]) not in text
    refused = client.post(
        reverse("licences:ship", args=[licence.pk]),
        {"shipped_on": TODAY().isoformat(), "quantity_1": "1", "value_1": "1.00"},
    )
    assert refused.status_code == 200
    assert "no goods are shipped from this state" in refused.content.decode()
    assert not licence.shipments.exists()
