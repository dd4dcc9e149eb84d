"""Reading the whole audit log and checking its chain (auditors and system administrators)."""

# No "from __future__ import annotations": django-ninja resolves the query parameters of paginated views (dates)
# in its own module, so they must be real objects, not strings.

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema

from excon.core.api import ERROR_RESPONSES, actor_of, paged
from excon.core.errors import PermissionDenied

from . import policies, selectors
from .models import AuditEntry
from .verification import verify_log

router = Router(tags=["audit"])


class AuditEntryOut(Schema):
    seq: int
    occurred_at: datetime
    actor_id: UUID | None
    actor_repr: str
    verb: str
    target_type: str
    target_id: str
    target_repr: str
    payload: dict[str, Any]
    prev_hash: str
    entry_hash: str
    leaf_index: int | None

    @staticmethod
    def resolve_leaf_index(obj: AuditEntry) -> int | None:
        leaf = getattr(obj, "leaf", None)  # RelatedObjectDoesNotExist is an AttributeError
        return leaf.index if leaf is not None else None


class ChainVerificationOut(Schema):
    ok: bool
    checked: int
    problem: str
    first_bad_seq: int | None
    tree_size: int
    pending: int
    checkpoints: int
    summary: str


@router.get("/entries", response=list[AuditEntryOut], summary="The audit log, newest first")
@paged(100)
def list_entries(
    request: HttpRequest,
    verb: str = "",
    target_type: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    user: str = "",
    organisation: str = "",
    case: str = "",
) -> object:
    """Filters as on the page: days (both ends included), who acted, the acting user's organisation (its id), and
    a case or licence reference."""
    return selectors.audit_entry_list(
        actor=actor_of(request),
        verb=verb,
        target_type=target_type,
        date_from=date_from,
        date_to=date_to,
        user=user,
        organisation=organisation,
        case=case,
    )


@router.get("/verify", response={200: ChainVerificationOut, **ERROR_RESPONSES}, summary="Verify the hash chain")
def verify(request: HttpRequest) -> dict[str, Any]:
    if not policies.can_view_audit_log(actor_of(request)):
        raise PermissionDenied("only auditors and system administrators verify the audit log")
    result = verify_log()
    return {
        "ok": result.ok,
        "checked": result.checked,
        "problem": result.problem,
        "first_bad_seq": result.first_bad_seq,
        "tree_size": result.tree_size,
        "pending": result.pending,
        "checkpoints": result.checkpoints,
        "summary": result.describe(),
    }
