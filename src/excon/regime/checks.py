"""The regime's checks on an application, registered into the applications' check registry by
RegimeConfig.ready() (applications never imports regime), and the approval hook that counts an approval against
the quotas under their row locks.

* `export_authorisation`: from the first policy version that requires it, the applicant needs an export
  authorisation in force on the submission date covering the destination (one of its destination groups) and the
  category of every goods line; otherwise the check fails with the reason (none, expired, suspended, revoked,
  category or destination not covered).
* `destination_policy`: the tier of the destination in the policy version in force on the submission date, and
  what the tier lets go (selectors.assess_policy); when a later version is in force by the time the check runs
  again (a policy change re-checks open cases), the stricter of the two stands and both are named.
* `quota`: every active quota of the submission year on the destination (or one of its groups) and the goods'
  category: a demand above the remaining amount fails or warns (the quota's mode) with the remaining amount."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from excon.applications.check_registry import CheckReport
from excon.applications.enums import CheckOutcome
from excon.audit.services import audit_record
from excon.core.errors import Conflict
from excon.refdata.codes import entry_under

from . import selectors
from .enums import AuditVerb, AuthorisationStatus, QuotaBasis, QuotaMode
from .models import Quota, QuotaUse

if TYPE_CHECKING:
    from excon.applications.models import Application, Decision

    from .models import ExportAuthorisation

AUTHORISATION_CHECK = "export_authorisation"
POLICY_CHECK = "destination_policy"
QUOTA_CHECK = "quota"
PASS, WARNING, FAIL = CheckOutcome.PASS.value, CheckOutcome.WARNING.value, CheckOutcome.FAIL.value
SEVERITY = {PASS: 0, WARNING: 1, FAIL: 2}


def submission_date(application: Application) -> dt.date:
    if application.submitted_at is not None:
        return timezone.localdate(application.submitted_at)
    return timezone.localdate()


# ------------------------------------------------------------------------------------------------- authorisation


def _not_in_force_reason(found: list[ExportAuthorisation], on: dt.date) -> tuple[str, str]:
    """Why none of the organisation's authorisations is in force on `on`: the most telling one."""
    by_status = {item.status for item in found}
    if AuthorisationStatus.SUSPENDED in by_status:
        item = next(item for item in found if item.status == AuthorisationStatus.SUSPENDED)
        return "application.authorisation_suspended", f"the export authorisation {item.reference} is suspended"
    if by_status & {AuthorisationStatus.GRANTED, AuthorisationStatus.EXPIRED, AuthorisationStatus.RENEWED}:
        item = found[0]
        until = f" on {item.valid_until:%d %B %Y}" if item.valid_until else ""
        if item.valid_from and item.valid_from > on:
            return (
                "application.authorisation_not_yet_valid",
                f"the export authorisation {item.reference} is not valid yet",
            )
        return "application.authorisation_expired", f"the export authorisation {item.reference} expired{until}"
    if AuthorisationStatus.REVOKED in by_status:
        item = next(item for item in found if item.status == AuthorisationStatus.REVOKED)
        return "application.authorisation_revoked", f"the export authorisation {item.reference} was revoked"
    return "application.not_authorised", "the applicant holds no export authorisation"


def assess_authorisation(application: Application) -> tuple[str, str, dict[str, Any]]:
    on = submission_date(application)
    version = selectors.policy_in_force(on)
    if version is None or not version.requires_authorisation:
        return PASS, f"no export authorisation is required on {on:%d %B %Y}", {"required": False}
    found = selectors.authorisations_of(application.applicant_id)
    in_force = [item for item in found if item.in_force_on(on)]
    details: dict[str, Any] = {"required": True, "policy_version": version.number, "date": on.isoformat()}
    if not in_force:
        code, reason = _not_in_force_reason(found, on)
        details.update(code=code, authorisations=[item.reference for item in found], notes=[reason])
        return FAIL, reason, details
    assert application.destination is not None  # the check needs a destination (the registry skips it otherwise)
    groups = set(application.destination.destination_groups.values_list("code", flat=True))
    covering_destination = [item for item in in_force if groups & set(item.destination_groups)]
    details["authorisations"] = [item.reference for item in in_force]
    if not covering_destination:
        scope = sorted({group for item in in_force for group in item.destination_groups})
        reason = (
            f"{application.destination.name} is in none of the destination groups authorised "
            f"({', '.join(scope) or 'none'})"
        )
        details.update(code="application.destination_not_authorised", groups=sorted(groups), notes=[reason])
        return FAIL, reason, details
    uncovered: list[dict[str, Any]] = []
    for goods in selectors.application_goods(application):
        missing = [
            code
            for code in goods.codes
            if not any(entry_under(code, category) for item in covering_destination for category in item.categories)
        ]
        if missing:
            uncovered.append({"line": goods.line_number, "control_entries": missing})
    if uncovered:
        codes = sorted({code for item in uncovered for code in item["control_entries"]})
        reason = f"the export authorisation does not cover {', '.join(codes)} to {application.destination.name}"
        details.update(code="application.category_not_authorised", lines=uncovered, notes=[reason])
        return FAIL, reason, details
    references = ", ".join(item.reference for item in covering_destination)
    details["notes"] = [f"covered by {references}"]
    return PASS, f"the export authorisation {references} covers the goods and the destination", details


