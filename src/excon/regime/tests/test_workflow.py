"""The authorisation's transition table, walked pair by pair without a database."""

from __future__ import annotations

import itertools

from excon.core.workflow import SYSTEM
from excon.regime import workflow
from excon.regime.enums import AuthorisationAction as A
from excon.regime.enums import AuthorisationStatus as S

EXPECTED = {
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.DRAFT, A.WITHDRAW): S.WITHDRAWN,
    (S.SUBMITTED, A.WITHDRAW): S.WITHDRAWN,
    (S.SUBMITTED, A.RETURN): S.DRAFT,
    (S.SUBMITTED, A.REFER): S.IN_COMMISSION,
    (S.IN_COMMISSION, A.GRANT): S.GRANTED,
    (S.IN_COMMISSION, A.REFUSE): S.REFUSED,
    (S.GRANTED, A.SUSPEND): S.SUSPENDED,
    (S.SUSPENDED, A.REINSTATE): S.GRANTED,
    (S.GRANTED, A.REVOKE): S.REVOKED,
    (S.SUSPENDED, A.REVOKE): S.REVOKED,
    (S.GRANTED, A.EXPIRE): S.EXPIRED,
    (S.GRANTED, A.REPLACE): S.RENEWED,
    (S.EXPIRED, A.REPLACE): S.RENEWED,
}


def test_every_state_and_action_pair_leads_where_the_table_says() -> None:
    for state, action in itertools.product(S.values, A.values):
        assert workflow.TABLE.target_of(state, action) == EXPECTED.get((state, action)), (state, action)


def test_final_states_have_no_way_out() -> None:
    for state in (S.REFUSED, S.REVOKED, S.RENEWED, S.WITHDRAWN):
        assert workflow.TABLE.actions_from(state) == []


def test_who_makes_each_move() -> None:
    assert workflow.TABLE.actor_kind_for(A.SUBMIT) == workflow.HOLDER
    assert workflow.TABLE.actor_kind_for(A.WITHDRAW) == workflow.HOLDER
    assert {workflow.TABLE.actor_kind_for(a) for a in (A.RETURN, A.REFER, A.GRANT, A.REFUSE)} == {workflow.OFFICER}
    assert {workflow.TABLE.actor_kind_for(a) for a in (A.SUSPEND, A.REINSTATE, A.REVOKE)} == {workflow.SENIOR}
    assert workflow.TABLE.is_system(A.EXPIRE)
    assert workflow.TABLE.is_system(A.REPLACE)
    assert not workflow.TABLE.is_system(A.GRANT)


def test_decisions_and_the_authority_s_sanctions_need_a_reason() -> None:
    needing = {(m.source, m.action) for m in workflow.TABLE.moves if m.needs_comment}
    assert needing == {
        (S.SUBMITTED, A.RETURN),
        (S.IN_COMMISSION, A.GRANT),
        (S.IN_COMMISSION, A.REFUSE),
        (S.GRANTED, A.SUSPEND),
        (S.SUSPENDED, A.REINSTATE),
        (S.GRANTED, A.REVOKE),
        (S.SUSPENDED, A.REVOKE),
    }
    assert all(m.who != SYSTEM for m in workflow.TABLE.moves if m.needs_comment)


def test_each_move_is_audited_with_its_own_verb() -> None:
    verbs = {move.action: move.verb for move in workflow.TABLE.moves}
    assert set(verbs) == set(A.values)
    assert all(str(verb.value).startswith("regime.authorisation_") for verb in verbs.values())
