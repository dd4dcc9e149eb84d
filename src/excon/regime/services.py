"""Writes of the export regime. Every service checks the policy and the workflow, validates everything before it
writes, runs in one transaction and audits what it did with this app's AuditVerb."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from decimal import Decimal, InvalidOperation
from typing import IO, TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from excon.applications.enums import AdviceType, ApplicationStatus, Vote
from excon.applications.models import Application
from excon.applications.services import run_checks
from excon.applications.workflow import OPEN_STATES as OPEN_APPLICATION_STATES
from excon.audit.services import audit_record
from excon.core.errors import Conflict, PermissionDenied, ValidationError
from excon.core.files import store_upload
from excon.core.money import validate_currency
from excon.core.refnumbers import next_reference
from excon.core.services import apply_changes
from excon.core.validation import clean_text, require_text
from excon.core.workflow import transition
from excon.licences.enums import BulkActionKind, LicenceStatus
from excon.licences.models import BulkAction, Licence
from excon.licences.services import licences_bulk_action
from excon.refdata.models import ControlListEntry, Country, DestinationGroup

from . import policies, selectors, workflow
from .enums import (
    REQUIRED_EVIDENCE,
    AuditVerb,
    AuthorisationAction,
    AuthorisationOutcome,
    AuthorisationStatus,
    EvidenceKind,
    PolicyTier,
    QuotaBasis,
    QuotaMode,
)
from .models import (
    AuthorisationAdvice,
    AuthorisationDocument,
    AuthorisationVote,
    ExportAuthorisation,
    PolicyCategoryRule,
    PolicyDestination,
    PolicyVersion,
    Quota,
    RegisterPublication,
)

if TYPE_CHECKING:
    from excon.accounts.models import User

# The longest validity the authority grants an export authorisation.
MAX_VALIDITY_DAYS = 5 * 366


def _locked(authorisation: ExportAuthorisation) -> ExportAuthorisation:
    return ExportAuthorisation.objects.select_for_update(of=("self",)).select_related("holder").get(pk=authorisation.pk)


def _clean_codes(values: Any, *, canonical: Any, what: str, field: str, code: str) -> list[str]:
    """Codes that exist, as the reference data spells them (`canonical(text)` gives it, or None), without repeats,
    at least one."""
    cleaned: list[str] = []
    for value in values or []:
        text = clean_text(value)
        if not text:
            continue
        item = canonical(text)
        if item is None:
            raise ValidationError(
                f"{text} is not a {what}", code=f"authorisation.unknown_{code}", details={"field": field, "value": text}
            )
        if item not in cleaned:
            cleaned.append(item)
    if not cleaned:
        raise ValidationError(
            f"name at least one {what}", code=f"authorisation.{field}_required", details={"field": field}
        )
    return cleaned


def clean_categories(values: Any) -> list[str]:
    """Control-list categories that exist (ML6, ML4.a, 5A), spelt as the control list spells them."""
    return _clean_codes(
        values,
        canonical=lambda text: (
            ControlListEntry.objects.filter(code__iexact=text).values_list("code", flat=True).first()
        ),
        what="control-list category",
        field="categories",
        code="category",
    )


def clean_groups(values: Any) -> list[str]:
    """Destination groups that exist, by their code."""
    return _clean_codes(
        values,
        canonical=lambda text: (
            DestinationGroup.objects.filter(code=text.lower()).values_list("code", flat=True).first()
        ),
        what="destination group",
        field="destination_groups",
        code="group",
    )


def _future(day: dt.date | None, field: str) -> dt.date | None:
    if day is not None and day <= timezone.localdate():
        raise ValidationError(
            "the date must be in the future", code="authorisation.invalid_validity", details={"field": field}
        )
    if day is not None and day > timezone.localdate() + dt.timedelta(days=MAX_VALIDITY_DAYS):
        raise ValidationError(
            f"an export authorisation is valid for at most {MAX_VALIDITY_DAYS} days",
            code="authorisation.validity_too_long",
            details={"field": field, "max_days": MAX_VALIDITY_DAYS},
        )
    return day


# ------------------------------------------------------------------------------------------- the holder's application


@transaction.atomic
def authorisation_create(
    *,
    actor: User,
    categories: Any,
    destination_groups: Any,
    activity: str = "",
    requested_until: dt.date | None = None,
) -> ExportAuthorisation:
    """An exporter starts its application for the right to export (a draft only its staff see)."""
    if not policies.can_apply_for_authorisation(actor):
        raise PermissionDenied("only an exporter's staff apply for its export authorisation")
    authorisation = ExportAuthorisation.objects.create(
        reference=next_reference("AUT"),
        holder=actor.organisation,
        created_by=actor,
        categories=clean_categories(categories),
        destination_groups=clean_groups(destination_groups),
        activity=clean_text(activity),
        requested_until=_future(requested_until, "requested_until"),
        status_changed_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.AUTHORISATION_CREATED,
        target=authorisation,
        payload={
            "reference": authorisation.reference,
            "categories": authorisation.categories,
            "destination_groups": authorisation.destination_groups,
            "requested_until": requested_until,
        },
    )
    return authorisation


@transaction.atomic
def authorisation_update(
    *,
    actor: User,
    authorisation: ExportAuthorisation,
    categories: Any = None,
    destination_groups: Any = None,
    activity: str | None = None,
    requested_until: dt.date | None = None,
) -> ExportAuthorisation:
    authorisation = _locked(authorisation)
    if not policies.can_edit_authorisation(actor, authorisation):
        raise PermissionDenied("only the holder's staff change a draft authorisation")
    fields: dict[str, Any] = {}
    if categories is not None:
        fields["categories"] = clean_categories(categories)
    if destination_groups is not None:
        fields["destination_groups"] = clean_groups(destination_groups)
    if activity is not None:
        fields["activity"] = clean_text(activity)
    if requested_until is not None:
        fields["requested_until"] = _future(requested_until, "requested_until")
    changes = apply_changes(authorisation, fields)
    if changes:
        authorisation.save()
        audit_record(actor=actor, verb=AuditVerb.AUTHORISATION_UPDATED, target=authorisation, payload=changes)
    return authorisation


@transaction.atomic
def authorisation_add_evidence(
    *,
    actor: User,
    authorisation: ExportAuthorisation,
    kind: str,
    file: IO[bytes] | Any,
    filename: str,
    description: str = "",
) -> AuthorisationDocument:
    """Evidence the authority asks for, checked by content, hashed with SHA-256 and stored privately."""
    authorisation = _locked(authorisation)
    if not policies.can_edit_authorisation(actor, authorisation):
        raise PermissionDenied("evidence is added by the holder's staff while the application is a draft")
    if kind not in EvidenceKind.values:
        raise ValidationError(
            f"unknown kind of evidence {kind!r}", code="authorisation.unknown_evidence", details={"field": "kind"}
        )
    stored = store_upload(file, original_filename=filename, folder=f"regime/{authorisation.pk}")
    document = AuthorisationDocument.objects.create(
        authorisation=authorisation, kind=kind, description=clean_text(description), uploaded_by=actor, **asdict(stored)
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.AUTHORISATION_EVIDENCE_ADDED,
        target=authorisation,
        payload={
            "document": str(document.pk),
            "kind": kind,
            **stored.audit_fields(),
        },
    )
    return document


def missing_evidence(authorisation: ExportAuthorisation) -> list[str]:
    present = set(authorisation.documents.values_list("kind", flat=True))
    return [kind for kind in REQUIRED_EVIDENCE if kind not in present]


@transaction.atomic
def authorisation_submit(*, actor: User, authorisation: ExportAuthorisation) -> ExportAuthorisation:
    """Submit a draft with every piece of evidence the authority asks for."""
    authorisation = _locked(authorisation)
    if not policies.is_holder_staff(actor, authorisation):
        raise PermissionDenied("only the holder's staff submit its application")
    missing = missing_evidence(authorisation)
    if missing and authorisation.status == AuthorisationStatus.DRAFT:
        labels = [EvidenceKind(kind).label.lower() for kind in missing]
        raise ValidationError(
            "evidence missing: " + ", ".join(labels),
            code="authorisation.evidence_missing",
            details={"missing": missing},
        )
    authorisation.submitted_at = timezone.now()
    authorisation.save(update_fields=["submitted_at", "updated_at"])
    return transition(authorisation, AuthorisationAction.SUBMIT, actor=actor)


def authorisation_transition(
    *, actor: User | None, authorisation: ExportAuthorisation, action: str, reason: str = "", system: bool = False
) -> ExportAuthorisation:
    """Typed entry to the workflow engine (workflow.TABLE): withdraw, return, refer, suspend, reinstate, revoke.
    Granting and refusing go through authorisation_decide, submitting through authorisation_submit."""
    if action in (AuthorisationAction.GRANT, AuthorisationAction.REFUSE, AuthorisationAction.SUBMIT) and not system:
        raise ValidationError(
            "decisions and submissions have their own services",
            code="authorisation.unknown_action",
            details={"field": "action"},
        )
    return transition(authorisation, action, actor=actor, comment=reason, system=system)


# ---------------------------------------------------------------------------------------------------- the commission


@transaction.atomic
def authorisation_advise(
    *, actor: User, authorisation: ExportAuthorisation, advice_type: str, rationale: str
) -> AuthorisationAdvice:
    """A department's advice (one per department) while the authorisation is before the commission."""
    authorisation = _locked(authorisation)
    if not policies.can_give_advice(actor, authorisation):
        raise PermissionDenied("a department's commission members advise on authorisations before the commission")
    if advice_type not in AdviceType.values:
        raise ValidationError(
            f"unknown advice {advice_type!r}", code="authorisation.invalid_advice", details={"field": "advice_type"}
        )
    rationale = require_text(
        rationale, field="rationale", code="authorisation.rationale_required", message="give the rationale"
    )
    if authorisation.advice.filter(department=actor.organisation).exists():
        raise Conflict("your department has already advised", code="authorisation.already_advised")
    advice = AuthorisationAdvice.objects.create(
        authorisation=authorisation,
        department=actor.organisation,
        author=actor,
        advice_type=advice_type,
        rationale=rationale,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.AUTHORISATION_ADVICE,
        target=authorisation,
        payload={"department": actor.organisation.name, "advice": advice_type, "rationale": rationale},
    )
    return advice


