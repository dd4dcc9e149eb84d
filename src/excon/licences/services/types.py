"""The licence types' own writes: what a licence takes from its application's type at issue (terms, validity,
the open licence's returns), the temporary export of each shipment and its confirmed return, the holder's periodic
returns, and the daily follow-up (reminders before a return is due, alerts when a return is overdue or goods are not
back by their date)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from excon.accounts.selectors import users_with_roles
from excon.applications import licence_types as application_types
from excon.applications.enums import ApplicationType, DocumentKind
from excon.applications.models import Application
from excon.audit.services import audit_record
from excon.core.errors import Conflict, PermissionDenied, ValidationError
from excon.core.roles import OrganisationKind, Role
from excon.notifications.services import notify

from .. import policies, types
from ..enums import AuditVerb, ReturnConfirmation
from ..models import Licence, Shipment, TemporaryExport, UsageReturn

if TYPE_CHECKING:
    from excon.accounts.models import User

SYSTEM = "system:licence-follow-ups"


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# At issue ---------------------------------------------------------------------------------------------------------


def issue_terms(application: Application) -> dict[str, Any]:
    """The type's particulars the licence carries (and signs), with the receiving side's undertakings named by
    file and hash on a technology transfer, and the returns' period on an open licence."""
    terms = application_types.terms_summary(application)
    kind = application.application_type
    if kind == ApplicationType.TECHNOLOGY_TRANSFER:
        terms["undertakings"] = [
            {"filename": document.original_filename, "sha256": document.sha256}
            for document in application.documents.filter(kind=DocumentKind.UNDERTAKING).order_by("created_at")
        ]
    if kind == ApplicationType.OPEN:
        terms["return_period_months"] = application_types.rules_for(kind).return_period_months
    return terms


def issue_validity(application: Application, valid_until: dt.date | None, today: dt.date) -> dt.date:
    """The validity the licence gets: what the officer gives, else the type's default (an open licence: what was
    asked for, else the authority's maximum; a temporary export: the return date); never beyond the maximum."""
    kind = application.application_type
    latest = application_types.latest_valid_until(kind, today)
    terms = application_types.terms_of(application)
    if valid_until is None:
        if kind == ApplicationType.OPEN:
            valid_until = (terms.requested_valid_until if terms else None) or latest
        elif kind == ApplicationType.TEMPORARY and terms is not None and terms.return_date:
            valid_until = terms.return_date
        else:
            valid_until = latest
    check_validity(kind, valid_until, today)
    return valid_until


def return_due_on(application: Application) -> dt.date | None:
    terms = application_types.terms_of(application)
    if application.application_type == ApplicationType.TEMPORARY and terms is not None:
        return terms.return_date
    return None


def check_validity(kind: str, valid_until: dt.date, today: dt.date) -> None:
    latest = application_types.latest_valid_until(kind, today)
    if valid_until > latest:
        raise ValidationError(
            f"a {ApplicationType(kind).label.lower()} is valid until {latest:%d %B %Y} at the latest",
            code="licence.validity_beyond_maximum",
            details={"field": "valid_until", "latest": latest},
        )


def schedule_usage_returns(licence: Licence) -> list[UsageReturn]:
    """An open licence's returns, one per period from the start of its validity to its end."""
    if not types.is_open(licence) or licence.valid_until is None:
        return []
    rules = application_types.rules_for(ApplicationType.OPEN)
    months = int(licence.terms.get("return_period_months") or rules.return_period_months or 3)
    rows = []
    start = licence.valid_from
    while start <= licence.valid_until:
        end = min(add_months(start, months) - dt.timedelta(days=1), licence.valid_until)
        rows.append(
            UsageReturn(
                licence=licence,
                period_start=start,
                period_end=end,
                due_on=end + dt.timedelta(days=rules.return_due_days),
            )
        )
        start = end + dt.timedelta(days=1)
    return UsageReturn.objects.bulk_create(rows)


def open_temporary_export(licence: Licence, shipment: Shipment) -> TemporaryExport | None:
    """Every shipment under a temporary export licence is due back by the licence's return date."""
    if not types.is_temporary(licence):
        return None
    due_on = licence.return_due_on or licence.valid_until or shipment.shipped_on
    return TemporaryExport.objects.create(shipment=shipment, licence=licence, due_on=due_on)


# The holder's returns and the confirmed return of temporary exports ------------------------------------------------


