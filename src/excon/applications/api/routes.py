"""Endpoints. Each reads through a selector scoped to the caller and writes through a service."""

# No "from __future__ import annotations" here: django-ninja resolves the parameter types of paginated views
# in its own module, so they must be real objects, not strings.

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from django.http import FileResponse, HttpRequest
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from excon.core.api import ERROR_RESPONSES, Amount, Days, DbInt, LineNumber, SmallCount, actor_of, paged
from excon.core.errors import NotFound
from excon.core.files import stored_download
from excon.core.ids import parse_uuid

from .. import policies, selectors, services
from ..models import Application, ApplicationDocument, Decision, DestinationRiskProfile, RoutingRule
from ..services.commission import vote_tally
from .schemas import (
    AdviceOut,
    ApplicationListOut,
    ApplicationOut,
    CaseOut,
    DecisionRecordOut,
    DocumentOut,
    InformationRequestOut,
    ReferralOut,
)

router = Router(tags=["licence applications"])


def _application(request: HttpRequest, application_id: str) -> Application:
    return selectors.application_get(actor=actor_of(request), application_id=application_id)


# Inputs -----------------------------------------------------------------------------------------------------


class ApplicationIn(Schema):
    destination: str = ""
    end_use_statement: str = ""
    contract_reference: str = ""
    contract_value: Amount | None = None
    contract_currency: str = ""
    application_type: str = "standard_individual"


class ApplicationPatch(Schema):
    destination: str | None = None
    end_use_statement: str | None = None
    contract_reference: str | None = None
    contract_value: Amount | None = None
    contract_currency: str | None = None


class GoodsLineIn(Schema):
    product_id: UUID | None = None
    description: str = ""
    origin: str = ""
    control_code: str = ""
    quantity: DbInt
    unit_value: Amount
    currency: str
    capped: bool = True


class PartyIn(Schema):
    role: str
    name: str
    address: str = ""
    country: str
    kind: str


class TextIn(Schema):
    text: str


class AssignIn(Schema):
    officer_id: UUID


class AdviceIn(Schema):
    advice_type: str
    rationale: str
    provisos: str = ""
    refusal_criteria: list[SmallCount] = []
    goods_line_number: LineNumber | None = None
    party_id: UUID | None = None


class AppealDecisionIn(Schema):
    overturn: bool
    reasons: str
    conditions: str = ""


class MeetingIn(Schema):
    scheduled_for: dt.datetime
    quorum_minimum: SmallCount = 3
    quorum_departments: list[str] = []


class MeetingOut(Schema):
    id: UUID
    reference: str
    scheduled_for: dt.datetime
    status: str
    quorum_minimum: int
    quorum_departments: list[str]
    members: list[dict[str, Any]]
    agenda: list[dict[str, Any]]

    @staticmethod
    def resolve_members(obj: Any) -> list[dict[str, Any]]:
        return [
            {"user_id": str(member.user_id), "name": str(member.user), "present": member.present}
            for member in obj.members.select_related("user")
        ]

    @staticmethod
    def resolve_agenda(obj: Any) -> list[dict[str, Any]]:
        return [
            {"item_id": str(item.pk), "position": item.position, "application": item.application.reference}
            for item in obj.agenda.select_related("application")
        ]


class MembersIn(Schema):
    member_ids: list[UUID]
    present_ids: list[UUID] = []


class AgendaIn(Schema):
    application_id: UUID


class VoteIn(Schema):
    vote: str
    comment: str = ""


class DecisionIn(Schema):
    outcome: str
    reasons: str = ""
    conditions: str = ""
    refusal_criteria: list[SmallCount] = []
    approved_lines: list[LineNumber] = []


class RoutingRuleOut(Schema):
    id: UUID
    name: str
    active: bool
    priority: int
    control_entry_prefixes: list[str]
    destinations: list[str]
    destination_groups: list[str]
    min_total_value: Decimal | None
    party_kinds: list[str]
    check_outcomes: list[str]
    departments: list[str]
    due_working_days: int
    requires_countersignature: bool


