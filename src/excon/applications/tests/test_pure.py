"""Pure rules, no database: the workflow table, advice consolidation, routing and working-day clocks."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from excon.applications import workflow
from excon.applications.consolidation import consolidate
from excon.applications.enums import AdviceType, ApplicationAction, ApplicationStatus, ConsolidatedAdvice
from excon.applications.routing import CaseFacts, route, rule_matches
from excon.applications.sla import add_working_days, working_days_between, working_days_open
from excon.core.workflow import SYSTEM
from excon.refdata.codes import entry_under

S = ApplicationStatus
A = ApplicationAction
OPEN = [S.SUBMITTED, S.CHECKS_FAILED, S.UNDER_REVIEW, S.AWAITING_INFORMATION, S.READY_FOR_COMMISSION]
EXPECTED = {
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, A.CHECKS_PASSED): S.UNDER_REVIEW,
    (S.SUBMITTED, A.CHECKS_FAILED): S.CHECKS_FAILED,
    (S.CHECKS_FAILED, A.RECHECK): S.UNDER_REVIEW,
    (S.UNDER_REVIEW, A.REQUEST_INFORMATION): S.AWAITING_INFORMATION,
    (S.AWAITING_INFORMATION, A.ANSWER_INFORMATION): S.UNDER_REVIEW,
    (S.UNDER_REVIEW, A.MARK_READY): S.READY_FOR_COMMISSION,
    (S.READY_FOR_COMMISSION, A.SEND_BACK): S.UNDER_REVIEW,
    (S.READY_FOR_COMMISSION, A.DECIDE): S.DECIDED,
    (S.DECIDED, A.APPEAL): S.APPEALED,
    (S.APPEALED, A.DECIDE_APPEAL): S.DECIDED,
    **{(state, A.WITHDRAW): S.WITHDRAWN for state in OPEN},
    **{(state, A.SUPERSEDE): S.SUPERSEDED for state in OPEN},
}


@pytest.mark.parametrize(("state", "action"), list(itertools.product(S, A)))
def test_every_state_and_action(state: S, action: A) -> None:
    assert workflow.TABLE.target_of(state, action) == EXPECTED.get((state, action))


def test_each_action_has_one_kind_of_actor() -> None:
    kinds = {action: workflow.TABLE.actor_kind_for(action) for action in A}
    assert kinds[A.SUBMIT] == workflow.EXPORTER
    assert kinds[A.CHECKS_PASSED] == SYSTEM
    assert kinds[A.DECIDE_APPEAL] == workflow.APPEAL_REVIEWER
    assert kinds[A.WITHDRAW] == workflow.EXPORTER


def test_terminal_states_have_no_way_out() -> None:
    for state in workflow.TERMINAL_STATES:
        assert workflow.TABLE.actions_from(state) == []


@pytest.mark.parametrize(
    ("advice", "outstanding", "expected"),
    [
        ([], 0, ConsolidatedAdvice.PENDING),
        (["approve"], 1, ConsolidatedAdvice.PENDING),
        (["approve", "no_objection"], 0, ConsolidatedAdvice.APPROVE),
        (["approve", "approve_with_provisos"], 0, ConsolidatedAdvice.APPROVE_WITH_PROVISOS),
        (["refuse", "refuse"], 0, ConsolidatedAdvice.REFUSE),
        (["approve", "refuse"], 0, ConsolidatedAdvice.CONFLICTING),
        (["approve_with_provisos", "refuse", "no_objection"], 0, ConsolidatedAdvice.CONFLICTING),
    ],
)
def test_consolidation(advice: list[str], outstanding: int, expected: ConsolidatedAdvice) -> None:
    assert consolidate(advice, outstanding=outstanding) == expected


@given(st.lists(st.sampled_from(list(AdviceType)), min_size=1))
def test_consolidation_is_order_independent_and_refusal_is_never_hidden(advice: list[str]) -> None:
    result = consolidate(advice)
    assert result == consolidate(list(reversed(advice)))
    if AdviceType.REFUSE in advice:
        assert result in (ConsolidatedAdvice.REFUSE, ConsolidatedAdvice.CONFLICTING)


def _facts(**overrides: object) -> CaseFacts:
    values: dict[str, object] = {
        "control_entries": frozenset({"ML6.a"}),
        "destination": "PL",
        "destination_groups": frozenset({"nato", "eu"}),
        "total_value": Decimal("500000"),
        "party_kinds": frozenset({"armed_forces"}),
        "check_outcomes": frozenset({"screening:pass"}),
    }
    values.update(overrides)
    return CaseFacts(**values)  # type: ignore[arg-type]


def _rule(**overrides: object) -> SimpleNamespace:
    values: dict[str, object] = {
        "name": "r",
        "control_entry_prefixes": [],
        "destinations": [],
        "destination_groups": [],
        "min_total_value": None,
        "party_kinds": [],
        "check_outcomes": [],
        "departments": ["defence"],
        "due_working_days": 10,
        "requires_countersignature": False,
    }
    values.update(overrides)
    return SimpleNamespace(**values)


@pytest.mark.parametrize(
    ("rule", "matches"),
    [
        ({}, True),
        ({"control_entry_prefixes": ["ML6"]}, True),
        ({"control_entry_prefixes": ["ML10"]}, False),
        ({"destinations": ["DE"]}, False),
        ({"destination_groups": ["nato"]}, True),
        ({"min_total_value": Decimal("1000000")}, False),
        ({"party_kinds": ["commercial"]}, False),
        ({"check_outcomes": ["screening:warning"]}, False),
        ({"check_outcomes": ["screening:pass"], "destination_groups": ["eu"]}, True),
    ],
)
def test_rule_conditions(rule: dict[str, object], matches: bool) -> None:
    assert rule_matches(_rule(**rule), _facts()) is matches  # type: ignore[arg-type]


def test_entry_prefixes_respect_boundaries() -> None:
    assert entry_under("ML1.a", "ML1")
    assert not entry_under("ML10.a", "ML1")
    assert entry_under("5A002", "5A")


def test_route_merges_departments_with_the_strictest_terms() -> None:
    rules = [
        _rule(name="base", departments=["defence", "foreign_affairs"], due_working_days=10),
        _rule(name="strict", departments=["defence"], due_working_days=5, requires_countersignature=True),
        _rule(name="never", departments=["economy"], destinations=["BR"]),
    ]
    decisions = route(_facts(), rules)  # type: ignore[arg-type]
    assert set(decisions) == {"defence", "foreign_affairs"}
    assert decisions["defence"].due_working_days == 5
    assert decisions["defence"].requires_countersignature
    assert decisions["defence"].rules == ["base", "strict"]


def test_working_days() -> None:
    friday = dt.date(2026, 11, 20)
    assert add_working_days(friday, 1) == dt.date(2026, 11, 23)
    assert working_days_between(friday, dt.date(2026, 11, 27)) == 5
    # A request for information from Tuesday to Thursday stops the clock for two working days.
    pauses = [(dt.date(2026, 11, 24), dt.date(2026, 11, 26))]
    assert working_days_open(friday, dt.date(2026, 11, 27), pauses) == 3
    # An open pause runs to the end.
    assert working_days_open(friday, dt.date(2026, 11, 27), [(dt.date(2026, 11, 25), None)]) == 3


@given(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 1, 1)), st.integers(0, 60))
def test_adding_then_counting_working_days_round_trips(start: dt.date, days: int) -> None:
    assert working_days_between(start, add_working_days(start, days)) == days