def check_export_authorisation(application: Application) -> CheckReport:
    outcome, summary, details = assess_authorisation(application)
    return CheckReport(AUTHORISATION_CHECK, CheckOutcome(outcome), summary, details=details)


# ------------------------------------------------------------------------------------------------------- policy


def _describe(assessment: selectors.PolicyAssessment, since: dt.date) -> str:
    source = {"country": "its own entry", "default": "the policy's default"}.get(
        assessment.source, assessment.source.replace("group:", "group ")
    )
    text = f"policy v{assessment.version} (in force from {since:%d %B %Y}): {assessment.tier_label} ({source})"
    if assessment.refused:
        text += f"; not allowed: {', '.join(assessment.refused)}"
    if assessment.allowed:
        text += f"; allowed by a category rule: {', '.join(assessment.allowed)}"
    return text


def assess_destination_policy(application: Application) -> tuple[str, str, dict[str, Any]]:
    on = submission_date(application)
    assert application.destination is not None
    codes = sorted({code for goods in selectors.application_goods(application) for code in goods.codes})
    versions = []
    then = selectors.policy_in_force(on)
    if then is not None:
        versions.append(then)
    now = selectors.policy_in_force(timezone.localdate())
    if now is not None and (then is None or now.number != then.number):
        versions.append(now)
    if not versions:
        return PASS, "no destination policy is in force", {}
    assessments = [(version, selectors.assess_policy(version, application.destination, codes)) for version in versions]
    _latest, strictest = max(assessments, key=lambda pair: (SEVERITY[pair[1].outcome], pair[0].number))
    notes = [_describe(assessment, item.in_force_from) for item, assessment in assessments]
    details: dict[str, Any] = {
        "tier": strictest.tier,
        "policy_version": strictest.version,
        "versions": [assessment.version for _item, assessment in assessments],
        "refused": strictest.refused,
        "notes": notes,
    }
    if strictest.code:
        details["code"] = strictest.code
    name = application.destination.name
    summary = f"{name}: {strictest.tier_label} under policy v{strictest.version}"
    if strictest.refused:
        summary += f"; not allowed: {', '.join(strictest.refused)}"
    return strictest.outcome, summary, details


def check_destination_policy(application: Application) -> CheckReport:
    outcome, summary, details = assess_destination_policy(application)
    return CheckReport(POLICY_CHECK, CheckOutcome(outcome), summary, details=details)


# ------------------------------------------------------------------------------------------------------- quotas


def _remaining_text(usage: selectors.QuotaUsage) -> str:
    parts = []
    if usage.remaining_quantity is not None:
        parts.append(f"{usage.remaining_quantity} items")
    if usage.remaining_value is not None:
        parts.append(f"{usage.remaining_value:,.2f} {usage.quota.currency}")
    return " and ".join(parts)


def _quota_item(usage: selectors.QuotaUsage, demand: selectors.Demand) -> dict[str, Any]:
    quota = usage.quota
    return {
        "quota": str(quota.pk),
        "category": quota.category,
        "destination": quota.destination_label,
        "year": quota.year,
        "basis": quota.basis,
        "mode": quota.mode,
        "requested_quantity": demand.quantity,
        "requested_value": str(demand.value),
        "remaining_quantity": usage.remaining_quantity,
        "remaining_value": None if usage.remaining_value is None else str(usage.remaining_value),
        "currency": quota.currency,
        "exceeds": usage.exceeded_by(demand),
        "uncounted_currencies": list(demand.uncounted_currencies),
    }