class RoutingRuleIn(Schema):
    name: str | None = None
    active: bool | None = None
    priority: DbInt | None = None
    control_entry_prefixes: list[str] | None = None
    destinations: list[str] | None = None
    destination_groups: list[str] | None = None
    min_total_value: Amount | None = None
    party_kinds: list[str] | None = None
    check_outcomes: list[str] | None = None
    departments: list[str] | None = None
    due_working_days: Days | None = None
    requires_countersignature: bool | None = None


class RiskProfileIn(Schema):
    criterion_levels: dict[str, SmallCount]
    att_article_6_prohibition: bool = False
    notes: str = ""
    source: str = ""


class RiskProfileOut(Schema):
    country: str
    criterion_levels: dict[str, int]
    att_article_6_prohibition: bool
    notes: str
    source: str
    assessed_on: dt.date

    @staticmethod
    def resolve_country(obj: DestinationRiskProfile) -> str:
        return obj.country.iso2


class ApplicationHistoryOut(Schema):
    seq: int
    occurred_at: dt.datetime
    actor_repr: str
    verb: str
    payload: dict[str, Any]


# Applications -----------------------------------------------------------------------------------------------


@router.get("/applications", response=list[ApplicationListOut], summary="Applications you may see, with filters")
@paged(25)
def list_applications(
    request: HttpRequest,
    status: str = "",
    destination: str = "",
    control_entry: str = "",
    min_value: Amount | None = None,
    flag: str = "",
    search: str = "",
) -> Any:
    return selectors.application_list(
        actor=actor_of(request),
        status=status,
        destination=destination,
        control_entry=control_entry,
        min_value=min_value,
        flag=flag,
        search=search,
    )


@router.post("/applications", response={201: ApplicationOut, **ERROR_RESPONSES}, summary="Start a draft")
def create_application(request: HttpRequest, payload: ApplicationIn) -> Status[Application]:
    data = payload.dict()
    application_type = data.pop("application_type")
    return Status(201, services.application_create(actor=actor_of(request), application_type=application_type, **data))


@router.get("/applications/{application_id}", response={200: ApplicationOut, **ERROR_RESPONSES})
def get_application(request: HttpRequest, application_id: str) -> Application:
    return _application(request, application_id)


@router.patch("/applications/{application_id}", response={200: ApplicationOut, **ERROR_RESPONSES})
def update_application(request: HttpRequest, application_id: str, payload: ApplicationPatch) -> Application:
    fields = payload.dict(exclude_unset=True)
    return services.application_update(
        actor=actor_of(request), application=_application(request, application_id), **fields
    )


@router.post("/applications/{application_id}/goods-lines", response={201: ApplicationOut, **ERROR_RESPONSES})
def add_goods_line(request: HttpRequest, application_id: str, payload: GoodsLineIn) -> Status[Application]:
    application = _application(request, application_id)
    services.goods_line_add(actor=actor_of(request), application=application, **payload.dict())
    return Status(201, application)


@router.delete(
    "/applications/{application_id}/goods-lines/{line_number}", response={200: ApplicationOut, **ERROR_RESPONSES}
)
def remove_goods_line(request: HttpRequest, application_id: str, line_number: LineNumber) -> Application:
    application = _application(request, application_id)
    services.goods_line_remove(actor=actor_of(request), application=application, line_number=line_number)
    return application


@router.post("/applications/{application_id}/parties", response={201: ApplicationOut, **ERROR_RESPONSES})
def add_party(request: HttpRequest, application_id: str, payload: PartyIn) -> Status[Application]:
    application = _application(request, application_id)
    services.party_add(actor=actor_of(request), application=application, **payload.dict())
    return Status(201, application)


