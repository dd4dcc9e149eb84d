"""An export authorisation's lifecycle as data (pure: no database); the engine (excon.core.workflow) applies it.

draft ─submit→ submitted ─refer→ before the commission ─grant→ granted ─suspend→ suspended ─reinstate→ granted
             submitted ─return→ draft           └─refuse→ refused
granted / suspended ─revoke→ revoked;  granted ─expire→ expired;  granted / expired ─replace→ renewed
draft / submitted ─withdraw→ withdrawn
"""

from __future__ import annotations

from excon.core.workflow import SYSTEM, Move, TransitionTable

from .enums import AuditVerb as V
from .enums import AuthorisationAction as A
from .enums import AuthorisationStatus as S

# Who makes each move (policies.can_transition_authorisation).
HOLDER = "holder"
OFFICER = "officer"  # case and senior officers of the authority (the commission's secretary)
SENIOR = "senior"  # senior officers of the authority

TABLE = TransitionTable(
    entity="authorisation",
    actions=A,
    noun="export authorisation",
    comment_field="reason",
    system_label="system:regime",
    moves=(
        Move(S.DRAFT, A.SUBMIT, S.SUBMITTED, HOLDER, V.AUTHORISATION_SUBMIT),
        Move(S.DRAFT, A.WITHDRAW, S.WITHDRAWN, HOLDER, V.AUTHORISATION_WITHDRAW),
        Move(S.SUBMITTED, A.WITHDRAW, S.WITHDRAWN, HOLDER, V.AUTHORISATION_WITHDRAW),
        Move(S.SUBMITTED, A.RETURN, S.DRAFT, OFFICER, V.AUTHORISATION_RETURN, "say what evidence is missing"),
        Move(S.SUBMITTED, A.REFER, S.IN_COMMISSION, OFFICER, V.AUTHORISATION_REFER),
        Move(S.IN_COMMISSION, A.GRANT, S.GRANTED, OFFICER, V.AUTHORISATION_GRANT, "give the decision's reasons"),
        Move(S.IN_COMMISSION, A.REFUSE, S.REFUSED, OFFICER, V.AUTHORISATION_REFUSE, "give the decision's reasons"),
        Move(S.GRANTED, A.SUSPEND, S.SUSPENDED, SENIOR, V.AUTHORISATION_SUSPEND, "give the reason"),
        Move(S.SUSPENDED, A.REINSTATE, S.GRANTED, SENIOR, V.AUTHORISATION_REINSTATE, "give the reason"),
        Move(S.GRANTED, A.REVOKE, S.REVOKED, SENIOR, V.AUTHORISATION_REVOKE, "give the reason"),
        Move(S.SUSPENDED, A.REVOKE, S.REVOKED, SENIOR, V.AUTHORISATION_REVOKE, "give the reason"),
        Move(S.GRANTED, A.EXPIRE, S.EXPIRED, SYSTEM, V.AUTHORISATION_EXPIRE),
        Move(S.GRANTED, A.REPLACE, S.RENEWED, SYSTEM, V.AUTHORISATION_REPLACE),
        Move(S.EXPIRED, A.REPLACE, S.RENEWED, SYSTEM, V.AUTHORISATION_REPLACE),
    ),
)

# The holder changes the scope and the evidence only while it is a draft.
EDITABLE_STATES = frozenset({S.DRAFT})
# A renewal is applied for while the authorisation is in force or after it expired.
RENEWABLE_STATES = frozenset({S.GRANTED, S.EXPIRED})
# Cases the authority still works on.
OPEN_STATES = frozenset({S.SUBMITTED, S.IN_COMMISSION})
# An authorisation that once let its holder export (the register lists the granted ones, and the check explains
# the others).
DECIDED_STATES = frozenset({S.GRANTED, S.SUSPENDED, S.REVOKED, S.EXPIRED, S.RENEWED})
