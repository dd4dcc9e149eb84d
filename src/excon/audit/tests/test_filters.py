"""The auditor's filters on the audit log (days, user, organisation, case reference) in the page, the API and the
CSV export of what they found (formulas neutralised)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from excon.accounts import services as account_services
from excon.accounts.tests.factories import OrganisationFactory, UserFactory, user_with_role
from excon.audit import selectors
from excon.audit.services import audit_record
from excon.core.errors import NotFound
from excon.core.roles import Role

from .verbs import SampleVerb

pytestmark = pytest.mark.django_db


@pytest.fixture
def log() -> dict[str, object]:
    acme, bolt = OrganisationFactory(name="Acme Arms"), OrganisationFactory(name="Bolt Defence")
    alice = UserFactory(organisation=acme, username="alice", roles=[Role.EXPORTER_ADMIN])
    bob = UserFactory(organisation=bolt, username="bob", roles=[Role.EXPORTER_ADMIN])
    # Entries about two organisations standing for two cases (target_repr is the object as it was named).
    audit_record(actor=alice, verb=SampleVerb.CREATED, target=acme, payload={"note": '=HYPERLINK("x")'})
    audit_record(actor=bob, verb=SampleVerb.UPDATED, target=bolt, payload={})
    audit_record(actor=alice, verb=SampleVerb.UPDATED, target=bolt, payload={})
    # An entry recorded 40 days ago (the clock is set back while it is written, so its hash is its own).
    forty_days_ago = timezone.now() - dt.timedelta(days=40)
    with mock.patch("django.utils.timezone.now", return_value=forty_days_ago):
        old = audit_record(actor=bob, verb=SampleVerb.LATER, target=acme, payload={})
    return {"acme": acme, "bolt": bolt, "alice": alice, "bob": bob, "old": old}


def _verbs(entries: object) -> list[tuple[str, str]]:
    return [(entry.actor_repr.split()[0], entry.verb) for entry in entries]  # type: ignore[attr-defined]


def test_the_selector_filters_by_days_user_organisation_and_case(log: dict[str, object]) -> None:
    auditor = user_with_role(Role.AUDITOR)
    today = timezone.localdate()
    everything = selectors.audit_entry_list(actor=auditor).filter(actor__isnull=False)
    assert everything.count() == 4
    recent = selectors.audit_entry_list(actor=auditor, date_from=today - dt.timedelta(days=7), date_to=today)
    assert log["old"].pk not in {entry.pk for entry in recent}  # type: ignore[attr-defined]
    old_only = selectors.audit_entry_list(
        actor=auditor, date_from=today - dt.timedelta(days=41), date_to=today - dt.timedelta(days=39)
    )
    assert [entry.pk for entry in old_only] == [log["old"].pk]  # type: ignore[attr-defined]
    by_alice = selectors.audit_entry_list(actor=auditor, user="ALICE")
    assert {entry.actor_id for entry in by_alice} == {log["alice"].pk}  # type: ignore[attr-defined]
    by_bolt = selectors.audit_entry_list(actor=auditor, organisation=str(log["bob"].organisation_id))  # type: ignore[attr-defined]
    assert {entry.actor_id for entry in by_bolt} == {log["bob"].pk}  # type: ignore[attr-defined]
    assert not selectors.audit_entry_list(actor=auditor, organisation="not-a-uuid").exists()
    about_bolt = selectors.audit_entry_list(actor=auditor, case=str(log["bolt"]))
    assert {entry.target_id for entry in about_bolt} == {str(log["bolt"].pk)}  # type: ignore[attr-defined]
    both = selectors.audit_entry_list(actor=auditor, case=str(log["bolt"]), user="alice")
    assert both.count() == 1
    with pytest.raises(NotFound):
        selectors.audit_entry_list(actor=log["alice"], user="bob")  # type: ignore[arg-type]


def test_the_page_filters_and_exports_what_it_found(client: Client, log: dict[str, object]) -> None:
    client.force_login(user_with_role(Role.AUDITOR))
    query = {"user": "alice", "organisation": str(log["alice"].organisation_id)}  # type: ignore[attr-defined]
    response = client.get(reverse("audit:entry_list"), query)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2
    body = response.content.decode()
    assert 'id="audit-export"' in body
    assert "Acme Arms" in body  # the organisation filter offers the organisations in the log
    export = client.get(reverse("audit:entry_export"), query)
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))  # type: ignore[arg-type]
    assert rows[0][:4] == ["seq", "occurred_at", "actor", "verb"]
    assert len(rows) == 3
    assert {row[3] for row in rows[1:]} == {"test.created", "test.updated"}
    summary = next(row[7] for row in rows[1:] if row[3] == "test.created")
    assert summary.startswith("note: =HYPERLINK")  # inside the text, harmless
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    bad_day = client.get(reverse("audit:entry_list"), {"date_from": "not a day"})
    assert bad_day.status_code == 200  # an invalid filter is shown on the form, never a 500
    assert bad_day.context["form"].errors["date_from"]


def test_the_export_neutralises_a_formula_in_a_cell(client: Client) -> None:
    admin = user_with_role(Role.SYSTEM_ADMIN)
    client.force_login(user_with_role(Role.AUDITOR))
    account_services.organisation_create(actor=admin, kind="exporter", name="=1+2 Ltd", registration_number="Q1")
    export = client.get(reverse("audit:entry_export"), {"case": "=1+2"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))  # type: ignore[arg-type]
    assert len(rows) == 2
    assert rows[1][6] == "'=1+2 Ltd"


def test_only_audit_readers_export(client: Client) -> None:
    client.force_login(user_with_role(Role.CASE_OFFICER))
    assert client.get(reverse("audit:entry_export")).status_code == 404


def test_the_api_takes_the_same_filters(client: Client, log: dict[str, object]) -> None:
    auditor = user_with_role(Role.AUDITOR)
    _, token = account_services.api_token_create(actor=auditor, name="t")
    response = client.get(
        "/api/v1/audit/entries",
        {"user": "bob", "date_from": timezone.localdate().isoformat()},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert [item["verb"] for item in items] == ["test.updated"]
