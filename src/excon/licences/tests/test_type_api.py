"""The licence types' API: a licence says its type and what it allows, the holder submits a return, customs
confirms temporarily exported goods back, brokering refuses a shipment with its code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from excon.accounts.tests.factories import UserFactory, user_with_role
from excon.applications.tests.test_api import bearer, code_of, post
from excon.core.roles import Role
from excon.licences.models import Licence, TemporaryExport, UsageReturn
from excon.licences.services import ShipmentLineInput, shipment_record

from .factories import issued_licence

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _holder(licence: Licence):  # type: ignore[no-untyped-def]
    return UserFactory(organisation=licence.holder, roles=[Role.EXPORTER_USER])


def test_an_open_licence_and_its_returns_over_the_api(client: Client) -> None:
    _, licence = issued_licence(application_type="open")
    headers = bearer(_holder(licence))
    body = client.get(f"/api/v1/licences/{licence.pk}", **headers).json()
    assert body["licence_type"] == "open"
    assert "in a return by its due date" in body["allows"]
    assert [line["capped"] for line in body["lines"]] == [True, False]
    returns = client.get(f"/api/v1/licences/{licence.pk}/returns", **headers).json()
    first = returns[0]
    early = post(client, f"/api/v1/licences/{licence.pk}/returns/{first['id']}/submit", {}, headers)
    assert early.status_code == 409
    assert code_of(early) == "usage_return.period_not_ended"
    UsageReturn.objects.filter(pk=first["id"]).update(
        period_start=TODAY() - dt.timedelta(days=10), period_end=TODAY() - dt.timedelta(days=1)
    )
    Licence.objects.filter(pk=licence.pk).update(valid_from=TODAY() - dt.timedelta(days=10))
    done = post(client, f"/api/v1/licences/{licence.pk}/returns/{first['id']}/submit", {"note": "nil"}, headers)
    assert done.status_code == 200
    assert done.json()["report"]["nil"] is True
    other = bearer(user_with_role(Role.EXPORTER_ADMIN))
    assert client.get(f"/api/v1/licences/{licence.pk}/returns", **other).status_code == 404


def test_customs_confirms_a_temporary_export_back_over_the_api(client: Client) -> None:
    _, licence = issued_licence(application_type="temporary")
    shipment = shipment_record(
        actor=_holder(licence), licence=licence, shipped_on=TODAY(), lines=[ShipmentLineInput(1, 1, "150000.00")]
    )
    item = TemporaryExport.objects.get(shipment=shipment)
    headers = bearer(user_with_role(Role.CUSTOMS_OFFICER))
    listed = client.get(f"/api/v1/licences/{licence.pk}/temporary-exports", **headers).json()
    assert [(row["shipment"], row["returned_on"]) for row in listed] == [(shipment.reference, None)]
    url = f"/api/v1/licences/{licence.pk}/temporary-exports/{item.pk}/return"
    future = post(client, url, {"returned_on": (TODAY() + dt.timedelta(days=1)).isoformat()}, headers)
    assert code_of(future) == "temporary_export.future_date"
    back = post(client, url, {"returned_on": TODAY().isoformat()}, headers)
    assert back.status_code == 200
    assert back.json()["confirmation"] == "customs"


def test_a_brokering_licence_refuses_a_shipment_over_the_api(client: Client) -> None:
    _, licence = issued_licence(application_type="brokering")
    refused = post(
        client,
        f"/api/v1/licences/{licence.pk}/shipments",
        {"shipped_on": TODAY().isoformat(), "lines": [{"line_number": 1, "quantity": 1, "value": "1.00"}]},
        bearer(_holder(licence)),
    )
    assert refused.status_code == 409
    assert code_of(refused) == "licence.no_shipments_for_type"
