"""Each licence type's own rules on the application side: the particulars it takes and needs, its check, the
authority's limits, amendments, and the extension point for the innovations registry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from excon.applications import checks, selectors, services
from excon.applications.enums import ApplicationStatus, CheckOutcome
from excon.applications.innovation_links import (
    InnovationLink,
    register_innovation_resolver,
    unregister_innovation_resolver,
)
from excon.applications.licence_types import licensed_destinations, rules_for
from excon.applications.models import LicenceTypeRules
from excon.audit.models import AuditEntry
from excon.core.errors import Conflict, PermissionDenied, ValidationError
from excon.products.tests.factories import country

from .factories import World, complete_draft, licensing_world, typed_draft

pytestmark = pytest.mark.django_db

TODAY = dt.date.today


@pytest.fixture
def world() -> World:
    return licensing_world()


def _type_result(application):  # type: ignore[no-untyped-def]
    return selectors.latest_check_run(application).results.get(check_name="licence_type")


@pytest.mark.parametrize("kind", ["open", "temporary", "brokering", "technology_transfer"])
def test_every_type_is_accepted_and_a_complete_draft_passes_its_own_check(world: World, kind: str) -> None:
    application = services.application_submit(actor=world.exporter, application=typed_draft(world, kind))
    result = _type_result(application)
    assert application.application_type == kind
    assert result.outcome in (CheckOutcome.PASS, CheckOutcome.WARNING), result.summary
    assert result.details["type"] == kind


def test_a_standard_licence_takes_no_particulars_of_another_type(world: World) -> None:
    draft = complete_draft(world)
    with pytest.raises(ValidationError) as caught:
        services.application_terms_set(actor=world.exporter, application=draft, return_date=TODAY())
    assert caught.value.code == "application.terms_not_for_type"
    temporary = complete_draft(world, application_type="temporary")
    with pytest.raises(ValidationError) as caught:
        services.application_terms_set(actor=world.exporter, application=temporary, broker_name="X")
    assert caught.value.code == "application.terms_not_for_type"
    assert caught.value.details["allowed"] == ["temporary_purpose", "return_date"]


def test_setting_terms_is_audited_with_the_changes_and_a_repeat_writes_nothing(world: World) -> None:
    draft = complete_draft(world, application_type="temporary")
    due = TODAY() + dt.timedelta(days=30)
    services.application_terms_set(actor=world.exporter, application=draft, temporary_purpose="repair", return_date=due)
    services.application_terms_set(actor=world.exporter, application=draft, temporary_purpose="repair", return_date=due)
    entries = AuditEntry.objects.filter(verb="application.terms_set", target_id=str(draft.pk))
    assert entries.count() == 1
    assert entries.get().payload["changes"]["temporary_purpose"] == {"from": "", "to": "repair"}


def test_another_exporter_cannot_set_the_terms(world: World) -> None:
    from excon.accounts.tests.factories import OrganisationFactory, UserFactory
    from excon.core.roles import Role

    draft = complete_draft(world, application_type="temporary")
    stranger = UserFactory(organisation=OrganisationFactory(), roles=[Role.EXPORTER_ADMIN])
    with pytest.raises(PermissionDenied):
        services.application_terms_set(actor=stranger, application=draft, temporary_purpose="trial")


def test_uncapped_goods_only_on_an_open_licence(world: World) -> None:
    draft = complete_draft(world)
    with pytest.raises(ValidationError) as caught:
        services.goods_line_add(
            actor=world.exporter,
            application=draft,
            product_id=world.product.pk,
            quantity=1,
            unit_value="1.00",
            currency="EUR",
            capped=False,
        )
    assert caught.value.code == "application.cap_required"
    open_draft = typed_draft(world, "open")
    assert [line.capped for line in open_draft.goods_lines.order_by("line_number")] == [True, False]


def test_an_open_licence_has_several_consignees_and_destinations_a_standard_one_does_not(world: World) -> None:
    open_draft = typed_draft(world, "open")
    assert open_draft.parties.filter(role="consignee").count() == 2
    assert [c.iso2 for c in licensed_destinations(open_draft)] == ["PL", "DE"]
    standard = complete_draft(world)
    services.party_add(
        actor=world.exporter, application=standard, role="consignee", name="A", country="PL", kind="commercial"
    )
    with pytest.raises(Conflict) as caught:
        services.party_add(
            actor=world.exporter, application=standard, role="consignee", name="B", country="PL", kind="commercial"
        )
    assert caught.value.code == "party.role_taken"


def test_a_consignee_in_a_further_destination_is_no_party_country_warning(world: World) -> None:
    application = services.application_submit(actor=world.exporter, application=typed_draft(world, "open"))
    results = {r.check_name: r for r in selectors.latest_check_run(application).results.all()}
    assert results["party_countries"].outcome == CheckOutcome.PASS, results["party_countries"].summary


def test_an_open_licence_to_an_embargoed_further_destination_fails(world: World) -> None:
    draft = typed_draft(world, "open")
    services.application_terms_set(actor=world.exporter, application=draft, further_destinations=["DE", "RU"])
    application = services.application_submit(actor=world.exporter, application=draft)
    result = _type_result(application)
    assert application.status == ApplicationStatus.CHECKS_FAILED
    assert result.outcome == CheckOutcome.FAIL
    assert result.details["code"] == "application.embargoed_destination"


def test_an_open_licence_asking_beyond_the_authoritys_maximum_fails_and_the_maximum_is_the_authoritys(
    world: World,
) -> None:
    services.licence_type_rules_set(actor=world.senior, application_type="open", max_validity_days=400)
    assert rules_for("open").max_validity_days == 400
    draft = typed_draft(world, "open")
    services.application_terms_set(
        actor=world.exporter, application=draft, requested_valid_until=TODAY() + dt.timedelta(days=500)
    )
    result = _type_result(services.application_submit(actor=world.exporter, application=draft))
    assert result.outcome == CheckOutcome.FAIL
    assert result.details["code"] == "application.validity_beyond_maximum"


def test_temporary_export_needs_its_purpose_and_return_date(world: World) -> None:
    draft = complete_draft(world, application_type="temporary")
    codes = {item["code"] for item in checks.missing_particulars(draft)}
    assert {"application.purpose_required", "application.return_date_required"} <= codes
    with pytest.raises(ValidationError) as caught:
        services.application_submit(actor=world.exporter, application=draft)
    assert "the return date" in caught.value.message


def test_temporary_export_return_date_must_be_in_the_future_and_within_the_maximum(world: World) -> None:
    draft = typed_draft(world, "temporary")
    with pytest.raises(ValidationError) as caught:
        services.application_terms_set(actor=world.exporter, application=draft, return_date=TODAY())
    assert caught.value.code == "application.date_not_future"
    services.application_terms_set(
        actor=world.exporter, application=draft, return_date=TODAY() + dt.timedelta(days=400)
    )
    result = _type_result(services.application_submit(actor=world.exporter, application=draft))
    assert result.details["code"] == "application.return_date_beyond_maximum"


def test_brokering_needs_the_broker_and_a_source_country_other_than_the_destination_and_this_state(
    world: World,
) -> None:
    draft = complete_draft(world, application_type="brokering")
    codes = {item["code"] for item in checks.missing_particulars(draft)}
    assert {"application.broker_required", "application.source_country_required"} <= codes
    services.application_terms_set(actor=world.exporter, application=draft, broker_name="B", source_country="PL")
    country("UA")
    result = _type_result(services.application_submit(actor=world.exporter, application=draft))
    assert result.outcome == CheckOutcome.FAIL
    assert result.details["code"] == "application.brokering_same_country"
    other = complete_draft(world, application_type="brokering")
    services.application_terms_set(actor=world.exporter, application=other, broker_name="B", source_country="UA")
    codes = [
        f["code"]
        for f in _type_result(services.application_submit(actor=world.exporter, application=other)).details["findings"]
    ]
    assert codes == ["application.brokering_from_this_state"]


def test_technology_transfer_needs_what_is_transferred_and_the_undertaking(world: World) -> None:
    draft = complete_draft(world, application_type="technology_transfer")
    codes = {item["code"] for item in checks.missing_particulars(draft)}
    assert {"application.transfer_required", "application.undertaking_required"} <= codes
    complete = typed_draft(world, "technology_transfer")
    assert not checks.missing_particulars(complete)


@pytest.fixture
def innovations() -> Iterator[None]:
    register_innovation_resolver(
        lambda reference: InnovationLink(reference, "Hull design") if reference == "INV-2026-000001" else None
    )
    yield
    unregister_innovation_resolver()


def test_an_innovation_reference_is_a_warning_without_the_registry(world: World) -> None:
    draft = typed_draft(world, "technology_transfer")
    services.application_terms_set(actor=world.exporter, application=draft, innovation_reference="INV-2026-000001")
    result = _type_result(services.application_submit(actor=world.exporter, application=draft))
    assert result.outcome == CheckOutcome.WARNING
    assert result.details["code"] == "application.innovation_not_verified"


def test_with_a_registry_an_unknown_innovation_fails_and_a_known_one_passes(world: World, innovations: None) -> None:
    unknown = typed_draft(world, "technology_transfer")
    services.application_terms_set(actor=world.exporter, application=unknown, innovation_reference="INV-X")
    assert _type_result(services.application_submit(actor=world.exporter, application=unknown)).details["code"] == (
        "application.unknown_innovation"
    )
    known = typed_draft(world, "technology_transfer")
    services.application_terms_set(actor=world.exporter, application=known, innovation_reference="INV-2026-000001")
    assert _type_result(services.application_submit(actor=world.exporter, application=known)).outcome == "pass"


def test_an_amendment_keeps_the_type_its_particulars_and_uncapped_lines(world: World) -> None:
    application = services.application_submit(actor=world.exporter, application=typed_draft(world, "open"))
    amendment = services.application_amend(actor=world.exporter, application=application)
    assert amendment.application_type == "open"
    assert [c.iso2 for c in amendment.terms.further_destinations.all()] == ["DE"]
    assert [line.capped for line in amendment.goods_lines.order_by("line_number")] == [True, False]


def test_only_senior_officers_set_the_rules_within_bounds_and_it_is_audited(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.licence_type_rules_set(actor=world.officer, application_type="open", max_validity_days=100)
    with pytest.raises(ValidationError) as caught:
        services.licence_type_rules_set(actor=world.senior, application_type="open", return_period_months=13)
    assert caught.value.code == "licence_type_rules.invalid_number"
    with pytest.raises(ValidationError) as caught:
        services.licence_type_rules_set(actor=world.senior, application_type="open", return_period_months=None)
    assert caught.value.code == "licence_type_rules.period_required"
    with pytest.raises(ValidationError) as caught:
        services.licence_type_rules_set(actor=world.senior, application_type="nonsense", max_validity_days=10)
    assert caught.value.code == "application.unknown_type"
    assert rules_for("open").return_period_months == 3  # the default until the authority sets its own
    services.licence_type_rules_set(actor=world.senior, application_type="open", return_period_months=6)
    row = LicenceTypeRules.objects.get(application_type="open")
    assert (row.return_period_months, row.changed_by) == (6, world.senior)
    entry = AuditEntry.objects.get(verb="licence_type_rules.set")
    assert entry.payload["changes"]["return_period_months"] == {"from": 3, "to": 6}
