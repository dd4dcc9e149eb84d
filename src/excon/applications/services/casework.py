"""The case officer's own casework beside the routing rules: referring a case to a department by hand (with the
reason; the department must then advise like any other), and internal case notes the exporter never sees."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from excon.accounts.models import Organisation
from excon.audit.services import audit_record
from excon.core.errors import Conflict, InvalidTransition, ValidationError
from excon.core.ids import parse_uuid
from excon.core.roles import OrganisationKind

from .. import policies
from ..enums import ApplicationStatus, AuditVerb
from ..models import Application, CaseNote, Referral
from ..sla import add_working_days
from .common import deny, locked, require_text
from .submission import ask_department

if TYPE_CHECKING:
    from excon.accounts.models import User

HAND_REFERRAL_DAYS = 10


@transaction.atomic
def referral_by_hand(
    *,
    actor: User,
    application: Application,
    department_id: Any,
    reason: str,
    due_working_days: int = HAND_REFERRAL_DAYS,
    requires_countersignature: bool = False,
) -> Referral:
    """Ask a department to advise on a case under review although no routing rule did: the reason is recorded,
    the department's advisers are told, and the case is not ready until the department has advised."""
    application = locked(application)
    if not policies.can_refer_by_hand(actor, application):
        raise deny("only a case officer refers a case under review to a department")
    if application.status != ApplicationStatus.UNDER_REVIEW:
        raise InvalidTransition("only a case under review is referred", code="referral.case_not_under_review")
    reason = require_text(reason, field="reason", code="referral.reason_required", message="give the reason")
    key = parse_uuid(department_id)
    department = (
        Organisation.objects.filter(pk=key, kind=OrganisationKind.DEPARTMENT, status="active").first() if key else None
    )
    if department is None:
        raise ValidationError(
            "choose one of the departments", code="referral.invalid_department", details={"field": "department"}
        )
    if not 1 <= int(due_working_days) <= 60:
        raise ValidationError(
            "the department is given 1 to 60 working days",
            code="referral.invalid_due",
            details={"field": "due_working_days"},
        )
    if application.referrals.filter(department=department).exists():
        raise Conflict(f"{department.name} is already asked to advise on this case", code="referral.duplicate")
    referral = Referral.objects.create(
        application=application,
        department=department,
        due_date=add_working_days(timezone.localdate(), int(due_working_days)),
        requires_countersignature=requires_countersignature,
        referred_by=actor,
        reason=reason,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.APPLICATION_REFERRED_BY_HAND,
        target=application,
        payload={
            "department": department.name,
            "reason": reason,
            "due": referral.due_date,
            "requires_countersignature": requires_countersignature,
        },
    )
    ask_department(application, referral)
    return referral


@transaction.atomic
def case_note_add(*, actor: User, application: Application, text: str) -> CaseNote:
    """An internal note on the case (government eyes only; the exporter never sees it, nor its audit entry)."""
    application = locked(application)
    if not policies.can_write_case_notes(actor, application):
        raise deny("only case officers keep notes on a case")
    body = require_text(text, field="text", code="case_note.text_required", message="write the note")
    note = CaseNote.objects.create(application=application, author=actor, text=body)
    audit_record(actor=actor, verb=AuditVerb.CASE_NOTE_ADDED, target=application, payload={"note": body})
    return note