@router.delete("/applications/{application_id}/parties/{party_id}", response={200: ApplicationOut, **ERROR_RESPONSES})
def remove_party(request: HttpRequest, application_id: str, party_id: str) -> Application:
    application = _application(request, application_id)
    services.party_remove(actor=actor_of(request), application=application, party_id=party_id)
    return application


@router.post("/applications/{application_id}/documents", response={201: DocumentOut, **ERROR_RESPONSES})
def attach_document(
    request: HttpRequest,
    application_id: str,
    kind: Form[str],
    file: File[UploadedFile],
    description: Form[str] = "",
    party_id: Form[str] = "",
) -> Status[ApplicationDocument]:
    document = services.document_attach(
        actor=actor_of(request),
        application=_application(request, application_id),
        kind=kind,
        file=file,
        filename=file.name or "upload",
        party_id=party_id or None,
        description=description,
    )
    return Status(201, document)


@router.post("/applications/{application_id}/end-user-certificate", response={200: ApplicationOut, **ERROR_RESPONSES})
def set_certificate(
    request: HttpRequest,
    application_id: str,
    number: Form[str],
    issue_date: Form[dt.date],
    issuing_authority: Form[str],
    signatory: Form[str],
    file: File[UploadedFile | None] = None,
) -> Application:
    application = _application(request, application_id)
    services.end_user_certificate_set(
        actor=actor_of(request),
        application=application,
        number=number,
        issue_date=issue_date,
        issuing_authority=issuing_authority,
        signatory=signatory,
        file=file,
        filename=(file.name or "") if file else "",
    )
    return application


@router.get("/application-documents/{document_id}/download", summary="Download an application document")
def download_document(request: HttpRequest, document_id: str) -> FileResponse:
    document = selectors.application_document_get(actor=actor_of(request), document_id=document_id)
    return stored_download(
        document.storage_name, filename=document.original_filename, content_type=document.content_type
    )


@router.post("/applications/{application_id}/submit", response={200: ApplicationOut, **ERROR_RESPONSES})
def submit(request: HttpRequest, application_id: str) -> Application:
    return services.application_submit(actor=actor_of(request), application=_application(request, application_id))


@router.post("/applications/{application_id}/withdraw", response={200: ApplicationOut, **ERROR_RESPONSES})
def withdraw(request: HttpRequest, application_id: str, payload: TextIn) -> Application:
    return services.application_withdraw(
        actor=actor_of(request), application=_application(request, application_id), reason=payload.text
    )


@router.post("/applications/{application_id}/amend", response={201: ApplicationOut, **ERROR_RESPONSES})
def amend(request: HttpRequest, application_id: str) -> Status[Application]:
    return Status(
        201, services.application_amend(actor=actor_of(request), application=_application(request, application_id))
    )


@router.post(
    "/applications/{application_id}/information-answer", response={200: InformationRequestOut, **ERROR_RESPONSES}
)
def answer_information(request: HttpRequest, application_id: str, payload: TextIn) -> Any:
    return services.information_answer(
        actor=actor_of(request), application=_application(request, application_id), answer=payload.text
    )


@router.post("/applications/{application_id}/appeal", response={200: ApplicationOut, **ERROR_RESPONSES})
def appeal(request: HttpRequest, application_id: str, payload: TextIn) -> Application:
    application = _application(request, application_id)
    services.appeal_lodge(actor=actor_of(request), application=application, grounds=payload.text)
    application.refresh_from_db()
    return application


@router.get("/applications/{application_id}/timeline", response={200: list[ApplicationHistoryOut], **ERROR_RESPONSES})
def timeline(request: HttpRequest, application_id: str) -> Any:
    """The case's history as the caller may read it (the same selector as the pages: the exporter never sees the
    referrals, advice, votes or internal notes)."""
    return selectors.case_history(actor=actor_of(request), application=_application(request, application_id))


# The case (government) --------------------------------------------------------------------------------------


