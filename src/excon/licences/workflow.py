"""The licence lifecycle as data (pure).

    active ⇄ suspended;  active|suspended → revoked;  active → surrendered
    active → expired (past its validity) and active → exhausted (every line used), by themselves
    exhausted → active when a correction gives quantity back
Imported historical records are outside the table: nothing moves them.
"""

from __future__ import annotations

from .enums import LicenceAction as A
from .enums import LicenceStatus as S

AUTHORITY = "authority"
HOLDER = "holder"
SYSTEM = "system"

TRANSITIONS: dict[tuple[str, str], tuple[A, str]] = {
    (S.ACTIVE, S.SUSPENDED): (A.SUSPEND, AUTHORITY),
    (S.SUSPENDED, S.ACTIVE): (A.REINSTATE, AUTHORITY),
    (S.ACTIVE, S.REVOKED): (A.REVOKE, AUTHORITY),
    (S.SUSPENDED, S.REVOKED): (A.REVOKE, AUTHORITY),
    (S.ACTIVE, S.SURRENDERED): (A.SURRENDER, HOLDER),
    (S.SUSPENDED, S.SURRENDERED): (A.SURRENDER, HOLDER),
    (S.ACTIVE, S.EXPIRED): (A.EXPIRE, SYSTEM),
    (S.SUSPENDED, S.EXPIRED): (A.EXPIRE, SYSTEM),
    (S.ACTIVE, S.EXHAUSTED): (A.EXHAUST, SYSTEM),
    (S.EXHAUSTED, S.ACTIVE): (A.REOPEN, SYSTEM),
}

# Shipments may be recorded only against an active licence.
SHIPPABLE_STATES = frozenset({S.ACTIVE})


def target_of(current: str, action: str) -> str | None:
    for (source, target), (move, _) in TRANSITIONS.items():
        if source == current and move == action:
            return target
    return None


def actor_kind_for(action: str) -> str:
    kinds = {who for (move, who) in TRANSITIONS.values() if move == action}
    if len(kinds) != 1:
        raise KeyError(action)
    return kinds.pop()