def assess_quotas(application: Application) -> tuple[str, str, dict[str, Any]]:
    on = submission_date(application)
    assert application.destination is not None
    goods = selectors.application_goods(application)
    items = []
    for quota in selectors.quotas_for(on.year, application.destination):
        demand = selectors.demand_on(quota, goods)
        if demand is not None:
            items.append(_quota_item(selectors.quota_usage(quota), demand))
    if not items:
        return PASS, "no quota applies", {"quotas": []}
    notes = [
        f"{item['category']} to {item['destination']} in {item['year']}: remaining "
        + " and ".join(
            part
            for part in (
                f"{item['remaining_quantity']} items" if item["remaining_quantity"] is not None else "",
                f"{item['remaining_value']} {item['currency']}" if item["remaining_value"] is not None else "",
            )
            if part
        )
        + f" (counted: {QuotaBasis(item['basis']).label.lower()})"
        for item in items
    ]
    details: dict[str, Any] = {"quotas": items, "notes": notes}
    failing = [item for item in items if item["exceeds"] and item["mode"] == QuotaMode.FAIL]
    warning = [item for item in items if item["exceeds"] and item["mode"] == QuotaMode.WARNING]
    unconverted = [item for item in items if item["uncounted_currencies"]]
    if failing or warning:
        details["code"] = "application.quota_exceeded"
        summary = "; ".join(
            f"exceeds the {item['category']} quota to {item['destination']} ({', '.join(item['exceeds'])})"
            for item in failing + warning
        )
        return (FAIL if failing else WARNING), summary + "; " + "; ".join(notes), details
    if unconverted:
        details["code"] = "application.quota_currency_not_counted"
        currencies = sorted({currency for item in unconverted for currency in item["uncounted_currencies"]})
        return WARNING, f"values in {', '.join(currencies)} are not counted against the quotas", details
    return PASS, "within every quota: " + "; ".join(notes), details


def check_quota(application: Application) -> CheckReport:
    outcome, summary, details = assess_quotas(application)
    return CheckReport(QUOTA_CHECK, CheckOutcome(outcome), summary, details=details)


def count_approval(application: Application, decision: Decision) -> None:
    """The approval hook: lock every quota the approved goods fall under (in primary-key order, so two approvals
    never deadlock), read what already counts, refuse the decision if a quota in fail mode would be exceeded, and
    record the approval in the ledger of the quotas counted on approvals. Runs inside the decision's transaction,
    so the lock is held until the decision commits: the next approval of the same quota waits and then sees it."""
    if application.destination is None:
        return
    approved = set(decision.approved_lines)
    lines = [
        line
        for line in application.goods_lines.select_related("product", "control_entry").order_by("line_number")
        if line.line_number in approved
    ]
    goods = selectors.goods_amounts(lines)
    year = timezone.localdate().year
    candidates = [quota.pk for quota in selectors.quotas_for(year, application.destination)]
    if not candidates:
        return
    locked = list(
        Quota.objects.select_for_update(of=("self",))
        .filter(pk__in=candidates)
        .select_related("country", "group")
        .order_by("pk")
    )
    counted = []
    for quota in locked:
        demand = selectors.demand_on(quota, goods)
        if demand is None or QuotaUse.objects.filter(quota=quota, application=application).exists():
            continue
        usage = selectors.quota_usage(quota)
        over = usage.exceeded_by(demand)
        if over and quota.mode == QuotaMode.FAIL:
            raise Conflict(
                f"the approval would exceed the {quota.category} quota to {quota.destination_label} for {quota.year}"
                f" ({', '.join(over)}): remaining {_remaining_text(usage)}",
                code="quota.exceeded",
                details=_quota_item(usage, demand),
            )
        if quota.basis == QuotaBasis.APPROVED:
            QuotaUse.objects.create(quota=quota, application=application, quantity=demand.quantity, value=demand.value)
            counted.append({**_quota_item(usage, demand), "over": over})
    if counted:
        audit_record(
            actor=None,
            verb=AuditVerb.QUOTA_COUNTED,
            target=application,
            payload={"quotas": counted},
            system_label="system:quotas",
        )
