"""Licences of each type: what the licence takes at issue, what it allows (shipments, caps, destinations), the open
licence's periodic returns with reminders and overdue alerts, the temporary export's return and its unreturned
alert, brokering's refused shipments, and the signed document that says which type it is and what it allows."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from django.utils import timezone

from excon.accounts.tests.factories import UserFactory, user_with_role
from excon.applications import services as application_services
from excon.audit.models import AuditEntry
from excon.core.errors import Conflict, PermissionDenied, ValidationError
from excon.core.roles import Role
from excon.licences import selectors, services
from excon.licences.document import licence_pdf
from excon.licences.enums import LicenceStatus
from excon.licences.models import Licence, TemporaryExport, UsageReturn
from excon.licences.services import ShipmentLineInput
from excon.licences.tasks import follow_up_licences
from excon.notifications.models import InboxMessage

from .factories import approved_application, issued_licence

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _holder(licence: Licence):  # type: ignore[no-untyped-def]
    return UserFactory(organisation=licence.holder, roles=[Role.EXPORTER_USER])


def _ship(licence: Licence, lines: list[ShipmentLineInput], **kwargs: object):  # type: ignore[no-untyped-def]
    return services.shipment_record(
        actor=kwargs.pop("actor", None) or _holder(licence),  # type: ignore[arg-type]
        licence=licence,
        shipped_on=kwargs.pop("on", None) or TODAY(),  # type: ignore[arg-type]
        lines=lines,
        declaration_number="DEC-1",
        **kwargs,  # type: ignore[arg-type]
    )


def _pdf_text(licence: Licence) -> str:
    """The text the uncompressed document shows, its lines joined by spaces (escaped parentheses restored)."""
    raw = licence_pdf(licence, compress=False).decode("latin-1")
    shown = re.findall(r"\((.*?)(?<!\\)\) Tj", raw)
    return " ".join(" ".join(shown).replace("\\(", "(").replace("\\)", ")").split())


# Open individual licence ----------------------------------------------------------------------------------------


def test_an_open_licence_carries_its_destinations_consignees_uncapped_line_and_returns() -> None:
    _, licence = issued_licence(application_type="open")
    assert licence.licence_type == "open"
    assert licence.terms["further_destinations"] == ["DE"]
    assert {c["name"] for c in licence.consignees} == {"Bundeswehr depot", "Land forces depot"}
    assert [line.capped for line in selectors.licence_lines(licence)] == [True, False]
    returns = list(selectors.licence_usage_returns(licence))
    assert licence.valid_until is not None
    assert returns[0].period_start == licence.valid_from
    assert returns[-1].period_end == licence.valid_until
    assert all(r.due_on == r.period_end + dt.timedelta(days=30) for r in returns)
    assert all(b.period_start == a.period_end + dt.timedelta(days=1) for a, b in itertools.pairwise(returns))
    # Validity: what the authority allows at most for an open licence (three years by default).
    assert licence.valid_until == TODAY() + dt.timedelta(days=1095)


def test_an_open_licence_ships_to_any_of_its_destinations_and_nowhere_else() -> None:
    _, licence = issued_licence(application_type="open")
    shipment = _ship(licence, [ShipmentLineInput(1, 1, "150000.00")], destination="DE")
    assert shipment.destination.iso2 == "DE"
    with pytest.raises(Conflict) as caught:
        _ship(licence, [ShipmentLineInput(1, 1, "150000.00")], destination="BR")
    assert caught.value.code == "licence.destination_mismatch"
    assert caught.value.details["licensed"] == ["PL", "DE"]


def test_an_open_licence_decrements_its_cap_and_never_limits_the_uncapped_line() -> None:
    _, licence = issued_licence(application_type="open")
    _ship(licence, [ShipmentLineInput(1, 10, "1500000.00"), ShipmentLineInput(2, 250, "250000.00")])
    capped, uncapped = selectors.licence_lines(licence)
    assert (capped.shipped_quantity, capped.remaining_quantity) == (10, 0)
    assert uncapped.shipped_quantity == 250  # beyond the estimate of 100: no cap
    with pytest.raises(Conflict) as caught:
        _ship(licence, [ShipmentLineInput(1, 1, "1.00")])
    assert caught.value.code == "licence.overdrawn"
    _ship(licence, [ShipmentLineInput(2, 1000, "1000000.00")])
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ACTIVE  # an uncapped line is never used up


def _ended_first_period(licence: Licence) -> UsageReturn:
    """Move the licence's start and its first period back 30 days (setup: a period that has ended)."""
    start = TODAY() - dt.timedelta(days=30)
    Licence.objects.filter(pk=licence.pk).update(valid_from=start)
    first = selectors.licence_usage_returns(licence).first()
    assert first is not None
    UsageReturn.objects.filter(pk=first.pk).update(
        period_start=start, period_end=TODAY() - dt.timedelta(days=1), due_on=TODAY() + dt.timedelta(days=5)
    )
    licence.refresh_from_db()
    first.refresh_from_db()
    return first


