"""The licence selectors the pages and the API read through: an object outside the actor's scope is not found,
exactly like a missing one."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from excon.accounts.tests.factories import UserFactory, user_with_role
from excon.core.errors import NotFound
from excon.core.roles import Role
from excon.licences import selectors, services
from excon.licences.services import ShipmentLineInput

from .factories import direct_licence, issued_licence

pytestmark = pytest.mark.django_db
MISSING = "00000000-0000-0000-0000-000000000000"


def test_signing_keys_are_listed_for_system_administrators_only() -> None:
    licence = direct_licence()
    assert [key.pk for key in selectors.signing_key_list(actor=user_with_role(Role.SYSTEM_ADMIN))] == [
        licence.signing_key_id
    ]
    for other in (user_with_role(Role.SENIOR_OFFICER), user_with_role(Role.EXPORTER_ADMIN)):
        assert not selectors.signing_key_list(actor=other).exists()


def test_a_bulk_action_is_read_by_those_who_act_in_bulk() -> None:
    direct_licence(number="LIC-S-1")
    senior = user_with_role(Role.SENIOR_OFFICER)
    bulk = services.licences_bulk_action(actor=senior, kind="suspend", criteria={"destination": "PL"}, reason="x")
    assert selectors.bulk_action_get(actor=senior, bulk_id=bulk.pk) == bulk
    for bulk_id, actor in ((bulk.pk, user_with_role(Role.CASE_OFFICER)), (MISSING, senior), ("nonsense", senior)):
        with pytest.raises(NotFound) as error:
            selectors.bulk_action_get(actor=actor, bulk_id=bulk_id)
        assert error.value.code == "not_found"


def test_a_shipment_is_read_through_its_licence() -> None:
    licence = direct_licence()
    holder = UserFactory(organisation=licence.holder, roles=[Role.EXPORTER_USER])
    shipment = services.shipment_record(
        actor=holder, licence=licence, shipped_on=timezone.localdate(), lines=[ShipmentLineInput(1, 1, "100")]
    )
    assert selectors.shipment_get(actor=holder, shipment_id=shipment.pk) == shipment
    assert selectors.shipment_get(actor=user_with_role(Role.CASE_OFFICER), shipment_id=shipment.pk) == shipment
    for actor, shipment_id in ((user_with_role(Role.EXPORTER_ADMIN), shipment.pk), (holder, MISSING)):
        with pytest.raises(NotFound):
            selectors.shipment_get(actor=actor, shipment_id=shipment_id)


def test_the_licence_of_an_application_is_scoped_like_the_licence() -> None:
    world, licence = issued_licence()
    application: Any = licence.application
    assert selectors.licence_for_application(actor=world.officer, application=application) == licence
    assert selectors.licence_for_application(actor=world.exporter, application=application) == licence
    assert selectors.licence_for_application(actor=user_with_role(Role.EXPORTER_ADMIN), application=application) is None
