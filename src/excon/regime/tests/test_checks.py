"""The regime's registered checks: an application outside the applicant's export authorisation fails with the
reason; the destination policy in force on the submission date (and, for an open case, the one in force now) is
checked tier by tier; a policy change re-checks the open cases and lists the active licences it affects."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from excon.applications import services as application_services
from excon.applications.enums import ApplicationStatus, CheckOutcome
from excon.applications.models import Application
from excon.applications.selectors import latest_check_run
from excon.applications.tests.factories import World, complete_draft
from excon.core.errors import ValidationError
from excon.licences.enums import LicenceStatus
from excon.licences.tests.factories import direct_licence
from excon.regime import checks, services
from excon.regime.enums import PolicyTier
from excon.regime.models import ExportAuthorisation

from .factories import granted_authorisation, publish_policy

pytestmark = pytest.mark.django_db


def outcome_of(application: Application, check: str) -> tuple[str, str, dict]:
    result = latest_check_run(application).results.get(check_name=check)
    return result.outcome, result.summary, result.details


# ------------------------------------------------------------------------------------------- export authorisation


def test_an_application_from_an_unauthorised_producer_fails_its_check(world: World) -> None:
    publish_policy(world, destinations={"PL": PolicyTier.PRIORITY_PARTNER})
    application = application_services.application_submit(actor=world.exporter, application=complete_draft(world))
    assert application.status == ApplicationStatus.CHECKS_FAILED
    outcome, summary, details = outcome_of(application, checks.AUTHORISATION_CHECK)
    assert outcome == CheckOutcome.FAIL
    assert summary == "the applicant holds no export authorisation"
    assert details["code"] == "application.not_authorised"


def test_an_authorised_producer_passes_it(world: World) -> None:
    publish_policy(world, destinations={"PL": PolicyTier.PRIORITY_PARTNER})
    authorisation = granted_authorisation(world)
    application = application_services.application_submit(actor=world.exporter, application=complete_draft(world))
    assert application.status == ApplicationStatus.UNDER_REVIEW
    outcome, summary, _details = outcome_of(application, checks.AUTHORISATION_CHECK)
    assert outcome == CheckOutcome.PASS
    assert authorisation.reference in summary


def test_no_authorisation_is_required_until_a_policy_version_requires_it(world: World) -> None:
    assert checks.assess_authorisation(complete_draft(world))[0] == CheckOutcome.PASS
    publish_policy(world, requires_authorisation=False)
    assert checks.assess_authorisation(complete_draft(world))[0] == CheckOutcome.PASS
    publish_policy(world, requires_authorisation=True)
    assert checks.assess_authorisation(complete_draft(world))[0] == CheckOutcome.FAIL


@pytest.mark.parametrize(
    ("state", "code"),
    [
        ("suspended", "application.authorisation_suspended"),
        ("revoked", "application.authorisation_revoked"),
        ("expired", "application.authorisation_expired"),
    ],
)
def test_an_authorisation_not_in_force_fails_with_why(world: World, state: str, code: str) -> None:
    publish_policy(world)
    authorisation = granted_authorisation(world)
    if state == "expired":
        # Past its validity on the submission date (the daily task records it later; the check reads the dates).
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        ExportAuthorisation.objects.filter(pk=authorisation.pk).update(
            valid_from=yesterday - dt.timedelta(days=400), valid_until=yesterday
        )
    else:
        action = "suspend" if state == "suspended" else "revoke"
        services.authorisation_transition(actor=world.senior, authorisation=authorisation, action=action, reason="x")
    outcome, summary, details = checks.assess_authorisation(complete_draft(world))
    assert outcome == CheckOutcome.FAIL
    assert details["code"] == code
    assert authorisation.reference in summary


def test_a_category_outside_the_scope_fails(world: World) -> None:
    publish_policy(world)
    granted_authorisation(world, categories=("ML4",))
    outcome, summary, details = checks.assess_authorisation(complete_draft(world))
    assert outcome == CheckOutcome.FAIL
    assert details["code"] == "application.category_not_authorised"
    assert details["lines"] == [{"line": 1, "control_entries": ["ML6.a"]}]
    assert "ML6.a" in summary


def test_a_destination_outside_the_scope_fails(world: World) -> None:
    publish_policy(world)
    granted_authorisation(world)  # nato: Poland and Germany
    outcome, summary, details = checks.assess_authorisation(complete_draft(world, destination="UA"))
    assert outcome == CheckOutcome.FAIL
    assert details["code"] == "application.destination_not_authorised"
    assert "nato" in summary


# ------------------------------------------------------------------------------------------------ destination policy


@pytest.mark.parametrize(
    ("tier", "outcome", "code"),
    [
        (PolicyTier.PRIORITY_PARTNER, CheckOutcome.PASS, None),
        (PolicyTier.ALLOWED_WITH_REVIEW, CheckOutcome.WARNING, "application.policy_review"),
        (PolicyTier.PRESUMPTION_OF_DENIAL, CheckOutcome.FAIL, "application.presumption_of_denial"),
        (PolicyTier.PROHIBITED, CheckOutcome.FAIL, "application.destination_prohibited"),
    ],
)
def test_each_tier_gives_its_outcome(world: World, tier: str, outcome: str, code: str | None) -> None:
    publish_policy(world, destinations={"PL": tier})
    found, summary, details = checks.assess_destination_policy(complete_draft(world))
    assert found == outcome
    assert details.get("code") == code
    assert details["tier"] == tier
    assert PolicyTier(tier).label in summary
    assert details["notes"][0].startswith("policy v1 (in force from")


def test_category_rules_say_what_may_go_to_a_tier(world: World) -> None:
    publish_policy(
        world,
        destinations={"PL": PolicyTier.PRESUMPTION_OF_DENIAL},
        category_rules=[{"tier": PolicyTier.PRESUMPTION_OF_DENIAL, "category": "ML6", "allowed": True}],
    )
    assert checks.assess_destination_policy(complete_draft(world))[0] == CheckOutcome.WARNING
    publish_policy(
        world,
        destinations={"PL": PolicyTier.PRIORITY_PARTNER},
        category_rules=[{"tier": PolicyTier.PRIORITY_PARTNER, "category": "ML6.a", "allowed": False}],
    )
    outcome, _summary, details = checks.assess_destination_policy(complete_draft(world))
    assert outcome == CheckOutcome.FAIL
    assert details["code"] == "application.category_refused_for_tier"
    assert details["refused"] == ["ML6.a"]


def test_a_country_s_own_tier_beats_its_groups_and_the_strictest_group_wins(world: World) -> None:
    from excon.products.tests.factories import destination_group

    destination_group("eastern", ["PL"])
    publish_policy(world, destinations={"group:nato": PolicyTier.PRIORITY_PARTNER, "group:eastern": "prohibited"})
    assert checks.assess_destination_policy(complete_draft(world))[2]["tier"] == PolicyTier.PROHIBITED
    publish_policy(world, destinations={"PL": PolicyTier.ALLOWED_WITH_REVIEW})
    assert checks.assess_destination_policy(complete_draft(world))[2]["tier"] == PolicyTier.ALLOWED_WITH_REVIEW
    publish_policy(world, destinations={"PL": None, "group:eastern": None})
    assert checks.assess_destination_policy(complete_draft(world))[2]["tier"] == PolicyTier.PRIORITY_PARTNER


def test_the_version_in_force_on_the_submission_date_is_checked(world: World) -> None:
    today = timezone.localdate()
    publish_policy(world, destinations={"PL": PolicyTier.PRIORITY_PARTNER})
    publish_policy(
        world, in_force_from=today + dt.timedelta(days=10), destinations={"PL": PolicyTier.PROHIBITED}, reason="Later"
    )
    outcome, _summary, details = checks.assess_destination_policy(complete_draft(world))
    assert outcome == CheckOutcome.PASS
    assert details["versions"] == [1]
    with pytest.raises(ValidationError) as caught:
        publish_policy(world, in_force_from=today, reason="Backdated")
    assert caught.value.code == "policy.date_before_latest"


def test_an_open_case_is_held_to_the_stricter_of_then_and_now(world: World) -> None:
    publish_policy(world, destinations={"PL": PolicyTier.PRIORITY_PARTNER})
    draft = complete_draft(world)
    Application.objects.filter(pk=draft.pk).update(submitted_at=timezone.now() - dt.timedelta(days=3))
    publish_policy(world, in_force_from=timezone.localdate(), destinations={"PL": PolicyTier.PROHIBITED})
    draft.refresh_from_db()
    outcome, _summary, details = checks.assess_destination_policy(draft)
    assert outcome == CheckOutcome.FAIL
    assert details["versions"] == [1, 2]
    assert details["policy_version"] == 2
    assert len(details["notes"]) == 2


def test_a_policy_change_rechecks_open_cases_and_lists_the_licences_it_affects(world: World) -> None:
    publish_policy(world, destinations={"PL": PolicyTier.PRIORITY_PARTNER}, requires_authorisation=False)
    application = application_services.application_submit(actor=world.exporter, application=complete_draft(world))
    assert application.status == ApplicationStatus.UNDER_REVIEW
    to_poland = direct_licence(world.exporter_org, number="LIC-TEST-000201", destination="PL")
    to_germany = direct_licence(world.exporter_org, number="LIC-TEST-000202", destination="DE")
    version = publish_policy(
        world, in_force_from=timezone.localdate(), destinations={"PL": PolicyTier.PROHIBITED}, reason="Embargo"
    )
    assert [case["reference"] for case in version.recheck["cases"]] == [application.reference]
    assert version.recheck["cases"][0]["policy_outcome"] == CheckOutcome.FAIL
    assert version.recheck["cases"][0]["passed"] is False
    assert [item["number"] for item in version.recheck["licences"]] == [to_poland.number]
    assert version.recheck["licences"][0]["criteria"] == [{"destination": "PL"}]
    assert outcome_of(application, checks.POLICY_CHECK)[0] == CheckOutcome.FAIL
    bulks = services.policy_suspend_licences(actor=world.senior, version=version)
    assert [list(bulk.licences.values_list("number", flat=True)) for bulk in bulks] == [[to_poland.number]]
    to_poland.refresh_from_db()
    to_germany.refresh_from_db()
    assert to_poland.status == LicenceStatus.SUSPENDED
    assert to_germany.status == LicenceStatus.ACTIVE


def test_a_category_rule_affects_only_the_licences_of_that_category(world: World) -> None:
    publish_policy(world, destinations={"PL": PolicyTier.PRIORITY_PARTNER}, requires_authorisation=False)
    direct_licence(world.exporter_org, number="LIC-TEST-000301", destination="PL")  # ML6.a
    version = publish_policy(
        world,
        in_force_from=timezone.localdate(),
        category_rules=[{"tier": PolicyTier.PRIORITY_PARTNER, "category": "ML4", "allowed": False}],
    )
    assert version.recheck["licences"] == []
    version = publish_policy(
        world,
        in_force_from=timezone.localdate(),
        category_rules=[{"tier": PolicyTier.PRIORITY_PARTNER, "category": "ML6", "allowed": False}],
    )
    assert version.recheck["licences"][0]["criteria"] == [{"destination": "PL", "control_entry": "ML6.a"}]