def test_the_holder_submits_a_return_of_the_periods_shipments_once_the_period_is_over() -> None:
    world, licence = issued_licence(application_type="open")
    holder = _holder(licence)
    current = selectors.licence_usage_returns(licence).first()
    assert current is not None
    with pytest.raises(Conflict) as caught:
        services.usage_return_submit(actor=holder, usage_return=current, note="")
    assert caught.value.code == "usage_return.period_not_ended"
    first = _ended_first_period(licence)
    _ship(licence, [ShipmentLineInput(1, 2, "300000.00")], on=TODAY() - dt.timedelta(days=3), actor=holder)
    _ship(licence, [ShipmentLineInput(2, 5, "5000.00")], on=TODAY(), actor=holder)  # the next period's
    with pytest.raises(PermissionDenied):
        services.usage_return_submit(actor=world.officer, usage_return=first)
    submitted = services.usage_return_submit(actor=holder, usage_return=first, note="As shipped.")
    assert submitted.report["nil"] is False
    assert [item["shipped_on"] for item in submitted.report["shipments"]] == [
        (TODAY() - dt.timedelta(days=3)).isoformat()
    ]
    assert submitted.report["lines"] == [{"line": 1, "quantity": 2, "value": "300000.00"}]
    with pytest.raises(Conflict) as caught:
        services.usage_return_submit(actor=holder, usage_return=first)
    assert caught.value.code == "usage_return.already_submitted"
    entry = AuditEntry.objects.get(verb="usage_return.submitted")
    assert entry.payload["shipments"] == 1
    assert entry.payload["late"] is False


def test_reminders_before_a_return_is_due_then_an_overdue_alert_each_once() -> None:
    world, licence = issued_licence(application_type="open")
    first = _ended_first_period(licence)  # due in five days
    holder = _holder(licence)
    assert services.licence_follow_ups() == {"reminders": 1, "overdue_returns": 0, "unreturned": 0}
    assert services.licence_follow_ups() == {"reminders": 0, "overdue_returns": 0, "unreturned": 0}
    assert InboxMessage.objects.filter(recipient=holder, event="usage_return.reminded").count() == 1
    after_due = first.due_on + dt.timedelta(days=1)
    assert services.licence_follow_ups(today=after_due)["overdue_returns"] == 1
    assert services.licence_follow_ups(today=after_due)["overdue_returns"] == 0
    assert InboxMessage.objects.filter(recipient=world.compliance, event="usage_return.overdue").count() == 1
    assert InboxMessage.objects.filter(recipient=holder, event="usage_return.overdue").count() == 1
    first.refresh_from_db()
    assert first.overdue_at is not None
    assert AuditEntry.objects.filter(verb="usage_return.overdue", actor_repr="system:licence-follow-ups").count() == 1


def test_the_follow_up_task_runs_once_per_slot() -> None:
    _, licence = issued_licence(application_type="open")
    _ended_first_period(licence)
    assert follow_up_licences.apply(task_id="beat-a").get() == {"reminders": 1, "overdue_returns": 0, "unreturned": 0}
    assert follow_up_licences.apply(task_id="beat-b").get() is None


def test_a_submitted_return_raises_no_alert() -> None:
    _, licence = issued_licence(application_type="open")
    first = _ended_first_period(licence)
    services.usage_return_submit(actor=_holder(licence), usage_return=first)
    result = services.licence_follow_ups(today=first.due_on + dt.timedelta(days=1))
    assert result["overdue_returns"] == 0


