"""The product lifecycle as data. Pure: no database, no Django models, testable on its own.

draft → submitted → under review → (returned for changes ↔ resubmitted) → decided
decided → under review again when an expert reopens it (e.g. documentation changed after the decision)
"""

from __future__ import annotations

from .enums import ProductAction
from .enums import ProductStatus as S

# (from, to) → the action (and so the permission) that move needs.
TRANSITIONS: dict[tuple[str, str], ProductAction] = {
    (S.DRAFT, S.SUBMITTED): ProductAction.SUBMIT,
    (S.RETURNED, S.SUBMITTED): ProductAction.SUBMIT,
    (S.SUBMITTED, S.UNDER_REVIEW): ProductAction.START_REVIEW,
    (S.UNDER_REVIEW, S.RETURNED): ProductAction.RETURN,
    (S.UNDER_REVIEW, S.DECIDED): ProductAction.DECIDE,
    (S.DECIDED, S.UNDER_REVIEW): ProductAction.REOPEN,
}

# Who performs each action: the manufacturer's staff or the defence ministry's technical experts.
EXPORTER_ACTIONS = frozenset({ProductAction.SUBMIT})
EXPERT_ACTIONS = frozenset(
    {ProductAction.START_REVIEW, ProductAction.RETURN, ProductAction.DECIDE, ProductAction.REOPEN}
)

# States in which the exporter may still change the product's particulars.
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})
# States in which the expert works on documents, classification and the decision.
REVIEW_STATES = frozenset({S.UNDER_REVIEW})


def target_of(current: str, action: str) -> str | None:
    """The state `action` leads to from `current`, or None if that move is not in the table."""
    for (source, target), move in TRANSITIONS.items():
        if source == current and move == action:
            return target
    return None


def actions_from(current: str) -> list[ProductAction]:
    return [move for (source, _), move in TRANSITIONS.items() if source == current]
