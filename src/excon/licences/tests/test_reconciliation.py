"""Every reconciliation outcome of a customs declaration, and the resolution of discrepancies by compliance
officers (with audit), refused to everyone else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from excon.accounts.tests.factories import OrganisationFactory, user_with_role
from excon.audit.models import AuditEntry
from excon.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from excon.core.roles import Role
from excon.licences import services
from excon.licences.models import CustomsDeclaration, Licence, LicenceLine
from excon.licences.services import ShipmentLineInput
from excon.licences.services.customs import COLUMNS
from excon.products.tests.factories import ProductFactory, country

from .factories import direct_licence

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def declaration(number: str, licence: Licence | None, **overrides: str) -> str:
    values = {
        "declaration_number": number,
        "date": TODAY().isoformat(),
        "exporter_registration_number": licence.holder.registration_number if licence else "EXP-NONE",
        "hs_code": "8710.00",
        "goods_description": "Armoured personnel carrier",
        "quantity": "1",
        "value": "100.00",
        "currency": "EUR",
        "destination_country": licence.destination.iso2 if licence else "PL",
        "licence_number": licence.number if licence else "",
    }
    values.update(overrides)
    return ",".join(values[column] for column in COLUMNS)


def run(*rows: str, actor: object = None) -> services.customs.ReconciliationReport:
    country("PL")
    country("DE")
    text = ",".join(COLUMNS) + "\n" + "\n".join(rows) + "\n"
    return services.declarations_import(actor=actor, text=text)  # type: ignore[arg-type]


def outcome(number: str) -> str:
    return CustomsDeclaration.objects.get(declaration_number=number).outcome


def test_matched_declaration_is_closed() -> None:
    licence = direct_licence(quantity=10, value="1000.00")
    report = run(declaration("D-1", licence))
    assert report.errors == []
    assert report.outcomes == {"matched": 1}
    stored = CustomsDeclaration.objects.get(declaration_number="D-1")
    assert (stored.outcome, stored.status, stored.licence_id) == ("matched", "resolved", licence.pk)


def test_declaration_beyond_the_licence_is_overdrawn() -> None:
    licence = direct_licence(quantity=10, value="1000.00")
    run(declaration("D-1", licence, quantity="9", value="900.00"))
    run(declaration("D-2", licence, quantity="2", value="50.00"))  # 11 items of 10
    run(declaration("D-3", licence, quantity="", value="200.00"))  # 1,150 of 1,000 (value only)
    assert [outcome(n) for n in ("D-1", "D-2", "D-3")] == ["matched", "licence_overdrawn", "licence_overdrawn"]
    assert CustomsDeclaration.objects.get(declaration_number="D-2").status == "open"


def test_shipments_already_recorded_count_towards_the_licence() -> None:
    licence = direct_licence(quantity=10, value="1000.00")
    exporter = user_with_role(Role.EXPORTER_USER, organisation=licence.holder)
    services.shipment_record(
        actor=exporter, licence=licence, shipped_on=TODAY(), lines=[ShipmentLineInput(1, 10, "500.00")]
    )
    run(declaration("D-1", licence, quantity="1", value="10.00"))
    assert outcome("D-1") == "licence_overdrawn"


@pytest.mark.parametrize(
    "case",
    ["no_number", "unknown_number", "other_exporter", "unknown_exporter", "legacy_licence"],
)
def test_no_licence(case: str) -> None:
    licence = direct_licence()
    row = {
        "no_number": declaration("D-1", licence, licence_number=""),
        "unknown_number": declaration("D-1", licence, licence_number="LIC-2099-999999"),
        "other_exporter": declaration(
            "D-1", licence, exporter_registration_number=str(OrganisationFactory.create().registration_number)
        ),
        "unknown_exporter": declaration("D-1", licence, exporter_registration_number="NOBODY-1"),
        "legacy_licence": declaration("D-1", licence),
    }[case]
    if case == "legacy_licence":
        Licence.objects.filter(pk=licence.pk).update(source="legacy", status="historical")
    run(row)
    stored = CustomsDeclaration.objects.get(declaration_number="D-1")
    assert (stored.outcome, stored.status, stored.licence_id) == ("no_licence", "open", None)


def test_licence_number_is_matched_case_insensitively() -> None:
    licence = direct_licence()
    run(declaration("D-1", licence, licence_number=licence.number.lower()))
    assert outcome("D-1") == "matched"


@pytest.mark.parametrize(
    ("declared", "status", "explanation"),
    [
        (-30, "active", "valid"),  # before valid_from (issued 10 days ago)
        (400, "active", "valid"),  # after valid_until (valid 365 days)
        (0, "suspended", "suspended"),
        (0, "revoked", "revoked"),
        (0, "surrendered", "surrendered"),
    ],
)
def test_licence_not_valid_on_that_date(declared: int, status: str, explanation: str) -> None:
    licence = direct_licence()
    Licence.objects.filter(pk=licence.pk).update(status=status)
    run(declaration("D-1", licence, date=(TODAY() + dt.timedelta(days=declared)).isoformat()))
    stored = CustomsDeclaration.objects.get(declaration_number="D-1")
    assert (stored.outcome, stored.status, stored.licence_id) == ("licence_not_valid", "open", licence.pk)
    assert explanation in stored.explanation


def test_destination_mismatch() -> None:
    licence = direct_licence(destination="PL")
    run(declaration("D-1", licence, destination_country="DE"))
    stored = CustomsDeclaration.objects.get(declaration_number="D-1")
    assert (stored.outcome, stored.status) == ("destination_mismatch", "open")
    assert "PL" in stored.explanation


def test_goods_mismatch_against_the_line_hs_code() -> None:
    licence = direct_licence()  # line HS 871000 (tanks and armoured fighting vehicles)
    run(declaration("D-1", licence, hs_code="930190"), declaration("D-2", licence, hs_code="87100000"))
    assert [outcome("D-1"), outcome("D-2")] == ["goods_mismatch", "matched"]


def test_goods_mismatch_against_the_licensed_products_classification() -> None:
    licence = direct_licence()
    product = ProductFactory(manufacturer=licence.holder, hs_code="930111")
    LicenceLine.objects.filter(licence=licence).update(hs_code="", product=product)
    run(declaration("D-1", licence, hs_code="871000"), declaration("D-2", licence, hs_code="9301.11"))
    assert [outcome("D-1"), outcome("D-2")] == ["goods_mismatch", "matched"]


def test_each_outcome_is_counted_in_the_report() -> None:
    licence = direct_licence(quantity=2, value="1000.00")
    report = run(
        declaration("D-1", licence),
        declaration("D-2", licence, destination_country="DE"),
        declaration("D-3", licence, hs_code="930190"),
        declaration("D-4", licence, licence_number=""),
        declaration("D-5", licence, date=(TODAY() + dt.timedelta(days=400)).isoformat()),
        declaration("D-6", licence, quantity="5"),
    )
    assert report.outcomes == {
        "matched": 1,
        "destination_mismatch": 1,
        "goods_mismatch": 1,
        "no_licence": 1,
        "licence_not_valid": 1,
        "licence_overdrawn": 1,
    }


def test_a_declaration_in_another_currency_is_not_simply_matched() -> None:
    licence = direct_licence(quantity=None, value="1000.00")  # EUR
    run(declaration("D-1", licence, quantity="", value="900.00", currency="UAH"))
    assert outcome("D-1") != "matched"


# Resolution ---------------------------------------------------------------------------------------------------


def _discrepancy() -> CustomsDeclaration:
    licence = direct_licence(destination="PL")
    run(declaration("D-1", licence, destination_country="DE"))
    return CustomsDeclaration.objects.get(declaration_number="D-1")


def test_compliance_officer_resolves_a_discrepancy_with_audit() -> None:
    found = _discrepancy()
    officer = user_with_role(Role.COMPLIANCE_OFFICER)
    resolved = services.discrepancy_resolve(
        actor=officer, declaration_id=found.pk, resolution="Transit via Germany; goods reached Poland (DVC 12)."
    )
    assert (resolved.status, resolved.resolved_by, resolved.resolution[:7]) == ("resolved", officer, "Transit")
    assert resolved.resolved_at is not None
    entry = AuditEntry.objects.get(verb="customs.discrepancy_resolved")
    assert entry.actor == officer
    assert entry.target_id == str(found.pk)
    assert entry.payload["outcome"] == "destination_mismatch"
    with pytest.raises(Conflict) as twice:
        services.discrepancy_resolve(actor=officer, declaration_id=found.pk, resolution="again")
    assert twice.value.code == "discrepancy.already_resolved"


def test_a_resolution_needs_its_reason() -> None:
    found = _discrepancy()
    with pytest.raises(ValidationError) as error:
        services.discrepancy_resolve(
            actor=user_with_role(Role.COMPLIANCE_OFFICER), declaration_id=found.pk, resolution=" "
        )
    assert error.value.code == "discrepancy.resolution_required"


@pytest.mark.parametrize(
    "role",
    [Role.CUSTOMS_OFFICER, Role.CASE_OFFICER, Role.SENIOR_OFFICER, Role.AUDITOR, Role.EXPORTER_ADMIN, Role.ANALYST],
)
def test_others_may_not_resolve(role: str) -> None:
    found = _discrepancy()
    with pytest.raises(PermissionDenied):
        services.discrepancy_resolve(actor=user_with_role(role), declaration_id=found.pk, resolution="fine")
    found.refresh_from_db()
    assert found.status == "open"
    assert not AuditEntry.objects.filter(verb="customs.discrepancy_resolved").exists()


def test_resolving_an_unknown_declaration_is_not_found() -> None:
    officer = user_with_role(Role.COMPLIANCE_OFFICER)
    for key in ("not-a-uuid", "6f1c3d0e-0000-4000-8000-000000000000"):
        with pytest.raises(NotFound):
            services.discrepancy_resolve(actor=officer, declaration_id=key, resolution="x")


def test_a_declaration_that_went_elsewhere_does_not_use_up_the_licence() -> None:
    licence = direct_licence(destination="PL", quantity=10, value="1000.00")
    run(declaration("D-1", licence, destination_country="DE", quantity="9"))  # not an export under this licence
    run(declaration("D-2", licence, quantity="2"))
    assert outcome("D-2") == "matched"
