"""Sixteen approvals at once on PostgreSQL, each in its own meeting (so only the quota's row lock orders them):
the quota is never exceeded and exactly as many approvals as fit are counted."""

from __future__ import annotations

import pytest
from django.db import connection

from excon.applications import services as application_services
from excon.applications.enums import ApplicationStatus
from excon.applications.models import Application
from excon.applications.tests.factories import licensing_world
from excon.applications.tests.test_concurrency import run_together
from excon.core.errors import Conflict
from excon.regime import selectors
from excon.regime.models import QuotaUse

from .factories import quota
from .test_quotas import ready_case

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]

APPROVALS = 16
QUANTITY = 10
CAP = 55  # room for five approvals of ten, not six


@pytest.fixture(autouse=True)
def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is tested on PostgreSQL (SQLite serialises every writer)")


def test_sixteen_concurrent_approvals_never_exceed_the_quota() -> None:
    world = licensing_world()
    capped = quota(world, cap_quantity=CAP)
    items = [ready_case(world, quantity=QUANTITY)[1] for _ in range(APPROVALS)]
    calls = [
        (
            lambda item=item: application_services.decision_record(
                actor=world.officer,
                item=item,
                outcome="approve",  # type: ignore[arg-type]
            )
        )
        for item in items
    ]
    results = run_together(calls)
    refused = [result for result in results if isinstance(result, Exception)]
    assert all(isinstance(result, Conflict) and result.code == "quota.exceeded" for result in refused), refused
    approved = APPROVALS - len(refused)
    assert approved == CAP // QUANTITY
    usage = selectors.quota_usage(capped)
    assert usage.used_quantity == approved * QUANTITY <= CAP
    assert QuotaUse.objects.filter(quota=capped).count() == approved
    assert Application.objects.filter(status=ApplicationStatus.DECIDED).count() == approved
    assert Application.objects.filter(status=ApplicationStatus.READY_FOR_COMMISSION).count() == len(refused)