@transaction.atomic
def authorisation_vote(
    *, actor: User, authorisation: ExportAuthorisation, vote: str, comment: str = ""
) -> AuthorisationVote:
    authorisation = _locked(authorisation)
    if not policies.can_vote(actor, authorisation):
        raise PermissionDenied("commission members vote on authorisations before the commission")
    if vote not in Vote.values:
        raise ValidationError(f"unknown vote {vote!r}", code="authorisation.invalid_vote", details={"field": "vote"})
    try:
        with transaction.atomic():
            row = AuthorisationVote.objects.create(
                authorisation=authorisation, member=actor, vote=vote, comment=clean_text(comment)
            )
    except IntegrityError as exc:
        raise Conflict("you have already voted", code="authorisation.already_voted") from exc
    audit_record(
        actor=actor,
        verb=AuditVerb.AUTHORISATION_VOTE,
        target=authorisation,
        payload={"vote": vote, "comment": clean_text(comment)},
    )
    return row


@transaction.atomic
def authorisation_decide(
    *,
    actor: User,
    authorisation: ExportAuthorisation,
    outcome: str,
    reasons: str,
    valid_until: dt.date | None = None,
    conditions: str = "",
) -> ExportAuthorisation:
    """The commission's decision, recorded by its secretary: it needs at least one department's advice and one
    vote; a grant follows a vote with more approvals than refusals and sets the validity (a renewal replaces the
    authorisation it renews); reasons are always given."""
    authorisation = _locked(authorisation)
    if not policies.can_decide_authorisation(actor):
        raise PermissionDenied("the commission's secretary (a case or senior officer) records decisions")
    if authorisation.status != AuthorisationStatus.IN_COMMISSION:
        raise Conflict("the authorisation is not before the commission", code="authorisation.invalid_transition")
    if outcome not in AuthorisationOutcome.values:
        raise ValidationError(
            f"unknown outcome {outcome!r}", code="authorisation.invalid_outcome", details={"field": "outcome"}
        )
    reasons = require_text(
        reasons, field="reasons", code="authorisation.reason_required", message="give the decision's reasons"
    )
    if not authorisation.advice.exists():
        raise Conflict("no department has advised yet", code="authorisation.advice_missing")
    tally = selectors.authorisation_tally(authorisation)
    if not sum(tally.values()):
        raise Conflict("the commission has not voted", code="authorisation.votes_missing")
    now = timezone.now()
    fields: dict[str, Any] = {"outcome": outcome, "decision_reasons": reasons, "decided_by": actor, "decided_at": now}
    if outcome == AuthorisationOutcome.GRANT:
        if tally["approve"] <= tally["refuse"]:
            raise Conflict(
                "the commission's vote does not carry a grant",
                code="authorisation.vote_against",
                details={"votes": tally},
            )
        until = _future(valid_until or authorisation.requested_until, "valid_until")
        if until is None:
            raise ValidationError(
                "give the validity", code="authorisation.validity_required", details={"field": "valid_until"}
            )
        fields.update(valid_from=timezone.localdate(), valid_until=until, conditions=clean_text(conditions))
    apply_changes(authorisation, fields)
    authorisation.save()
    action = AuthorisationAction.GRANT if outcome == AuthorisationOutcome.GRANT else AuthorisationAction.REFUSE
    decided = transition(
        authorisation,
        action,
        actor=actor,
        comment=reasons,
        payload={"votes": tally, "valid_until": fields.get("valid_until"), "conditions": fields.get("conditions", "")},
    )
    if action == AuthorisationAction.GRANT and decided.renews_id:
        previous = ExportAuthorisation.objects.get(pk=decided.renews_id)
        if workflow.TABLE.target_of(previous.status, AuthorisationAction.REPLACE):
            transition(
                previous, AuthorisationAction.REPLACE, actor=None, system=True, payload={"renewal": decided.reference}
            )
    return decided


