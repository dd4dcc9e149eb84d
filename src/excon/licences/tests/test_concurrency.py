"""Many clients shipping against one licence at once, on PostgreSQL: the licence is never overdrawn."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from excon.accounts.tests.factories import UserFactory
from excon.applications.tests.test_concurrency import run_together
from excon.core.errors import Conflict
from excon.core.roles import Role
from excon.licences import services
from excon.licences.models import LicenceLine, ShipmentLine
from excon.licences.services import ShipmentLineInput

from .factories import direct_licence

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]


@pytest.fixture(autouse=True)
def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is tested on PostgreSQL (SQLite serialises every writer)")


def test_sixteen_concurrent_shipments_never_overdraw() -> None:
    licence = direct_licence(quantity=10, value="10000.00")
    clerks = [UserFactory(organisation=licence.holder, roles=[Role.EXPORTER_USER]) for _ in range(16)]
    calls = [
        (
            lambda clerk=clerk: services.shipment_record(
                actor=clerk, licence=licence, shipped_on=timezone.localdate(), lines=[ShipmentLineInput(1, 1, "100.00")]
            )
        )
        for clerk in clerks
    ]
    results = run_together(calls)
    accepted = [result for result in results if not isinstance(result, Exception)]
    refused = [result for result in results if isinstance(result, Conflict)]
    assert len(accepted) == 10
    assert len(refused) == 6
    assert {error.code for error in refused} <= {"licence.overdrawn", "licence.exhausted"}
    line = LicenceLine.objects.get(licence=licence)
    assert line.shipped_quantity == 10
    assert sum(ShipmentLine.objects.filter(licence_line=line).values_list("quantity", flat=True)) == 10
    licence.refresh_from_db()
    assert licence.status == "exhausted"
