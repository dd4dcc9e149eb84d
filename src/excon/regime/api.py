"""API of the export regime: authorisations (apply, evidence, submit, moves, advice, votes, decision, renewal,
licence suspension), the register of authorised exporters (and its published version, without login), the
destination policy's versions, and quotas with their use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status, UploadedFile

from excon.core.api import ERROR_RESPONSES, Amount, DbInt, ReasonIn, Year, actor_of, paged

from . import selectors, services
from .models import ExportAuthorisation, PolicyVersion, Quota

router = Router(tags=["export regime"])
public_router = Router(tags=["register of authorised exporters (public)"])


class AuthorisationIn(Schema):
    categories: list[str]
    destination_groups: list[str]
    activity: str = ""
    requested_until: dt.date | None = None


class AuthorisationOut(Schema):
    id: UUID
    reference: str
    holder: str
    status: str
    categories: list[str]
    destination_groups: list[str]
    activity: str
    requested_until: dt.date | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    conditions: str
    outcome: str
    decision_reasons: str
    renews: str | None
    documents: list[dict[str, Any]]

    @staticmethod
    def resolve_holder(obj: ExportAuthorisation) -> str:
        return obj.holder.name

    @staticmethod
    def resolve_renews(obj: ExportAuthorisation) -> str | None:
        return obj.renews.reference if obj.renews else None

    @staticmethod
    def resolve_documents(obj: ExportAuthorisation) -> list[dict[str, Any]]:
        return [
            {"id": str(doc.pk), "kind": doc.kind, "filename": doc.original_filename, "sha256": doc.sha256}
            for doc in obj.documents.all()
        ]


class AuthorisationMoveIn(Schema):
    action: str
    reason: str = ""


class AuthorisationAdviceIn(Schema):
    advice_type: str
    rationale: str


class AuthorisationVoteIn(Schema):
    vote: str
    comment: str = ""


class AuthorisationDecisionIn(Schema):
    outcome: str
    reasons: str
    valid_until: dt.date | None = None
    conditions: str = ""


class RegisterEntryOut(Schema):
    holder: str
    reference: str
    categories: list[str]
    destination_groups: list[str]
    valid_until: str | None


class PublishedRegisterOut(Schema):
    published_at: dt.datetime | None
    entries: list[RegisterEntryOut]


class RegimeBulkOut(Schema):
    id: UUID
    licences: list[str]


class PolicyChangeIn(Schema):
    in_force_from: dt.date
    reason: str
    destinations: dict[str, str | None] = {}
    category_rules: list[dict[str, Any]] = []
    default_tier: str | None = None
    requires_authorisation: bool | None = None


class PolicyOut(Schema):
    number: int
    in_force_from: dt.date
    default_tier: str
    requires_authorisation: bool
    reason: str
    destinations: list[dict[str, str]]
    category_rules: list[dict[str, Any]]
    recheck: dict[str, Any]

    @staticmethod
    def resolve_destinations(obj: PolicyVersion) -> list[dict[str, str]]:
        return [
            {"destination": entry.key, "tier": entry.tier}
            for entry in obj.destinations.select_related("country", "group")
        ]

    @staticmethod
    def resolve_category_rules(obj: PolicyVersion) -> list[dict[str, Any]]:
        return [
            {"tier": rule.tier, "category": rule.category, "allowed": rule.allowed} for rule in obj.category_rules.all()
        ]


class QuotaIn(Schema):
    year: Year
    destination: str
    category: str
    cap_quantity: DbInt | None = None
    cap_value: Amount | None = None
    currency: str = ""
    basis: str = "approved"
    mode: str = "fail"
    note: str = ""


class QuotaChangeIn(Schema):
    reason: str
    cap_quantity: DbInt | None = None
    cap_value: Amount | None = None
    mode: str | None = None
    active: bool | None = None


class QuotaOut(Schema):
    id: UUID
    year: int
    destination: str
    category: str
    cap_quantity: int | None
    cap_value: Decimal | None
    currency: str
    basis: str
    mode: str
    active: bool

    @staticmethod
    def resolve_destination(obj: Quota) -> str:
        return obj.key


class QuotaUsageOut(Schema):
    quota: QuotaOut
    used_quantity: int
    used_value: Decimal
    remaining_quantity: int | None
    remaining_value: Decimal | None
    percent_used: float


def _authorisation(request: HttpRequest, authorisation_id: str) -> ExportAuthorisation:
    return selectors.authorisation_get(actor=actor_of(request), authorisation_id=authorisation_id)


@router.get("/regime/authorisations", response=list[AuthorisationOut], summary="Export authorisations you may see")
@paged(50)
def list_authorisations(request: HttpRequest, status: str = "") -> Any:
    return selectors.authorisation_list(actor=actor_of(request), status=status).prefetch_related("documents")


@router.post("/regime/authorisations", response={201: AuthorisationOut, **ERROR_RESPONSES}, summary="Apply (a draft)")
def create_authorisation(request: HttpRequest, body: AuthorisationIn) -> Any:
    return Status(201, services.authorisation_create(actor=actor_of(request), **body.dict()))


@router.get(
    "/regime/authorisations/{authorisation_id}", response={200: AuthorisationOut, **ERROR_RESPONSES}, summary="One"
)
def get_authorisation(request: HttpRequest, authorisation_id: str) -> Any:
    return Status(200, _authorisation(request, authorisation_id))


@router.post(
    "/regime/authorisations/{authorisation_id}/evidence",
    response={201: dict[str, Any], **ERROR_RESPONSES},
    summary="Upload evidence (stored with its SHA-256)",
)
def add_evidence(
    request: HttpRequest, authorisation_id: str, kind: Form[str], file: File[UploadedFile], description: Form[str] = ""
) -> Any:
    document = services.authorisation_add_evidence(
        actor=actor_of(request),
        authorisation=_authorisation(request, authorisation_id),
        kind=kind,
        file=file,
        filename=file.name or "upload",
        description=description,
    )
    return Status(201, {"id": str(document.pk), "kind": document.kind, "sha256": document.sha256})


@router.post(
    "/regime/authorisations/{authorisation_id}/submit",
    response={200: AuthorisationOut, **ERROR_RESPONSES},
    summary="Submit with the evidence",
)
def submit_authorisation(request: HttpRequest, authorisation_id: str) -> Any:
    return Status(
        200,
        services.authorisation_submit(actor=actor_of(request), authorisation=_authorisation(request, authorisation_id)),
    )


@router.post(
    "/regime/authorisations/{authorisation_id}/moves",
    response={200: AuthorisationOut, **ERROR_RESPONSES},
    summary="Withdraw, return, refer, suspend, reinstate or revoke",
)
def move_authorisation(request: HttpRequest, authorisation_id: str, body: AuthorisationMoveIn) -> Any:
    return Status(
        200,
        services.authorisation_transition(
            actor=actor_of(request),
            authorisation=_authorisation(request, authorisation_id),
            action=body.action,
            reason=body.reason,
        ),
    )


@router.post(
    "/regime/authorisations/{authorisation_id}/advice",
    response={201: dict[str, Any], **ERROR_RESPONSES},
    summary="A department's advice",
)
def advise(request: HttpRequest, authorisation_id: str, body: AuthorisationAdviceIn) -> Any:
    advice = services.authorisation_advise(
        actor=actor_of(request), authorisation=_authorisation(request, authorisation_id), **body.dict()
    )
    return Status(201, {"id": str(advice.pk), "advice_type": advice.advice_type})


@router.post(
    "/regime/authorisations/{authorisation_id}/votes",
    response={201: dict[str, Any], **ERROR_RESPONSES},
    summary="A commission member's vote",
)
def vote(request: HttpRequest, authorisation_id: str, body: AuthorisationVoteIn) -> Any:
    row = services.authorisation_vote(
        actor=actor_of(request), authorisation=_authorisation(request, authorisation_id), **body.dict()
    )
    return Status(201, {"id": str(row.pk), "vote": row.vote})


@router.post(
    "/regime/authorisations/{authorisation_id}/decision",
    response={200: AuthorisationOut, **ERROR_RESPONSES},
    summary="The commission's decision (grant or refuse, with reasons)",
)
def decide(request: HttpRequest, authorisation_id: str, body: AuthorisationDecisionIn) -> Any:
    return Status(
        200,
        services.authorisation_decide(
            actor=actor_of(request), authorisation=_authorisation(request, authorisation_id), **body.dict()
        ),
    )


@router.post(
    "/regime/authorisations/{authorisation_id}/renewal",
    response={201: AuthorisationOut, **ERROR_RESPONSES},
    summary="Apply for renewal (a draft with the same scope)",
)
def renew(request: HttpRequest, authorisation_id: str) -> Any:
    return Status(
        201,
        services.authorisation_renew(actor=actor_of(request), authorisation=_authorisation(request, authorisation_id)),
    )


@router.post(
    "/regime/authorisations/{authorisation_id}/licence-suspension",
    response={201: RegimeBulkOut, **ERROR_RESPONSES},
    summary="Suspend the active licences of a revoked authorisation's holder",
)
def suspend_licences(request: HttpRequest, authorisation_id: str, body: ReasonIn) -> Any:
    bulk = services.authorisation_suspend_licences(
        actor=actor_of(request), authorisation=_authorisation(request, authorisation_id), reason=body.reason
    )
    return Status(201, {"id": bulk.pk, "licences": sorted(bulk.licences.values_list("number", flat=True))})


@router.get(
    "/regime/register", response={200: list[RegisterEntryOut], **ERROR_RESPONSES}, summary="Authorised exporters now"
)
def register(request: HttpRequest) -> Any:
    return Status(200, [selectors.register_entry(item) for item in selectors.register_list(actor=actor_of(request))])


@router.post(
    "/regime/register/publications",
    response={201: PublishedRegisterOut, **ERROR_RESPONSES},
    summary="Publish the register (names and scope only)",
)
def publish_register(request: HttpRequest) -> Any:
    publication = services.register_publish(actor=actor_of(request))
    return Status(201, {"published_at": publication.created_at, "entries": publication.entries})


@public_router.get(
    "/public/authorised-exporters", response=PublishedRegisterOut, auth=None, summary="The published register"
)
def published_register(request: HttpRequest) -> Any:
    publication = selectors.register_published()
    if publication is None:
        return {"published_at": None, "entries": []}
    return {"published_at": publication.created_at, "entries": publication.entries}


@router.get("/regime/policy", response={200: list[PolicyOut], **ERROR_RESPONSES}, summary="Destination policy versions")
def list_policy(request: HttpRequest) -> Any:
    return Status(200, list(selectors.policy_versions(actor=actor_of(request))[:100]))


@router.get("/regime/policy/{number}", response={200: PolicyOut, **ERROR_RESPONSES}, summary="One version")
def get_policy(request: HttpRequest, number: DbInt) -> Any:
    return Status(200, selectors.policy_version_get(actor=actor_of(request), number=number))


@router.post(
    "/regime/policy",
    response={201: PolicyOut, **ERROR_RESPONSES},
    summary="Publish a new version (the latest with the changes); open cases are re-checked",
)
def change_policy(request: HttpRequest, body: PolicyChangeIn) -> Any:
    return Status(201, services.policy_publish(actor=actor_of(request), **body.dict()))


@router.post(
    "/regime/policy/{number}/licence-suspension",
    response={201: list[RegimeBulkOut], **ERROR_RESPONSES},
    summary="Suspend the active licences the version affects",
)
def suspend_policy_licences(request: HttpRequest, number: DbInt, body: ReasonIn) -> Any:
    actor = actor_of(request)
    version = selectors.policy_version_get(actor=actor, number=number)
    bulks = services.policy_suspend_licences(actor=actor, version=version, reason=body.reason)
    return Status(
        201, [{"id": bulk.pk, "licences": sorted(bulk.licences.values_list("number", flat=True))} for bulk in bulks]
    )


@router.get("/regime/quotas", response={200: list[QuotaUsageOut], **ERROR_RESPONSES}, summary="Quotas and their use")
def list_quotas(request: HttpRequest, year: Year) -> Any:
    usages = selectors.quota_dashboard(actor=actor_of(request), year=year)
    return Status(
        200,
        [
            {
                "quota": usage.quota,
                "used_quantity": usage.used_quantity,
                "used_value": usage.used_value,
                "remaining_quantity": usage.remaining_quantity,
                "remaining_value": usage.remaining_value,
                "percent_used": usage.percent_used,
            }
            for usage in usages
        ],
    )


@router.post("/regime/quotas", response={201: QuotaOut, **ERROR_RESPONSES}, summary="Set a quota")
def create_quota(request: HttpRequest, body: QuotaIn) -> Any:
    return Status(201, services.quota_set(actor=actor_of(request), **body.dict()))


@router.patch("/regime/quotas/{quota_id}", response={200: QuotaOut, **ERROR_RESPONSES}, summary="Change a quota")
def change_quota(request: HttpRequest, quota_id: str, body: QuotaChangeIn) -> Any:
    actor = actor_of(request)
    quota = selectors.quota_get(actor=actor, quota_id=quota_id)
    return Status(200, services.quota_change(actor=actor, quota=quota, **body.dict()))
