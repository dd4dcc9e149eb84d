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
    assert workflow.TABLE.target_of(state, action) == EXPECTED.get((state, action))


def test_table_is_exactly_the_expected_moves() -> None:
    assert workflow.TABLE.as_dict() == EXPECTED


def test_every_action_has_one_kind_of_actor() -> None:
    kinds = {action: workflow.TABLE.actor_kind_for(action) for action in ProductAction}
    assert kinds == {
        ProductAction.SUBMIT: workflow.EXPORTER,
        ProductAction.START_REVIEW: workflow.EXPERT,
        ProductAction.RETURN: workflow.EXPERT,
        ProductAction.DECIDE: workflow.EXPERT,
        ProductAction.REOPEN: workflow.EXPERT,
    }


def test_decided_is_reachable_only_through_review() -> None:
    sources = {move.source for move in workflow.TABLE.moves if move.target == ProductStatus.DECIDED}
    assert sources == {ProductStatus.UNDER_REVIEW}


def test_actions_from_lists_outgoing_moves() -> None:
    assert workflow.TABLE.actions_from(ProductStatus.UNDER_REVIEW) == [ProductAction.RETURN, ProductAction.DECIDE]
    assert workflow.TABLE.actions_from(ProductStatus.DRAFT) == [ProductAction.SUBMIT]


def test_only_a_return_needs_a_comment() -> None:
    assert {move.action for move in workflow.TABLE.moves if move.needs_comment} == {ProductAction.RETURN}
