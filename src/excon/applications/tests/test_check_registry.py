"""The check registry: a check another app registers runs on every submission, in its order, and its failure stops
the case like a built-in check's; routing rules may name it; unregistering removes it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from excon.applications import selectors, services
from excon.applications.check_registry import (
    CheckReport,
    check_label,
    check_names,
    register_check,
    registered_checks,
    unregister_check,
)
from excon.applications.enums import ApplicationStatus, CheckOutcome
from excon.applications.models import Application

from .factories import World, complete_draft, licensing_world

pytestmark = pytest.mark.django_db

TEST_CHECK = "test_end_use_undertaking"
seen: list[str] = []


def check_undertaking(application: Application) -> CheckReport:
    """A stand-in for another app's check: fails when the end-use statement does not mention an undertaking."""
    seen.append(application.reference)
    if "undertaking" in application.end_use_statement:
        return CheckReport(TEST_CHECK, CheckOutcome.PASS, "undertaking given")
    return CheckReport(
        TEST_CHECK, CheckOutcome.FAIL, "no end-use undertaking", details={"code": "application.no_undertaking"}
    )


@pytest.fixture
def registered() -> Iterator[None]:
    register_check(TEST_CHECK, label="End-use undertaking (test)", order=15, function=check_undertaking)
    seen.clear()
    yield
    unregister_check(TEST_CHECK)


@pytest.fixture
def world() -> World:
    return licensing_world()


def test_a_registered_check_runs_on_submission_and_its_failure_stops_the_case(world: World, registered: None) -> None:
    application = services.application_submit(actor=world.exporter, application=complete_draft(world))
    assert seen == [application.reference]
    assert application.status == ApplicationStatus.CHECKS_FAILED
    run = selectors.latest_check_run(application)
    result = run.results.get(check_name=TEST_CHECK)
    assert (result.outcome, result.summary, result.details["code"]) == (
        CheckOutcome.FAIL,
        "no end-use undertaking",
        "application.no_undertaking",
    )
    assert result.check_label == "End-use undertaking (test)"
    assert not run.passed


def test_a_registered_check_that_passes_lets_the_case_through(world: World, registered: None) -> None:
    draft = complete_draft(world)
    Application.objects.filter(pk=draft.pk).update(end_use_statement="Border defence; undertaking signed")
    draft.refresh_from_db()
    application = services.application_submit(actor=world.exporter, application=draft)
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert selectors.latest_check_run(application).results.get(check_name=TEST_CHECK).outcome == CheckOutcome.PASS


def test_checks_run_in_their_order_with_other_apps_checks_among_the_built_in_ones(registered: None) -> None:
    names = check_names()
    assert names[:2] == ["completeness", TEST_CHECK]
    assert {"embargo", "eligibility", "screening", "risk", "domestic_supply"} <= set(names)
    orders = [check.order for check in registered_checks()]
    assert orders == sorted(orders)


def test_unregistering_removes_the_check_and_old_results_keep_a_readable_label(world: World) -> None:
    register_check(TEST_CHECK, label="End-use undertaking (test)", order=15, function=check_undertaking)
    unregister_check(TEST_CHECK)
    application = services.application_submit(actor=world.exporter, application=complete_draft(world))
    assert TEST_CHECK not in check_names()
    assert not selectors.latest_check_run(application).results.filter(check_name=TEST_CHECK).exists()
    assert check_label(TEST_CHECK) == "Test end use undertaking"


def test_two_apps_cannot_register_different_checks_under_one_name() -> None:
    with pytest.raises(ValueError, match="already registered"):
        register_check("embargo", label="Another embargo check", order=99, function=check_undertaking)