@transaction.atomic
def authorisation_renew(*, actor: User, authorisation: ExportAuthorisation) -> ExportAuthorisation:
    """Apply for the renewal of an authorisation in force or expired: a new draft with the same scope, which
    replaces it once granted (until then the old one stands)."""
    authorisation = _locked(authorisation)
    if not policies.can_renew_authorisation(actor, authorisation):
        raise PermissionDenied("the holder's staff renew an authorisation that is in force or expired")
    if ExportAuthorisation.objects.filter(renews=authorisation).exists():
        raise Conflict("a renewal was already started", code="authorisation.renewal_exists")
    renewal = ExportAuthorisation.objects.create(
        reference=next_reference("AUT"),
        holder=authorisation.holder,
        created_by=actor,
        categories=list(authorisation.categories),
        destination_groups=list(authorisation.destination_groups),
        activity=authorisation.activity,
        renews=authorisation,
        status_changed_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.AUTHORISATION_CREATED,
        target=renewal,
        payload={"reference": renewal.reference, "renews": authorisation.reference},
    )
    return renewal


def expire_due_authorisations(today: dt.date | None = None) -> int:
    """Record the expiry of granted authorisations past their validity (a daily task; the check already treats
    them as expired on read)."""
    today = today or timezone.localdate()
    due = ExportAuthorisation.objects.filter(status=AuthorisationStatus.GRANTED, valid_until__lt=today)
    count = 0
    for authorisation in due:
        transition(authorisation, AuthorisationAction.EXPIRE, actor=None, system=True)
        count += 1
    return count


