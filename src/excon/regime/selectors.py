"""Reads of the export regime, scoped by the actor (outside the scope reads exactly like missing), and the
unscoped reads the checks and services use: the authorisations of an organisation, the policy version in force on
a date and a destination's tier in it, and what counts against a quota."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from excon.core.errors import NotFound
from excon.core.selectors import one_visible
from excon.licences.models import LicenceLine, ShipmentLine
from excon.products.selectors import current_classification
from excon.refdata.codes import entry_under
from excon.refdata.models import Country

from . import policies, workflow
from .enums import TIER_RANK, AuthorisationStatus, PolicyTier, QuotaBasis
from .models import (
    AuthorisationDocument,
    ExportAuthorisation,
    PolicyDestination,
    PolicyVersion,
    Quota,
    QuotaUse,
    RegisterPublication,
)

if TYPE_CHECKING:
    from excon.accounts.models import User
    from excon.applications.models import Application, GoodsLine


# ---------------------------------------------------------------------------------------------------- authorisations


def authorisation_list(*, actor: User, status: str = "") -> QuerySet[ExportAuthorisation]:
    rows = ExportAuthorisation.objects.select_related("holder")
    if policies.reads_all(actor):
        rows = rows.exclude(status=AuthorisationStatus.DRAFT)
    elif policies.is_exporter(actor):
        rows = rows.filter(holder_id=actor.organisation_id)
    else:
        return rows.none()
    if status:
        rows = rows.filter(status=status)
    return rows


def authorisation_get(*, actor: User, authorisation_id: Any) -> ExportAuthorisation:
    return one_visible(
        ExportAuthorisation.objects.select_related("holder", "renews"),
        authorisation_id,
        "export authorisation",
        visible=lambda found: policies.can_view_authorisation(actor, found),
    )


def authorisations_of(organisation_id: Any) -> list[ExportAuthorisation]:
    """Every authorisation that once let the organisation export (granted, suspended, revoked, expired, renewed)."""
    return list(
        ExportAuthorisation.objects.filter(holder_id=organisation_id, status__in=workflow.DECIDED_STATES).order_by(
            "-valid_until", "-created_at"
        )
    )


def authorisation_tally(authorisation: ExportAuthorisation) -> dict[str, int]:
    tally = {"approve": 0, "refuse": 0, "abstain": 0}
    for vote in authorisation.votes.all():
        tally[vote.vote] = tally.get(vote.vote, 0) + 1
    return tally


def register_rows(today: dt.date | None = None) -> list[ExportAuthorisation]:
    """The register of authorised exporters: authorisations in force today, by holder's name."""
    today = today or timezone.localdate()
    rows = (
        ExportAuthorisation.objects.filter(status=AuthorisationStatus.GRANTED, valid_from__lte=today)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("holder")
        .order_by("holder__name", "reference")
    )
    return list(rows)


def register_entry(authorisation: ExportAuthorisation) -> dict[str, Any]:
    """What the published register says of one authorisation: names and scope only."""
    return {
        "holder": authorisation.holder.name,
        "reference": authorisation.reference,
        "categories": list(authorisation.categories),
        "destination_groups": list(authorisation.destination_groups),
        "valid_until": authorisation.valid_until.isoformat() if authorisation.valid_until else None,
    }


def register_list(*, actor: User) -> list[ExportAuthorisation]:
    if not policies.can_view_register(actor):
        raise NotFound("register of authorised exporters")
    return register_rows()


def register_published() -> RegisterPublication | None:
    """The latest publication of the register (the public page shows it; no login)."""
    return RegisterPublication.objects.order_by("-created_at").first()


# ------------------------------------------------------------------------------------------------------- the policy


def policy_in_force(on: dt.date) -> PolicyVersion | None:
    """The version in force on `on`: the highest-numbered one in force from that day or before."""
    return PolicyVersion.objects.filter(in_force_from__lte=on).order_by("-number").first()


def policy_latest() -> PolicyVersion | None:
    return PolicyVersion.objects.order_by("-number").first()


def policy_versions(*, actor: User) -> QuerySet[PolicyVersion]:
    if not policies.can_view_policy(actor):
        raise NotFound("destination policy")
    return PolicyVersion.objects.select_related("published_by")


def policy_version_get(*, actor: User, number: int) -> PolicyVersion:
    version = policy_versions(actor=actor).filter(number=number).first()
    if version is None:
        raise NotFound("destination policy version")
    return version


@dataclass(frozen=True)
class TierFinding:
    tier: str
    source: str  # "country", "group:<code>" or "default"


