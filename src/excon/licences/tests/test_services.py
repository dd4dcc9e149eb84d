"""Licences: issuing from the decision, signatures and verification (valid, tampered, rotated key), the lifecycle,
shipments that never overdraw, reversals, expiry and exhaustion, customs batches, amendments and bulk actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from excon.accounts.tests.factories import OrganisationFactory, UserFactory, user_with_role
from excon.audit.models import AuditEntry
from excon.core.errors import Conflict, DomainError, InvalidTransition, PermissionDenied, ValidationError
from excon.core.roles import Role
from excon.licences import selectors, services
from excon.licences.document import licence_pdf, verification_url
from excon.licences.enums import LicenceStatus
from excon.licences.models import Licence, LicenceLine
from excon.licences.services import ShipmentLineInput

from .factories import direct_licence, issued_licence

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _exporter(licence: Licence):  # type: ignore[no-untyped-def]
    return UserFactory(organisation=licence.holder, roles=[Role.EXPORTER_USER])


def _ship(licence: Licence, quantity: int, value: str = "100.00", on: dt.date | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
    return services.shipment_record(
        actor=kwargs.pop("actor", None) or _exporter(licence),  # type: ignore[arg-type]
        licence=licence,
        shipped_on=on or TODAY(),
        lines=[ShipmentLineInput(1, quantity, value)],
        declaration_number="DEC-1",
        **kwargs,  # type: ignore[arg-type]
    )


# Issuing and the document -----------------------------------------------------------------------------------


def test_licence_is_issued_from_the_approved_decision_with_provisos() -> None:
    world, licence = issued_licence()
    assert licence.number.startswith(f"LIC-{TODAY().year}-")
    assert (licence.holder, licence.destination.iso2, licence.status) == (world.exporter_org, "PL", "active")
    assert licence.end_user == "Ministry of National Defence"
    assert "Delivery verification within 90 days." in licence.conditions
    assert "fire-control software" in licence.conditions
    line = licence.lines.get()
    assert (line.quantity, line.value, line.control_entry.code) == (10, Decimal("1500000.00"), "ML6.a")
    assert licence.valid_until == TODAY() + dt.timedelta(days=730)
    with pytest.raises(Conflict) as excinfo:
        services.licence_issue(actor=world.officer, application=licence.application)
    assert excinfo.value.code == "licence.already_issued"


def test_only_approved_decisions_give_licences() -> None:
    from excon.applications import services as application_services
    from excon.applications.tests.factories import complete_draft, licensing_world

    world = licensing_world()
    application = application_services.application_submit(actor=world.exporter, application=complete_draft(world))
    with pytest.raises(Conflict) as excinfo:
        services.licence_issue(actor=world.officer, application=application)
    assert excinfo.value.code == "licence.not_approved"
    with pytest.raises(PermissionDenied):
        services.licence_issue(actor=world.exporter, application=application)


def test_document_and_its_signature_verify() -> None:
    _, licence = issued_licence()
    pdf = licence_pdf(licence)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 2000
    url = verification_url(licence)
    assert f"/verify/{licence.number}/?v=1&k=" in url
    key_id = licence.signing_key.key_id
    good = selectors.verify_document(number=licence.number, version="1", key_id=key_id, signature=licence.signature)
    assert good.authentic
    assert (good.status, good.holder, good.valid_until) == (
        "active",
        licence.holder.name,
        licence.valid_until.isoformat(),
    )


@pytest.mark.parametrize(
    "tamper",
    [
        lambda n, v, k, s: ("LIC-2026-999999", v, k, s),
        lambda n, v, k, s: (n, "2", k, s),
        lambda n, v, k, s: (n, v, "kdeadbeef", s),
        lambda n, v, k, s: (n, v, k, s[:-2] + ("AA" if not s.endswith("AA") else "BB")),
        lambda n, v, k, s: (n, "one", k, s),
        lambda n, v, k, s: (n, v, k, ""),
    ],
)
def test_tampered_links_are_not_authentic(tamper) -> None:  # type: ignore[no-untyped-def]
    licence = direct_licence()
    args = tamper(licence.number, "1", licence.signing_key.key_id, licence.signature)
    result = selectors.verify_document(number=args[0], version=args[1], key_id=args[2], signature=args[3])
    assert not result.authentic
    assert result.holder == ""  # nothing is disclosed for a bad link


def test_key_rotation_keeps_old_documents_verifiable() -> None:
    old = direct_licence(number="LIC-OLD-1")
    old_key = old.signing_key.key_id
    admin = user_with_role(Role.SYSTEM_ADMIN)
    with pytest.raises(PermissionDenied):
        services.signing_key_rotate(actor=user_with_role(Role.SENIOR_OFFICER))
    new_key = services.signing_key_rotate(actor=admin)
    assert new_key.key_id != old_key
    new = direct_licence(number="LIC-NEW-1")
    assert new.signing_key == new_key
    assert selectors.verify_document(number="LIC-OLD-1", version="1", key_id=old_key, signature=old.signature).authentic
    assert selectors.verify_document(
        number="LIC-NEW-1", version="1", key_id=new_key.key_id, signature=new.signature
    ).authentic


def test_verification_reports_current_status() -> None:
    licence = direct_licence()
    senior = user_with_role(Role.SENIOR_OFFICER)
    services.licence_transition(actor=senior, licence=licence, action="revoke", reason="end user sanctioned")
    result = selectors.verify_document(
        number=licence.number, version="1", key_id=licence.signing_key.key_id, signature=licence.signature
    )
    assert (result.authentic, result.status) == (True, "revoked")


# Shipments --------------------------------------------------------------------------------------------------


def test_shipments_decrement_and_never_overdraw() -> None:
    licence = direct_licence(quantity=10, value="1000.00")
    _ship(licence, 6, "600.00")
    with pytest.raises(Conflict) as excinfo:
        _ship(licence, 5, "100.00")
    assert excinfo.value.code == "licence.overdrawn"
    assert excinfo.value.details["remaining_quantity"] == 4
    with pytest.raises(Conflict) as excinfo:
        _ship(licence, 1, "500.00")
    assert excinfo.value.code == "licence.overdrawn"
    line = LicenceLine.objects.get(licence=licence)
    assert (line.shipped_quantity, line.shipped_value) == (6, Decimal("600.00"))
    _ship(licence, 4, "400.00")
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.EXHAUSTED
    with pytest.raises(Conflict) as excinfo:
        _ship(licence, 1, "1.00")
    assert excinfo.value.code == "licence.exhausted"


def test_value_only_lines() -> None:
    licence = direct_licence(quantity=None, value="500.00")
    _ship(licence, 0, "300.00")
    with pytest.raises(Conflict):
        _ship(licence, 0, "300.00")


def test_the_database_refuses_an_overdraft_even_past_the_service() -> None:
    from django.db import IntegrityError, transaction

    licence = direct_licence(quantity=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        LicenceLine.objects.filter(licence=licence).update(shipped_quantity=11)


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ([], "shipment.lines_required"),
        ([ShipmentLineInput(1, -1, "1")], "shipment.invalid_amount"),
        ([ShipmentLineInput(1, 0, "0")], "shipment.invalid_amount"),
        ([ShipmentLineInput(2, 1, "1")], "shipment.unknown_line"),
        ([ShipmentLineInput(1, 2, "1", ["A1", "A1"])], "shipment.duplicate_serial"),
        ([ShipmentLineInput(1, 2, "1", ["A1"])], "shipment.serial_count_mismatch"),
    ],
)
def test_bad_shipments(lines, code: str) -> None:  # type: ignore[no-untyped-def]
    licence = direct_licence()
    with pytest.raises(DomainError) as excinfo:
        services.shipment_record(actor=_exporter(licence), licence=licence, shipped_on=TODAY(), lines=lines)
    assert excinfo.value.code == code
    assert not licence.shipments.exists()


def test_suspension_expiry_dates_and_destination_refuse_shipments() -> None:
    licence = direct_licence()
    officer = user_with_role(Role.CASE_OFFICER)
    services.licence_transition(actor=officer, licence=licence, action="suspend", reason="investigation")
    with pytest.raises(Conflict) as excinfo:
        _ship(licence, 1)
    assert excinfo.value.code == "licence.suspended"
    services.licence_transition(actor=officer, licence=licence, action="reinstate", reason="cleared")
    with pytest.raises(Conflict) as excinfo:
        _ship(licence, 1, on=licence.valid_from - dt.timedelta(days=1))
    assert excinfo.value.code == "licence.not_valid_on_date"
    with pytest.raises(Conflict) as excinfo:
        _ship(licence, 1, destination="BR")
    assert excinfo.value.code == "licence.destination_mismatch"
    with pytest.raises(ValidationError) as excinfo:
        _ship(licence, 1, on=TODAY() + dt.timedelta(days=1))
    assert excinfo.value.code == "shipment.future_date"


def test_a_licence_past_its_validity_reads_as_expired_and_the_task_records_it() -> None:
    licence = direct_licence(number="LIC-EXP-1")
    Licence.objects.filter(pk=licence.pk).update(valid_until=TODAY() - dt.timedelta(days=1))
    reader = user_with_role(Role.CASE_OFFICER)
    read = selectors.licence_get(actor=reader, licence_id=licence.pk)
    assert (read.status, read.effective_status) == (LicenceStatus.ACTIVE, LicenceStatus.EXPIRED)  # nothing written
    assert [found.number for found in selectors.licence_list(actor=reader, status="expired")] == ["LIC-EXP-1"]
    assert not selectors.licence_list(actor=reader, status="active").exists()
    assert not AuditEntry.objects.filter(verb="licence.expire").exists()
    other = direct_licence(number="LIC-EXP-2")
    Licence.objects.filter(pk=other.pk).update(valid_until=TODAY() - dt.timedelta(days=3))
    assert services.expire_due_licences() == 2
    other.refresh_from_db()
    assert other.status == LicenceStatus.EXPIRED
    assert AuditEntry.objects.filter(verb="licence.expire", actor_repr="system:licences").count() == 2


def test_nobody_moves_or_amends_a_licence_past_its_validity_before_the_task_runs() -> None:
    licence = direct_licence(number="LIC-EXP-3")
    Licence.objects.filter(pk=licence.pk).update(valid_until=TODAY() - dt.timedelta(days=1))
    officer = user_with_role(Role.SENIOR_OFFICER)
    with pytest.raises(InvalidTransition) as refused:
        services.licence_transition(actor=officer, licence=licence, action="suspend", reason="embargo")
    assert (refused.value.code, refused.value.details["status"]) == ("licence.invalid_transition", "expired")
    with pytest.raises(InvalidTransition) as refused:
        services.licence_amend(actor=officer, licence=licence, reason="extend", end_user="Someone else")
    assert refused.value.code == "licence.not_amendable"
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ACTIVE


def test_reversal_gives_quantity_back_and_reopens_an_exhausted_licence() -> None:
    licence = direct_licence(quantity=5, value="500.00")
    shipment = _ship(licence, 5, "500.00")
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.EXHAUSTED
    exporter = _exporter(licence)
    with pytest.raises(ValidationError):
        services.shipment_reverse(actor=exporter, shipment=shipment, reason="")
    reversal = services.shipment_reverse(actor=exporter, shipment=shipment, reason="duplicate declaration")
    assert reversal.lines.get().quantity == -5
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ACTIVE
    assert LicenceLine.objects.get(licence=licence).shipped_quantity == 0
    with pytest.raises(Conflict):
        services.shipment_reverse(actor=exporter, shipment=shipment, reason="again")
    assert licence.shipments.count() == 2  # nothing deleted


def test_serial_numbers_trace_back() -> None:
    licence = direct_licence(quantity=3)
    services.shipment_record(
        actor=_exporter(licence),
        licence=licence,
        shipped_on=TODAY(),
        lines=[ShipmentLineInput(1, 2, "10", ["SN-1", "SN-2"])],
    )
    trace = selectors.serial_trace(actor=user_with_role(Role.COMPLIANCE_OFFICER), serial="SN-2")
    assert [(item["licence"], item["end_user"], item["destination"]) for item in trace] == [
        (licence.number, "Land Forces", "PL")
    ]
    assert selectors.serial_trace(actor=user_with_role(Role.EXPORTER_USER), serial="SN-2") == []


def test_customs_batches_apply_once_and_report_each_line() -> None:
    licence = direct_licence(quantity=10)
    customs = user_with_role(Role.CUSTOMS_OFFICER)
    entries = [
        {
            "licence_number": licence.number,
            "shipped_on": TODAY().isoformat(),
            "lines": [{"line_number": 1, "quantity": 3, "value": "30"}],
        },
        {"licence_number": "LIC-NOPE", "shipped_on": TODAY().isoformat(), "lines": []},
        {
            "licence_number": licence.number,
            "shipped_on": TODAY().isoformat(),
            "lines": [{"line_number": 1, "quantity": 30, "value": "30"}],
        },
        {"licence_number": licence.number, "shipped_on": "yesterday", "lines": []},
    ]
    batch, applied = services.customs_batch_apply(actor=customs, batch_id="CUS-2026-11-24-01", entries=entries)
    assert applied
    results = batch.result["entries"]
    assert [(r["accepted"], r["code"]) for r in results] == [
        (True, ""),
        (False, "licence.unknown"),
        (False, "licence.overdrawn"),
        (False, "customs.malformed_entry"),
    ]
    again, applied_again = services.customs_batch_apply(actor=customs, batch_id="CUS-2026-11-24-01", entries=entries)
    assert (again.pk, applied_again) == (batch.pk, False)
    assert LicenceLine.objects.get(licence=licence).shipped_quantity == 3
    with pytest.raises(PermissionDenied):
        services.customs_batch_apply(actor=_exporter(licence), batch_id="x", entries=[])


# Lifecycle, amendments, bulk --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_matrix_suspend(role: Role) -> None:
    licence = direct_licence()
    actor = (
        UserFactory(organisation=licence.holder, roles=[role])
        if role in (Role.EXPORTER_ADMIN, Role.EXPORTER_USER)
        else user_with_role(role)
    )
    if role in (Role.CASE_OFFICER, Role.SENIOR_OFFICER):
        services.licence_transition(actor=actor, licence=licence, action="suspend", reason="r")
    else:
        with pytest.raises(PermissionDenied):
            services.licence_transition(actor=actor, licence=licence, action="suspend", reason="r")


def test_holder_surrenders_and_only_seniors_revoke() -> None:
    licence = direct_licence()
    with pytest.raises(PermissionDenied):
        services.licence_transition(
            actor=user_with_role(Role.CASE_OFFICER), licence=licence, action="revoke", reason="r"
        )
    services.licence_transition(actor=_exporter(licence), licence=licence, action="surrender", reason="contract ended")
    with pytest.raises(InvalidTransition):
        services.licence_transition(
            actor=user_with_role(Role.SENIOR_OFFICER), licence=licence, action="revoke", reason="r"
        )
    with pytest.raises(PermissionDenied):
        services.licence_transition(actor=user_with_role(Role.SENIOR_OFFICER), licence=licence, action="expire")


def test_amendments_are_versions_and_re_signed() -> None:
    licence = direct_licence(quantity=10, value="1000.00")
    _ship(licence, 4, "400.00")
    officer = user_with_role(Role.CASE_OFFICER)
    with pytest.raises(ValidationError) as excinfo:
        services.licence_amend(actor=officer, licence=licence, reason="r", reduce_quantities={1: 3})
    assert excinfo.value.code == "licence.below_shipped"
    with pytest.raises(ValidationError) as excinfo:
        services.licence_amend(actor=officer, licence=licence, reason="r", reduce_quantities={1: 12})
    assert excinfo.value.code == "licence.quantity_not_reduced"
    old_signature = licence.signature
    amended = services.licence_amend(
        actor=officer,
        licence=licence,
        reason="customer reduced the order; new consignee",
        valid_until=TODAY() + dt.timedelta(days=500),
        consignees=[{"name": "Logistics Base 3", "country": "PL"}],
        reduce_quantities={1: 8},
    )
    assert amended.version == 2
    assert amended.signature != old_signature
    line = amended.lines.get()
    assert (line.quantity, line.value) == (8, Decimal("800.00"))
    assert list(selectors.licence_versions(amended).values_list("version", flat=True)) == [1, 2]
    assert selectors.verify_document(
        number=licence.number, version="1", key_id=licence.signing_key.key_id, signature=old_signature
    ).reason.startswith("this document is version 1")


def test_an_amendment_records_only_what_it_changes() -> None:
    licence = direct_licence(number="LIC-AM-1")
    officer = user_with_role(Role.CASE_OFFICER)
    with pytest.raises(ValidationError) as excinfo:  # the same end user and validity: nothing to amend
        services.licence_amend(
            actor=officer,
            licence=licence,
            reason="r",
            end_user=f"  {licence.end_user} ",
            valid_until=licence.valid_until,
        )
    assert excinfo.value.code == "licence.no_changes"
    amended = services.licence_amend(
        actor=officer, licence=licence, reason="new end user", end_user=" Ministry of Defence ", consignees=[]
    )
    expected = {"end_user": {"from": licence.end_user, "to": "Ministry of Defence"}}
    if licence.consignees:
        expected["consignees"] = {"from": licence.consignees, "to": []}
    assert selectors.licence_versions(amended).get(version=2).changes == expected
    entry = AuditEntry.objects.filter(verb="licence.amended", target_id=str(licence.pk)).get()
    assert entry.payload["changes"] == expected
    assert (amended.end_user, amended.version) == ("Ministry of Defence", 2)


def test_bulk_suspension_by_destination_lists_every_licence() -> None:
    pl_1 = direct_licence(number="LIC-B-1")
    pl_2 = direct_licence(number="LIC-B-2")
    de = direct_licence(number="LIC-B-3", destination="DE")
    senior = user_with_role(Role.SENIOR_OFFICER)
    with pytest.raises(ValidationError) as excinfo:
        services.licences_bulk_action(actor=senior, kind="suspend", criteria={}, reason="x")
    assert excinfo.value.code == "licence.bulk_criteria_required"
    with pytest.raises(PermissionDenied):
        services.licences_bulk_action(
            actor=user_with_role(Role.CASE_OFFICER), kind="suspend", criteria={"destination": "PL"}, reason="x"
        )
    bulk = services.licences_bulk_action(
        actor=senior, kind="suspend", criteria={"destination": "PL"}, reason="new EU arms embargo"
    )
    assert sorted(licence.number for licence in bulk.licences.all()) == ["LIC-B-1", "LIC-B-2"]
    for licence, status in ((pl_1, "suspended"), (pl_2, "suspended"), (de, "active")):
        licence.refresh_from_db()
        assert licence.status == status
    entry = AuditEntry.objects.get(verb="licences.bulk_suspend")
    assert entry.payload["licences"] == ["LIC-B-1", "LIC-B-2"]
    by_entry = services.licences_bulk_action(
        actor=senior, kind="revoke", criteria={"control_entry": "ML6"}, reason="priority"
    )
    assert by_entry.licences.count() == 3


def test_visibility() -> None:
    licence = direct_licence()
    assert selectors.licence_list(actor=_exporter(licence)).count() == 1
    stranger = UserFactory(organisation=OrganisationFactory(), roles=[Role.EXPORTER_ADMIN])
    assert selectors.licence_list(actor=stranger).count() == 0
    assert selectors.licence_list(actor=user_with_role(Role.CUSTOMS_OFFICER)).count() == 1
    assert selectors.licence_list(actor=user_with_role(Role.COMMISSION_MEMBER)).count() == 0


def test_bulk_by_product_id_spares_another_manufacturers_namesake() -> None:
    from excon.products.tests.factories import ProductFactory

    mine = direct_licence(number="LIC-P-1")
    theirs = direct_licence(number="LIC-P-2")
    for licence in (mine, theirs):
        product = ProductFactory(manufacturer=licence.holder, designation="NAW-4")
        LicenceLine.objects.filter(licence=licence).update(product=product)
    target = mine.lines.get().product
    bulk = services.licences_bulk_action(
        actor=user_with_role(Role.SENIOR_OFFICER),
        kind="suspend",
        criteria={"product_id": str(target.pk)},
        reason="priority",
    )
    assert [licence.number for licence in bulk.licences.all()] == ["LIC-P-1"]
    by_name = selectors.bulk_action_targets({"product": "NAW-4"})
    assert by_name.count() == 2
