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
from excon.products.tests.factories import ProductFactory, control_entry, country
from excon.refdata.enums import EmbargoAuthority
from excon.refdata.models import ArmsEmbargo
from excon.reports import selectors
from excon.reports.analytics import revenue_report
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


def test_national_report_region_totals_and_brokering_columns(world) -> None:  # type: ignore[no-untyped-def]
    licence(on=ON, destination="DE", lines=[{"entry": "ML6.a", "value": "10"}, {"entry": "ML1.a", "value": "5"}])
    licence(on=ON, destination="CZ", licence_type=ApplicationType.BROKERING, lines=[{"entry": "ML6.a", "value": "900"}])
    report = national_report(Y)
    brokered = next(row for row in report.rows if row.destination_iso == "CZ")
    assert (brokered.licences_issued, brokered.value_issued) == (0, Decimal("0.00"))
    assert (brokered.brokering_licences_issued, brokered.brokering_value_issued) == (1, Decimal("900.00"))
    assert brokered.region == "Eastern Europe"
    regions = {(t.region, t.currency): t for t in report.region_totals}
    east = regions[("Eastern Europe", "EUR")]  # PL and CZ
    assert (east.destinations, east.licences_issued, east.value_issued) == (2, 3, Decimal("1570.50"))
    assert (east.licences_refused, east.actual_exports_value) == (2, Decimal("400.25"))
    assert (east.brokering_licences_issued, east.brokering_value_issued) == (1, Decimal("900.00"))
    west = regions[("Western Europe", "EUR")]  # one licence with lines in two categories: one licence
    assert (west.licences_issued, west.value_issued) == (1, Decimal("15.00"))
    assert regions[("Eastern Europe", "USD")].licences_refused == 1  # RU
    assert [t.region for t in report.region_totals] == ["Eastern Europe", "Eastern Europe", "Western Europe"]
    [eur] = [t for t in report.year_totals if t.currency == "EUR"]
    assert (eur.licences_issued, eur.brokering_licences_issued, eur.licences_refused) == (4, 1, 2)


def test_every_country_has_an_m49_region() -> None:
    import pycountry

    from excon.refdata.regions import NO_REGION, region_of, region_order

    missing = [c.alpha_2 for c in pycountry.countries if region_of(c.alpha_2) == NO_REGION]
    assert missing == ["AQ"]
    assert region_of("XK") == "Southern Europe"
    assert region_of("us") == "Northern America"
    assert region_order()[0] == "Northern Africa"


def test_report_pages_open_on_the_latest_year_with_data(world) -> None:  # type: ignore[no-untyped-def]
    reader = analyst()
    assert selectors.national_default_year(actor=reader) == Y
    licence(on=dt.date(Y - 3, 1, 5), destination="PL")
    assert selectors.national_default_year(actor=reader) == Y
    with pytest.raises(NotFound):
        selectors.national_default_year(actor=exporter_user())


def test_with_no_data_pages_open_on_last_year() -> None:
    assert selectors.national_default_year(actor=analyst()) == timezone.localdate().year - 1


