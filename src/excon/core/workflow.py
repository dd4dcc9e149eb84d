"""The one workflow engine: a transition table per entity (data, in the app's workflow.py) and one `transition()`
that applies a move under a row lock, checks the table and the permission, changes the status and audits it.

An app declares its table once, binds its policy (and any rule the table alone cannot express) in
AppConfig.ready() with `register_workflow`, and its services, pages, API and tasks call `transition()`:

    TABLE = TransitionTable(entity="permit", actions=PermitAction, moves=(
        Move(S.DRAFT, A.SUBMIT, S.SUBMITTED, who=HOLDER, verb=V.SUBMIT),
        Move(S.SUBMITTED, A.EXPIRE, S.EXPIRED, who=SYSTEM, verb=V.EXPIRE),
    ))
    register_workflow(Permit, TABLE, policy=policies.can_transition_permit)   # in ready()
    transition(permit, "submit", actor=user, comment="ready")

`core` imports no app: the audit writer is handed to the engine by the audit app (`register_recorder`), and the
actor is whatever the app's policy accepts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol, TypeVar

from django.db import models, transaction
from django.utils import timezone

from .errors import InvalidTransition, PermissionDenied, ValidationError
from .validation import clean_text

# The `who` of moves ExCon makes itself (checks passed, licence expired): refused to any person.
SYSTEM = "system"


@dataclass(frozen=True)
class Move:
    """One row of a table: from `source`, `action` leads to `target`. `who` names the kind of person the app's
    policy must recognise (or SYSTEM); `verb` is the audit verb written; `needs_comment`, when set, is the message
    asking for the comment (or reason) this move cannot be made without."""

    source: str
    action: str
    target: str
    who: str
    verb: Enum
    needs_comment: str = ""


@dataclass(frozen=True)
class TransitionTable:
    """An entity's lifecycle as data (pure: no database). `entity` prefixes the error codes
    (`<entity>.invalid_transition`, `<entity>.unknown_action`, `<entity>.<comment_field>_required`) and names the
    thing in messages; `comment_field` is what the audit payload and the errors call the comment."""

    entity: str
    actions: type[models.TextChoices]
    moves: tuple[Move, ...]
    noun: str = ""
    comment_field: str = "comment"
    system_label: str = "system"

    def __post_init__(self) -> None:
        seen = [(move.source, move.action) for move in self.moves]
        if len(seen) != len(set(seen)):
            raise ValueError(f"{self.entity}: one (state, action) pair leads to two states")
        for action in {move.action for move in self.moves}:
            if len({move.who for move in self.moves if move.action == action}) != 1:
                raise ValueError(f"{self.entity}: action {action!r} is made by more than one kind of actor")

    @property
    def named(self) -> str:
        return self.noun or self.entity

    @property
    def a_named(self) -> str:
        return f"{'an' if self.named[0] in 'aeiou' else 'a'} {self.named}"

    def move(self, current: str, action: str) -> Move | None:
        return next((m for m in self.moves if m.source == current and m.action == action), None)

    def target_of(self, current: str, action: str) -> str | None:
        """The state `action` leads to from `current`, or None if that move is not in the table."""
        move = self.move(current, action)
        return move.target if move else None

    def actor_kind_for(self, action: str) -> str:
        """Who makes `action` (KeyError for an action that is in no move)."""
        for move in self.moves:
            if move.action == action:
                return move.who
        raise KeyError(action)

    def is_system(self, action: str) -> bool:
        return self.actor_kind_for(action) == SYSTEM

    def actions_from(self, current: str) -> list[Any]:
        """The actions leading out of `current`, in table order (the app's action enum members)."""
        return [self.actions(m.action) for m in self.moves if m.source == current]

    def as_dict(self) -> dict[tuple[str, str], str]:
        """(state, action) → state, for tests walking every pair."""
        return {(m.source, m.action): m.target for m in self.moves}


class Recorder(Protocol):
    def __call__(self, *, actor: Any, verb: Any, target: Any, payload: dict[str, Any], system_label: str) -> object: ...


# Hooks an app may bind besides its policy. `check` refuses (with a DomainError) a move the state alone allows,
# `stamp` sets the other fields a move changes and returns their names, `after` runs follow-ups (notifications)
# in the same transaction.
Check = Callable[[Any, Move], None]
Stamp = Callable[[Any, Move, dt.datetime], Iterable[str]]
After = Callable[[Any, Move, Any, str], None]


@dataclass(frozen=True)
class Workflow:
    table: TransitionTable
    policy: Callable[[Any, Any, str], bool]
    check: Check | None = None
    stamp: Stamp | None = None
    after: After | None = None


@dataclass
class _Registry:
    workflows: dict[type[models.Model], Workflow] = field(default_factory=dict)
    recorder: Recorder | None = None


_REGISTRY = _Registry()


def register_workflow(
    model: type[models.Model],
    table: TransitionTable,
    *,
    policy: Callable[[Any, Any, str], bool],
    check: Check | None = None,
    stamp: Stamp | None = None,
    after: After | None = None,
) -> Workflow:
    """Bind `model`'s table to its policy and hooks (called from the app's AppConfig.ready())."""
    workflow = Workflow(table, policy, check, stamp, after)
    _REGISTRY.workflows[model] = workflow
    return workflow


def register_recorder(recorder: Recorder) -> None:
    """The audit app hands over audit_record() here, so core needs no upward import."""
    _REGISTRY.recorder = recorder


def workflow_of(model: type[models.Model]) -> Workflow:
    try:
        return _REGISTRY.workflows[model]
    except KeyError:
        raise LookupError(f"no workflow registered for {model.__name__}") from None


M = TypeVar("M", bound=models.Model)


@transaction.atomic
def transition(
    obj: M,
    action: str,
    *,
    actor: Any,
    comment: str = "",
    payload: dict[str, Any] | None = None,
    system: bool = False,
    workflow: Workflow | None = None,
) -> M:
    """Apply one move of `obj`'s table and return the re-read, moved object. `system=True` is for the moves ExCon
    itself makes; those are refused to any person, and only those may have `actor=None`. Everything is checked
    before anything is written; the move is audited with its source, target and comment (plus `payload`)."""
    model = type(obj)
    flow = workflow or workflow_of(model)
    table = flow.table
    recorder = _REGISTRY.recorder
    if recorder is None:
        raise LookupError("no audit recorder registered (is excon.audit installed?)")
    obj = model._default_manager.select_for_update().get(pk=obj.pk)
    if action not in table.actions.values:
        raise ValidationError(
            f"unknown action {action!r}", code=f"{table.entity}.unknown_action", details={"field": "action"}
        )
    label = table.actions(action).label
    if table.is_system(action):
        if not system:
            raise PermissionDenied("ExCon makes this move itself")
    elif actor is None or not flow.policy(actor, obj, action):
        raise PermissionDenied(f"you may not {label.lower()} this {table.named}")
    current = obj.status  # type: ignore[attr-defined]
    move = table.move(current, action)
    if move is None:
        status = obj.get_status_display().lower()  # type: ignore[attr-defined]
        raise InvalidTransition(
            f"{table.a_named} that is {status} cannot be moved by “{label}”",
            code=f"{table.entity}.invalid_transition",
            details={"status": current, "action": action},
        )
    comment = clean_text(comment)
    if move.needs_comment and not comment:
        raise ValidationError(
            move.needs_comment,
            code=f"{table.entity}.{table.comment_field}_required",
            details={"field": table.comment_field},
        )
    if flow.check is not None:
        flow.check(obj, move)
    now = timezone.now()
    obj.status = move.target  # type: ignore[attr-defined]
    fields = ["status", "updated_at"]
    if hasattr(obj, "status_changed_at"):
        obj.status_changed_at = now
        fields.append("status_changed_at")
    if flow.stamp is not None:
        fields.extend(flow.stamp(obj, move, now))
    obj.save(update_fields=fields)
    recorder(
        actor=actor,
        verb=move.verb,
        target=obj,
        payload={"from": current, "to": move.target, table.comment_field: comment, **(payload or {})},
        system_label=table.system_label,
    )
    if flow.after is not None:
        flow.after(obj, move, actor, comment)
    return obj
