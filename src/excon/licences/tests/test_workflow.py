"""The licence workflow table, walked without a database."""

from __future__ import annotations

import itertools

import pytest

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
    assert workflow.target_of(state, action) == EXPECTED.get((state, action))


def test_actors() -> None:
    assert workflow.actor_kind_for(A.SURRENDER) == workflow.HOLDER
    assert workflow.actor_kind_for(A.EXPIRE) == workflow.SYSTEM
    assert workflow.actor_kind_for(A.SUSPEND) == workflow.AUTHORITY


def test_historical_records_never_move() -> None:
    assert not [action for action in A if workflow.target_of(S.HISTORICAL, action)]
    assert {S.ACTIVE} == workflow.SHIPPABLE_STATES