def test_salw_sub_categories_and_intermediate_locations(world) -> None:  # type: ignore[no-untyped-def]
    control_entry("ML2", unroca_categories=["SALW"], att_categories=["h"])
    control_entry("ML2.a", unroca_categories=["SALW"], att_categories=["h"])
    lines = [
        {"entry": "ML1.a", "quantity": 5, "description": "9 mm self-loading pistols"},
        {"entry": "ML1.a", "quantity": 3, "description": "Sub-machine guns, 9 mm"},
        {"entry": "ML1.a", "quantity": 2, "description": "12.7 mm heavy machine guns"},
        {"entry": "ML2.a", "quantity": 4, "description": "60 mm mortars"},
        {"entry": "ML2.a", "quantity": 1, "description": "Launch tubes"},
        {"entry": "ML1.a", "quantity": 7, "description": "Spare barrels"},
    ]
    via = [
        {"name": "Forwarder GmbH", "country": "DE", "role": "intermediate_consignee"},
        {"name": "Port agent", "country": "BE", "role": "intermediate_consignee"},
        {"name": "Ministry", "country": "KE", "role": "consignee"},
    ]
    shipped = licence(on=ON, destination="KE", lines=lines, consignees=via)
    authorised = treaty_report(Y, AttBasis.AUTHORISED)
    kenya = {row.subcategory: row for row in authorised.rows if row.importer_iso == "KE"}
    assert {code: row.items for code, row in kenya.items()} == {
        "SA1": 5,
        "SA3": 3,
        "LW1": 2,
        "LW6": 4,
        "LW7": 1,
        "SA6": 7,
    }
    assert (
        kenya["LW6"].category_label
        == "Small arms and light weapons: Light weapons: mortars of calibres less than 75 mm"
    )
    through = f"{country('BE').name} (BE); {country('DE').name} (DE)"  # the countries' names as recorded
    assert kenya["SA1"].intermediate_locations == through
    poland = [row for row in authorised.rows if row.importer_iso == "PL" and row.category == "SALW"]
    assert [(row.subcategory, row.items, row.intermediate_locations) for row in poland] == [("SA6", 10, "")]
    customs = UserFactory(roles=[])
    vehicles = licence(on=ON, destination="KE", lines=[{"entry": "ML6.a", "quantity": 2}], consignees=via)
    shipment(vehicles.lines.get(), on=ON, quantity=2, value="50", recorded_by=customs)
    shipment(shipped.lines.get(line_number=1), on=ON, quantity=1, value="5", recorded_by=customs)
    unroca = treaty_report(Y, AttBasis.ACTUAL)
    table = {(cells[1], cells[3]): cells for cells in unroca.unroca_cells()}
    assert table[("II", "KE")][4:7] == [2, "", through]
    assert table[("II", "PL")][6] == ""
    assert not any(cells[1] == "SALW" for cells in unroca.unroca_cells())


def test_capacity_against_requirements_and_exports_per_category() -> None:
    from excon.products.models import Classification
    from excon.supply.selectors import current_period
    from excon.supply.tests.factories import declare, requirement

    mapped_entries()
    year = current_period().year
    ministry = ministry_user()
    vehicle = ProductFactory(designation="APC-9")
    rifle = ProductFactory(designation="AR-1")
    for product, code in ((vehicle, "ML6.a"), (rifle, "ML1.a")):
        classification = Classification.objects.create(product=product, rationale="test", classified_by=ministry)
        classification.entries.set([control_entry(code)])
    declare(UserFactory(organisation=vehicle.manufacturer, roles=[Role.EXPORTER_ADMIN]), vehicle, capacity=40)
    declare(UserFactory(organisation=rifle.manufacturer, roles=[Role.EXPORTER_ADMIN]), rifle, capacity=1000)
    requirement(ministry, 15, product=vehicle)
    requirement(ministry, 300, category="ML1")
    requirement(ministry, 99, product=rifle, marking=ProtectiveMarking.SECRET)
    on = dt.date(year, 1, 2)
    issued = licence(on=on, destination="DE", lines=[{"entry": "ML6.a", "quantity": 6, "product": vehicle}])
    licence(on=on, destination="DE", lines=[{"entry": "ML1.a", "quantity": 200}])
    shipment(issued.lines.get(), on=on, quantity=4, value="10", recorded_by=UserFactory(roles=[]))
    cleared = selectors.revenue_get(actor=analyst(clearance=ProtectiveMarking.SECRET), year=year)
    rows = {row.category: row for row in cleared.capacity_by_category}
    assert (rows["ML6"].capacity, rows["ML6"].domestic_requirement) == (40, 15)
    assert (rows["ML6"].licensed_quantity, rows["ML6"].shipped_quantity) == (6, 4)
    assert (rows["ML1"].capacity, rows["ML1"].domestic_requirement, rows["ML1"].licensed_quantity) == (1000, 399, 200)
    assert [row.category for row in cleared.capacity_by_category] == ["ML1", "ML6"]
    restricted = selectors.revenue_get(actor=analyst(clearance=ProtectiveMarking.RESTRICTED), year=year)
    assert {row.category: row.domestic_requirement for row in restricted.capacity_by_category} == {
        "ML1": 300,
        "ML6": 15,
    }
    system = revenue_report(year, actor=None)
    assert {row.category: row.domestic_requirement for row in system.capacity_by_category} == {"ML1": 0, "ML6": 0}
