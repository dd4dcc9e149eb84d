"""Issuing licences from approved decisions; the one transition service; expiry and exhaustion by themselves;
amendments as versions; bulk suspension and revocation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from excon.applications import selectors as application_selectors
from excon.applications.enums import AdviceType, ApplicationStatus, DecisionOutcome, PartyRole
from excon.applications.models import Advice, Application
from excon.audit.services import audit_record, normalise_payload
from excon.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationError
from excon.core.ids import parse_uuid
from excon.core.refnumbers import next_reference
from excon.core.services import apply_changes
from excon.core.validation import require_text
from excon.core.workflow import SYSTEM, Move, transition
from excon.notifications.services import notify
from excon.products.selectors import current_classification, current_eligibility
from excon.refdata import selectors as refdata_selectors

from .. import policies, workflow
from ..enums import AuditVerb, BulkActionKind, LicenceAction, LicenceSource, LicenceStatus
from ..models import BulkAction, Licence, LicenceLine, LicenceVersion
from . import types as type_rules
from .common import locked
from .keys import sign_licence

if TYPE_CHECKING:
    from excon.accounts.models import User

APPROVING_OUTCOMES = (
    DecisionOutcome.APPROVE,
    DecisionOutcome.APPROVE_WITH_CONDITIONS,
    DecisionOutcome.PARTIALLY_APPROVE,
)


def _snapshot(licence: Licence) -> dict[str, Any]:
    """What the licence said at this version (JSON-safe: dates and amounts as strings)."""
    return normalise_payload(
        {
            "status": licence.status,
            "valid_until": licence.valid_until,
            "end_user": licence.end_user,
            "consignees": licence.consignees,
            "conditions": licence.conditions,
            "lines": [
                {"line": line.line_number, "quantity": line.quantity, "value": line.value, "currency": line.currency}
                for line in licence.lines.order_by("line_number")
            ],
        }
    )


def merge_conditions(texts: list[str]) -> str:
    """The licence's conditions, one per line, each once: the decision's, the departments' provisos and the
    products' eligibility conditions, in that order. The same condition from two sources (in any case or spacing,
    with or without a final full stop) is kept once, as first written."""
    kept: dict[str, str] = {}
    for text in texts:
        for line in (text or "").splitlines():
            condition = " ".join(line.split())
            key = condition.rstrip(".").casefold()
            if condition and key not in kept:
                kept[key] = condition
    return "\n".join(kept.values())


@transaction.atomic
def licence_issue(*, actor: User, application: Application, valid_until: dt.date | None = None) -> Licence:
    """Issue the licence an approved decision allows: only the approved goods lines, the decision's conditions and
    the departments' provisos; signed; the holder is told."""
    if not policies.can_issue_licence(actor):
        raise PermissionDenied("only case officers and senior officers issue licences")
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("applicant", "destination")
        .get(pk=application.pk)
    )
    if application.status != ApplicationStatus.DECIDED or application.outcome not in APPROVING_OUTCOMES:
        raise Conflict("a licence is issued only from an approving final decision", code="licence.not_approved")
    if Licence.objects.filter(application=application).exists():
        raise Conflict("this application's licence was already issued", code="licence.already_issued")
    decision = application_selectors.final_decision(application)
    if decision is None:
        raise Conflict("no final decision", code="licence.not_approved")
    today = timezone.localdate()
    if valid_until is not None and valid_until <= today:
        raise ValidationError(
            "the validity must end in the future", code="licence.invalid_validity", details={"field": "valid_until"}
        )
    valid_until = type_rules.issue_validity(application, valid_until, today)
    terms = type_rules.issue_terms(application)
    end_user = application.parties.filter(role=PartyRole.END_USER).first()
    consignees = [
        {"name": party.name, "country": party.country.iso2, "role": party.role}
        for party in application.parties.select_related("country")
        if end_user is None or party.pk != end_user.pk
    ]
    provisos = [
        advice.provisos
        for advice in Advice.objects.filter(
            referral__application=application, advice_type=AdviceType.APPROVE_WITH_PROVISOS
        )
        if advice.provisos
    ]
    licensed = application_selectors.licensed_goods(application)
    eligibility = [current_eligibility(goods.product) for goods in licensed if goods.product]
    conditions = merge_conditions(
        [decision.conditions, *provisos, *(item.conditions for item in eligibility if item is not None)]
    )
    assert application.destination is not None  # decided cases passed the completeness check
    licence = Licence.objects.create(
        number=next_reference("LIC"),
        holder=application.applicant,
        application=application,
        licence_type=application.application_type,
        terms=terms,
        return_due_on=type_rules.return_due_on(application),
        destination=application.destination,
        end_user=end_user.name if end_user else "",
        end_user_kind=end_user.kind if end_user else "",
        consignees=consignees,
        issued_on=today,
        valid_from=today,
        valid_until=valid_until,
        conditions=conditions,
        status_changed_at=timezone.now(),
    )
    lines: list[LicenceLine] = []
    for goods in licensed:
        classification = current_classification(goods.product) if goods.product else None
        entry = classification.entries.first() if classification else goods.control_entry
        lines.append(
            LicenceLine(
                licence=licence,
                line_number=len(lines) + 1,
                product=goods.product,
                description=(
                    f"{goods.product.designation} – {goods.product.name}" if goods.product else goods.description
                )[:300],
                control_entry=entry,
                hs_code=goods.product.hs_code if goods.product else "",
                quantity=goods.quantity,
                value=goods.unit_value * goods.quantity,
                currency=goods.currency,
                capped=goods.capped,
            )
        )
    LicenceLine.objects.bulk_create(lines)
    type_rules.schedule_usage_returns(licence)
    signed = sign_licence(licence)
    LicenceVersion.objects.create(
        licence=licence,
        version=1,
        changed_by=actor,
        reason="issued",
        changes={},
        snapshot={**_snapshot(licence), "signed": signed},
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.LICENCE_ISSUED,
        target=licence,
        payload={
            "number": licence.number,
            "application": application.reference,
            "lines": [{"line": line.line_number, "quantity": line.quantity, "value": line.value} for line in lines],
            "valid_until": valid_until,
            "key_id": signed["key_id"],
        },
    )
    notify(
        recipients=application.applicant.users.filter(is_active=True),
        subject=f"Licence {licence.number} issued",
        body=f"For {application.reference}, valid until {valid_until:%d %B %Y}.",
        link=f"/licences/{licence.pk}/",
        event="licence.issued",
    )
    return licence