def test_the_validity_of_an_open_licence_is_capped_by_the_authoritys_maximum() -> None:
    world, _ = issued_licence(application_type="open")
    application_services.licence_type_rules_set(actor=world.senior, application_type="open", max_validity_days=200)
    application = approved_application(world, application_type="open")
    with pytest.raises(ValidationError) as caught:
        services.licence_issue(actor=world.officer, application=application, valid_until=TODAY() + dt.timedelta(300))
    assert caught.value.code == "licence.validity_beyond_maximum"
    issued = services.licence_issue(actor=world.officer, application=application)
    assert issued.valid_until == TODAY() + dt.timedelta(days=200)
    with pytest.raises(ValidationError) as caught:
        services.licence_amend(
            actor=world.officer, licence=issued, reason="extend", valid_until=TODAY() + dt.timedelta(days=400)
        )
    assert caught.value.code == "licence.validity_beyond_maximum"


# Temporary export -----------------------------------------------------------------------------------------------


def test_a_temporary_export_is_valid_to_its_return_date_and_each_shipment_is_due_back() -> None:
    _, licence = issued_licence(application_type="temporary")
    return_date = TODAY() + dt.timedelta(days=60)
    assert (licence.licence_type, licence.return_due_on, licence.valid_until) == ("temporary", return_date, return_date)
    assert licence.terms == {"temporary_purpose": "exhibition", "return_date": return_date.isoformat()}
    shipment = _ship(licence, [ShipmentLineInput(1, 2, "300000.00")])
    item = TemporaryExport.objects.get(shipment=shipment)
    assert (item.due_on, item.returned_on) == (return_date, None)


def test_a_temporary_export_past_its_return_date_raises_its_alert_once() -> None:
    world, licence = issued_licence(application_type="temporary")
    holder = _holder(licence)
    shipment = _ship(licence, [ShipmentLineInput(1, 2, "300000.00")], actor=holder)
    due = TemporaryExport.objects.get(shipment=shipment).due_on
    assert services.licence_follow_ups(today=due)["unreturned"] == 0  # still on time on the day itself
    assert services.licence_follow_ups(today=due + dt.timedelta(days=1))["unreturned"] == 1
    assert services.licence_follow_ups(today=due + dt.timedelta(days=2))["unreturned"] == 0
    item = TemporaryExport.objects.get(shipment=shipment)
    assert item.overdue_at is not None
    alert = InboxMessage.objects.get(recipient=world.compliance, event="temporary_export.overdue")
    assert shipment.reference in alert.subject
    assert InboxMessage.objects.filter(recipient=holder, event="temporary_export.overdue").exists()
    entry = AuditEntry.objects.get(verb="temporary_export.overdue")
    assert entry.payload == {"shipment": shipment.reference, "due_on": due.isoformat()}


def test_customs_or_the_holder_confirms_the_return_and_a_returned_item_raises_no_alert() -> None:
    world, licence = issued_licence(application_type="temporary")
    customs = user_with_role(Role.CUSTOMS_OFFICER)
    first = _ship(licence, [ShipmentLineInput(1, 1, "150000.00")])
    second = _ship(licence, [ShipmentLineInput(1, 1, "150000.00")])
    item = TemporaryExport.objects.get(shipment=first)
    with pytest.raises(PermissionDenied):
        services.temporary_return_confirm(actor=world.officer, item=item, returned_on=TODAY())
    with pytest.raises(ValidationError) as caught:
        services.temporary_return_confirm(actor=customs, item=item, returned_on=TODAY() + dt.timedelta(days=1))
    assert caught.value.code == "temporary_export.future_date"
    with pytest.raises(ValidationError) as caught:
        services.temporary_return_confirm(actor=customs, item=item, returned_on=TODAY() - dt.timedelta(days=1))
    assert caught.value.code == "temporary_export.before_shipment"
    confirmed = services.temporary_return_confirm(actor=customs, item=item, returned_on=TODAY(), note="Seal intact")
    assert (confirmed.returned_on, confirmed.confirmation) == (TODAY(), "customs")
    with pytest.raises(Conflict) as caught:
        services.temporary_return_confirm(actor=customs, item=item, returned_on=TODAY())
    assert caught.value.code == "temporary_export.already_returned"
    by_holder = services.temporary_return_confirm(
        actor=_holder(licence), item=TemporaryExport.objects.get(shipment=second), returned_on=TODAY().isoformat()
    )
    assert by_holder.confirmation == "exporter"
    assert services.licence_follow_ups(today=item.due_on + dt.timedelta(days=1))["unreturned"] == 0


