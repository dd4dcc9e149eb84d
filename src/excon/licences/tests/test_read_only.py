"""Selectors never write: reading licences (even one past its validity), cases, products and the audit log runs no
INSERT, UPDATE or DELETE, and writes no audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from excon.accounts.tests.factories import user_with_role
from excon.applications import selectors as application_selectors
from excon.audit import selectors as audit_selectors
from excon.audit.models import AuditEntry
from excon.core.roles import Role
from excon.licences import selectors
from excon.licences.models import Licence
from excon.products import selectors as product_selectors

from .factories import issued_licence

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def writes_during(read: Callable[[], Any]) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        result = read()
        if hasattr(result, "__iter__") and not isinstance(result, (str, dict)):
            list(result)  # evaluate querysets inside the capture
    return [query["sql"] for query in captured.captured_queries if query["sql"].lstrip().upper().startswith(WRITES)]


def test_reading_licences_writes_nothing_even_past_their_validity() -> None:
    world, licence = issued_licence()
    today = timezone.localdate()
    Licence.objects.filter(pk=licence.pk).update(
        valid_from=today - dt.timedelta(days=30), valid_until=today - dt.timedelta(days=1)
    )
    compliance = user_with_role(Role.COMPLIANCE_OFFICER)
    entries = AuditEntry.objects.count()
    signed = licence.versions.get(version=1).snapshot["signed"]
    reads: list[Callable[[], Any]] = [
        lambda: selectors.licence_list(actor=world.officer),
        lambda: selectors.licence_list(actor=world.exporter, status="expired"),
        lambda: selectors.licence_get(actor=world.officer, licence_id=licence.pk),
        lambda: selectors.licence_by_number(actor=world.exporter, number=licence.number),
        lambda: selectors.verify_document(
            number=licence.number, version="1", key_id=signed["key_id"], signature=signed["signature"]
        ),
        lambda: selectors.licence_shipments(licence),
        lambda: selectors.discrepancy_list(actor=compliance),
    ]
    for read in reads:
        assert writes_during(read) == []
    assert AuditEntry.objects.count() == entries
    licence.refresh_from_db()
    assert (licence.status, licence.effective_status) == ("active", "expired")
    result = selectors.verify_document(
        number=licence.number, version="1", key_id=signed["key_id"], signature=signed["signature"]
    )
    assert (result.authentic, result.status, result.status_label) == (True, "expired", "Expired")


def test_reading_cases_products_and_the_log_writes_nothing() -> None:
    world, licence = issued_licence()
    auditor = user_with_role(Role.AUDITOR)
    application = licence.application
    assert application is not None
    entries = AuditEntry.objects.count()
    reads: list[Callable[[], Any]] = [
        lambda: application_selectors.application_list(actor=world.exporter),
        lambda: application_selectors.application_get(actor=world.officer, application_id=application.pk),
        lambda: application_selectors.decisions(application),
        lambda: application_selectors.case_clock(application),
        lambda: product_selectors.product_list(actor=world.exporter),
        lambda: product_selectors.product_get(actor=world.expert, product_id=world.product.pk),
        lambda: product_selectors.documentation_status(world.product),
        lambda: audit_selectors.audit_entry_list(actor=auditor),
    ]
    for read in reads:
        assert writes_during(read) == []
    assert AuditEntry.objects.count() == entries
