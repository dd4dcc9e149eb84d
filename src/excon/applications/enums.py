from __future__ import annotations

from django.db import models


class ApplicationType(models.TextChoices):
    STANDARD_INDIVIDUAL = "standard_individual", "Standard individual export licence"
    # Each type's own rules: excon.applications.licence_types (particulars and checks) and excon.licences.types
    # (what a licence of the type allows: shipments, caps, returns).
    OPEN = "open", "Open individual export licence"
    TEMPORARY = "temporary", "Temporary export licence"
    BROKERING = "brokering", "Brokering licence"
    TECHNOLOGY_TRANSFER = "technology_transfer", "Technology transfer / licensed production licence"


ACCEPTED_TYPES = frozenset(ApplicationType)


class TemporaryPurpose(models.TextChoices):
    EXHIBITION = "exhibition", "Exhibition or trade fair"
    TRIAL = "trial", "Trial or demonstration"
    REPAIR = "repair", "Repair or maintenance"


class TransferKind(models.TextChoices):
    TECHNICAL_DATA = "technical_data", "Technical data"
    PRODUCTION_RIGHTS = "production_rights", "Production rights (licensed production)"
    BOTH = "both", "Technical data and production rights"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    CHECKS_FAILED = "checks_failed", "Checks failed"
    UNDER_REVIEW = "under_review", "Under review"
    AWAITING_INFORMATION = "awaiting_information", "Awaiting information from the exporter"
    READY_FOR_COMMISSION = "ready_for_commission", "Ready for the commission"
    DECIDED = "decided", "Decided"
    APPEALED = "appealed", "Under appeal"
    WITHDRAWN = "withdrawn", "Withdrawn"
    SUPERSEDED = "superseded", "Superseded by an amendment"


class ApplicationAction(models.TextChoices):
    SUBMIT = "submit", "Submit"
    CHECKS_PASSED = "checks_passed", "Checks passed"
    CHECKS_FAILED = "checks_failed", "Checks failed"
    RECHECK = "recheck", "Run the checks again"
    REQUEST_INFORMATION = "request_information", "Request information"
    ANSWER_INFORMATION = "answer_information", "Answer the request for information"
    MARK_READY = "mark_ready", "Send to the commission"
    SEND_BACK = "send_back", "Take back from the commission"
    DECIDE = "decide", "Record the decision"
    APPEAL = "appeal", "Appeal"
    DECIDE_APPEAL = "decide_appeal", "Decide the appeal"
    WITHDRAW = "withdraw", "Withdraw"
    SUPERSEDE = "supersede", "Supersede by an amendment"


class PartyRole(models.TextChoices):
    END_USER = "end_user", "End user"
    CONSIGNEE = "consignee", "Consignee"
    INTERMEDIATE_CONSIGNEE = "intermediate_consignee", "Intermediate consignee"
    ULTIMATE_END_USER = "ultimate_end_user", "Ultimate end user"


class PartyKind(models.TextChoices):
    GOVERNMENT = "government", "Government"
    ARMED_FORCES = "armed_forces", "Armed forces"
    COMMERCIAL = "commercial", "Commercial"
    INDIVIDUAL = "individual", "Individual"


class DocumentKind(models.TextChoices):
    END_USER_CERTIFICATE = "end_user_certificate", "End-user certificate"
    CONTRACT = "contract", "Contract"
    PARTY_DOCUMENT = "party_document", "Party document"
    INFORMATION_ANSWER = "information_answer", "Answer to a request for information"
    UNDERTAKING = "undertaking", "Receiving side's undertaking"
    OTHER = "other", "Other"


class CheckName(models.TextChoices):
    """The applications' own checks; other apps register theirs under their own names (check_registry)."""

    COMPLETENESS = "completeness", "Completeness"
    EMBARGO = "embargo", "Destination embargo"
    ELIGIBILITY = "eligibility", "Product eligibility"
    SCREENING = "screening", "Sanctions and denied-party screening"
    RISK = "risk", "Destination risk (ATT art. 6–7, EU criteria 1–8)"
    PARTY_COUNTRIES = "party_countries", "Parties' own countries"
    LICENCE_TYPE = "licence_type", "The licence type's own rules"


