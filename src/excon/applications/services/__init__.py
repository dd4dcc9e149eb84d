"""Writes to licence applications. Topic modules: drafting (the exporter's draft and amendments), submission
(checks and routing), review (advice, information requests, readiness, withdrawal), commission (meetings, votes,
decisions, denials, appeals), configuration (routing rules, risk profiles, saved filters); transitions holds the
one service that changes an application's status."""

from .commission import (
    agenda_add,
    appeal_decide,
    appeal_lodge,
    decision_countersign,
    decision_record,
    meeting_close,
    meeting_create,
    meeting_open,
    meeting_set_members,
    vote_cast,
)
from .configuration import (
    risk_profile_set,
    routing_rule_create,
    routing_rule_update,
    saved_filter_delete,
    saved_filter_save,
)
from .drafting import (
    application_amend,
    application_create,
    application_update,
    document_attach,
    end_user_certificate_set,
    goods_line_add,
    goods_line_remove,
    party_add,
    party_remove,
)
from .review import (
    advice_countersign,
    advice_give,
    application_mark_ready,
    application_withdraw,
    conflict_resolve,
    consolidated_advice,
    information_answer,
    information_request,
    readiness_problems,
)
from .submission import application_assign, application_recheck, application_submit, run_checks
from .transitions import application_transition

__all__ = [
    "advice_countersign",
    "advice_give",
    "agenda_add",
    "appeal_decide",
    "appeal_lodge",
    "application_amend",
    "application_assign",
    "application_create",
    "application_mark_ready",
    "application_recheck",
    "application_submit",
    "application_transition",
    "application_update",
    "application_withdraw",
    "conflict_resolve",
    "consolidated_advice",
    "decision_countersign",
    "decision_record",
    "document_attach",
    "end_user_certificate_set",
    "goods_line_add",
    "goods_line_remove",
    "information_answer",
    "information_request",
    "meeting_close",
    "meeting_create",
    "meeting_open",
    "meeting_set_members",
    "party_add",
    "party_remove",
    "readiness_problems",
    "risk_profile_set",
    "routing_rule_create",
    "routing_rule_update",
    "run_checks",
    "saved_filter_delete",
    "saved_filter_save",
    "vote_cast",
]
