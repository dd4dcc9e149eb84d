"""The reports computed from one set of transaction rows: the national report (issued, legacy, refused with
criteria, shipments, embargo marker, totals, nil), the treaty reports (basis, withheld items, categories, nil),
processing times, revenue and prices with their confidentiality, and the bounded number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from excon.accounts.tests.factories import AuthorityFactory, DepartmentFactory, OrganisationFactory, UserFactory
from excon.applications.enums import ApplicationType
from excon.applications.models import Advice, Application, Referral
from excon.core.errors import NotFound
from excon.core.markings import ProtectiveMarking
from excon.core.roles import DepartmentKind, Role
from excon.products.tests.factories import ProductFactory, country
from excon.refdata.enums import EmbargoAuthority
from excon.refdata.models import ArmsEmbargo
from excon.reports import selectors
from excon.reports.enums import AttBasis
from excon.reports.national import national_report
from excon.reports.treaty import WITHHELD_COMMENT, treaty_report
from excon.supply import services as supply_services
from excon.supply.tests.factories import ministry_user

from .factories import analyst, auditor, exporter_user, licence, mapped_entries, shipment

pytestmark = pytest.mark.django_db

Y = 2024
ON = dt.date(Y, 3, 10)


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    mapped_entries()
    customs = UserFactory(roles=[])
    issued = licence(on=ON, destination="PL", lines=[{"entry": "ML6.a", "value": "1000.50", "quantity": 2}])
    licence(on=ON, destination="PL", lines=[{"entry": "ML6", "value": "500", "quantity": 1}], legacy="issued")
    licence(on=ON, destination="PL", lines=[{"entry": "ML1.a", "value": "70", "quantity": 10}])
    licence(on=ON, destination="PL", lines=[{"entry": "ML6.a", "value": "0"}], legacy="refused", criteria=[1, 7])
    licence(on=ON, destination="PL", lines=[{"entry": "ML6.a", "value": "0"}], legacy="refused", criteria=[7])
    licence(on=ON, destination="RU", lines=[{"entry": "ML4.a", "value": "9", "currency": "USD"}], legacy="refused")
    licence(on=dt.date(Y - 1, 12, 31), destination="PL", lines=[{"entry": "ML6.a", "value": "5"}])
    ArmsEmbargo.objects.create(
        country=country("RU"), imposed_by=EmbargoAuthority.EU, start_date=dt.date(2014, 7, 31), legal_reference="EU"
    )
    line = issued.lines.get()
    shipment(line, on=dt.date(Y, 5, 1), quantity=1, value="400.25", recorded_by=customs)
    return issued


def test_national_report_cells(world) -> None:  # type: ignore[no-untyped-def]
    report = national_report(Y)
    cells = {(row.destination_iso, row.category, row.currency): row for row in report.rows}
    ml6 = cells[("PL", "ML6", "EUR")]
    # an ExCon licence and a legacy one count alike; sub-entries roll up to their category
    assert (ml6.licences_issued, ml6.value_issued) == (2, Decimal("1500.50"))
    assert (ml6.licences_refused, ml6.refusal_criteria) == (2, "1:1;7:2")
    assert ml6.actual_exports_value == Decimal("400.25")
    assert not ml6.embargoed
    assert cells[("PL", "ML1", "EUR")].value_issued == Decimal("70.00")
    russia = cells[("RU", "ML4", "USD")]
    assert (russia.licences_issued, russia.licences_refused, russia.refusal_criteria) == (0, 1, "")
    assert russia.embargoed
    totals = {(t.destination_iso, t.currency): t for t in report.destination_totals}
    assert totals[("PL", "EUR")].value_issued == Decimal("1570.50")
    assert totals[("PL", "EUR")].licences_issued == 3
    assert report.criteria_totals() == {1: 1, 7: 2}
    assert next(row.csv_cells()[:4] for row in report.rows) == [Y, "PL", "PL", "ML1"]


def test_a_year_without_data_is_a_nil_report(world) -> None:  # type: ignore[no-untyped-def]
    assert national_report(2001).nil
    assert treaty_report(2001).nil


def test_national_report_queries_are_bounded(world, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for index in range(20):
        licence(on=ON, destination="DE", lines=[{"entry": "ML6.a", "value": index + 1}, {"entry": "ML1.a"}])
    with django_assert_max_num_queries(14):
        national_report(Y)


def test_treaty_report_basis_categories_and_withheld_items(world) -> None:  # type: ignore[no-untyped-def]
    secret = ProductFactory(designation="SILENT-1", marking=ProtectiveMarking.SECRET)
    licence(on=ON, destination="DE", lines=[{"entry": "ML6.a", "value": "77", "quantity": 3, "product": secret}])
    licence(on=ON, destination="DE", lines=[{"entry": "ML8", "value": "5", "quantity": 5}])  # no category
    authorised = treaty_report(Y, AttBasis.AUTHORISED)
    rows = {(row.category, row.importer_iso, row.withheld): row for row in authorised.rows}
    assert rows[("II", "PL", False)].items == 3
    assert rows[("II", "PL", False)].value == Decimal("1500.50")
    assert rows[("SALW", "PL", False)].items == 10
    withheld = rows[("II", "DE", True)]
    assert (withheld.items, withheld.value, withheld.comments) == (None, None, WITHHELD_COMMENT)
    assert not any(row.description.startswith("ML8") for row in authorised.rows)
    actual = treaty_report(Y, AttBasis.ACTUAL)
    assert [(row.category, row.importer_iso, row.items, row.value) for row in actual.rows] == [
        ("II", "PL", 1, Decimal("400.25"))
    ]
    unroca = selectors.unroca_get(actor=analyst(), year=Y)
    assert [cells[1:5] for cells in unroca.unroca_cells()] == [["II", "PL", "PL", 1]]


def test_processing_times_per_type_quarter_and_department() -> None:
    exporter = exporter_user()
    submitted = timezone.make_aware(dt.datetime(Y, 2, 1, 9, 0))
    for days in (10, 20):
        Application.objects.create(
            reference=f"EXP-{Y}-{days:06d}",
            applicant=exporter.organisation,
            created_by=exporter,
            application_type=ApplicationType.STANDARD_INDIVIDUAL,
            status="decided",
            submitted_at=submitted,
            decided_at=submitted + dt.timedelta(days=days),
        )
    application = Application.objects.first()
    department = DepartmentFactory(department_kind=DepartmentKind.DEFENCE)
    referral = Referral.objects.create(application=application, department=department, due_date=dt.date(Y, 2, 5))
    Referral.objects.filter(pk=referral.pk).update(created_at=submitted)
    author = UserFactory(organisation=department, roles=[Role.COMMISSION_MEMBER])
    advice = Advice.objects.create(referral=referral, author=author, advice_type="approve", rationale="ok")
    Advice.objects.filter(pk=advice.pk).update(created_at=submitted + dt.timedelta(days=6))
    report = selectors.processing_get(actor=analyst(), year=Y)
    [row] = report.decisions
    assert (row.quarter, row.decided, row.average_days, row.longest_days) == (1, 2, Decimal("15.0"), Decimal("20.0"))
    [given] = report.advice
    assert (given.department, given.advice_given, given.average_days, given.late) == (
        department.name,
        1,
        Decimal("6.0"),
        1,
    )


def test_revenue_prices_ratio_and_confidentiality(world) -> None:  # type: ignore[no-untyped-def]
    product = ProductFactory(designation="APC-8")
    licence(on=ON, destination="DE", lines=[{"entry": "ML6.a", "value": "5000", "quantity": 2, "product": product}])
    ministry = ministry_user()
    supply_services.domestic_price_record(
        actor=ministry,
        product_id=product.pk,
        contract_reference="SC-1",
        year=Y,
        unit_price="1000",
        currency="EUR",
        marking=ProtectiveMarking.SECRET,
    )
    cleared = selectors.revenue_get(actor=analyst(clearance=ProtectiveMarking.SECRET), year=Y)
    [price] = cleared.prices
    assert (price.export_unit_price, price.domestic_unit_price, price.ratio) == (
        Decimal("2500.00"),
        Decimal("1000.00"),
        Decimal("2.50"),
    )
    assert any(row.product == "APC-8" and row.licensed_value == Decimal("5000.00") for row in cleared.revenue)
    low = selectors.revenue_get(actor=analyst(clearance=ProtectiveMarking.RESTRICTED), year=Y)
    [hidden] = low.prices
    assert (hidden.domestic_unit_price, hidden.ratio) == (None, None)
    capacity = {row.product: row for row in cleared.capacity}
    assert capacity["APC-8"].licensed_quantity == 2


@pytest.mark.parametrize("make", [exporter_user, lambda: UserFactory(organisation=OrganisationFactory(), roles=[])])
def test_exporters_reach_no_report(world, make) -> None:  # type: ignore[no-untyped-def]
    actor = make()
    for read in (
        selectors.national_get,
        selectors.att_get,
        selectors.unroca_get,
        selectors.processing_get,
        selectors.revenue_get,
    ):
        with pytest.raises(NotFound):
            read(actor=actor, year=Y)
    with pytest.raises(NotFound):
        selectors.report_file_list(actor=actor)


def test_government_readers() -> None:
    from excon.reports import policies

    department_analyst = UserFactory(
        organisation=DepartmentFactory(department_kind=DepartmentKind.ECONOMY), roles=[Role.ANALYST]
    )
    case_officer = UserFactory(organisation=AuthorityFactory(), roles=[Role.CASE_OFFICER])
    department_senior = UserFactory(
        organisation=DepartmentFactory(department_kind=DepartmentKind.DEFENCE), roles=[Role.SENIOR_OFFICER]
    )
    reader = auditor()
    assert policies.can_read_reports(department_analyst)
    assert policies.can_generate_report_file(department_analyst)
    assert policies.can_read_reports(case_officer)
    assert policies.can_generate_report_file(case_officer)
    assert policies.can_read_reports(reader)
    assert not policies.can_generate_report_file(reader)
    assert not policies.can_read_reports(department_senior)
    assert not policies.can_publish_report(department_analyst)
    assert policies.can_publish_report(analyst())