def period_report(usage_return: UsageReturn) -> dict[str, Any]:
    """The shipments of the period as the return reports them: each shipment, and the totals per licence line
    (reversals count with their negative amounts)."""
    shipments = (
        Shipment.objects.filter(
            licence_id=usage_return.licence_id,
            shipped_on__gte=usage_return.period_start,
            shipped_on__lte=usage_return.period_end,
        )
        .select_related("destination")
        .prefetch_related("lines__licence_line")
        .order_by("shipped_on", "created_at")
    )
    totals: dict[int, dict[str, Any]] = defaultdict(lambda: {"quantity": 0, "value": Decimal(0)})
    listed = []
    for shipment in shipments:
        listed.append(
            {
                "shipment": shipment.reference,
                "shipped_on": shipment.shipped_on,
                "destination": shipment.destination.iso2,
            }
        )
        for line in shipment.lines.all():
            total = totals[line.licence_line.line_number]
            total["quantity"] += line.quantity
            total["value"] += line.value
    return {
        "shipments": listed,
        "lines": [{"line": number, **total} for number, total in sorted(totals.items())],
        "nil": not listed,
    }


@transaction.atomic
def usage_return_submit(*, actor: User, usage_return: UsageReturn, note: str = "") -> UsageReturn:
    """The holder reports the period's shipments (a nil return when there were none), once the period is over."""
    usage_return = UsageReturn.objects.select_for_update().select_related("licence").get(pk=usage_return.pk)
    licence = usage_return.licence
    if not policies.can_submit_usage_return(actor, licence):
        raise PermissionDenied("only the licence holder submits its returns")
    if usage_return.submitted_at is not None:
        raise Conflict("this return was already submitted", code="usage_return.already_submitted")
    if usage_return.period_end >= timezone.localdate():
        raise Conflict(
            f"the period runs until {usage_return.period_end:%d %B %Y}: submit the return after it ends",
            code="usage_return.period_not_ended",
            details={"period_end": usage_return.period_end},
        )
    report = period_report(usage_return)
    usage_return.report = {
        **report,
        "shipments": [{**item, "shipped_on": item["shipped_on"].isoformat()} for item in report["shipments"]],
        "lines": [{**item, "value": f"{item['value']:.2f}"} for item in report["lines"]],
    }
    usage_return.note = (note or "").strip()
    usage_return.submitted_at = timezone.now()
    usage_return.submitted_by = actor
    usage_return.save()
    audit_record(
        actor=actor,
        verb=AuditVerb.USAGE_RETURN_SUBMITTED,
        target=licence,
        payload={
            "period": [usage_return.period_start, usage_return.period_end],
            "shipments": len(report["shipments"]),
            "nil": report["nil"],
            "late": timezone.localdate() > usage_return.due_on,
        },
    )
    return usage_return