def holder_licences(authorisation: ExportAuthorisation) -> list[Licence]:
    """The holder's active licences (offered for bulk suspension once its authorisation is revoked)."""
    return list(
        Licence.objects.filter(holder_id=authorisation.holder_id, status=LicenceStatus.ACTIVE).order_by("number")
    )


@transaction.atomic
def authorisation_suspend_licences(*, actor: User, authorisation: ExportAuthorisation, reason: str = "") -> BulkAction:
    """Suspend every active licence of the holder of a revoked authorisation (the licences' bulk action, which
    lists and audits each licence)."""
    if not policies.can_manage_regime(actor):
        raise PermissionDenied("only senior officers of the authority suspend licences")
    authorisation = _locked(authorisation)
    if authorisation.status != AuthorisationStatus.REVOKED:
        raise Conflict("only a revoked authorisation's licences are suspended for it", code="authorisation.not_revoked")
    reason = clean_text(reason) or f"Export authorisation {authorisation.reference} revoked"
    bulk = licences_bulk_action(
        actor=actor, kind=BulkActionKind.SUSPEND, criteria={"holder_id": str(authorisation.holder_id)}, reason=reason
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.AUTHORISATION_LICENCES_SUSPENDED,
        target=authorisation,
        payload={"bulk_action": str(bulk.pk), "licences": sorted(bulk.licences.values_list("number", flat=True))},
    )
    return bulk


