"""Shipments that keep clean records (issue 12): a line carries its value (quantity and value go down together),
a serial number leaves once per product and holder across all shipments, reversals need a reason and one customs
has confirmed needs customs or the authority; the products' eligibility conditions reach the licence, each once."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reportlab.platypus import Paragraph

from excon.accounts import services as account_services
from excon.accounts.tests.factories import UserFactory, user_with_role
from excon.core.errors import Conflict, PermissionDenied, ValidationError
from excon.core.roles import Role
from excon.licences import document, services
from excon.licences.models import CustomsDeclaration, Licence, LicenceLine, Shipment
from excon.licences.services import ShipmentLineInput
from excon.licences.services.lifecycle import merge_conditions
from excon.products.models import EligibilityDecision
from excon.products.tests.factories import ProductFactory

from .factories import approved_application, direct_licence

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _holder(licence: Licence) -> Any:
    return UserFactory(organisation=licence.holder, roles=[Role.EXPORTER_USER])


def _ship(licence: Licence, *lines: ShipmentLineInput, actor: Any = None, declaration: str = "") -> Shipment:
    return services.shipment_record(
        actor=actor or _holder(licence),
        licence=licence,
        shipped_on=TODAY(),
        lines=list(lines),
        declaration_number=declaration,
    )


# Value and quantity together ------------------------------------------------------------------------------------


def test_a_line_without_value_is_refused_and_nothing_is_decremented() -> None:
    licence = direct_licence(quantity=10, value="450000.00")
    with pytest.raises(ValidationError) as excinfo:
        _ship(licence, ShipmentLineInput(1, 5, "0"))
    assert excinfo.value.code == "shipment.value_required"
    assert excinfo.value.details["field"] == "value_1"
    line = licence.lines.get()
    assert (line.shipped_quantity, line.shipped_value) == (0, 0)
    assert not licence.shipments.exists()
    with pytest.raises(ValidationError) as excinfo:
        _ship(licence, ShipmentLineInput(1, 0, "1000.00"))
    assert excinfo.value.code == "shipment.quantity_required"
    _ship(licence, ShipmentLineInput(1, 5, "225000.00"))
    line.refresh_from_db()
    assert (line.shipped_quantity, line.shipped_value) == (5, 225000)
    licence.refresh_from_db()
    assert licence.status == "active"
    # A value-only line (no quantity licensed) still ships by value alone.
    by_value = direct_licence(quantity=None, value="500.00", number="LIC-TEST-000002")
    _ship(by_value, ShipmentLineInput(1, 0, "200.00"))


def test_the_shipment_page_and_the_api_refuse_a_line_without_value(client: Client) -> None:
    licence = direct_licence(quantity=10, value="1000.00")
    holder = _holder(licence)
    client.force_login(holder)
    response = client.post(
        reverse("licences:ship", args=[licence.pk]),
        {"shipped_on": TODAY().isoformat(), "declaration_number": "D-1", "quantity_1": "5", "value_1": ""},
    )
    assert response.status_code == 200
    assert "give the value of what was shipped" in response.content.decode()
    assert not licence.shipments.exists()
    _, token = account_services.api_token_create(actor=holder, name="t")
    api = client.post(
        f"/api/v1/licences/{licence.pk}/shipments",
        json.dumps({"shipped_on": TODAY().isoformat(), "lines": [{"line_number": 1, "quantity": 5, "value": "0"}]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert (api.status_code, api.json()["code"]) == (422, "shipment.value_required")


# Serial numbers ----------------------------------------------------------------------------------------------------


def test_serial_numbers_are_unique_per_product_and_holder_across_licences() -> None:
    first = direct_licence(quantity=20, value="2000.00")
    second = direct_licence(first.holder, quantity=20, value="2000.00", number="LIC-TEST-000002")
    product = ProductFactory(manufacturer=first.holder)
    LicenceLine.objects.filter(licence__in=[first, second]).update(product=product)
    serials = [f"SKL-{n:04d}" for n in range(1, 11)]
    _ship(first, ShipmentLineInput(1, 10, "1000.00", serials))
    with pytest.raises(Conflict) as excinfo:
        _ship(second, ShipmentLineInput(1, 5, "500.00", serials[5:]))
    assert excinfo.value.code == "shipment.serial_already_shipped"
    assert excinfo.value.details["serials"] == serials[5:]
    assert not second.shipments.exists()
    # Another holder's product with the same numbers is another thing.
    other = direct_licence(quantity=20, value="2000.00", number="LIC-TEST-000003")
    LicenceLine.objects.filter(licence=other).update(product=ProductFactory(manufacturer=other.holder))
    _ship(other, ShipmentLineInput(1, 5, "500.00", serials[5:]))
    # A reversed shipment's serial numbers are free again.
    shipped = first.shipments.get()
    services.shipment_reverse(actor=_holder(first), shipment=shipped, reason="declared in error")
    _ship(second, ShipmentLineInput(1, 5, "500.00", serials[5:]))


# Reversals ------------------------------------------------------------------------------------------------------


def test_reversals_need_a_reason_and_customs_confirmed_ones_need_customs_or_the_authority() -> None:
    licence = direct_licence(quantity=20, value="2000.00")
    holder = _holder(licence)
    customs = user_with_role(Role.CUSTOMS_OFFICER)
    own = _ship(licence, ShipmentLineInput(1, 1, "100.00"), actor=holder, declaration="EXP-1")
    with pytest.raises(ValidationError) as excinfo:
        services.shipment_reverse(actor=holder, shipment=own, reason="  ")
    assert excinfo.value.code == "shipment.reason_required"
    by_customs = _ship(licence, ShipmentLineInput(1, 1, "100.00"), actor=customs, declaration="EXP-2")
    with pytest.raises(PermissionDenied) as excinfo:
        services.shipment_reverse(actor=holder, shipment=by_customs, reason="we think it is wrong")
    assert excinfo.value.code == "shipment.customs_confirmed"
    # The holder's own record becomes customs-confirmed once customs reports its declaration for the licence.
    CustomsDeclaration.objects.create(
        declaration_number="EXP-1",
        declared_on=TODAY(),
        exporter_registration=licence.holder.registration_number,
        hs_code="871000",
        quantity=1,
        value="100.00",
        currency="EUR",
        destination=licence.destination,
        licence=licence,
        outcome="matched",
        status="closed",
    )
    with pytest.raises(PermissionDenied) as excinfo:
        services.shipment_reverse(actor=holder, shipment=own, reason="typo")
    assert excinfo.value.code == "shipment.customs_confirmed"
    services.shipment_reverse(actor=customs, shipment=by_customs, reason="the truck turned back")
    compliance = user_with_role(Role.COMPLIANCE_OFFICER)
    services.shipment_reverse(actor=compliance, shipment=own, reason="duplicate of EXP-2")
    line = licence.lines.get()
    assert (line.shipped_quantity, line.shipped_value) == (0, 0)
    unconfirmed = _ship(licence, ShipmentLineInput(1, 1, "100.00"), actor=holder)
    services.shipment_reverse(actor=holder, shipment=unconfirmed, reason="entered twice")


def test_the_licence_page_marks_confirmed_shipments_and_offers_the_holder_no_reversal(client: Client) -> None:
    licence = direct_licence(quantity=20, value="2000.00")
    holder = _holder(licence)
    confirmed = _ship(licence, ShipmentLineInput(1, 1, "100.00"), actor=user_with_role(Role.CUSTOMS_OFFICER))
    own = _ship(licence, ShipmentLineInput(1, 1, "100.00"), actor=holder)
    client.force_login(holder)
    page = client.get(reverse("licences:detail", args=[licence.pk])).content.decode()
    assert "Confirmed by customs" in page
    assert reverse("licences:shipment_reverse", args=[licence.pk, own.pk]) in page
    assert reverse("licences:shipment_reverse", args=[licence.pk, confirmed.pk]) not in page
    refused = client.post(reverse("licences:shipment_reverse", args=[licence.pk, confirmed.pk]), {"reason": "x"})
    assert refused.status_code == 403
    assert not Shipment.objects.filter(reverses=confirmed).exists()


# Conditions -------------------------------------------------------------------------------------------------------


def test_merge_conditions_keeps_each_condition_once_in_order() -> None:
    merged = merge_conditions(
        ["Delivery verification within 90 days.", "No re-export without consent\n\n", "no  re-export without consent."]
    )
    assert merged.splitlines() == ["Delivery verification within 90 days.", "No re-export without consent"]
    assert merge_conditions(["", ""]) == ""


def test_the_products_eligibility_conditions_reach_the_licence_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from excon.applications.tests.factories import licensing_world

    world = licensing_world()
    EligibilityDecision.objects.filter(product=world.product, superseded_at__isnull=True).update(
        conditions="No re-export without the authority's consent."
    )
    application = approved_application(world)
    decision = application.decisions.get()
    decision.conditions += "\nNo re-export without the authority's consent."  # the commission repeated it
    decision.save()
    licence = services.licence_issue(actor=world.officer, application=application)
    conditions = licence.conditions.splitlines()
    assert conditions.count("No re-export without the authority's consent.") == 1
    assert "Delivery verification within 90 days." in conditions
    assert "No transfer of the remote weapon station's fire-control software." in conditions
    client = Client()
    client.force_login(world.exporter)
    page = client.get(reverse("licences:detail", args=[licence.pk])).content.decode()
    assert page.count("No re-export without the authority&#x27;s consent.") == 1
    # The PDF: every paragraph it draws is recorded on its way to the real ReportLab Paragraph.
    drawn: list[str] = []

    def recording(text: str, *args: Any, **kwargs: Any) -> Any:
        drawn.append(text)
        return Paragraph(text, *args, **kwargs)

    monkeypatch.setattr(document, "Paragraph", recording)
    assert document.licence_pdf(licence).startswith(b"%PDF")
    assert sum("No re-export without the authority" in text for text in drawn) == 1