def _parse_date(value: dt.date | str, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValidationError(
            "a date is YYYY-MM-DD", code="temporary_export.invalid_date", details={"field": field}
        ) from exc


@transaction.atomic
def temporary_return_confirm(
    *, actor: User, item: TemporaryExport, returned_on: dt.date | str, note: str = ""
) -> TemporaryExport:
    """Customs (at the border) or the holder confirms that the temporarily exported goods are back."""
    item = TemporaryExport.objects.select_for_update().select_related("shipment", "licence").get(pk=item.pk)
    licence = item.licence
    if not policies.can_confirm_temporary_return(actor, licence):
        raise PermissionDenied("only customs or the licence holder confirms a return")
    if item.returned_on is not None:
        raise Conflict("the return is already confirmed", code="temporary_export.already_returned")
    if Shipment.objects.filter(reverses=item.shipment).exists():
        raise Conflict("the shipment was reversed: nothing went out", code="temporary_export.shipment_reversed")
    day = _parse_date(returned_on, "returned_on")
    if day > timezone.localdate():
        raise ValidationError(
            "the return date is in the future", code="temporary_export.future_date", details={"field": "returned_on"}
        )
    if day < item.shipment.shipped_on:
        raise ValidationError(
            "the goods cannot be back before they left",
            code="temporary_export.before_shipment",
            details={"field": "returned_on"},
        )
    item.returned_on = day
    item.confirmed_by = actor
    item.confirmation = ReturnConfirmation.CUSTOMS if policies.is_customs(actor) else ReturnConfirmation.EXPORTER
    item.note = (note or "").strip()
    item.save()
    audit_record(
        actor=actor,
        verb=AuditVerb.TEMPORARY_RETURN_CONFIRMED,
        target=licence,
        payload={
            "shipment": item.shipment.reference,
            "returned_on": day,
            "due_on": item.due_on,
            "late": day > item.due_on,
            "confirmation": item.confirmation,
        },
    )
    return item


# The daily follow-up -----------------------------------------------------------------------------------------------


def _compliance() -> Any:
    return users_with_roles([Role.COMPLIANCE_OFFICER], organisation_kind=OrganisationKind.AUTHORITY)


def _holder_staff(licence: Licence) -> Any:
    return licence.holder.users.filter(is_active=True)


def _follow_up(
    row: UsageReturn | TemporaryExport,
    *,
    stamp: str,
    recipients: list[Any],
    subject: str,
    body: str,
    anchor: str,
    verb: AuditVerb,
    payload: dict[str, Any],
) -> None:
    """Tell them, record on the row that it was told (`stamp`: once only), audit it as ExCon."""
    licence = row.licence
    notify(
        recipients=recipients,
        subject=f"Licence {licence.number}: {subject}",
        body=body,
        link=f"/licences/{licence.pk}/#{anchor}",
        event=str(verb.value),
    )
    setattr(row, stamp, timezone.now())
    row.save(update_fields=[stamp, "updated_at"])
    audit_record(actor=None, verb=verb, target=licence, payload=payload, system_label=SYSTEM)


@transaction.atomic
def licence_follow_ups(today: dt.date | None = None) -> dict[str, int]:
    """Remind holders of returns due soon, alert holders and compliance officers to overdue returns and to
    temporary exports not back by their date. Each reminder and alert once (idempotent: the scheduled task may
    run it again)."""
    today = today or timezone.localdate()
    reminder_days = application_types.rules_for(ApplicationType.OPEN).reminder_days
    returns = UsageReturn.objects.select_for_update(of=("self",)).select_related("licence__holder")
    due_soon = returns.filter(
        submitted_at__isnull=True,
        reminded_at__isnull=True,
        overdue_at__isnull=True,
        due_on__gte=today,
        due_on__lte=today + dt.timedelta(days=reminder_days),
        period_end__lt=today,
    )
    overdue = returns.filter(submitted_at__isnull=True, overdue_at__isnull=True, due_on__lt=today)
    unreturned = (
        TemporaryExport.objects.select_for_update(of=("self",))
        .filter(returned_on__isnull=True, overdue_at__isnull=True, due_on__lt=today, shipment__reversed_by__isnull=True)
        .select_related("licence__holder", "shipment")
    )
    counts = {"reminders": 0, "overdue_returns": 0, "unreturned": 0}
    for row in due_soon:
        period = f"{row.period_start:%d %B %Y} to {row.period_end:%d %B %Y}"
        _follow_up(
            row,
            stamp="reminded_at",
            recipients=list(_holder_staff(row.licence)),
            subject=f"a return is due on {row.due_on:%d %B %Y}",
            body=f"Report the shipments of {period}.",
            anchor="returns",
            verb=AuditVerb.USAGE_RETURN_REMINDED,
            payload={"period": [row.period_start, row.period_end], "due_on": row.due_on},
        )
        counts["reminders"] += 1
    for row in overdue:
        period = f"{row.period_start:%d %B %Y} to {row.period_end:%d %B %Y}"
        _follow_up(
            row,
            stamp="overdue_at",
            recipients=[*_holder_staff(row.licence), *_compliance()],
            subject=f"the return due on {row.due_on:%d %B %Y} is overdue",
            body=f"No return of the shipments of {period}.",
            anchor="returns",
            verb=AuditVerb.USAGE_RETURN_OVERDUE,
            payload={"period": [row.period_start, row.period_end], "due_on": row.due_on},
        )
        counts["overdue_returns"] += 1
    for item in unreturned:
        _follow_up(
            item,
            stamp="overdue_at",
            recipients=[*_holder_staff(item.licence), *_compliance()],
            subject=f"goods of {item.shipment.reference} are not back",
            body=f"Temporarily exported on {item.shipment.shipped_on:%d %B %Y}, due back by {item.due_on:%d %B %Y}.",
            anchor="temporary",
            verb=AuditVerb.TEMPORARY_EXPORT_OVERDUE,
            payload={"shipment": item.shipment.reference, "due_on": item.due_on},
        )
        counts["unreturned"] += 1
    return counts


def refuse_shipment_by_type(licence: Licence) -> None:
    if not types.allows_shipments(licence):
        raise Conflict(
            f"licence {licence.number} is a {types.title_of(licence).lower()}: no goods are shipped from this state "
            "under it",
            code="licence.no_shipments_for_type",
            details={"licence_type": licence.licence_type},
        )
