"""The licence workflow table, walked without a database."""

from __future__ import annotations

import itertools

import pytest

from excon.core.workflow import SYSTEM
from excon.licences import workflow
from excon.licences.enums import LicenceAction as A
from excon.licences.enums import LicenceStatus as S

EXPECTED = {
    (S.ACTIVE, A.SUSPEND): S.SUSPENDED,
    (S.SUSPENDED, A.REINSTATE): S.ACTIVE,
    (S.ACTIVE, A.REVOKE): S.REVOKED,
    (S.SUSPENDED, A.REVOKE): S.REVOKED,
    (S.ACTIVE, A.SURRENDER): S.SURRENDERED,
    (S.SUSPENDED, A.SURRENDER): S.SURRENDERED,
    (S.ACTIVE, A.EXPIRE): S.EXPIRED,
    (S.SUSPENDED, A.EXPIRE): S.EXPIRED,
    (S.ACTIVE, A.EXHAUST): S.EXHAUSTED,
    (S.EXHAUSTED, A.REOPEN): S.ACTIVE,
}


@pytest.mark.parametrize(("state", "action"), list(itertools.product(S, A)))
def test_every_state_and_action(state: S, action: A) -> None:
    assert workflow.TABLE.target_of(state, action) == EXPECTED.get((state, action))


def test_actors() -> None:
    assert workflow.TABLE.actor_kind_for(A.SURRENDER) == workflow.HOLDER
    assert workflow.TABLE.actor_kind_for(A.EXPIRE) == SYSTEM
    assert workflow.TABLE.actor_kind_for(A.SUSPEND) == workflow.AUTHORITY


def test_historical_records_never_move() -> None:
    assert not [action for action in A if workflow.TABLE.target_of(S.HISTORICAL, action)]
    assert {S.ACTIVE} == workflow.SHIPPABLE_STATES


def test_every_move_a_person_makes_needs_a_reason() -> None:
    assert all(bool(move.needs_comment) == (move.who != SYSTEM) for move in workflow.TABLE.moves)