def notify_licence_move(licence: Licence, move: Move, actor: User | None, reason: str) -> None:
    """The holder hears of what the authority did to its licence (not of its own surrender, nor of ExCon's moves)."""
    if move.who == SYSTEM or actor is None or policies.is_holder_staff(actor, licence):
        return
    notify(
        recipients=licence.holder.users.filter(is_active=True),
        subject=f"Licence {licence.number}: {LicenceAction(move.action).label.lower()}",
        body=reason,
        link=f"/licences/{licence.pk}/",
        event=f"licence.{move.action}",
    )


def licence_transition(
    *, actor: User | None, licence: Licence, action: str, reason: str = "", system: bool = False
) -> Licence:
    """Typed entry to the workflow engine for licences (workflow.TABLE); people's moves need a reason."""
    return transition(licence, action, actor=actor, comment=reason, system=system)


def refuse_expired_licence(licence: Licence, move: Move) -> None:
    """A licence past its validity is expired even before the task records it: nobody suspends, revokes or
    surrenders it any more (the message is the engine's own for a move the table does not allow)."""
    if move.action != LicenceAction.EXPIRE and licence.effective_status == LicenceStatus.EXPIRED:
        raise InvalidTransition(
            f"a licence that is expired cannot be moved by “{LicenceAction(move.action).label}”",
            code="licence.invalid_transition",
            details={"status": LicenceStatus.EXPIRED, "action": move.action},
        )


def refresh_status(licence: Licence, today: dt.date | None = None) -> Licence:
    """Record the expiry of a licence past its validity (the scheduled task, and services before they write)."""
    if licence.effective_status_on(today or timezone.localdate()) == LicenceStatus.EXPIRED:
        return licence_transition(actor=None, licence=licence, action=LicenceAction.EXPIRE, system=True)
    return licence