def tier_for(version: PolicyVersion, country: Country) -> TierFinding:
    """A country's tier in a version: its own entry, else the strictest of its groups' entries, else the default."""
    entries = list(
        PolicyDestination.objects.filter(version=version)
        .filter(Q(country=country) | Q(group__countries=country))
        .select_related("group")
    )
    own = [entry for entry in entries if entry.country_id == country.pk]
    if own:
        return TierFinding(own[0].tier, "country")
    if entries:
        strictest = max(entries, key=lambda entry: TIER_RANK[entry.tier])
        return TierFinding(strictest.tier, f"group:{strictest.group.code if strictest.group else ''}")
    return TierFinding(version.default_tier, "default")


def category_rules(version: PolicyVersion, tier: str) -> dict[str, bool]:
    return dict(version.category_rules.filter(tier=tier).values_list("category", "allowed"))


@dataclass(frozen=True)
class PolicyAssessment:
    """What a version says of some goods (their control-list codes) going to a country."""

    version: int
    tier: str
    source: str
    outcome: str  # pass, warning, fail
    code: str
    refused: list[str]
    allowed: list[str]

    @property
    def tier_label(self) -> str:
        return PolicyTier(self.tier).label


def rule_for(rules: dict[str, bool], code: str) -> bool | None:
    """The most specific category rule covering `code` (ML6.a beats ML6), or None."""
    covering = [category for category in rules if entry_under(code, category)]
    if not covering:
        return None
    return rules[max(covering, key=len)]


def assess_policy(version: PolicyVersion, country: Country, codes: list[str]) -> PolicyAssessment:
    """The tiers' meaning: a prohibited destination fails; a category the tier refuses fails; under a presumption
    of denial every category not expressly allowed fails and the allowed ones are for review; a destination allowed
    with review warns; a priority partner passes. Goods without a control-list code are judged by the tier alone."""
    finding = tier_for(version, country)
    rules = category_rules(version, finding.tier)
    refused = sorted({code for code in codes if rule_for(rules, code) is False})
    allowed = sorted({code for code in codes if rule_for(rules, code) is True})
    tier = finding.tier
    if tier == PolicyTier.PROHIBITED:
        outcome, code = "fail", "application.destination_prohibited"
    elif refused:
        outcome, code = "fail", "application.category_refused_for_tier"
    elif tier == PolicyTier.PRESUMPTION_OF_DENIAL:
        unexempted = sorted(set(codes) - set(allowed))
        if unexempted or not codes:
            outcome, code = "fail", "application.presumption_of_denial"
            refused = unexempted
        else:
            outcome, code = "warning", "application.presumption_of_denial_exempted"
    elif tier == PolicyTier.ALLOWED_WITH_REVIEW:
        outcome, code = "warning", "application.policy_review"
    else:
        outcome, code = "pass", ""
    return PolicyAssessment(version.number, tier, finding.source, outcome, code, refused, allowed)


# -------------------------------------------------------------------------------------------------- goods and quotas


@dataclass(frozen=True)
class GoodsAmount:
    """One goods line with its control-list codes (the registry's classification, or the line's own entry)."""

    line_number: int
    codes: tuple[str, ...]
    quantity: int
    value: Decimal
    currency: str


def goods_amounts(lines: list[GoodsLine]) -> list[GoodsAmount]:
    amounts = []
    for line in lines:
        codes: list[str] = []
        if line.product is not None:
            classification = current_classification(line.product)
            if classification is not None:
                codes = [entry.code for entry in classification.entries.all()]
        elif line.control_entry is not None:
            codes = [line.control_entry.code]
        amounts.append(
            GoodsAmount(line.line_number, tuple(sorted(set(codes))), line.quantity, line.total_value, line.currency)
        )
    return amounts


def application_goods(application: Application) -> list[GoodsAmount]:
    lines = application.goods_lines.select_related("product", "control_entry").order_by("line_number")
    return goods_amounts(list(lines))


def quota_covers_country(quota: Quota, country: Country) -> bool:
    if quota.country_id is not None:
        return quota.country_id == country.pk
    return quota.group is not None and quota.group.countries.filter(pk=country.pk).exists()


def quotas_for(year: int, country: Country) -> list[Quota]:
    """Active quotas of a year on the country itself or on one of its groups."""
    return list(
        Quota.objects.filter(year=year, active=True)
        .filter(Q(country=country) | Q(group__countries=country))
        .select_related("country", "group")
        .distinct()
        .order_by("category", "pk")
    )


@dataclass(frozen=True)
class Demand:
    """What an application (or its approved lines) would count against one quota."""

    quantity: int
    value: Decimal
    uncounted_currencies: tuple[str, ...]


