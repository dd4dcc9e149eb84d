"""Screening API: single-name search with explained hits, and hit review."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema

from excon.core.api import ERROR_RESPONSES, DbInt, actor_of

from . import selectors, services
from .matching import DEFAULT_THRESHOLD, Hit, Query
from .models import ScreeningHit

router = Router(tags=["screening"])


class SearchIn(Schema):
    name: str
    kind: str = ""
    country: str = ""
    birth_date: str = ""
    identifiers: list[str] = []
    threshold: float = DEFAULT_THRESHOLD
    limit: DbInt = 20  # the service refuses outside 1–200 with screening.bad_limit


class AdjustmentOut(Schema):
    factor: str
    value: float
    detail: str


class ExplanationOut(Schema):
    name_similarity: float
    measure: str = ""  # which measure gave name_similarity: alignment, compact_ratio or consonant_skeleton
    alignment: float
    token_sort_ratio: float
    compact_ratio: float
    token_overlap: float
    candidate_share: float
    adjustments: list[AdjustmentOut]
    query_tokens: list[str]
    ignored_weak_tokens: list[str]


class HitOut(Schema):
    source: str
    entry_id: str
    entry_name: str
    kind: str
    programme: str
    matched_name: str
    score: float
    explanation: ExplanationOut


class SearchOut(Schema):
    query: str
    threshold: float
    hits: list[HitOut]


class ScreeningHitOut(Schema):
    id: UUID
    target_type: str
    target_id: str
    screened_name: str
    source: str
    entry_id: str
    entry_name: str
    score: float
    status: str
    reason: str
    reviewed_at: dt.datetime | None
    explanation: dict[str, Any]

    @staticmethod
    def resolve_source(obj: ScreeningHit) -> str:
        return obj.entry.source.code

    @staticmethod
    def resolve_entry_id(obj: ScreeningHit) -> str:
        return obj.entry.external_id

    @staticmethod
    def resolve_entry_name(obj: ScreeningHit) -> str:
        return obj.entry.primary_name


class HitReviewIn(Schema):
    reason: str = ""


def _hit_out(hit: Hit) -> dict[str, Any]:
    return {
        "source": hit.source,
        "entry_id": hit.source_id,
        "entry_name": hit.entry_name,
        "kind": hit.kind,
        "programme": hit.programme,
        "matched_name": hit.matched_name,
        "score": hit.score,
        "explanation": hit.explanation,
    }


@router.post("/search", response={200: SearchOut, **ERROR_RESPONSES}, summary="Search the lists for one name")
def search(request: HttpRequest, payload: SearchIn) -> Any:
    asked = payload.dict(exclude={"threshold", "limit"})
    query = Query(**{**asked, "identifiers": tuple(payload.identifiers)})
    hits = services.screening_search(
        actor=actor_of(request), query=query, threshold=payload.threshold, limit=payload.limit
    )
    return {"query": payload.name, "threshold": payload.threshold, "hits": [_hit_out(hit) for hit in hits]}


@router.get("/hits", response={200: list[ScreeningHitOut], **ERROR_RESPONSES}, summary="Screening hits")
def hits(request: HttpRequest, status: str = "", target_type: str = "", target_id: str = "") -> Any:
    return list(
        selectors.hit_list(actor=actor_of(request), status=status, target_type=target_type, target_id=target_id)[:500]
    )


@router.post("/hits/{hit_id}/confirm", response={200: ScreeningHitOut, **ERROR_RESPONSES}, summary="Confirm a hit")
def confirm(request: HttpRequest, hit_id: str, payload: HitReviewIn) -> Any:
    return services.hit_confirm(actor=actor_of(request), hit_id=hit_id, reason=payload.reason)


@router.post("/hits/{hit_id}/dismiss", response={200: ScreeningHitOut, **ERROR_RESPONSES}, summary="Dismiss a hit")
def dismiss(request: HttpRequest, hit_id: str, payload: HitReviewIn) -> Any:
    return services.hit_dismiss(actor=actor_of(request), hit_id=hit_id, reason=payload.reason)