@transaction.atomic
def register_publish(*, actor: User) -> RegisterPublication:
    """Publish the register as it stands: holders' names and scope only, nothing else of the cases."""
    if not policies.can_manage_regime(actor):
        raise PermissionDenied("only senior officers of the authority publish the register")
    entries = [selectors.register_entry(item) for item in selectors.register_rows()]
    publication = RegisterPublication.objects.create(published_by=actor, entries=entries)
    audit_record(
        actor=actor,
        verb=AuditVerb.REGISTER_PUBLISHED,
        target=publication,
        payload={"entries": len(entries), "holders": [entry["holder"] for entry in entries]},
    )
    return publication


# ------------------------------------------------------------------------------------------------ destination policy


def _tier(value: Any, field: str) -> str:
    if value not in PolicyTier.values:
        raise ValidationError(
            f"unknown tier {value!r}", code="policy.unknown_tier", details={"field": field, "value": value}
        )
    return str(value)


def _destination_key(key: str) -> tuple[str, Any]:
    """ "PL" is a country, "group:nato" a destination group."""
    key = clean_text(key)
    if key.lower().startswith("group:"):
        code = key[6:].strip().lower()
        group = DestinationGroup.objects.filter(code=code).first()
        if group is None:
            raise ValidationError(
                f"{code} is not a destination group",
                code="policy.unknown_group",
                details={"field": "destination", "value": key},
            )
        return "group", group
    country = Country.objects.filter(iso2=key.upper()).first() if len(key) == 2 else None
    if country is None:
        raise ValidationError(
            f"{key!r} is not a country code",
            code="policy.unknown_country",
            details={"field": "destination", "value": key},
        )
    return "country", country


