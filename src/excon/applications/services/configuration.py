"""What the authority configures: routing rules, destination risk profiles, and officers' saved queue filters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from excon.audit.services import audit_record
from excon.core.errors import Conflict, NotFound, ValidationError
from excon.core.ids import parse_uuid
from excon.core.roles import DepartmentKind
from excon.refdata import selectors as refdata_selectors
from excon.refdata.models import DestinationGroup

from .. import policies
from ..enums import AuditVerb, CheckName, CheckOutcome, PartyKind, RiskLevel
from ..models import DestinationRiskProfile, RoutingRule, SavedFilter
from .common import deny, require_text, text

if TYPE_CHECKING:
    from excon.accounts.models import User

RULE_FIELDS = (
    "name",
    "active",
    "priority",
    "control_entry_prefixes",
    "destinations",
    "destination_groups",
    "min_total_value",
    "party_kinds",
    "check_outcomes",
    "departments",
    "due_working_days",
    "requires_countersignature",
)


def _codes(values: Any) -> list[str]:
    if isinstance(values, str):
        values = values.split(",")
    return [text(value) for value in values or [] if text(value)]


def clean_rule_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError(f"unknown field(s): {', '.join(sorted(unknown))}", code="routing.unknown_field")
    cleaned: dict[str, Any] = {}
    if "name" in fields:
        cleaned["name"] = require_text(
            fields["name"], field="name", code="routing.name_required", message="name the rule"
        )
    for key in ("active", "requires_countersignature"):
        if key in fields:
            cleaned[key] = bool(fields[key])
    for key, low, high in (("priority", 0, 1000), ("due_working_days", 1, 120)):
        if key in fields:
            try:
                number = int(fields[key])
            except (TypeError, ValueError) as exc:
                raise ValidationError(
                    f"{key} is a whole number", code="routing.invalid_number", details={"field": key}
                ) from exc
            if not low <= number <= high:
                raise ValidationError(
                    f"{key} is between {low} and {high}", code="routing.invalid_number", details={"field": key}
                )
            cleaned[key] = number
    if "control_entry_prefixes" in fields:
        cleaned["control_entry_prefixes"] = [code.upper() for code in _codes(fields["control_entry_prefixes"])]
    if "destinations" in fields:
        cleaned["destinations"] = [
            refdata_selectors.country_by_iso2(code).iso2 for code in _codes(fields["destinations"])
        ]
    if "destination_groups" in fields:
        groups = [code.lower() for code in _codes(fields["destination_groups"])]
        known = set(DestinationGroup.objects.filter(code__in=groups).values_list("code", flat=True))
        unknown_groups = sorted(set(groups) - known)
        if unknown_groups:
            raise ValidationError(
                f"unknown destination group(s): {', '.join(unknown_groups)}",
                code="destination_group.unknown",
                details={"field": "destination_groups"},
            )
        cleaned["destination_groups"] = groups
    if "min_total_value" in fields:
        raw = fields["min_total_value"]
        try:
            cleaned["min_total_value"] = None if raw in (None, "") else Decimal(str(raw))
        except InvalidOperation as exc:
            raise ValidationError(
                "not an amount", code="routing.invalid_value", details={"field": "min_total_value"}
            ) from exc
    if "party_kinds" in fields:
        kinds = _codes(fields["party_kinds"])
        if any(kind not in PartyKind.values for kind in kinds):
            raise ValidationError(
                "unknown party kind", code="routing.invalid_party_kind", details={"field": "party_kinds"}
            )
        cleaned["party_kinds"] = kinds
    if "check_outcomes" in fields:
        outcomes = _codes(fields["check_outcomes"])
        for item in outcomes:
            check, _, outcome = item.partition(":")
            if check not in CheckName.values or outcome not in CheckOutcome.values:
                raise ValidationError(
                    f"{item!r}: write check:outcome, e.g. screening:warning",
                    code="routing.invalid_check_outcome",
                    details={"field": "check_outcomes"},
                )
        cleaned["check_outcomes"] = outcomes
    if "departments" in fields:
        departments = sorted(set(_codes(fields["departments"])))
        if not departments or any(kind not in DepartmentKind.values for kind in departments):
            raise ValidationError(
                "name the departments that must advise: " + ", ".join(DepartmentKind.values),
                code="routing.invalid_departments",
                details={"field": "departments"},
            )
        cleaned["departments"] = departments
    return cleaned


@transaction.atomic
def routing_rule_create(*, actor: User | None, **fields: Any) -> RoutingRule:
    if actor is not None and not policies.can_manage_routing(actor):
        raise deny("only senior officers and system administrators change the routing rules")
    if "departments" not in fields:
        fields["departments"] = []
    cleaned = clean_rule_fields(fields)
    if "name" not in cleaned:
        raise ValidationError("name the rule", code="routing.name_required", details={"field": "name"})
    if RoutingRule.objects.filter(name__iexact=cleaned["name"]).exists():
        raise Conflict("a rule with this name exists", code="routing.duplicate_name", details={"field": "name"})
    rule = RoutingRule.objects.create(**cleaned)
    audit_record(
        actor=actor, verb=AuditVerb.ROUTING_RULE_CREATED, target=rule, payload=cleaned, system_label="system:setup"
    )
    return rule


@transaction.atomic
def routing_rule_update(*, actor: User, rule: RoutingRule, **fields: Any) -> RoutingRule:
    if not policies.can_manage_routing(actor):
        raise deny("only senior officers and system administrators change the routing rules")
    rule = RoutingRule.objects.select_for_update().get(pk=rule.pk)
    cleaned = clean_rule_fields(fields)
    if "name" in cleaned and RoutingRule.objects.filter(name__iexact=cleaned["name"]).exclude(pk=rule.pk).exists():
        raise Conflict("a rule with this name exists", code="routing.duplicate_name", details={"field": "name"})
    changes = {
        key: {"from": getattr(rule, key), "to": value} for key, value in cleaned.items() if getattr(rule, key) != value
    }
    if changes:
        for key, value in cleaned.items():
            setattr(rule, key, value)
        rule.save()
        audit_record(actor=actor, verb=AuditVerb.ROUTING_RULE_UPDATED, target=rule, payload={"changes": changes})
    return rule


@transaction.atomic
def risk_profile_set(
    *,
    actor: User | None,
    country: str,
    criterion_levels: dict[Any, Any],
    att_article_6_prohibition: bool = False,
    notes: str = "",
    source: str = "",
    assessed_on: dt.date | None = None,
    system_label: str = "system",
) -> DestinationRiskProfile:
    """Record the authority's assessment of a destination (criteria 1–8, each 0 low … 3 high)."""
    if actor is not None and not policies.can_manage_risk_profiles(actor):
        raise deny("only senior officers and system administrators assess destinations")
    country_obj = refdata_selectors.country_by_iso2(country)
    levels: dict[str, int] = {}
    for key, value in (criterion_levels or {}).items():
        try:
            criterion, level = int(key), int(value)
        except (TypeError, ValueError) as exc:
            raise ValidationError("criteria 1–8 with levels 0–3", code="risk.invalid_levels") from exc
        if criterion not in range(1, 9) or level not in RiskLevel.values:
            raise ValidationError("criteria 1–8 with levels 0–3", code="risk.invalid_levels")
        levels[str(criterion)] = level
    profile = DestinationRiskProfile.objects.select_for_update().filter(country=country_obj).first()
    before = {"levels": profile.criterion_levels, "article_6": profile.att_article_6_prohibition} if profile else None
    values = {
        "criterion_levels": levels,
        "att_article_6_prohibition": bool(att_article_6_prohibition),
        "notes": text(notes),
        "source": text(source),
        "assessed_on": assessed_on or timezone.localdate(),
    }
    if profile is None:
        profile = DestinationRiskProfile.objects.create(country=country_obj, **values)
    else:
        for key, value in values.items():
            setattr(profile, key, value)
        profile.save()
    audit_record(
        actor=actor,
        verb=AuditVerb.RISK_PROFILE_SET,
        target=profile,
        payload={
            "country": country_obj.iso2,
            "before": before,
            "levels": levels,
            "article_6": values["att_article_6_prohibition"],
            "source": values["source"],
        },
        system_label=system_label,
    )
    return profile


@transaction.atomic
def saved_filter_save(*, actor: User, name: str, params: dict[str, Any]) -> SavedFilter:
    if not policies.is_case_officer(actor) and not actor.is_government:
        raise deny("saved filters are for the authority's work queue")
    name = require_text(name, field="name", code="saved_filter.name_required", message="name the filter")
    allowed = {"status", "destination", "control_entry", "min_value", "flag", "assigned", "search"}
    clean = {key: str(value) for key, value in (params or {}).items() if key in allowed and str(value)}
    saved, _ = SavedFilter.objects.update_or_create(owner=actor, name=name, defaults={"params": clean})
    audit_record(actor=actor, verb=AuditVerb.SAVED_FILTER_SAVED, target=saved, payload={"name": name, "params": clean})
    return saved


@transaction.atomic
def saved_filter_delete(*, actor: User, filter_id: Any) -> None:
    key = parse_uuid(filter_id)
    saved = SavedFilter.objects.filter(owner=actor, pk=key).first() if key else None
    if saved is None:
        raise NotFound("saved filter")
    audit_record(actor=actor, verb=AuditVerb.SAVED_FILTER_DELETED, target=saved, payload={"name": saved.name})
    saved.delete()