def demand_on(quota: Quota, goods: list[GoodsAmount]) -> Demand | None:
    """The goods under the quota's category; None when no line is. Values in another currency than the quota's
    are not converted: they are named instead (the check then warns)."""
    matching = [item for item in goods if any(entry_under(code, quota.category) for code in item.codes)]
    if not matching:
        return None
    value = sum((item.value for item in matching if item.currency == quota.currency), Decimal(0))
    others = sorted(
        {item.currency for item in matching if quota.cap_value is not None and item.currency != quota.currency}
    )
    return Demand(sum(item.quantity for item in matching), value, tuple(others))


def _category_q(prefix: str, category: str) -> Q:
    category = category.strip().upper()
    query = Q(**{f"{prefix}__iexact": category}) | Q(**{f"{prefix}__istartswith": f"{category}."})
    if category and not category[-1].isdigit():
        query |= Q(**{f"{prefix}__istartswith": category})
    return query


def _destination_q(prefix: str, quota: Quota) -> Q:
    if quota.country_id is not None:
        return Q(**{f"{prefix}_id": quota.country_id})
    return Q(**{f"{prefix}__destination_groups": quota.group_id})


@dataclass(frozen=True)
class QuotaUsage:
    quota: Quota
    used_quantity: int
    used_value: Decimal

    @property
    def remaining_quantity(self) -> int | None:
        return None if self.quota.cap_quantity is None else self.quota.cap_quantity - self.used_quantity

    @property
    def remaining_value(self) -> Decimal | None:
        return None if self.quota.cap_value is None else self.quota.cap_value - self.used_value

    @property
    def percent_used(self) -> float:
        """The larger of the two shares used (0–100+), for the dashboard."""
        shares = []
        if self.quota.cap_quantity:
            shares.append(self.used_quantity * 100 / self.quota.cap_quantity)
        if self.quota.cap_value:
            shares.append(float(self.used_value * 100 / self.quota.cap_value))
        return round(max(shares), 1) if shares else 0.0

    def exceeded_by(self, demand: Demand) -> list[str]:
        """What `demand` on top of the usage would exceed ("quantity", "value")."""
        over = []
        remaining_quantity = self.remaining_quantity
        if remaining_quantity is not None and demand.quantity > remaining_quantity:
            over.append("quantity")
        remaining_value = self.remaining_value
        if remaining_value is not None and demand.value > remaining_value:
            over.append("value")
        return over


def quota_usage(quota: Quota) -> QuotaUsage:
    """What counts against the quota now, on its basis, summed in the database: the approvals counted (ledger),
    the lines of licences issued in the year, or the shipments made in the year (reversals are negative)."""
    if quota.basis == QuotaBasis.APPROVED:
        totals = QuotaUse.objects.filter(quota=quota).aggregate(quantity=Sum("quantity"), value=Sum("value"))
        return QuotaUsage(quota, int(totals["quantity"] or 0), totals["value"] or Decimal(0))
    if quota.basis == QuotaBasis.ISSUED:
        lines = LicenceLine.objects.filter(licence__issued_on__year=quota.year).filter(
            _destination_q("licence__destination", quota), _category_q("control_entry__code", quota.category)
        )
        quantity = lines.aggregate(total=Sum("quantity"))["total"] or 0
        value = lines.filter(currency=quota.currency).aggregate(total=Sum("value"))["total"] or Decimal(0)
        return QuotaUsage(quota, int(quantity), value)
    shipped = ShipmentLine.objects.filter(shipment__shipped_on__year=quota.year).filter(
        _destination_q("shipment__destination", quota), _category_q("licence_line__control_entry__code", quota.category)
    )
    quantity = shipped.aggregate(total=Sum("quantity"))["total"] or 0
    value = shipped.filter(licence_line__currency=quota.currency).aggregate(total=Sum("value"))["total"] or Decimal(0)
    return QuotaUsage(quota, int(quantity), value)


def quota_list(*, actor: User, year: int | None = None) -> QuerySet[Quota]:
    if not policies.can_view_quotas(actor):
        raise NotFound("quotas")
    rows = Quota.objects.select_related("country", "group")
    return rows.filter(year=year) if year else rows


def quota_get(*, actor: User, quota_id: Any) -> Quota:
    return one_visible(quota_list(actor=actor), quota_id, "quota")


def quota_dashboard(*, actor: User, year: int) -> list[QuotaUsage]:
    return [quota_usage(quota) for quota in quota_list(actor=actor, year=year).filter(active=True)]


def authorisation_document_get(*, actor: User, document_id: Any) -> AuthorisationDocument:
    return one_visible(
        AuthorisationDocument.objects.select_related("authorisation"),
        document_id,
        "document",
        visible=lambda found: policies.can_view_authorisation(actor, found.authorisation),
    )