@transaction.atomic
def policy_publish(
    *,
    actor: User,
    in_force_from: dt.date,
    reason: str,
    destinations: dict[str, str | None] | None = None,
    category_rules: list[dict[str, Any]] | None = None,
    default_tier: str | None = None,
    requires_authorisation: bool | None = None,
) -> PolicyVersion:
    """A new version of the destination policy: the latest version with the changes (`destinations` maps "PL" or
    "group:nato" to a tier, None removes the entry; each category rule is {tier, category, allowed}, allowed None
    removes it). It is in force from its date (never before the latest version's). Publishing re-checks the open
    cases and lists the active licences the change affects (kept on the version, offered for bulk suspension)."""
    if not policies.can_manage_regime(actor):
        raise PermissionDenied("only senior officers of the authority set the destination policy")
    reason = require_text(reason, field="reason", code="policy.reason_required", message="give the reason")
    previous = PolicyVersion.objects.select_for_update().order_by("-number").first()
    if previous is not None and in_force_from < previous.in_force_from:
        raise ValidationError(
            f"a new version comes into force on or after {previous.in_force_from:%d %B %Y} (version {previous.number})",
            code="policy.date_before_latest",
            details={"field": "in_force_from"},
        )
    entries: dict[tuple[str, Any], str] = {}
    rules: dict[tuple[str, str], bool] = {}
    if previous is not None:
        for entry in previous.destinations.select_related("country", "group"):
            held: tuple[str, Any] = ("country", entry.country) if entry.country else ("group", entry.group)
            entries[held] = entry.tier
        rules = {(rule.tier, rule.category): rule.allowed for rule in previous.category_rules.all()}
    for key, tier in (destinations or {}).items():
        target = _destination_key(key)
        if tier is None or tier == "":
            entries.pop(target, None)
        else:
            entries[target] = _tier(tier, "tier")
    for item in category_rules or []:
        tier = _tier(item.get("tier"), "tier")
        category = clean_categories([item.get("category")])[0]
        allowed = item.get("allowed")
        if allowed is None:
            rules.pop((tier, category), None)
        else:
            rules[(tier, category)] = bool(allowed)
    default = (
        _tier(default_tier, "default_tier")
        if default_tier
        else (previous.default_tier if previous else PolicyTier.ALLOWED_WITH_REVIEW)
    )
    required = (
        requires_authorisation
        if requires_authorisation is not None
        else (previous.requires_authorisation if previous else True)
    )
    version = PolicyVersion.objects.create(
        number=(previous.number + 1) if previous else 1,
        in_force_from=in_force_from,
        default_tier=default,
        requires_authorisation=required,
        reason=reason,
        published_by=actor,
    )
    PolicyDestination.objects.bulk_create(
        [PolicyDestination(version=version, tier=tier, **{kind: target}) for (kind, target), tier in entries.items()]
    )
    PolicyCategoryRule.objects.bulk_create(
        [
            PolicyCategoryRule(version=version, tier=tier, category=category, allowed=allowed)
            for (tier, category), allowed in rules.items()
        ]
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.POLICY_PUBLISHED,
        target=version,
        payload={
            "number": version.number,
            "in_force_from": in_force_from,
            "reason": reason,
            "default_tier": default,
            "requires_authorisation": required,
            "changes": {"destinations": destinations or {}, "category_rules": category_rules or []},
        },
    )
    if in_force_from <= timezone.localdate():
        recheck_open_cases(actor=actor, version=version)
    return version


def affected_licences(version: PolicyVersion) -> list[dict[str, Any]]:
    """Active licences the version no longer allows: the destination's tier or a category rule fails them now.
    Each comes with the bulk action's criteria that would suspend it (destination, and the category refused)."""
    affected = []
    licences = (
        Licence.objects.filter(status=LicenceStatus.ACTIVE)
        .select_related("destination")
        .prefetch_related("lines__control_entry")
    )
    for licence in licences.order_by("number"):
        codes = sorted({line.control_entry.code for line in licence.lines.all() if line.control_entry})
        assessment = selectors.assess_policy(version, licence.destination, codes)
        if assessment.outcome != "fail":
            continue
        if assessment.tier == PolicyTier.PROHIBITED or not assessment.refused:
            criteria = [{"destination": licence.destination.iso2}]
        else:
            criteria = [{"destination": licence.destination.iso2, "control_entry": code} for code in assessment.refused]
        affected.append(
            {
                "number": licence.number,
                "licence": str(licence.pk),
                "holder": licence.holder.name,
                "destination": licence.destination.iso2,
                "tier": assessment.tier,
                "refused": assessment.refused,
                "criteria": criteria,
            }
        )
    return affected