def _internal(request: HttpRequest, application_id: str) -> Application:
    application = _application(request, application_id)
    if not policies.can_view_internal(actor_of(request), application):
        raise NotFound("case")
    return application


@router.get(
    "/applications/{application_id}/case",
    response={200: CaseOut, **ERROR_RESPONSES},
    summary="Checks, referrals, advice and clock",
)
def case(request: HttpRequest, application_id: str) -> dict[str, Any]:
    actor = actor_of(request)
    application = _internal(request, application_id)
    clock = selectors.case_clock(application)
    problems = services.readiness_problems(application)
    return {
        "consolidated_advice": services.consolidated_advice(application),
        "advice_resolution": application.advice_resolution,
        "readiness_problems": problems,
        "next_action": selectors.case_next_action(actor=actor, application=application, problems=problems),
        "latest_checks": selectors.latest_check_run(application),
        "referrals": list(selectors.referrals_for(actor=actor, application=application)),
        "clock": clock.__dict__,
        "assigned_officer": str(application.assigned_officer) if application.assigned_officer else None,
    }


class HandReferralIn(Schema):
    department_id: UUID
    reason: str
    due_working_days: Annotated[int, Field(ge=1, le=60)] = 10
    requires_countersignature: bool = False


@router.post(
    "/applications/{application_id}/referrals",
    response={201: ReferralOut, **ERROR_RESPONSES},
    summary="Refer the case to a department by hand, with the reason",
)
def refer_by_hand(request: HttpRequest, application_id: str, payload: HandReferralIn) -> Any:
    referral = services.referral_by_hand(
        actor=actor_of(request), application=_internal(request, application_id), **payload.dict()
    )
    return Status(201, referral)


class CaseNoteOut(Schema):
    id: UUID
    author: str
    text: str
    created_at: dt.datetime

    @staticmethod
    def resolve_author(obj: Any) -> str:
        return str(obj.author)


@router.get(
    "/applications/{application_id}/notes",
    response={200: list[CaseNoteOut], **ERROR_RESPONSES},
    summary="The case's internal notes (the authority only)",
)
def case_notes(request: HttpRequest, application_id: str) -> Any:
    return list(selectors.case_notes(actor=actor_of(request), application=_application(request, application_id)))


@router.post("/applications/{application_id}/notes", response={201: CaseNoteOut, **ERROR_RESPONSES})
def case_note_add(request: HttpRequest, application_id: str, payload: TextIn) -> Any:
    application = _application(request, application_id)
    selectors.case_notes(actor=actor_of(request), application=application)  # NotFound for those who may not read
    return Status(201, services.case_note_add(actor=actor_of(request), application=application, text=payload.text))


@router.post("/applications/{application_id}/recheck", response={200: CaseOut, **ERROR_RESPONSES})
def recheck(request: HttpRequest, application_id: str) -> dict[str, Any]:
    services.application_recheck(actor=actor_of(request), application=_internal(request, application_id))
    return case(request, application_id)


@router.post("/applications/{application_id}/assign", response={200: ApplicationOut, **ERROR_RESPONSES})
def assign(request: HttpRequest, application_id: str, payload: AssignIn) -> Application:
    try:
        officer = selectors.user_get(actor=actor_of(request), user_id=payload.officer_id)
    except NotFound as exc:
        raise NotFound("officer") from exc
    return services.application_assign(
        actor=actor_of(request), application=_internal(request, application_id), officer=officer
    )


@router.post(
    "/applications/{application_id}/information-requests", response={201: InformationRequestOut, **ERROR_RESPONSES}
)
def request_information(request: HttpRequest, application_id: str, payload: TextIn) -> Status[Any]:
    return Status(
        201,
        services.information_request(
            actor=actor_of(request), application=_internal(request, application_id), question=payload.text
        ),
    )


