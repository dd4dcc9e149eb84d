"""The product workflow table, walked without a database: every move allowed by the table leads where it says,
and every other (state, action) pair is refused."""

from __future__ import annotations

import itertools

import pytest

from excon.products import workflow
from excon.products.enums import ProductAction, ProductStatus

EXPECTED = {
    (ProductStatus.DRAFT, ProductAction.SUBMIT): ProductStatus.SUBMITTED,
    (ProductStatus.RETURNED, ProductAction.SUBMIT): ProductStatus.SUBMITTED,
    (ProductStatus.SUBMITTED, ProductAction.START_REVIEW): ProductStatus.UNDER_REVIEW,
    (ProductStatus.UNDER_REVIEW, ProductAction.RETURN): ProductStatus.RETURNED,
    (ProductStatus.UNDER_REVIEW, ProductAction.DECIDE): ProductStatus.DECIDED,
    (ProductStatus.DECIDED, ProductAction.REOPEN): ProductStatus.UNDER_REVIEW,
}


@pytest.mark.parametrize(("state", "action"), list(itertools.product(ProductStatus, ProductAction)))
def test_every_state_and_action(state: ProductStatus, action: ProductAction) -> None:
    assert workflow.target_of(state, action) == EXPECTED.get((state, action))


def test_table_is_exactly_the_expected_moves() -> None:
    table = {(source, action): target for (source, target), action in workflow.TRANSITIONS.items()}
    assert table == EXPECTED


def test_every_action_has_one_kind_of_actor() -> None:
    assert set(ProductAction) == workflow.EXPORTER_ACTIONS | workflow.EXPERT_ACTIONS
    assert not workflow.EXPORTER_ACTIONS & workflow.EXPERT_ACTIONS


def test_decided_is_reachable_only_through_review() -> None:
    sources = {source for (source, target) in workflow.TRANSITIONS if target == ProductStatus.DECIDED}
    assert sources == {ProductStatus.UNDER_REVIEW}


def test_actions_from_lists_outgoing_moves() -> None:
    assert workflow.actions_from(ProductStatus.UNDER_REVIEW) == [ProductAction.RETURN, ProductAction.DECIDE]
    assert workflow.actions_from(ProductStatus.DRAFT) == [ProductAction.SUBMIT]