def recheck_open_cases(*, actor: User, version: PolicyVersion) -> dict[str, Any]:
    """Run the checks again on every open case (a new check run each, audited by applications) and list the
    affected licences; the summary is kept on the version for its page."""
    cases = []
    open_cases = Application.objects.filter(status__in=[*OPEN_APPLICATION_STATES]).exclude(
        status=ApplicationStatus.SUBMITTED
    )
    for application in open_cases.select_related("destination", "applicant").order_by("reference"):
        if application.destination_id is None:
            continue
        run = run_checks(actor=actor, application=application)
        policy_result = run.results.filter(check_name="destination_policy").first()
        cases.append(
            {
                "reference": application.reference,
                "application": str(application.pk),
                "passed": run.passed,
                "policy_outcome": policy_result.outcome if policy_result else "",
                "policy_summary": policy_result.summary if policy_result else "",
            }
        )
    licences = affected_licences(version)
    summary: dict[str, Any] = {"cases": cases, "licences": licences, "at": timezone.now().isoformat()}
    version.recheck = summary
    version.save(update_fields=["recheck", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.POLICY_RECHECKED,
        target=version,
        payload={
            "cases": [case["reference"] for case in cases],
            "failing": [case["reference"] for case in cases if not case["passed"]],
            "licences": [item["number"] for item in licences],
        },
    )
    return summary


@transaction.atomic
def policy_recheck(*, actor: User, version: PolicyVersion) -> dict[str, Any]:
    """Re-check the open cases against a version (when its date has come, or again on request)."""
    if not policies.can_manage_regime(actor):
        raise PermissionDenied("only senior officers of the authority re-check the cases")
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if version.in_force_from > timezone.localdate():
        raise Conflict("the version is not in force yet", code="policy.not_in_force")
    return recheck_open_cases(actor=actor, version=version)


@transaction.atomic
def policy_suspend_licences(*, actor: User, version: PolicyVersion, reason: str = "") -> list[BulkAction]:
    """Suspend the active licences a policy version affects: one bulk action per criteria (destination, and the
    category the tier refuses), each listing and auditing the licences it suspended."""
    if not policies.can_manage_regime(actor):
        raise PermissionDenied("only senior officers of the authority suspend licences")
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    affected = affected_licences(version)
    if not affected:
        raise Conflict("no active licence is affected by this version", code="policy.nothing_affected")
    reason = clean_text(reason) or f"Destination policy v{version.number}: {version.reason}"
    seen: list[dict[str, str]] = []
    for item in affected:
        for criteria in item["criteria"]:
            if criteria not in seen:
                seen.append(criteria)
    bulks = [
        licences_bulk_action(actor=actor, kind=BulkActionKind.SUSPEND, criteria=criteria, reason=reason)
        for criteria in seen
    ]
    audit_record(
        actor=actor,
        verb=AuditVerb.POLICY_LICENCES_SUSPENDED,
        target=version,
        payload={
            "bulk_actions": [str(bulk.pk) for bulk in bulks],
            "licences": sorted({number for bulk in bulks for number in bulk.licences.values_list("number", flat=True)}),
        },
    )
    return bulks


# ---------------------------------------------------------------------------------------------------------- quotas


def _cap_quantity(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            "the quantity cap is a whole number", code="quota.invalid_cap", details={"field": "cap_quantity"}
        ) from exc
    if number < 0 or number > 2_147_483_647:
        raise ValidationError(
            "the quantity cap is a positive whole number", code="quota.invalid_cap", details={"field": "cap_quantity"}
        )
    return number


def _cap_value(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError(
            "the value cap is an amount", code="quota.invalid_cap", details={"field": "cap_value"}
        ) from exc
    if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2 or amount >= Decimal(10) ** 16:  # type: ignore[operator]
        raise ValidationError(
            "the value cap is a positive amount with at most two decimals",
            code="quota.invalid_cap",
            details={"field": "cap_value"},
        )
    return amount


@transaction.atomic
def quota_set(
    *,
    actor: User,
    year: int,
    destination: str,
    category: str,
    cap_quantity: Any = None,
    cap_value: Any = None,
    currency: str = "",
    basis: str = QuotaBasis.APPROVED,
    mode: str = QuotaMode.FAIL,
    note: str = "",
) -> Quota:
    """A cap per destination ("PL" or "group:nato"), category and year, in quantity and/or value."""
    if not policies.can_manage_regime(actor):
        raise PermissionDenied("only senior officers of the authority set quotas")
    if not 2000 <= int(year) <= 2200:
        raise ValidationError("give a year between 2000 and 2200", code="quota.invalid_year", details={"field": "year"})
    kind, target = _destination_key(destination)
    code = clean_categories([category])[0]
    quantity, value = _cap_quantity(cap_quantity), _cap_value(cap_value)
    if quantity is None and value is None:
        raise ValidationError(
            "give a cap in quantity or value", code="quota.cap_required", details={"field": "cap_quantity"}
        )
    currency = validate_currency(currency) if value is not None else ""
    if basis not in QuotaBasis.values:
        raise ValidationError(f"unknown basis {basis!r}", code="quota.invalid_basis", details={"field": "basis"})
    if mode not in QuotaMode.values:
        raise ValidationError(f"unknown mode {mode!r}", code="quota.invalid_mode", details={"field": "mode"})
    if Quota.objects.filter(year=year, category=code, active=True, **{kind: target}).exists():
        raise Conflict("an active quota already caps this category and destination this year", code="quota.duplicate")
    quota = Quota.objects.create(
        year=year,
        category=code,
        cap_quantity=quantity,
        cap_value=value,
        currency=currency,
        basis=basis,
        mode=mode,
        note=clean_text(note),
        set_by=actor,
        **{kind: target},
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.QUOTA_SET,
        target=quota,
        payload={
            "year": year,
            "destination": quota.destination_label,
            "category": code,
            "cap_quantity": quantity,
            "cap_value": value,
            "currency": currency,
            "basis": basis,
            "mode": mode,
        },
    )
    return quota


@transaction.atomic
def quota_change(
    *,
    actor: User,
    quota: Quota,
    reason: str,
    cap_quantity: Any = None,
    cap_value: Any = None,
    mode: str | None = None,
    active: bool | None = None,
) -> Quota:
    """Change a quota's caps or mode, or end it (under its row lock, so no approval counts meanwhile)."""
    if not policies.can_manage_regime(actor):
        raise PermissionDenied("only senior officers of the authority change quotas")
    quota = Quota.objects.select_for_update().get(pk=quota.pk)
    reason = require_text(reason, field="reason", code="quota.reason_required", message="give the reason")
    fields: dict[str, Any] = {}
    if cap_quantity is not None:
        fields["cap_quantity"] = _cap_quantity(cap_quantity)
    if cap_value is not None:
        fields["cap_value"] = _cap_value(cap_value)
    if mode is not None:
        if mode not in QuotaMode.values:
            raise ValidationError(f"unknown mode {mode!r}", code="quota.invalid_mode", details={"field": "mode"})
        fields["mode"] = mode
    if active is not None:
        fields["active"] = active
    changes = apply_changes(quota, fields)
    if quota.cap_quantity is None and quota.cap_value is None:
        raise ValidationError(
            "give a cap in quantity or value", code="quota.cap_required", details={"field": "cap_quantity"}
        )
    if not changes:
        raise ValidationError("nothing to change", code="quota.no_changes")
    quota.save()
    audit_record(
        actor=actor, verb=AuditVerb.QUOTA_CHANGED, target=quota, payload={"reason": reason, "changes": changes}
    )
    return quota
