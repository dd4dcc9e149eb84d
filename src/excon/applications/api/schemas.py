"""API schemas for licence applications. The exporter's view leaves out everything internal (advice, checks'
details, votes); the government view adds it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from ..licence_types import terms_summary
from ..models import Advice, Application, CheckRun, Decision, GoodsLine, Party, Referral


class GoodsLineOut(Schema):
    line_number: int
    product_id: UUID | None
    product_designation: str | None
    description: str
    origin: str
    control_entry: str | None
    quantity: int
    unit_value: Decimal
    currency: str
    capped: bool

    @staticmethod
    def resolve_product_designation(obj: GoodsLine) -> str | None:
        return obj.product.designation if obj.product else None

    @staticmethod
    def resolve_control_entry(obj: GoodsLine) -> str | None:
        return obj.control_entry.code if obj.control_entry else None


class PartyOut(Schema):
    id: UUID
    role: str
    name: str
    address: str
    country: str
    kind: str

    @staticmethod
    def resolve_country(obj: Party) -> str:
        return obj.country.iso2


class CertificateOut(Schema):
    number: str
    issue_date: dt.date
    issuing_authority: str
    signatory: str
    document_id: UUID | None


class DocumentOut(Schema):
    id: UUID
    kind: str
    description: str
    original_filename: str
    sha256: str
    size: int
    content_type: str
    party_id: UUID | None
    created_at: dt.datetime


class InformationRequestOut(Schema):
    id: UUID
    question: str
    asked_at: dt.datetime
    answer: str
    answered_at: dt.datetime | None


class DecisionOut(Schema):
    outcome: str
    status: str
    conditions: str
    refusal_criteria: list[int]
    reasons: str
    approved_lines: list[int]
    on_appeal: bool
    created_at: dt.datetime


class ApplicationListOut(Schema):
    id: UUID
    reference: str
    applicant_name: str
    status: str
    destination: str | None
    contract_value: Decimal | None
    contract_currency: str
    submitted_at: dt.datetime | None
    outcome: str

    @staticmethod
    def resolve_applicant_name(obj: Application) -> str:
        return obj.applicant.name

    @staticmethod
    def resolve_destination(obj: Application) -> str | None:
        return obj.destination.iso2 if obj.destination else None


class ApplicationOut(ApplicationListOut):
    application_type: str
    terms: dict[str, Any]
    end_use_statement: str
    contract_reference: str
    supersedes: str | None
    decided_at: dt.datetime | None
    goods_lines: list[GoodsLineOut]
    parties: list[PartyOut]
    documents: list[DocumentOut]
    end_user_certificate: CertificateOut | None
    information_requests: list[InformationRequestOut]
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_terms(obj: Application) -> dict[str, Any]:
        return terms_summary(obj)

    @staticmethod
    def resolve_supersedes(obj: Application) -> str | None:
        return obj.supersedes.reference if obj.supersedes else None

    @staticmethod
    def resolve_goods_lines(obj: Application) -> Any:
        return list(obj.goods_lines.select_related("product", "control_entry"))

    @staticmethod
    def resolve_parties(obj: Application) -> Any:
        return list(obj.parties.select_related("country"))

    @staticmethod
    def resolve_documents(obj: Application) -> Any:
        return list(obj.documents.all())

    @staticmethod
    def resolve_end_user_certificate(obj: Application) -> Any:
        return getattr(obj, "end_user_certificate", None)

    @staticmethod
    def resolve_information_requests(obj: Application) -> Any:
        return list(obj.information_requests.order_by("asked_at"))

    @staticmethod
    def resolve_decisions(obj: Application) -> Any:
        return [decision for decision in obj.decisions.order_by("created_at") if decision.status == "final"]


class CheckResultOut(Schema):
    check: str
    outcome: str
    mandatory: bool
    summary: str
    details: dict[str, Any]


class CheckRunOut(Schema):
    run_number: int
    passed: bool
    created_at: dt.datetime
    results: list[CheckResultOut]

    @staticmethod
    def resolve_results(obj: CheckRun) -> list[dict[str, Any]]:
        return [
            {
                "check": result.check_name,
                "outcome": result.outcome,
                "mandatory": result.mandatory,
                "summary": result.summary,
                "details": result.details,
            }
            for result in obj.results.all()
        ]


class AdviceOut(Schema):
    id: UUID
    advice_type: str
    goods_line: int | None
    party_id: UUID | None
    provisos: str
    refusal_criteria: list[int]
    rationale: str
    author: str
    countersigned_by: str | None
    created_at: dt.datetime

    @staticmethod
    def resolve_goods_line(obj: Advice) -> int | None:
        return obj.goods_line.line_number if obj.goods_line else None

    @staticmethod
    def resolve_author(obj: Advice) -> str:
        return str(obj.author)

    @staticmethod
    def resolve_countersigned_by(obj: Advice) -> str | None:
        return str(obj.countersigned_by) if obj.countersigned_by else None


class ReferralOut(Schema):
    id: UUID
    department: str
    department_kind: str
    status: str
    due_date: dt.date
    requires_countersignature: bool
    rules: list[str]
    referred_by: str | None = Field(None, description="the case officer who referred it by hand")
    reason: str = Field("", description="why it was referred by hand")
    advice: list[AdviceOut]

    @staticmethod
    def resolve_referred_by(obj: Referral) -> str | None:
        return str(obj.referred_by) if obj.referred_by_id else None

    @staticmethod
    def resolve_department(obj: Referral) -> str:
        return obj.department.name

    @staticmethod
    def resolve_department_kind(obj: Referral) -> str:
        return obj.department.department_kind

    @staticmethod
    def resolve_advice(obj: Referral) -> Any:
        return list(obj.advice.all())


class ClockOut(Schema):
    working_days_open: int
    paused_working_days: int
    days_in_status: int
    overdue_referrals: int
    paused: bool


class CaseOut(Schema):
    """The government's view of the case beyond the application itself."""

    consolidated_advice: str
    advice_resolution: str
    readiness_problems: list[dict[str, str]] = Field(
        description="why it cannot go to the commission yet: code, message, and who must act (role, department)"
    )
    next_action: str = Field(description="the action the caller can take now ('' when it is someone else's turn)")
    latest_checks: CheckRunOut | None
    referrals: list[ReferralOut]
    clock: ClockOut
    assigned_officer: str | None


class DecisionRecordOut(DecisionOut):
    id: UUID
    application: str

    @staticmethod
    def resolve_application(obj: Decision) -> str:
        return obj.application.reference