@router.post("/applications/{application_id}/resolve-conflict", response={200: CaseOut, **ERROR_RESPONSES})
def resolve_conflict(request: HttpRequest, application_id: str, payload: TextIn) -> dict[str, Any]:
    services.conflict_resolve(
        actor=actor_of(request), application=_internal(request, application_id), resolution=payload.text
    )
    return case(request, application_id)


@router.post("/applications/{application_id}/ready", response={200: ApplicationOut, **ERROR_RESPONSES})
def mark_ready(request: HttpRequest, application_id: str) -> Application:
    return services.application_mark_ready(actor=actor_of(request), application=_internal(request, application_id))


@router.post("/applications/{application_id}/send-back", response={200: ApplicationOut, **ERROR_RESPONSES})
def send_back(request: HttpRequest, application_id: str, payload: TextIn) -> Application:
    return services.application_transition(
        actor=actor_of(request),
        application=_internal(request, application_id),
        action="send_back",
        comment=payload.text,
    )


@router.post("/applications/{application_id}/appeal/decision", response={200: ApplicationOut, **ERROR_RESPONSES})
def decide_appeal(request: HttpRequest, application_id: str, payload: AppealDecisionIn) -> Application:
    application = _internal(request, application_id)
    services.appeal_decide(actor=actor_of(request), application=application, **payload.dict())
    application.refresh_from_db()
    return application


@router.post("/referrals/{referral_id}/advice", response={201: AdviceOut, **ERROR_RESPONSES})
def give_advice(request: HttpRequest, referral_id: str, payload: AdviceIn) -> Status[Any]:
    referral = selectors.referral_get(actor=actor_of(request), referral_id=referral_id)
    return Status(201, services.advice_give(actor=actor_of(request), referral=referral, **payload.dict()))


@router.post("/referrals/{referral_id}/countersign", response={200: ReferralOut, **ERROR_RESPONSES})
def countersign_advice(request: HttpRequest, referral_id: str) -> Any:
    referral = selectors.referral_get(actor=actor_of(request), referral_id=referral_id)
    return services.advice_countersign(actor=actor_of(request), referral=referral)


@router.get("/referrals", response=list[ReferralOut], summary="Cases referred to your department")
def department_referrals(request: HttpRequest, pending_only: bool = True) -> Any:
    return list(
        selectors.department_inbox(actor=actor_of(request), pending_only=pending_only).prefetch_related("advice")
    )


# The commission ---------------------------------------------------------------------------------------------


@router.get("/meetings", response=list[MeetingOut], summary="Commission meetings")
def list_meetings(request: HttpRequest) -> Any:
    return list(selectors.meeting_list(actor=actor_of(request)))


@router.post("/meetings", response={201: MeetingOut, **ERROR_RESPONSES})
def create_meeting(request: HttpRequest, payload: MeetingIn) -> Status[Any]:
    return Status(201, services.meeting_create(actor=actor_of(request), **payload.dict()))


@router.get("/meetings/{meeting_id}", response={200: MeetingOut, **ERROR_RESPONSES})
def get_meeting(request: HttpRequest, meeting_id: str) -> Any:
    return selectors.meeting_get(actor=actor_of(request), meeting_id=meeting_id)


@router.put("/meetings/{meeting_id}/members", response={200: MeetingOut, **ERROR_RESPONSES})
def set_members(request: HttpRequest, meeting_id: str, payload: MembersIn) -> Any:
    meeting = selectors.meeting_get(actor=actor_of(request), meeting_id=meeting_id)
    services.meeting_set_members(
        actor=actor_of(request), meeting=meeting, member_ids=payload.member_ids, present_ids=payload.present_ids
    )
    return meeting


@router.post("/meetings/{meeting_id}/agenda", response={201: MeetingOut, **ERROR_RESPONSES})
def add_to_agenda(request: HttpRequest, meeting_id: str, payload: AgendaIn) -> Status[Any]:
    meeting = selectors.meeting_get(actor=actor_of(request), meeting_id=meeting_id)
    application = _internal(request, str(payload.application_id))
    services.agenda_add(actor=actor_of(request), meeting=meeting, application=application)
    return Status(201, meeting)


