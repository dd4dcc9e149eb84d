"""The product lifecycle as data. Pure: no database, no Django models, testable on its own; the engine
(excon.core.workflow.transition) applies it.

draft → submitted → under review → (returned for changes ↔ resubmitted) → decided
decided → under review again when an expert reopens it (e.g. documentation changed after the decision)
"""

from __future__ import annotations

from excon.core.workflow import Move, TransitionTable

from .enums import AuditVerb as V
from .enums import ProductAction as A
from .enums import ProductStatus as S

# Who performs each move: the manufacturer's staff or the defence ministry's technical experts.
EXPORTER = "exporter"
EXPERT = "expert"

TABLE = TransitionTable(
    entity="product",
    actions=A,
    moves=(
        Move(S.DRAFT, A.SUBMIT, S.SUBMITTED, EXPORTER, V.PRODUCT_SUBMIT),
        Move(S.RETURNED, A.SUBMIT, S.SUBMITTED, EXPORTER, V.PRODUCT_SUBMIT),
        Move(S.SUBMITTED, A.START_REVIEW, S.UNDER_REVIEW, EXPERT, V.PRODUCT_START_REVIEW),
        Move(S.UNDER_REVIEW, A.RETURN, S.RETURNED, EXPERT, V.PRODUCT_RETURN, "say what the manufacturer must change"),
        Move(S.UNDER_REVIEW, A.DECIDE, S.DECIDED, EXPERT, V.PRODUCT_DECIDE),
        Move(S.DECIDED, A.REOPEN, S.UNDER_REVIEW, EXPERT, V.PRODUCT_REOPEN),
    ),
)

# States in which the exporter may still change the product's particulars.
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})
# States in which the expert works on documents, classification and the decision.
REVIEW_STATES = frozenset({S.UNDER_REVIEW})
