"""The workflow engine (excon.core.workflow) on a test-only table over the Product model: an allowed move, a move
the table does not have, a wrong permission, a system move refused to a person, the hooks, the audit entry, and
two simultaneous moves on PostgreSQL of which exactly one wins."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, models

from excon.accounts.tests.factories import user_with_role
from excon.applications.tests.test_concurrency import run_together
from excon.audit.labels import register_verbs
from excon.audit.models import AuditEntry
from excon.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationError
from excon.core.roles import Role
from excon.core.workflow import SYSTEM, Move, TransitionTable, Workflow, transition
from excon.products.enums import ProductStatus as S
from excon.products.models import Product

from .factories import ProductFactory


class SpecimenAction(models.TextChoices):
    SUBMIT = "submit", "Submit"
    RETURN = "return", "Send back"
    CLOSE = "close", "Close"


class SpecimenVerb(models.TextChoices):
    SUBMIT = "specimen.submit", "Submitted the specimen"
    RETURN = "specimen.return", "Sent the specimen back"
    CLOSE = "specimen.close", "Closed the specimen"


register_verbs(SpecimenVerb)

A, V = SpecimenAction, SpecimenVerb
TABLE = TransitionTable(
    entity="specimen",
    actions=A,
    system_label="system:specimens",
    moves=(
        Move(S.DRAFT, A.SUBMIT, S.SUBMITTED, "owner", V.SUBMIT),
        Move(S.SUBMITTED, A.RETURN, S.RETURNED, "owner", V.RETURN, "say why"),
        Move(S.SUBMITTED, A.CLOSE, S.DECIDED, SYSTEM, V.CLOSE),
    ),
)


def owner_only(owner: Any) -> Workflow:
    return Workflow(TABLE, policy=lambda actor, obj, action: actor.pk == owner.pk)


@pytest.fixture
def owner() -> Any:
    return user_with_role(Role.EXPORTER_USER)


def entries() -> int:
    return AuditEntry.objects.count()


@pytest.mark.django_db
def test_an_allowed_move_changes_the_status_and_audits_it(owner: Any) -> None:
    product = ProductFactory(manufacturer=owner.organisation)
    moved = transition(product, A.SUBMIT, actor=owner, comment="  ready  ", workflow=owner_only(owner))
    assert moved.status == S.SUBMITTED
    assert moved.status_changed_at is not None
    product.refresh_from_db()
    assert product.status == S.SUBMITTED
    entry = AuditEntry.objects.get()
    assert (entry.verb, entry.actor_id, entry.target_id) == ("specimen.submit", owner.pk, str(product.pk))
    assert entry.payload == {"from": "draft", "to": "submitted", "comment": "ready"}


@pytest.mark.django_db
def test_a_move_not_in_the_table_is_refused_with_its_code(owner: Any) -> None:
    product = ProductFactory(manufacturer=owner.organisation, status=S.DECIDED)
    with pytest.raises(InvalidTransition) as refused:
        transition(product, A.SUBMIT, actor=owner, workflow=owner_only(owner))
    assert refused.value.code == "specimen.invalid_transition"
    assert refused.value.details == {"status": "decided", "action": "submit"}
    assert "cannot be moved by “Submit”" in refused.value.message
    product.refresh_from_db()
    assert (product.status, entries()) == (S.DECIDED, 0)


@pytest.mark.django_db
def test_an_unknown_action_is_a_validation_error(owner: Any) -> None:
    product = ProductFactory(manufacturer=owner.organisation)
    with pytest.raises(ValidationError) as refused:
        transition(product, "explode", actor=owner, workflow=owner_only(owner))
    assert (refused.value.code, refused.value.details) == ("specimen.unknown_action", {"field": "action"})


@pytest.mark.django_db
def test_the_wrong_person_is_refused_before_anything_is_written(owner: Any) -> None:
    product = ProductFactory(manufacturer=owner.organisation)
    stranger = user_with_role(Role.EXPORTER_USER)
    with pytest.raises(PermissionDenied, match="you may not submit this specimen"):
        transition(product, A.SUBMIT, actor=stranger, workflow=owner_only(owner))
    with pytest.raises(PermissionDenied):
        transition(product, A.SUBMIT, actor=None, workflow=owner_only(owner))
    product.refresh_from_db()
    assert (product.status, entries()) == (S.DRAFT, 0)


@pytest.mark.django_db
def test_a_system_move_is_refused_to_a_person_and_made_by_excon(owner: Any) -> None:
    product = ProductFactory(manufacturer=owner.organisation, status=S.SUBMITTED)
    flow = Workflow(TABLE, policy=lambda actor, obj, action: True)  # even a policy allowing everyone
    with pytest.raises(PermissionDenied, match="ExCon makes this move itself"):
        transition(product, A.CLOSE, actor=owner, workflow=flow)
    assert entries() == 0
    moved = transition(product, A.CLOSE, actor=None, system=True, payload={"why": "done"}, workflow=flow)
    assert moved.status == S.DECIDED
    entry = AuditEntry.objects.get()
    assert (entry.actor_id, entry.actor_repr, entry.verb) == (None, "system:specimens", "specimen.close")
    assert entry.payload == {"from": "submitted", "to": "decided", "comment": "", "why": "done"}


@pytest.mark.django_db
def test_a_move_that_needs_a_comment_refuses_a_blank_one(owner: Any) -> None:
    product = ProductFactory(manufacturer=owner.organisation, status=S.SUBMITTED)
    with pytest.raises(ValidationError) as refused:
        transition(product, A.RETURN, actor=owner, comment="   ", workflow=owner_only(owner))
    assert (refused.value.code, refused.value.message) == ("specimen.comment_required", "say why")
    assert refused.value.details == {"field": "comment"}
    assert entries() == 0


@pytest.mark.django_db
def test_hooks_check_stamp_and_follow_up_in_order(owner: Any) -> None:
    product = ProductFactory(manufacturer=owner.organisation, needs_review=True)
    calls: list[str] = []

    def refuse(obj: Product, move: Move) -> None:
        calls.append("check")
        raise Conflict("not today", code="specimen.not_today")

    def stamp(obj: Product, move: Move, now: dt.datetime) -> list[str]:
        calls.append("stamp")
        obj.needs_review = False
        return ["needs_review"]

    def after(obj: Product, move: Move, actor: Any, comment: str) -> None:
        calls.append(f"after:{move.target}:{comment}:{entries()}")

    policy = owner_only(owner).policy
    with pytest.raises(Conflict, match="not today"):
        transition(product, A.SUBMIT, actor=owner, workflow=Workflow(TABLE, policy, check=refuse))
    product.refresh_from_db()
    assert (product.status, entries(), calls) == (S.DRAFT, 0, ["check"])

    transition(product, A.SUBMIT, actor=owner, comment="go", workflow=Workflow(TABLE, policy, stamp=stamp, after=after))
    product.refresh_from_db()
    assert (product.status, product.needs_review) == (S.SUBMITTED, False)
    assert calls == ["check", "stamp", "after:submitted:go:1"]  # the follow-up runs after the audit entry


def test_a_table_with_two_targets_for_one_pair_is_refused() -> None:
    with pytest.raises(ValueError, match="leads to two states"):
        TransitionTable(
            entity="x",
            actions=A,
            moves=(
                Move(S.DRAFT, A.SUBMIT, S.SUBMITTED, "owner", V.SUBMIT),
                Move(S.DRAFT, A.SUBMIT, S.DECIDED, "owner", V.SUBMIT),
            ),
        )
    with pytest.raises(ValueError, match="more than one kind of actor"):
        TransitionTable(
            entity="x",
            actions=A,
            moves=(
                Move(S.DRAFT, A.SUBMIT, S.SUBMITTED, "owner", V.SUBMIT),
                Move(S.RETURNED, A.SUBMIT, S.SUBMITTED, SYSTEM, V.SUBMIT),
            ),
        )


def test_table_queries() -> None:
    assert TABLE.target_of(S.SUBMITTED, A.RETURN) == S.RETURNED
    assert TABLE.target_of(S.DRAFT, A.RETURN) is None
    assert TABLE.actions_from(S.SUBMITTED) == [A.RETURN, A.CLOSE]
    assert TABLE.is_system(A.CLOSE)
    assert not TABLE.is_system(A.SUBMIT)
    with pytest.raises(KeyError):
        TABLE.actor_kind_for("explode")


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_moves_one_wins_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is tested on PostgreSQL (SQLite serialises every writer)")
    owner = user_with_role(Role.EXPORTER_USER)
    product = ProductFactory(manufacturer=owner.organisation)
    flow = owner_only(owner)
    results = run_together([lambda: transition(product, A.SUBMIT, actor=owner, workflow=flow) for _ in range(2)])
    refused = [result for result in results if isinstance(result, Exception)]
    assert len(refused) == 1
    assert isinstance(refused[0], InvalidTransition)
    assert AuditEntry.objects.filter(verb="specimen.submit").count() == 1