def test_a_reversed_temporary_shipment_is_not_awaited() -> None:
    _, licence = issued_licence(application_type="temporary")
    holder = _holder(licence)
    shipment = _ship(licence, [ShipmentLineInput(1, 1, "150000.00")], actor=holder)
    services.shipment_reverse(actor=holder, shipment=shipment, reason="Recorded against the wrong licence")
    item = TemporaryExport.objects.get(shipment=shipment)
    assert services.licence_follow_ups(today=item.due_on + dt.timedelta(days=1))["unreturned"] == 0
    with pytest.raises(Conflict) as caught:
        services.temporary_return_confirm(actor=holder, item=item, returned_on=TODAY())
    assert caught.value.code == "temporary_export.shipment_reversed"


# Brokering ------------------------------------------------------------------------------------------------------


def test_no_shipment_from_this_state_under_a_brokering_licence() -> None:
    _, licence = issued_licence(application_type="brokering")
    assert licence.terms == {"broker_name": "Northfield Trading", "broker_country": "UA", "source_country": "BR"}
    with pytest.raises(Conflict) as caught:
        _ship(licence, [ShipmentLineInput(1, 1, "150000.00")])
    assert caught.value.code == "licence.no_shipments_for_type"
    customs = user_with_role(Role.CUSTOMS_OFFICER)
    batch, _ = services.customs_batch_apply(
        actor=customs,
        batch_id="B-BROKER-1",
        entries=[
            {
                "licence_number": licence.number,
                "shipped_on": TODAY().isoformat(),
                "lines": [{"line_number": 1, "quantity": 1, "value": "1"}],
            }
        ],
    )
    assert batch.result["entries"][0]["code"] == "licence.no_shipments_for_type"
    assert not licence.shipments.exists()


# Technology transfer ------------------------------------------------------------------------------------------


def test_a_technology_transfer_licence_names_what_is_transferred_and_the_undertakings() -> None:
    _, licence = issued_licence(application_type="technology_transfer")
    assert licence.terms["transfer_kind"] == "production_rights"
    assert licence.terms["undertakings"][0]["filename"] == "undertaking.pdf"
    assert len(licence.terms["undertakings"][0]["sha256"]) == 64


# The signed document ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "title", "allows"),
    [
        ("standard_individual", "Export licence", "up to the quantities"),
        ("open", "Open individual export licence", "in a return by its due date"),
        ("temporary", "Temporary export licence", "must be back in this"),
        ("brokering", "Brokering licence", "No goods may be exported from this state"),
        ("technology_transfer", "Technology transfer and licensed production licence", "production rights"),
    ],
)
def test_the_signed_document_says_its_type_and_what_it_allows(kind: str, title: str, allows: str) -> None:
    _, licence = issued_licence(application_type=kind)
    text = _pdf_text(licence)
    assert f"{title} {licence.number}" in text
    assert allows in text
    signed = licence.versions.get(version=1).snapshot["signed"]
    assert signed["licence_type"] == kind
    assert allows in " ".join(signed["allows"].split())
    assert signed["terms"] == licence.terms
    verification = selectors.verify_document(
        number=licence.number, version="1", key_id=signed["key_id"], signature=signed["signature"]
    )
    assert verification.authentic
    assert verification.document["licence_type"] == kind


def test_an_uncapped_line_is_signed_and_printed_as_such() -> None:
    _, licence = issued_licence(application_type="open")
    signed = licence.versions.get(version=1).snapshot["signed"]
    assert "capped" not in signed["lines"][0]
    assert signed["lines"][1]["capped"] is False
    assert "(no cap)" in _pdf_text(licence)
