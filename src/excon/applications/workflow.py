"""The case lifecycle as data (pure: no database). `application_transition` is the one service that applies it.

draft ─submit→ submitted ─checks_passed→ under review ⇄ awaiting information
                   └─checks_failed→ checks failed ─recheck→ under review
under review ─mark_ready→ ready for commission ─decide→ decided ─appeal→ appealed ─decide_appeal→ decided
ready for commission ─send_back→ under review
any open state ─withdraw→ withdrawn;  ─supersede→ superseded (an amendment replaces it)
"""

from __future__ import annotations

from .enums import ApplicationAction as A
from .enums import ApplicationStatus as S

# Who may make each move. "system" moves are made by services themselves (the checks), never by a person.
EXPORTER = "exporter"
CASE_OFFICER = "case_officer"
COMMISSION_SECRETARY = "commission_secretary"
APPEAL_REVIEWER = "appeal_reviewer"
SYSTEM = "system"

OPEN_STATES = (S.SUBMITTED, S.CHECKS_FAILED, S.UNDER_REVIEW, S.AWAITING_INFORMATION, S.READY_FOR_COMMISSION)

TRANSITIONS: dict[tuple[str, str], tuple[A, str]] = {
    (S.DRAFT, S.SUBMITTED): (A.SUBMIT, EXPORTER),
    (S.SUBMITTED, S.UNDER_REVIEW): (A.CHECKS_PASSED, SYSTEM),
    (S.SUBMITTED, S.CHECKS_FAILED): (A.CHECKS_FAILED, SYSTEM),
    (S.CHECKS_FAILED, S.UNDER_REVIEW): (A.RECHECK, CASE_OFFICER),
    (S.UNDER_REVIEW, S.AWAITING_INFORMATION): (A.REQUEST_INFORMATION, CASE_OFFICER),
    (S.AWAITING_INFORMATION, S.UNDER_REVIEW): (A.ANSWER_INFORMATION, EXPORTER),
    (S.UNDER_REVIEW, S.READY_FOR_COMMISSION): (A.MARK_READY, CASE_OFFICER),
    (S.READY_FOR_COMMISSION, S.UNDER_REVIEW): (A.SEND_BACK, CASE_OFFICER),
    (S.READY_FOR_COMMISSION, S.DECIDED): (A.DECIDE, COMMISSION_SECRETARY),
    (S.DECIDED, S.APPEALED): (A.APPEAL, EXPORTER),
    (S.APPEALED, S.DECIDED): (A.DECIDE_APPEAL, APPEAL_REVIEWER),
    **{(state, S.WITHDRAWN): (A.WITHDRAW, EXPORTER) for state in OPEN_STATES},
    **{(state, S.SUPERSEDED): (A.SUPERSEDE, EXPORTER) for state in OPEN_STATES},
}

# The exporter may change the application's contents only while it is a draft.
EDITABLE_STATES = frozenset({S.DRAFT})
# Where the case officer works the case (advice, information requests, resolution of conflicts).
REVIEW_STATES = frozenset({S.UNDER_REVIEW, S.CHECKS_FAILED})
# The clock stops while the authority waits for the exporter.
PAUSED_STATES = frozenset({S.AWAITING_INFORMATION})
TERMINAL_STATES = frozenset({S.WITHDRAWN, S.SUPERSEDED})


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


def actions_from(current: str) -> list[A]:
    return [move for (source, _), (move, _) in TRANSITIONS.items() if source == current]
