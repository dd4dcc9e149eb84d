"""The rules that pages and the API used to decide for themselves, now one selector or policy each: the decision
that stands, the goods a licence covers, what a reader may see of a case's history, and who reaches which list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from excon.accounts.tests.factories import UserFactory
from excon.applications import policies, selectors, services
from excon.applications.models import Application, Decision
from excon.core.errors import NotFound

from .factories import World, complete_draft, licensing_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return licensing_world()


def _with_two_lines(world: World) -> Application:
    application = complete_draft(world)
    services.goods_line_add(
        actor=world.exporter,
        application=application,
        product_id=world.product.pk,
        quantity=2,
        unit_value="1000.00",
        currency="EUR",
    )
    return application


def _decision(application: Application, world: World, minutes_ago: int, **fields: Any) -> Decision:
    decision = Decision.objects.create(application=application, recorded_by=world.officer, **fields)
    # created_at decides which one stands; set it apart so the order is the test's, not the clock's.
    Decision.objects.filter(pk=decision.pk).update(created_at=timezone.now() - dt.timedelta(minutes=minutes_ago))
    return decision


def test_the_decision_that_stands_is_the_latest_final_one(world: World) -> None:
    application = _with_two_lines(world)
    assert selectors.final_decision(application) is None
    first = _decision(application, world, 30, outcome="partially_approve", status="final", approved_lines=[2])
    pending = _decision(application, world, 5, outcome="approve", status="awaiting_countersignature")
    assert selectors.final_decision(application) == first
    assert selectors.pending_decision(application) == pending
    appeal = _decision(application, world, 1, outcome="approve", status="final", on_appeal=True, approved_lines=[1, 2])
    assert selectors.final_decision(application) == appeal
    assert list(selectors.final_decisions(application)) == [first, appeal]
    assert list(selectors.final_decisions(application, on_appeal=False)) == [first]


def test_a_licence_covers_only_the_lines_the_standing_decision_approved(world: World) -> None:
    application = _with_two_lines(world)
    assert selectors.licensed_goods(application) == []
    _decision(application, world, 30, outcome="partially_approve", status="final", approved_lines=[2])
    assert [line.line_number for line in selectors.licensed_goods(application)] == [2]
    _decision(application, world, 1, outcome="approve", status="final", on_appeal=True, approved_lines=[2, 1])
    assert [line.line_number for line in selectors.licensed_goods(application)] == [1, 2]


def test_the_exporter_reads_only_its_part_of_a_case_history(world: World) -> None:
    application = services.application_submit(actor=world.exporter, application=complete_draft(world))
    everything = [entry.verb for entry in selectors.case_history(actor=world.officer, application=application)]
    mine = [entry.verb for entry in selectors.case_history(actor=world.exporter, application=application)]
    assert "application.created" in mine
    assert "application.submit" in mine
    assert set(mine) <= policies.EXPORTER_HISTORY_VERBS
    hidden = [verb for verb in everything if verb not in policies.EXPORTER_HISTORY_VERBS]
    assert hidden, "submission records checks and referrals that the exporter may not read"
    assert len(everything) == len(mine) + len(hidden)
    referral = application.referrals.select_related("department").first()
    assert referral is not None
    assert policies.is_referral_department(world.members[referral.department.department_kind], referral)
    assert not policies.is_referral_department(world.officer, referral)


def test_who_reaches_which_list(world: World) -> None:
    department_member = world.members["defence"]
    assert policies.has_own_applications(world.exporter)
    assert not policies.has_own_applications(world.officer)
    assert policies.can_view_work_queue(world.officer)
    assert policies.can_view_work_queue(world.compliance)
    assert not policies.can_view_work_queue(world.exporter)
    assert not policies.can_view_work_queue(department_member)
    assert policies.can_view_department_inbox(department_member)
    assert not policies.can_view_department_inbox(world.officer)


def test_a_case_may_be_assigned_only_to_a_case_officer(world: World) -> None:
    assert selectors.case_officer_get(world.officer.pk) == world.officer
    assert selectors.case_officer_get(world.exporter.pk) is None
    assert selectors.case_officer_get("not-an-id") is None
    assert selectors.case_officer_get(UserFactory(organisation=world.authority, roles=[]).pk) is None


def test_routing_rules_are_read_by_the_authority_only(world: World) -> None:
    rule = selectors.routing_rules(actor=world.officer).first()
    assert rule is not None
    assert selectors.routing_rule_get(actor=world.officer, rule_id=rule.pk) == rule
    for outsider, rule_id in ((world.exporter, rule.pk), (world.officer, "nope")):
        with pytest.raises(NotFound):
            selectors.routing_rule_get(actor=outsider, rule_id=rule_id)
