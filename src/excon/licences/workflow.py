"""The licence lifecycle as data (pure); the engine (excon.core.workflow.transition) applies it.

    active ⇄ suspended;  active|suspended → revoked;  active → surrendered
    active → expired (past its validity) and active → exhausted (every line used), by themselves
    exhausted → active when a correction gives quantity back
Imported historical records are outside the table: nothing moves them.
"""

from __future__ import annotations

from excon.core.workflow import SYSTEM, Move, TransitionTable

from .enums import AuditVerb as V
from .enums import LicenceAction as A
from .enums import LicenceStatus as S

AUTHORITY = "authority"
HOLDER = "holder"
REASON = "give the reason"  # every move a person makes says why

TABLE = TransitionTable(
    entity="licence",
    actions=A,
    comment_field="reason",
    system_label="system:licences",
    moves=(
        Move(S.ACTIVE, A.SUSPEND, S.SUSPENDED, AUTHORITY, V.LICENCE_SUSPEND, REASON),
        Move(S.SUSPENDED, A.REINSTATE, S.ACTIVE, AUTHORITY, V.LICENCE_REINSTATE, REASON),
        Move(S.ACTIVE, A.REVOKE, S.REVOKED, AUTHORITY, V.LICENCE_REVOKE, REASON),
        Move(S.SUSPENDED, A.REVOKE, S.REVOKED, AUTHORITY, V.LICENCE_REVOKE, REASON),
        Move(S.ACTIVE, A.SURRENDER, S.SURRENDERED, HOLDER, V.LICENCE_SURRENDER, REASON),
        Move(S.SUSPENDED, A.SURRENDER, S.SURRENDERED, HOLDER, V.LICENCE_SURRENDER, REASON),
        Move(S.ACTIVE, A.EXPIRE, S.EXPIRED, SYSTEM, V.LICENCE_EXPIRE),
        Move(S.SUSPENDED, A.EXPIRE, S.EXPIRED, SYSTEM, V.LICENCE_EXPIRE),
        Move(S.ACTIVE, A.EXHAUST, S.EXHAUSTED, SYSTEM, V.LICENCE_EXHAUST),
        Move(S.EXHAUSTED, A.REOPEN, S.ACTIVE, SYSTEM, V.LICENCE_REOPEN),
    ),
)

# Shipments may be recorded only against an active licence.
SHIPPABLE_STATES = frozenset({S.ACTIVE})
