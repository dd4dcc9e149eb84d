"""The licence rules pages and the API used to decide for themselves, now one policy or selector each: who has a
licence list, whose name a list shows, where a shipment comes from, and the look-ups of one shipment and one
customs declaration."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from excon.accounts.tests.factories import UserFactory, user_with_role
from excon.core.errors import NotFound
from excon.core.roles import Role
from excon.licences import policies, selectors, services
from excon.licences.models import CustomsDeclaration
from excon.licences.services import ShipmentLineInput
from excon.products.tests.factories import country

from .factories import direct_licence

pytestmark = pytest.mark.django_db
MISSING = "00000000-0000-0000-0000-000000000000"


def test_who_has_a_licence_list_and_whose_holders_it_names() -> None:
    exporter = user_with_role(Role.EXPORTER_USER)
    customs = user_with_role(Role.CUSTOMS_OFFICER)
    for reader in (exporter, customs, user_with_role(Role.CASE_OFFICER), user_with_role(Role.AUDITOR)):
        assert policies.can_list_licences(reader)
    for outsider in (user_with_role(Role.COMMISSION_MEMBER), user_with_role(Role.SYSTEM_ADMIN)):
        assert not policies.can_list_licences(outsider)
    assert not policies.sees_licence_holders(exporter)
    assert policies.sees_licence_holders(customs)


def test_a_shipment_comes_from_customs_when_customs_records_it() -> None:
    licence = direct_licence()
    holder = UserFactory(organisation=licence.holder, roles=[Role.EXPORTER_USER])
    customs = user_with_role(Role.CUSTOMS_OFFICER)
    assert policies.shipment_source_for(holder) == "exporter"
    assert policies.shipment_source_for(customs) == "customs"
    today = timezone.localdate()
    by_holder = services.shipment_record(
        actor=holder, licence=licence, shipped_on=today, lines=[ShipmentLineInput(1, 1, "100")]
    )
    by_customs = services.shipment_record(
        actor=customs, licence=licence, shipped_on=today, lines=[ShipmentLineInput(1, 1, "100")]
    )
    assert (by_holder.source, by_customs.source) == ("exporter", "customs")


def test_one_shipment_is_read_through_its_own_licence() -> None:
    licence = direct_licence(number="LIC-R-1")
    other = direct_licence(number="LIC-R-2")
    holder = UserFactory(organisation=licence.holder, roles=[Role.EXPORTER_USER])
    shipment = services.shipment_record(
        actor=holder, licence=licence, shipped_on=timezone.localdate(), lines=[ShipmentLineInput(1, 1, "100")]
    )
    assert selectors.licence_shipment_get(licence=licence, shipment_id=shipment.pk) == shipment
    for owner, shipment_id in ((other, shipment.pk), (licence, MISSING), (licence, "nonsense")):
        with pytest.raises(NotFound):
            selectors.licence_shipment_get(licence=owner, shipment_id=shipment_id)


def test_a_customs_declaration_is_read_by_those_who_see_discrepancies() -> None:
    declaration = CustomsDeclaration.objects.create(
        declaration_number="EX-1",
        declared_on=dt.date.today(),
        exporter_registration="REG-1",
        hs_code="871000",
        value=Decimal("10.00"),
        currency="EUR",
        destination=country("PL"),
        outcome="no_licence",
        status="resolved",
    )
    auditor = user_with_role(Role.AUDITOR)
    assert selectors.discrepancy_get(actor=auditor, declaration_id=declaration.pk) == declaration
    for actor, declaration_id in ((user_with_role(Role.EXPORTER_ADMIN), declaration.pk), (auditor, MISSING)):
        with pytest.raises(NotFound):
            selectors.discrepancy_get(actor=actor, declaration_id=declaration_id)