def expire_due_licences(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    due = Licence.objects.filter(Licence.past_validity(today))
    count = 0
    for licence in due:
        refresh_status(licence, today)
        count += 1
    return count


@transaction.atomic
def licence_amend(
    *,
    actor: User,
    licence: Licence,
    reason: str,
    valid_until: dt.date | None = None,
    end_user: str | None = None,
    consignees: list[dict[str, str]] | None = None,
    reduce_quantities: dict[int, int] | None = None,
) -> Licence:
    """Extend the validity, change the consignee or end user, or reduce quantities: a new, re-signed version.
    Quantities never go up and never below what was already shipped."""
    licence = locked(licence)
    if not policies.can_amend_licence(actor, licence):
        raise PermissionDenied("only licensing officers amend licences")
    if licence.effective_status not in (LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED):
        raise InvalidTransition("only an active or suspended licence is amended", code="licence.not_amendable")
    reason = require_text(reason, field="reason", code="licence.reason_required", message="give the reason")
    fields: dict[str, Any] = {}
    if valid_until is not None and valid_until != licence.valid_until:
        if valid_until <= timezone.localdate() or valid_until < licence.valid_from:
            raise ValidationError("the validity must end in the future", code="licence.invalid_validity")
        type_rules.check_validity(licence.licence_type, valid_until, licence.issued_on)
        fields["valid_until"] = valid_until
    if end_user is not None and end_user.strip():
        fields["end_user"] = end_user.strip()
    if consignees is not None:
        fields["consignees"] = [_consignee(item) for item in consignees]
    changes: dict[str, Any] = apply_changes(licence, fields)
    for number, new_quantity in (reduce_quantities or {}).items():
        line = licence.lines.select_for_update().filter(line_number=number).first()
        if line is None or line.quantity is None:
            raise ValidationError(f"no quantity on line {number}", code="licence.unknown_line")
        if new_quantity >= line.quantity:
            raise ValidationError("an amendment only reduces quantities", code="licence.quantity_not_reduced")
        if new_quantity < line.shipped_quantity:
            raise ValidationError(
                f"line {number}: {line.shipped_quantity} already shipped", code="licence.below_shipped"
            )
        unit = line.value / line.quantity if line.quantity else Decimal(0)
        changes[f"line_{number}"] = {"from": line.quantity, "to": new_quantity}
        line.value = max((unit * new_quantity).quantize(Decimal("0.01")), line.shipped_value)
        line.quantity = new_quantity
        line.save(update_fields=["quantity", "value", "updated_at"])
    if not changes:
        raise ValidationError("nothing to change", code="licence.no_changes")
    licence.version += 1
    licence.save()
    signed = sign_licence(licence)
    LicenceVersion.objects.create(
        licence=licence,
        version=licence.version,
        changed_by=actor,
        reason=reason,
        changes=normalise_payload(changes),
        snapshot={**_snapshot(licence), "signed": signed},
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.LICENCE_AMENDED,
        target=licence,
        payload={"version": licence.version, "reason": reason, "changes": changes},
    )
    return licence


def _consignee(item: dict[str, str]) -> dict[str, str]:
    name = (item.get("name") or "").strip()
    if not name:
        raise ValidationError("a consignee needs a name", code="licence.invalid_consignee")
    country = refdata_selectors.country_by_iso2(item.get("country", "")).iso2
    return {"name": name, "country": country, "role": item.get("role") or "consignee"}


def bulk_targets(criteria: dict[str, str]) -> Any:
    """The licences a bulk action with these criteria would touch (active or suspended, issued by ExCon)."""
    licences = Licence.objects.filter(
        source=LicenceSource.ISSUED, status__in=[LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED]
    )
    known = {"destination", "end_user", "product", "product_id", "control_entry", "holder_id"}
    given = {key: (value or "").strip() for key, value in criteria.items() if (value or "").strip()}
    if not given or set(given) - known:
        raise ValidationError(
            "choose by destination, end user, product or control entry", code="licence.bulk_criteria_required"
        )
    if "destination" in given:
        licences = licences.filter(destination__iso2=given["destination"].upper())
    if "end_user" in given:
        licences = licences.filter(end_user__iexact=given["end_user"])
    if "product" in given:
        licences = licences.filter(lines__product__designation__iexact=given["product"])
    if "product_id" in given:
        # One manufacturer's product exactly (a designation alone may be shared by two manufacturers).
        key = parse_uuid(given["product_id"])
        licences = licences.filter(lines__product_id=key) if key else licences.none()
    if "holder_id" in given:
        # Every licence of one holder (its export authorisation was revoked).
        holder = parse_uuid(given["holder_id"])
        licences = licences.filter(holder_id=holder) if holder else licences.none()
    if "control_entry" in given:
        code = given["control_entry"]
        licences = licences.filter(
            Q(lines__control_entry__code__iexact=code) | Q(lines__control_entry__code__istartswith=f"{code}.")
        )
    return licences.distinct()


BULK_VERBS = {
    BulkActionKind.SUSPEND: AuditVerb.LICENCES_BULK_SUSPEND,
    BulkActionKind.REVOKE: AuditVerb.LICENCES_BULK_REVOKE,
}


@transaction.atomic
def licences_bulk_action(*, actor: User, kind: str, criteria: dict[str, str], reason: str) -> BulkAction:
    """Suspend or revoke every licence matching the criteria (a new embargo, a domestic priority), listing each."""
    if not policies.can_bulk_act(actor):
        raise PermissionDenied("only senior officers suspend or revoke licences in bulk")
    if kind not in BulkActionKind.values:
        raise ValidationError(f"unknown bulk action {kind!r}", code="licence.bulk_unknown_kind")
    reason = require_text(reason, field="reason", code="licence.reason_required", message="give the reason")
    ids = list(bulk_targets(criteria).values_list("pk", flat=True))
    targets = list(Licence.objects.filter(pk__in=ids).select_for_update().order_by("number"))
    action = LicenceAction.SUSPEND if kind == BulkActionKind.SUSPEND else LicenceAction.REVOKE
    touched = []
    for licence in targets:
        if workflow.TABLE.target_of(licence.status, action) is None:
            continue  # already suspended: a bulk suspension leaves it as it is
        licence_transition(actor=actor, licence=licence, action=action, reason=reason)
        touched.append(licence)
    bulk = BulkAction.objects.create(kind=kind, criteria=criteria, reason=reason, actor=actor)
    bulk.licences.set(touched)
    audit_record(
        actor=actor,
        verb=BULK_VERBS[BulkActionKind(kind)],
        target=bulk,
        payload={"criteria": criteria, "reason": reason, "licences": [licence.number for licence in touched]},
    )
    return bulk