class CheckOutcome(models.TextChoices):
    PASS = "pass", "Pass"
    WARNING = "warning", "Warning"
    FAIL = "fail", "Fail"


class AdviceType(models.TextChoices):
    APPROVE = "approve", "Approve"
    APPROVE_WITH_PROVISOS = "approve_with_provisos", "Approve with provisos"
    REFUSE = "refuse", "Refuse"
    NO_OBJECTION = "no_objection", "No objection"


class ConsolidatedAdvice(models.TextChoices):
    PENDING = "pending", "Advice outstanding"
    APPROVE = "approve", "Approve"
    APPROVE_WITH_PROVISOS = "approve_with_provisos", "Approve with provisos"
    REFUSE = "refuse", "Refuse"
    CONFLICTING = "conflicting", "Conflicting advice"


class ReferralStatus(models.TextChoices):
    PENDING = "pending", "Advice requested"
    AWAITING_COUNTERSIGNATURE = "awaiting_countersignature", "Awaiting countersignature"
    COMPLETE = "complete", "Advice given"


class DecisionOutcome(models.TextChoices):
    APPROVE = "approve", "Approve"
    APPROVE_WITH_CONDITIONS = "approve_with_conditions", "Approve with conditions"
    REFUSE = "refuse", "Refuse"
    PARTIALLY_APPROVE = "partially_approve", "Partially approve"
    DEFER = "defer", "Defer"


class DecisionStatus(models.TextChoices):
    AWAITING_COUNTERSIGNATURE = "awaiting_countersignature", "Awaiting countersignature"
    FINAL = "final", "Final"


class Vote(models.TextChoices):
    APPROVE = "approve", "Approve"
    REFUSE = "refuse", "Refuse"
    ABSTAIN = "abstain", "Abstain"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_SESSION = "in_session", "In session"
    CLOSED = "closed", "Closed"


class AppealOutcome(models.TextChoices):
    PENDING = "pending", "Pending"
    UPHELD = "upheld", "Refusal upheld"
    OVERTURNED = "overturned", "Refusal overturned"


class RiskLevel(models.IntegerChoices):
    LOW = 0, "Low"
    MODERATE = 1, "Moderate"
    ELEVATED = 2, "Elevated"
    HIGH = 3, "High"


# EU Common Position 2008/944/CFSP, art. 2: the eight criteria.
EU_CRITERIA = {
    1: "Respect for international obligations and commitments, in particular sanctions and arms embargoes",
    2: "Respect for human rights and international humanitarian law in the country of final destination",
    3: "Internal situation in the country of final destination (tensions or armed conflicts)",
    4: "Preservation of regional peace, security and stability",
    5: "National security of the Member States and of their friends and allies",
    6: "Behaviour of the buyer country towards the international community (terrorism, alliances, international law)",
    7: "Risk of diversion or re-export under undesirable conditions",
    8: "Compatibility with the technical and economic capacity of the recipient country",
}


