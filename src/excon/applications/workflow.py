"""The case lifecycle as data (pure: no database); the engine (excon.core.workflow.transition) applies it.

draft ─submit→ submitted ─checks_passed→ under review ⇄ awaiting information
                   └─checks_failed→ checks failed ─recheck→ under review
under review ─mark_ready→ ready for commission ─decide→ decided ─appeal→ appealed ─decide_appeal→ decided
ready for commission ─send_back→ under review
any open state ─withdraw→ withdrawn;  ─supersede→ superseded (an amendment replaces it)
"""

from __future__ import annotations

from excon.core.workflow import SYSTEM, Move, TransitionTable

from .enums import ApplicationAction as A
from .enums import ApplicationStatus as S
from .enums import AuditVerb as V

# Who may make each move (policies.can_transition_application); SYSTEM moves are the checks' outcome.
EXPORTER = "exporter"
CASE_OFFICER = "case_officer"
COMMISSION_SECRETARY = "commission_secretary"
APPEAL_REVIEWER = "appeal_reviewer"

OPEN_STATES = (S.SUBMITTED, S.CHECKS_FAILED, S.UNDER_REVIEW, S.AWAITING_INFORMATION, S.READY_FOR_COMMISSION)

TABLE = TransitionTable(
    entity="application",
    actions=A,
    system_label="system:checks",
    moves=(
        Move(S.DRAFT, A.SUBMIT, S.SUBMITTED, EXPORTER, V.APPLICATION_SUBMIT),
        Move(S.SUBMITTED, A.CHECKS_PASSED, S.UNDER_REVIEW, SYSTEM, V.APPLICATION_CHECKS_PASSED),
        Move(S.SUBMITTED, A.CHECKS_FAILED, S.CHECKS_FAILED, SYSTEM, V.APPLICATION_CHECKS_FAILED),
        Move(S.CHECKS_FAILED, A.RECHECK, S.UNDER_REVIEW, CASE_OFFICER, V.APPLICATION_RECHECK),
        Move(
            S.UNDER_REVIEW,
            A.REQUEST_INFORMATION,
            S.AWAITING_INFORMATION,
            CASE_OFFICER,
            V.APPLICATION_REQUEST_INFORMATION,
        ),
        Move(S.AWAITING_INFORMATION, A.ANSWER_INFORMATION, S.UNDER_REVIEW, EXPORTER, V.APPLICATION_ANSWER_INFORMATION),
        Move(S.UNDER_REVIEW, A.MARK_READY, S.READY_FOR_COMMISSION, CASE_OFFICER, V.APPLICATION_MARK_READY),
        Move(S.READY_FOR_COMMISSION, A.SEND_BACK, S.UNDER_REVIEW, CASE_OFFICER, V.APPLICATION_SEND_BACK),
        Move(S.READY_FOR_COMMISSION, A.DECIDE, S.DECIDED, COMMISSION_SECRETARY, V.APPLICATION_DECIDE),
        Move(S.DECIDED, A.APPEAL, S.APPEALED, EXPORTER, V.APPLICATION_APPEAL),
        Move(S.APPEALED, A.DECIDE_APPEAL, S.DECIDED, APPEAL_REVIEWER, V.APPLICATION_DECIDE_APPEAL),
        *(Move(state, A.WITHDRAW, S.WITHDRAWN, EXPORTER, V.APPLICATION_WITHDRAW) for state in OPEN_STATES),
        *(Move(state, A.SUPERSEDE, S.SUPERSEDED, EXPORTER, V.APPLICATION_SUPERSEDE) for state in OPEN_STATES),
    ),
)

# The exporter may change the application's contents only while it is a draft.
EDITABLE_STATES = frozenset({S.DRAFT})
# Where the case officer works the case (advice, information requests, resolution of conflicts).
REVIEW_STATES = frozenset({S.UNDER_REVIEW, S.CHECKS_FAILED})
# The clock stops while the authority waits for the exporter.
PAUSED_STATES = frozenset({S.AWAITING_INFORMATION})
TERMINAL_STATES = frozenset({S.WITHDRAWN, S.SUPERSEDED})