@router.post("/meetings/{meeting_id}/open", response={200: MeetingOut, **ERROR_RESPONSES})
def open_meeting(request: HttpRequest, meeting_id: str) -> Any:
    meeting = selectors.meeting_get(actor=actor_of(request), meeting_id=meeting_id)
    return services.meeting_open(actor=actor_of(request), meeting=meeting)


@router.post("/meetings/{meeting_id}/close", response={200: MeetingOut, **ERROR_RESPONSES})
def close_meeting(request: HttpRequest, meeting_id: str) -> Any:
    meeting = selectors.meeting_get(actor=actor_of(request), meeting_id=meeting_id)
    return services.meeting_close(actor=actor_of(request), meeting=meeting)


@router.post("/agenda-items/{item_id}/votes", response={201: dict[str, int], **ERROR_RESPONSES})
def vote(request: HttpRequest, item_id: str, payload: VoteIn) -> Status[dict[str, int]]:
    item = selectors.agenda_item_get(actor=actor_of(request), item_id=item_id)
    services.vote_cast(actor=actor_of(request), item=item, vote=payload.vote, comment=payload.comment)

    return Status(201, vote_tally(item))


@router.post("/agenda-items/{item_id}/decision", response={201: DecisionRecordOut, **ERROR_RESPONSES})
def record_decision(request: HttpRequest, item_id: str, payload: DecisionIn) -> Status[Decision]:
    item = selectors.agenda_item_get(actor=actor_of(request), item_id=item_id)
    return Status(201, services.decision_record(actor=actor_of(request), item=item, **payload.dict()))


@router.post("/decisions/{decision_id}/countersign", response={200: DecisionRecordOut, **ERROR_RESPONSES})
def countersign_decision(request: HttpRequest, decision_id: str) -> Decision:
    decision = selectors.decision_get(actor=actor_of(request), decision_id=decision_id)
    return services.decision_countersign(actor=actor_of(request), decision=decision)


# Configuration ----------------------------------------------------------------------------------------------


@router.get("/routing-rules", response=list[RoutingRuleOut], summary="Routing rules")
def list_rules(request: HttpRequest) -> Any:
    return list(selectors.routing_rules(actor=actor_of(request)))


@router.post("/routing-rules", response={201: RoutingRuleOut, **ERROR_RESPONSES})
def create_rule(request: HttpRequest, payload: RoutingRuleIn) -> Status[RoutingRule]:
    fields = {key: value for key, value in payload.dict().items() if value is not None}
    return Status(201, services.routing_rule_create(actor=actor_of(request), **fields))


@router.patch("/routing-rules/{rule_id}", response={200: RoutingRuleOut, **ERROR_RESPONSES})
def update_rule(request: HttpRequest, rule_id: str, payload: RoutingRuleIn) -> RoutingRule:
    key = parse_uuid(rule_id)
    rule = selectors.routing_rules(actor=actor_of(request)).filter(pk=key).first() if key else None
    if rule is None:
        raise NotFound("routing rule")
    fields = payload.dict(exclude_unset=True)
    return services.routing_rule_update(actor=actor_of(request), rule=rule, **fields)


@router.get("/risk-profiles", response=list[RiskProfileOut], summary="Destination risk profiles")
def list_risk_profiles(request: HttpRequest) -> Any:
    return list(selectors.risk_profile_list(actor=actor_of(request)))


@router.put("/risk-profiles/{iso2}", response={200: RiskProfileOut, **ERROR_RESPONSES})
def set_risk_profile(request: HttpRequest, iso2: str, payload: RiskProfileIn) -> DestinationRiskProfile:
    return services.risk_profile_set(actor=actor_of(request), country=iso2, **payload.dict())