class AuditVerb(models.TextChoices):
    """What this app writes into the audit log, with the label history pages show."""

    APPLICATION_CREATED = "application.created", "Started the application"
    APPLICATION_UPDATED = "application.updated", "Changed the application's particulars"
    APPLICATION_GOODS_LINE_ADDED = "application.goods_line_added", "Added a goods line"
    APPLICATION_GOODS_LINE_REMOVED = "application.goods_line_removed", "Removed a goods line"
    APPLICATION_PARTY_ADDED = "application.party_added", "Added a party"
    APPLICATION_PARTY_REMOVED = "application.party_removed", "Removed a party"
    APPLICATION_DOCUMENT_ATTACHED = "application.document_attached", "Attached a document"
    APPLICATION_EUC_RECORDED = "application.euc_recorded", "Recorded the end-user certificate"
    APPLICATION_EUC_UPDATED = "application.euc_updated", "Changed the end-user certificate"
    APPLICATION_AMENDMENT_STARTED = "application.amendment_started", "Started an amendment"
    APPLICATION_AMENDMENT_SUBMITTED = "application.amendment_submitted", "Submitted an amendment"
    APPLICATION_SUBMIT = "application.submit", "Submitted the application"
    APPLICATION_CHECKS_RUN = "application.checks_run", "Ran the automatic checks"
    APPLICATION_CHECKS_PASSED = "application.checks_passed", "Checks passed: under review"
    APPLICATION_CHECKS_FAILED = "application.checks_failed", "A mandatory check failed"
    APPLICATION_RECHECK = "application.recheck", "Ran the checks again: under review"
    APPLICATION_REFERRED = "application.referred", "Asked departments to advise"
    APPLICATION_REFERRED_BY_HAND = "application.referred_by_hand", "Referred the case to a department by hand"
    APPLICATION_ASSIGNED = "application.assigned", "Assigned the case"
    CASE_NOTE_ADDED = "case_note.added", "Added an internal case note"
    APPLICATION_REQUEST_INFORMATION = "application.request_information", "Asked the exporter for information"
    APPLICATION_ANSWER_INFORMATION = "application.answer_information", "The exporter answered"
    APPLICATION_MARK_READY = "application.mark_ready", "Sent the case to the commission"
    APPLICATION_SEND_BACK = "application.send_back", "Took the case back from the commission"
    APPLICATION_DECIDE = "application.decide", "Decided the case"
    APPLICATION_APPEAL = "application.appeal", "Appealed the decision"
    APPLICATION_DECIDE_APPEAL = "application.decide_appeal", "Decided the appeal"
    APPLICATION_WITHDRAW = "application.withdraw", "Withdrew the application"
    APPLICATION_SUPERSEDE = "application.supersede", "Superseded by an amendment"
    INFORMATION_ANSWERED = "information.answered", "Answered the request for information"
    ADVICE_GIVEN = "advice.given", "Gave the department's advice"
    ADVICE_COUNTERSIGNED = "advice.countersigned", "Countersigned the department's advice"
    ADVICE_CONFLICT_RESOLVED = "advice.conflict_resolved", "Resolved conflicting advice"
    DECISION_RECORDED = "decision.recorded", "Recorded the commission's decision"
    DECISION_COUNTERSIGNED = "decision.countersigned", "Countersigned the decision"
    DENIAL_RECORDED = "denial.recorded", "Recorded a denial for partner states"
    APPEAL_DECIDED = "appeal.decided", "Decided the appeal"
    VOTE_CAST = "vote.cast", "Voted"
    MEETING_CREATED = "meeting.created", "Planned the commission meeting"
    MEETING_MEMBERS_SET = "meeting.members_set", "Set the members and attendance"
    MEETING_CASE_ADDED = "meeting.case_added", "Added a case to the agenda"
    MEETING_OPENED = "meeting.opened", "Opened the session"
    MEETING_CLOSED = "meeting.closed", "Closed the meeting"
    ROUTING_RULE_CREATED = "routing_rule.created", "Created the routing rule"
    ROUTING_RULE_UPDATED = "routing_rule.updated", "Changed the routing rule"
    RISK_PROFILE_SET = "risk_profile.set", "Assessed the destination's risk"
    SAVED_FILTER_SAVED = "saved_filter.saved", "Saved a queue filter"
    SAVED_FILTER_DELETED = "saved_filter.deleted", "Deleted a saved queue filter"
    APPLICATION_TERMS_SET = "application.terms_set", "Set the licence type's particulars"
    LICENCE_TYPE_RULES_SET = "licence_type_rules.set", "Changed a licence type's rules"
